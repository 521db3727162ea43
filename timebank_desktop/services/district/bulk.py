"""Bulk writes on either backend: plain inserts (COPY on PostgreSQL) and additive upserts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table
from sqlalchemy.orm import DeclarativeBase


def table_of(model: type[DeclarativeBase]) -> Table:
    """The `Table` of a mapped class (typed for the checker)."""
    return cast(Table, model.__table__)


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    fixed: Mapping[str, int] | None = None,
) -> None:
    """Insert tuples fast: ``COPY`` through psycopg on PostgreSQL, the driver's own
    ``executemany`` on SQLite. ``fixed``: integer columns with the same value in every row
    (they are not repeated in the tuples; on SQLite they are literals of the statement)."""
    fixed = fixed or {}
    for name in (*fixed, *columns):
        table.c[name]  # a KeyError for a name that is not a column of the table
    names = ", ".join((*fixed, *columns))
    values = tuple(int(v) for v in fixed.values())
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            write = copy.write_row
            for row in rows:
                write(values + row)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({names}) "
        f"VALUES ({', '.join([*map(str, values), *(mark for _ in columns)])})"
    )
    if conn.dialect.name == "sqlite" and isinstance(driver, sqlite3.Connection):
        driver.executemany(sql, rows)
        return
    batch = list(rows)
    if batch:
        conn.exec_driver_sql(sql, batch)


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
    if batch:
        columns = list(batch[0])
        tuples = [tuple(row[c] for c in columns) for row in batch]
        upsert_tuples(conn, table, keys, columns, tuples, add, replace)


def upsert_tuples(
    conn: Connection,
    table: Table,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    add: Sequence[str] = (),
    replace: Sequence[str] = (),
) -> None:
    """`upsert_add` for rows already as tuples in the order of ``columns``.

    One driver-level ``executemany`` (the same SQL on SQLite and PostgreSQL): the aggregates
    of a file are thousands of rows, and building a parameter dict per row through the ORM
    layer cost as much as inserting the file's transactions.
    """
    if not rows:
        return
    for name in (*keys, *add, *replace, *columns):
        table.c[name]  # a KeyError for a name that is not a column of the table
    changes = [f"{c} = {table.name}.{c} + excluded.{c}" for c in add]
    changes += [f"{c} = excluded.{c}" for c in replace]
    action = f"DO UPDATE SET {', '.join(changes)}" if changes else "DO NOTHING"
    conflict = f"ON CONFLICT ({', '.join(keys)}) {action}"
    if _copy_upsert(conn, table, keys, columns, rows, conflict):
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)}) {conflict}"
    )
    conn.exec_driver_sql(sql, rows)


_COPY_UPSERT_MIN = 100  # rows; fewer are upserted one statement each


def _copy_upsert(
    conn: Connection,
    table: Table,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    conflict: str,
) -> bool:
    """On PostgreSQL (psycopg), a large upsert as ``COPY`` into a temporary table and one
    ``INSERT … SELECT … ON CONFLICT``: one statement for the server instead of one per row.
    False (nothing done) elsewhere, for small batches, or when a key repeats in the batch
    (one statement may not update a row twice)."""
    if (
        len(rows) < _COPY_UPSERT_MIN
        or conn.dialect.name != "postgresql"
        or conn.dialect.driver != "psycopg"
    ):
        return False
    at = [columns.index(k) for k in keys]
    if len({tuple(row[i] for i in at) for row in rows}) != len(rows):
        return False
    driver = conn.connection.driver_connection
    assert driver is not None
    names = ", ".join(columns)
    scratch = f"tmp_upsert_{table.name}"
    with driver.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} "
            f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {scratch} {conflict}"
        )
        cursor.execute(f"DELETE FROM {scratch}")
    return True
