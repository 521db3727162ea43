"""Pure-Python core: value types, policy, validation, canonical ledger encoding. No Qt, no ORM."""
