"""Cross-centre service at the district: entries, mirrors, statement, positions, overdrafts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.district.conftest import balance_of, enrol, importer, snapshot
from tests.district.factories import SimCentre, person_key
from timebank_desktop.domain.signing import PublicKey
from timebank_desktop.exports.sync import BALANCES, ENTRIES, HEADS, read_bundle
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.legs import entry_id
from timebank_desktop.services.district.positions import DistrictPositionsService
from timebank_desktop.services.district.statement import DistrictStatementService


def _statement(ctx: AppContext, path: Path) -> dict[str, list[dict[str, Any]]]:
    DistrictStatementService(ctx).write(path)
    with ctx.read() as s:
        from timebank_desktop.services.district.registry import load_identity

        key = PublicKey.from_text(load_identity(s).public_key)
    bundle = read_bundle(path, [key])
    assert bundle.type == "district-statement"
    return {part: list(bundle.rows(part)) for part in (HEADS, BALANCES, ENTRIES)}


def _visit(dctx: AppContext, tmp_path: Path) -> tuple[SimCentre, SimCentre]:
    a, b = enrol(dctx, tmp_path, "A01", "B01")
    a.grant("visitor", 300)
    a.serve("anna", "elder", 60)
    b.serve("bob", "elder", 30)
    b.serve_visitor("bob", "visitor", "A01", 90)
    importer(dctx).import_files([a.export(tmp_path / "a1"), b.export(tmp_path / "b1")])
    return a, b


def test_statement_carries_heads_balances_and_entries(dctx: AppContext, tmp_path: Path) -> None:
    a, b = _visit(dctx, tmp_path)
    st = _statement(dctx, tmp_path / "s1.tbsync")
    assert st[HEADS] == [
        {"centre": "A01", "epoch": 1, "seq": 2, "hash": a.txs[-1][2]},
        {"centre": "B01", "epoch": 1, "seq": 2, "hash": b.txs[-1][2]},
    ]
    balances = {r["key"]: r["balance"] for r in st[BALANCES]}
    assert balances[person_key("visitor")] == 210  # 300 at home, 90 spent at B01
    assert balances[person_key("bob")] == 120
    homes = {r["key"]: r.get("centre") for r in st[BALANCES]}
    assert homes[person_key("visitor")] == "A01"  # its account at B01 is a visitor's account
    assert homes[person_key("bob")] == "B01"
    assert st[ENTRIES] == [
        {"id": entry_id("B01", 1, 2, 3), "centre": "A01", "key": person_key("visitor"),
         "amount": -90, "counter_centre": "B01", "origin_seq": 2, "origin_tx": b.txs[1][0].id,
         "kind": "service", "value_date": "2026-11-02"}
    ]  # fmt: skip
    assert DistrictPositionsService(dctx).positions()[0].minutes == -90  # A01 owes B01


def test_mirror_settles_the_entry_and_keeps_the_balance(dctx: AppContext, tmp_path: Path) -> None:
    a, _b = _visit(dctx, tmp_path)
    entry = _statement(dctx, tmp_path / "s1.tbsync")[ENTRIES][0]
    a.mirror(entry)
    done = importer(dctx).import_file(a.export(tmp_path / "a2", 3, 3))
    assert done.added == 1
    assert balance_of(dctx, person_key("visitor")) == 210
    st = _statement(dctx, tmp_path / "s2.tbsync")
    assert st[ENTRIES] == []
    assert snapshot(dctx)["entries"][0][3] is True
    # the books of both centres, as the district holds them, still sum to zero each
    accounts = snapshot(dctx)["accounts"]
    for centre in {acc[0] for acc in accounts}:
        assert sum(acc[3] for acc in accounts if acc[0] == centre) == 0


def test_a_mirror_arriving_first_gives_the_same_state(dctx: AppContext, tmp_path: Path) -> None:
    a, b = enrol(dctx, tmp_path, "A01", "B01")
    a.grant("visitor", 300)
    b.serve_visitor("bob", "visitor", "A01", 90)
    entry = {"id": entry_id("B01", 1, 1, 3), "key": person_key("visitor"), "amount": -90,
             "counter_centre": "B01"}  # fmt: skip
    a.mirror(entry)
    importer(dctx).import_file(a.export(tmp_path / "a"))
    assert snapshot(dctx)["orphans"]
    importer(dctx).import_file(b.export(tmp_path / "b"))
    state = snapshot(dctx)
    assert state["orphans"] == []
    assert state["entries"][0][3] is True
    assert balance_of(dctx, person_key("visitor")) == 210


def test_overdraft_is_listed(dctx: AppContext, tmp_path: Path) -> None:
    a, b = enrol(dctx, tmp_path, "A01", "B01")
    a.grant("visitor", 60)
    b.serve_visitor("bob", "visitor", "A01", 90)
    importer(dctx).import_files([a.export(tmp_path / "a"), b.export(tmp_path / "b")])
    over = DistrictPositionsService(dctx).overdrafts()
    assert [(o.key, o.balance, o.centres) for o in over] == [
        (person_key("visitor"), -30, ("A01", "B01"))
    ]


def test_config_file_carries_the_sealed_secret_and_registry(
    dctx: AppContext, tmp_path: Path
) -> None:
    from timebank_desktop.domain.memberkey import open_secret
    from timebank_desktop.exports.sync import CENTRES, trust_self_signed

    enrol(dctx, tmp_path, "A01", "B01")
    service = DistrictIdentityService(dctx)
    written = service.config(tmp_path / "config.tbsync")
    bundle = read_bundle(written.path, trust_self_signed)
    assert bundle.signer.fingerprint == service.info().fingerprint
    assert bundle.header["config_seq"] == 1
    assert [r["code"] for r in bundle.rows(CENTRES)] == ["A01", "B01"]
    secret = open_secret(bundle.header["member_key_secret"], service.info().passphrase)
    with dctx.read() as s:
        from timebank_desktop.services.district.registry import load_identity

        assert secret.hex() == load_identity(s).member_key_secret
    assert service.config(tmp_path / "config2.tbsync").manifest["config_seq"] == 2
