"""Engines and sessions: SQLite with WAL, FULL sync, foreign keys and BEGIN IMMEDIATE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
# SQLite's page cache per connection, at most (it fills only as pages are read). The default
# 2 MB is smaller than the index of a district's 200,000 member keys, and a cache miss costs a
# system call and a copy: at that size it made a file's aggregates cost more than its rows.
CACHE_KIB = 64 * 1024


def database_url(target: str | Path) -> URL:
    """A file path becomes a SQLite URL; anything with ``://`` is taken as a URL."""
    text = str(target)
    if "://" in text:
        return make_url(text)
    return URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().resolve()))


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL (None for in-memory or other databases)."""
    if not is_sqlite(url) or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


# Execution option naming how a SQLite transaction begins: "IMMEDIATE" (the default, for
# writers), "DEFERRED" (a consistent read snapshot) or "" (single statements, autocommit).
BEGIN_OPTION = "timebank_begin"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A writing transaction takes the write lock up front, so sequence numbers and balance
        # checks cannot race with another writer (a second process or the CLI). Readers ask
        # for a deferred BEGIN (a snapshot, no lock) or none at all (one statement).
        mode = connection.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
        if mode:
            connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(target: str | Path | URL, **kwargs: Any) -> Engine:
    url = target if isinstance(target, URL) else database_url(target)
    if is_sqlite(url):
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
