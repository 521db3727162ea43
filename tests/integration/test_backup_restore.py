from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

import pytest

from tests.conftest import make_context
from tests.helpers import add_member, serve
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.backup import BackupService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.verify import VerifyService


def _data(ctx: AppContext) -> tuple[str, str]:
    anna = add_member(ctx, "王秀英", date(1962, 3, 1))
    bo = add_member(ctx, "李建国", date(1940, 6, 1), role="recipient")
    serve(ctx, anna, bo, 90)
    return anna, bo


def test_backup_then_restore_brings_the_old_state_back(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    anna, bo = _data(sqlite_ctx)
    info = BackupService(sqlite_ctx).backup(tmp_path / "b.sqlite3")
    assert info.transactions == 1
    serve(sqlite_ctx, anna, bo, 60, start=time(15, 0))
    assert AccountService(sqlite_ctx).balance(anna).balance_minutes == 150
    BackupService(sqlite_ctx).restore(tmp_path / "b.sqlite3", safety_dir=tmp_path / "safe")
    assert AccountService(sqlite_ctx).balance(anna).balance_minutes == 90
    assert VerifyService(sqlite_ctx).run().ok
    assert list((tmp_path / "safe").iterdir())


def _unchanged(ctx: AppContext, member: str) -> None:
    assert AccountService(ctx).balance(member).balance_minutes == 90
    assert VerifyService(ctx).run().ok


def test_restoring_a_damaged_file_changes_nothing(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    anna, _bo = _data(sqlite_ctx)
    backup = tmp_path / "b.sqlite3"
    BackupService(sqlite_ctx).backup(backup)
    raw = bytearray(backup.read_bytes())
    raw[len(raw) // 2 : len(raw) // 2 + 4096] = b"\xff" * 4096
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(bytes(raw))
    with pytest.raises(FileRejected):
        BackupService(sqlite_ctx).restore(damaged)
    _unchanged(sqlite_ctx, anna)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database")
    with pytest.raises(FileRejected, match="not a time bank backup"):
        BackupService(sqlite_ctx).restore(text_file)
    _unchanged(sqlite_ctx, anna)


def test_restoring_a_foreign_file_changes_nothing(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    anna, _bo = _data(sqlite_ctx)
    other_app = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other_app)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(FileRejected, match="not a time bank backup"):
        BackupService(sqlite_ctx).restore(other_app)
    other_centre = make_context(str(tmp_path / "b2.sqlite3"))
    with other_centre.write() as session:
        from sqlalchemy import update

        from timebank_desktop.models import Centre

        session.execute(update(Centre).values(code="B02"))
    BackupService(other_centre).backup(tmp_path / "b2-backup.sqlite3")
    with pytest.raises(FileRejected, match="belongs to centre B02"):
        BackupService(sqlite_ctx).restore(tmp_path / "b2-backup.sqlite3")
    _unchanged(sqlite_ctx, anna)


def test_numbers_given_out_after_the_backup_are_not_given_again(
    sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    anna, bo = _data(sqlite_ctx)
    BackupService(sqlite_ctx).backup(tmp_path / "b.sqlite3")
    printed = serve(sqlite_ctx, anna, bo, 60, start=time(15, 0)).slip_no
    newcomer = add_member(sqlite_ctx, "赵敏", date(1970, 1, 1))
    BackupService(sqlite_ctx).restore(tmp_path / "b.sqlite3", safety_dir=tmp_path / "safe")
    again = serve(sqlite_ctx, anna, bo, 30, start=time(16, 0)).slip_no
    assert again != printed  # the paper slip from before the restore stays unique
    assert int(again[:-1]) > int(printed[:-1])
    assert add_member(sqlite_ctx, "钱七", date(1971, 1, 1)) > newcomer
    assert VerifyService(sqlite_ctx).run().ok
