from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.conftest import NOW
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.models import Base
from timebank_desktop.models.engine import make_engine
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import (
    alembic_config,
    current_revision,
    head_revision,
    open_database,
    upgrade,
)


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_upgrade_from_empty_matches_the_models(db_target: str) -> None:
    engine = open_database(db_target)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    engine.dispose()


def test_upgrade_with_data_from_the_first_revision(tmp_path: Path) -> None:
    """Data written at the first revision survives every later migration (after a backup)."""
    script = ScriptDirectory.from_config(alembic_config())
    first = list(script.walk_revisions())[-1].revision
    target = tmp_path / "old.sqlite3"
    engine = make_engine(target)
    upgrade(engine, first)
    engine.dispose()
    # Write through the services on the old schema (they touch only first-revision tables).
    ctx = AppContext(make_engine(target), clock=FixedClock(NOW))
    CentreService(ctx).init("A01", "东湖社区", "D01")
    from datetime import date

    from tests.helpers import add_member

    add_member(ctx, "王秀英", date(1962, 3, 1))
    ctx.engine.dispose()
    engine = open_database(target)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM member")).scalar() == 1
    if first != head_revision():
        assert list(tmp_path.glob("old.sqlite3.before-*.bak"))
    engine.dispose()


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    import pytest

    from timebank_desktop.domain.errors import StorageError

    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="not a time bank database"):
        open_database(other)
