"""Bulk writes on either backend: plain inserts (COPY on PostgreSQL) and additive upserts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase


def table_of(model: type[DeclarativeBase]) -> Table:
    """The `Table` of a mapped class (typed for the checker)."""
    return cast(Table, model.__table__)


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert tuples fast: ``COPY`` through psycopg on PostgreSQL, ``executemany`` elsewhere."""
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        raw = conn.connection.driver_connection
        assert raw is not None
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)


def upsert_add(
    conn: Connection,
    table: Table,
    keys: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    add: Sequence[str] = (),
    replace: Sequence[str] = (),
) -> None:
    """Insert rows; on a key conflict add the ``add`` columns and overwrite ``replace`` ones."""
    batch = list(rows)
    if not batch:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    changes: dict[str, Any] = {c: table.c[c] + stmt.excluded[c] for c in add}
    changes.update({c: stmt.excluded[c] for c in replace})
    if changes:
        conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changes), batch)
    else:
        conn.execute(stmt.on_conflict_do_nothing(index_elements=list(keys)), batch)
