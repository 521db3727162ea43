"""Database-level immutability of the ledger, for SQLite and PostgreSQL.

Ledger transactions, postings and the audit log refuse UPDATE and DELETE. An account may only
change its cached balance. These are a second line of defence: `verify` still proves the data.
"""

from __future__ import annotations

IMMUTABLE_TABLES = ("txn", "posting", "audit_entry")
ACCOUNT_FIXED_COLUMNS = ("id", "code", "kind", "member_id", "created_at")
MESSAGE = "ledger rows are immutable: correct them with a reversal"


def sqlite_statements() -> list[str]:
    out: list[str] = []
    for table in IMMUTABLE_TABLES:
        for op in ("UPDATE", "DELETE"):
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    columns = ", ".join(ACCOUNT_FIXED_COLUMNS)
    out.append(
        f"CREATE TRIGGER IF NOT EXISTS account_no_update BEFORE UPDATE OF {columns} ON account "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )
    out.append(
        "CREATE TRIGGER IF NOT EXISTS account_no_delete BEFORE DELETE ON account "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )
    return out


def sqlite_drop_statements() -> list[str]:
    names = [f"{t}_no_{op}" for t in IMMUTABLE_TABLES for op in ("update", "delete")]
    names += ["account_no_update", "account_no_delete"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def postgresql_statements() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in ACCOUNT_FIXED_COLUMNS)
    out = [
        "CREATE OR REPLACE FUNCTION timebank_immutable() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
        "CREATE OR REPLACE FUNCTION timebank_account_guard() RETURNS trigger AS $$ "
        f"BEGIN IF TG_OP = 'DELETE' OR {changed} THEN RAISE EXCEPTION '{MESSAGE}'; END IF; "
        "RETURN NEW; END; $$ LANGUAGE plpgsql",
    ]
    for table in IMMUTABLE_TABLES:
        out.append(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION timebank_immutable()"
        )
    out.append(
        "CREATE TRIGGER account_guard BEFORE UPDATE OR DELETE ON account "
        "FOR EACH ROW EXECUTE FUNCTION timebank_account_guard()"
    )
    return out


def postgresql_drop_statements() -> list[str]:
    out = [f"DROP TRIGGER IF EXISTS {t}_immutable ON {t}" for t in IMMUTABLE_TABLES]
    out.append("DROP TRIGGER IF EXISTS account_guard ON account")
    return out


def create_statements(dialect: str) -> list[str]:
    return postgresql_statements() if dialect == "postgresql" else sqlite_statements()


def drop_statements(dialect: str) -> list[str]:
    return postgresql_drop_statements() if dialect == "postgresql" else sqlite_drop_statements()
