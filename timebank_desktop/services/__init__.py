"""Use cases, one module per area. They own transactions and invariants. No Qt."""
