"""What a worker sends: packed effects give the writer the same rows; the collector pause is
undone afterwards."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from tests.district.factories import SimCentre
from timebank_desktop.services.district.effects import FileEffects
from timebank_desktop.services.district.heap import fewer_collections
from timebank_desktop.services.district.prepared import prepare_bytes


def _effects(tmp_path: Path) -> FileEffects:
    home, away = SimCentre("A01"), SimCentre("B01")
    for n in range(1, 6):
        home.serve(f"v{n}", "elder", 30 * n)
        home.grant(f"v{n}", 60)
    home.serve_visitor("v1", "visitor", "B01", 45)
    path = home.export(tmp_path / "a.tbsync", 1, len(home.txs))
    keys = {"A01": home.key.public_key(), "B01": away.key.public_key()}
    effects = prepare_bytes(path.read_bytes(), str(path), "D01", keys)[1].effects
    assert effects is not None
    return effects


def test_packed_effects_give_the_same_rows_and_head(tmp_path: Path) -> None:
    effects = _effects(tmp_path)
    rows, head = list(effects.tx_rows()), effects.tx_head()
    summary = effects.summary
    effects.pack()
    assert effects.columns is not None and effects.rows == []
    received = pickle.loads(pickle.dumps(effects, protocol=pickle.HIGHEST_PROTOCOL))
    assert list(received.tx_rows()) == rows
    assert received.tx_head() == head == (len(rows), (rows[-1][0], rows[-1][5]))
    assert received.summary == summary


def test_rows_that_do_not_run_on_are_sent_as_they_are(tmp_path: Path) -> None:
    effects = _effects(tmp_path)
    effects.rows = [effects.rows[0], effects.rows[2]]  # a gap: seq and prev_hash do not run on
    kept = list(effects.rows)
    effects.pack()
    assert effects.columns is None and list(effects.tx_rows()) == kept


def test_fewer_collections_is_undone_afterwards() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_threshold()[0] >= 50_000
        assert gc.get_freeze_count() >= frozen
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
