"""Shared fixtures: a fresh database per test, built by the application's own start-up code.

Service and CLI tests run against SQLite and, when a server is reachable through
``TIMEBANK_TEST_PG`` (set by ``./quickstart test`` in CI), against PostgreSQL too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from timebank_desktop.domain.clock import FixedClock, SystemClock
from timebank_desktop.i18n import set_language
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database

# 2026-11-20 10:00 in China: tests never depend on the real date.
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
PG_ENV = "TIMEBANK_TEST_PG"
# What the application's own clock says in tests that run the CLI or the GUI in this process
# (they build their context with SystemClock): the day the suite was written against, so
# date rules (a late-entry window, "not in the future") judge fixed test dates the same way
# next year as today.
SYSTEM_NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 12:00 in China


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the real user's data folder or database; messages in English; the
    system clock stopped at `SYSTEM_NOW`."""
    monkeypatch.setenv("TIMEBANK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TIMEBANK_DB", raising=False)
    monkeypatch.setattr(SystemClock, "now", lambda _self: SYSTEM_NOW)
    set_language("en")
    yield
    set_language("en")


def _pg_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("TIMEBANK_REQUIRE_PG"):
            pytest.fail(f"{PG_ENV} is not set but PostgreSQL tests are required here")
        pytest.skip(f"no PostgreSQL server: set {PG_ENV}=postgresql+psycopg://… to run")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    admin_url = _pg_admin_url()
    assert admin_url
    name = f"tb_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - server gone
        admin.dispose()
        if os.environ.get("TIMEBANK_REQUIRE_PG"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_ENV}: {exc}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database target for one test: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "centre.sqlite3")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def sqlite_target(tmp_path: Path) -> str:
    return str(tmp_path / "centre.sqlite3")


def make_context(target: str) -> AppContext:
    ctx = AppContext(open_database(target), clock=FixedClock(NOW))
    CentreService(ctx).init("A01", "东湖社区", "D01")
    return ctx


@pytest.fixture
def ctx(db_target: str) -> Iterator[AppContext]:
    """A centre on a fresh database (both backends), with a fixed clock."""
    context = make_context(db_target)
    yield context
    context.engine.dispose()


@pytest.fixture
def sqlite_ctx(sqlite_target: str) -> Iterator[AppContext]:
    context = make_context(sqlite_target)
    yield context
    context.engine.dispose()
