"""The ledger integrity gaps: command line (services: tests/integration/test_integrity_gaps.py)."""
