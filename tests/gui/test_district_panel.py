"""District mode (区级): the panel the Sync page embeds, driven through scripted prompts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NOW
from tests.district.factories import SimCentre
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.services.district.desk import DistrictDesk
from timebank_desktop.ui.pages.district import DistrictPanel
from timebank_desktop.ui.tasks import TaskRunner


@pytest.fixture
def desk(tmp_path: Path) -> Any:
    found = DistrictDesk(tmp_path / "district.sqlite3", FixedClock(NOW))
    yield found
    found.close()


def test_district_mode_from_set_up_to_report(
    qtbot: Any, desk: DistrictDesk, runner: TaskRunner, prompts: Any, tmp_path: Path
) -> None:
    chosen: list[Path] = []
    panel = DistrictPanel(desk, runner, prompts, choose_files=lambda _parent: list(chosen))
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    assert panel.buttons["init"].isVisible() and not panel.buttons["import"].isEnabled()

    prompts.answers["ask_text"] = ["D01", "东湖街道"]
    panel.buttons["init"].click()
    assert "Passphrase" in panel.message.text()
    assert "D01" in panel.summary.text() and not panel.buttons["init"].isVisible()

    a, b = SimCentre("A01"), SimCentre("B01")
    for centre in (a, b):
        prompts.answers["open_file"] = [centre.enrolment(tmp_path / f"{centre.code}.enrol")]
        prompts.answers["confirm"] = [True]
        panel.buttons["enrol"].click()
    assert panel.table.rowCount() == 2
    assert panel.table.item(0, 0).text() == "A01"
    confirm = prompts.messages("confirm")[0][1]
    assert a.key.public_key().fingerprint in confirm

    a.grant("visitor", 300)
    b.serve_visitor("bob", "visitor", "A01", 90)
    bad = tmp_path / "bad.tbsync"
    bad.write_bytes(b"nonsense")
    chosen[:] = [a.export(tmp_path / "a.tbsync"), bad, b.export(tmp_path / "b.tbsync")]
    panel.buttons["import"].click()
    lines = panel.message.text().splitlines()
    assert "A01 seq 1–1" in lines[0] and lines[1].startswith("bad.tbsync:")
    assert panel.table.item(1, 3).text() == "1:1"
    assert "A01 towards B01: -1.50 hours" in panel.summary.text()

    prompts.answers["save_file"] = [tmp_path / "statement.tbsync"]
    panel.buttons["statement"].click()
    assert (tmp_path / "statement.tbsync").exists()
    prompts.answers["save_file"] = [tmp_path / "config.tbsync"]
    panel.buttons["config"].click()
    assert (tmp_path / "config.tbsync").exists()
    prompts.answers["ask_text"] = ["2026-11"]
    prompts.answers["save_file"] = [tmp_path / "district.xlsx"]
    panel.buttons["report"].click()
    assert (tmp_path / "district.xlsx").exists()
    assert "2026-11" in panel.message.text()


def test_unconfirmed_fingerprint_enrols_nothing(
    qtbot: Any, desk: DistrictDesk, runner: TaskRunner, prompts: Any, tmp_path: Path
) -> None:
    desk.init("D01", "")
    panel = DistrictPanel(desk, runner, prompts)
    qtbot.addWidget(panel)
    panel.refresh()
    prompts.answers["open_file"] = [SimCentre("A01").enrolment(tmp_path / "a.enrol")]
    prompts.answers["confirm"] = [False]
    panel.buttons["enrol"].click()
    assert panel.table.rowCount() == 0
    assert "not confirmed" in panel.message.text()
    prompts.answers["ask_text"] = ["2026-13"]
    panel.buttons["report"].click()
    assert "YYYY-MM" in panel.message.text()


class _Host:
    def __init__(self) -> None:
        self.embedded: list[Any] = []

    def embed_district(self, widget: Any) -> None:
        self.embedded.append(widget)


def test_attach_only_for_an_administrator_with_a_district_database(
    qtbot: Any,
    runner: TaskRunner,
    prompts: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from timebank_desktop.domain.roles import Role
    from timebank_desktop.services.context import Actor
    from timebank_desktop.services.paths import AppPaths
    from timebank_desktop.ui.pages.district import attach_district_mode

    monkeypatch.delenv("TIMEBANK_DISTRICT_DB", raising=False)
    home = tmp_path / "home"
    home.mkdir()

    def deps(role: Role) -> Any:
        ctx = SimpleNamespace(clock=FixedClock(NOW))
        backend = SimpleNamespace(paths=AppPaths(home), ctx=ctx, actor=Actor("u", role, "u"))
        return SimpleNamespace(backend=backend, runner=runner, prompts=prompts)

    host = _Host()
    assert attach_district_mode(host, deps(Role.ADMIN)) is None  # no district database here
    made = DistrictDesk(home / "district.sqlite3", FixedClock(NOW))
    made.init("D01", "东湖街道")
    made.close()
    assert attach_district_mode(host, deps(Role.CLERK)) is None
    panel = attach_district_mode(host, deps(Role.ADMIN))
    assert panel is not None and host.embedded == [panel]
    qtbot.addWidget(panel)
    assert "D01" in panel.summary.text()
    panel.desk.close()


@pytest.mark.parametrize(
    ("role", "district", "shown"),
    [("admin", False, False), ("clerk", True, False), ("admin", True, True)],
)
def test_main_window_shows_district_mode_on_a_district_computer(
    make_window: Any,
    paths: Any,
    runner: TaskRunner,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    role: str,
    district: bool,
    shown: bool,
) -> None:
    monkeypatch.delenv("TIMEBANK_DISTRICT_DB", raising=False)
    if district:
        made = DistrictDesk(paths.district_database, FixedClock(NOW))
        made.init("D01", "东湖街道")
        made.close()
    window = make_window(role)
    panels = window.pages["sync"].findChildren(DistrictPanel)
    assert len(panels) == int(shown)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)  # the panel's first refresh
    for panel in panels:
        panel.desk.close()
