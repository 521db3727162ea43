"""Opening a database at head skips Alembic; the head it reads must be Alembic's own."""

from __future__ import annotations

from pathlib import Path

from timebank_desktop.services import database


def test_the_head_read_from_the_version_files_is_alembics_head() -> None:
    assert database.shipped_head() == database.head_revision()


def test_a_database_at_head_opens_on_the_quick_path(tmp_path: Path) -> None:
    path = tmp_path / "centre.sqlite3"
    database.open_database(path).dispose()  # created through Alembic
    engine = database.open_database(path)  # at head: no Alembic
    assert database.current_revision(engine) == database.head_revision()
    engine.dispose()
