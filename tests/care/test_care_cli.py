"""volunteer / request / dispute / goods through the real `timebank` entry point (CLI.md).

The command line runs on the application's system clock, which the tests stop at
`tests.conftest.SYSTEM_NOW`: dates here are counted from that day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from tests.care.common import snapshot
from tests.cli_runner import Cli, centre_cli
from tests.conftest import SYSTEM_NOW
from tests.helpers import id_for
from timebank_desktop.cli import main
from timebank_desktop.domain.clock import local_date
from timebank_desktop.services.database import open_database

TODAY = local_date(SYSTEM_NOW)
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return centre_cli(db_target, capsys)


@pytest.fixture
def engine(cli: Cli) -> Iterator[Engine]:
    opened = open_database(cli.target)
    yield opened
    opened.dispose()


@pytest.fixture
def people(cli: Cli) -> tuple[str, str]:
    from datetime import date

    vol = cli.ok("member", "add", "--name", "王秀英", "--id-number", id_for(date(1962, 3, 1)))
    rec = cli.ok(
        "member", "add", "--name", "李建国", "--id-number", id_for(date(1940, 6, 1)),
        "--role", "recipient",
    )  # fmt: skip
    return vol.strip(), rec.strip()


def serve(cli: Cli, vol: str, rec: str, start: str = "09:00", end: str = "10:00") -> dict:
    out = cli.json(
        "service", "record", "--volunteer", vol, "--recipient", rec, "--category", "meals",
        "--date", YESTERDAY, "--start", start, "--end", end, "--signed",
    )  # fmt: skip
    assert isinstance(out, dict)
    return out


def refused(cli: Cli, engine: Engine, *args: str, code: int = 1) -> str:
    """Run a command that must be refused: one line on stderr, the exit code, nothing written."""
    before = snapshot(engine)
    try:
        got, out, err = cli(*args)
    except SystemExit as exc:  # argparse: a usage error
        got, (out, err) = int(str(exc.code)), cli.capsys.readouterr()
    assert got == code, (got, out, err)
    if code == 1:
        assert err.startswith("timebank: ") and err.count("\n") == 1, err
        assert out == ""
    assert snapshot(engine) == before
    return err


def test_volunteer_certify_insure_show(cli: Cli, engine: Engine, people: tuple[str, str]) -> None:
    vol, rec = people
    out = cli.ok("volunteer", "certify", vol, "--course", "急救培训", "--date", "2026-01-05",
                 "--expires", "2099-01-05")  # fmt: skip
    assert "急救培训" in out and "2099-01-05" in out
    cli.ok("volunteer", "insure", vol, "--insurer", "中国人保", "--policy", "PICC-9",
           "--from", YESTERDAY, "--to", (TODAY + timedelta(days=365)).isoformat())  # fmt: skip
    shown = cli.json("volunteer", "show", vol)
    assert isinstance(shown, dict)
    assert shown["certificates"] == [
        {"course": "急救培训", "issued_on": "2026-01-05", "expires_on": "2099-01-05",
         "valid_today": True}
    ]  # fmt: skip
    assert shown["insurance"][0]["policy"] == "PICC-9"
    assert shown["insurance"][0]["covers_today"] is True
    assert "PICC-9" in cli.ok("volunteer", "show", vol)
    refused(cli, engine, "volunteer", "certify", rec, "--course", "急救", "--date", "2026-01-05")
    refused(cli, engine, "volunteer", "certify", vol, "--course", "急救", "--date", "2026-13-05")
    err = refused(cli, engine, "volunteer", "certify", vol, "--course", "急救",
                  "--date", "2026-01-05", "--expires", "2026-01-04")  # fmt: skip
    assert "expire after" in err
    err = refused(cli, engine, "volunteer", "insure", vol, "--insurer", "人保", "--policy", "P",
                  "--from", "2026-02-01", "--to", "2026-01-31")  # fmt: skip
    assert "cannot end before" in err
    refused(cli, engine, "volunteer", "insure", "M999999", "--insurer", "人保", "--policy", "P",
            "--from", "2026-01-01", "--to", "2026-01-31")  # fmt: skip
    refused(cli, engine, "volunteer", "insure", vol, "--insurer", "人保", code=2)


def test_request_add_and_match(cli: Cli, engine: Engine, people: tuple[str, str]) -> None:
    vol, rec = people
    serve(cli, vol, rec)
    day = (TODAY + timedelta(days=2)).isoformat()
    cli.ok("volunteer", "insure", vol, "--insurer", "人保", "--policy", "P1",
           "--from", day, "--to", day)  # fmt: skip
    request = cli.ok(
        "request", "add", "--recipient", rec, "--category", "meals", "--when", f"{day} 上午",
        "--notes", "不吃辣",
    ).strip()  # fmt: skip
    assert len(request) == 36
    listed = cli.json("request", "list")
    assert isinstance(listed, list) and listed[0]["request"] == request
    ranked = cli.json("request", "match", request)
    assert isinstance(ranked, list)
    assert [c["member"] for c in ranked] == [vol]  # never the elder themself
    assert set(ranked[0]) == {"member", "name", "score", "reasons"}
    assert "has served this elder before (1 times)" in ranked[0]["reasons"]
    assert f"insured on {day}" in ranked[0]["reasons"]
    plain = cli.ok("request", "match", request[:8])
    assert plain.splitlines()[:2] == [
        f"Volunteers for 李建国 ({rec}), meals, on {day}:",
        f"1. {vol} 王秀英 (score {ranked[0]['score']})",
    ]
    refused(cli, engine, "request", "add", "--recipient", vol, "--category", "meals")
    err = refused(cli, engine, "request", "add", "--recipient", rec, "--category", "golf")
    assert "Unknown service category: golf" in err
    refused(cli, engine, "request", "match", "no-such-request")
    slip = serve(cli, vol, rec, "14:00", "15:00")["slip_no"]
    assert slip in cli.ok("request", "close", request, "--record", slip)
    assert cli.json("request", "list") == []
    err = refused(cli, engine, "request", "match", request)
    assert "no longer open" in err


def test_dispute_open_and_decide(cli: Cli, engine: Engine, people: tuple[str, str]) -> None:
    vol, rec = people
    one = serve(cli, vol, rec)
    two = serve(cli, vol, rec, "11:00", "11:30")
    year = TODAY.year
    case = cli.ok("dispute", "open", one["slip_no"], "--reason", "老人称未上门").strip()
    assert case == f"JF-{year}-0001"
    err = refused(cli, engine, "dispute", "open", one["record"], "--reason", "再次")
    assert case in err
    refused(cli, engine, "dispute", "decide", case, "--note", "x", code=2)
    refused(cli, engine, "dispute", "decide", case, "--uphold", "--reject", "--note", "x", code=2)
    out = cli.ok("dispute", "decide", case, "--uphold", "--note", "电话核实属实")
    assert "upheld" in out and one["slip_no"] in out
    assert cli.json("balance", vol)["balance_minutes"] == 30  # type: ignore[index]
    err = refused(cli, engine, "dispute", "decide", case, "--reject", "--note", "改判")
    assert "already decided" in err
    other = cli.ok("dispute", "open", two["slip_no"], "--reason", "时长不符").strip()
    assert other == f"JF-{year}-0002"
    assert "rejected" in cli.ok("dispute", "decide", other, "--reject", "--note", "凭条齐全")
    assert cli.json("balance", vol)["balance_minutes"] == 30  # type: ignore[index]
    cases = cli.json("dispute", "list")
    assert isinstance(cases, list)
    assert [(c["case"], c["status"]) for c in cases] == [(case, "upheld"), (other, "rejected")]
    refused(cli, engine, "dispute", "open", one["slip_no"], "--reason", "作废后再投诉")
    refused(cli, engine, "dispute", "decide", "JF-1999-0001", "--reject", "--note", "x")
    assert cli.json("verify")["ok"] is True  # type: ignore[index]


def test_goods_and_redeem(cli: Cli, engine: Engine, people: tuple[str, str]) -> None:
    vol, rec = people
    serve(cli, vol, rec, "08:00", "10:00")
    out = cli.ok("goods", "add", "--name", "洗衣液", "--hours", "0.5", "--stock", "3")
    assert "洗衣液" in out
    assert cli.json("goods", "list") == [
        {"name": "洗衣液", "price_minutes": 30, "price_hours": "0.5", "stock": 3}
    ]
    cli.ok("redeem", "--member", vol, "--hours", "1", "--item", "洗衣液")
    assert cli.json("goods", "list")[0]["stock"] == 1  # type: ignore[index]
    err = refused(cli, engine, "redeem", "--member", vol, "--hours", "0.75", "--item", "洗衣液")
    assert "whole multiple" in err
    err = refused(cli, engine, "redeem", "--member", vol, "--hours", "1", "--item", "洗衣液")
    assert "Only 1 of 洗衣液" in err
    cli.ok("redeem", "--member", vol, "--hours", "0.5", "--item", "理发")  # free text
    for bad in (
        ("--name", "洗衣液", "--hours", "1", "--stock", "1"),
        ("--name", "大米", "--hours", "0", "--stock", "1"),
        ("--name", "大米", "--hours", "abc", "--stock", "1"),
        ("--name", "大米", "--hours", "1", "--stock", "-1"),
        ("--name", "大米", "--hours", "1", "--stock", "1.5"),
        ("--name", " ", "--hours", "1", "--stock", "1"),
    ):
        refused(cli, engine, "goods", "add", *bad)
    assert "洗衣液" in cli.ok("goods", "list")
    assert cli.json("balance", vol)["balance_minutes"] == 30  # type: ignore[index]


def zh(cli: Cli, *args: str) -> tuple[int, str, str]:
    code = main(["--db", cli.target, *args])
    out, err = cli.capsys.readouterr()
    return code, out, err


def test_requests_name_their_category_in_the_users_language(
    cli: Cli, engine: Engine, people: tuple[str, str]
) -> None:
    vol, rec = people
    serve(cli, vol, rec)
    day = (TODAY + timedelta(days=2)).isoformat()
    request = cli.ok("request", "add", "--recipient", rec, "--category", "meals",
                     "--when", day).strip()  # fmt: skip
    code, out, _err = zh(cli, "request", "list")
    assert code == 0 and f"{rec} 李建国  助餐  {day}" in out
    code, out, _err = zh(cli, "request", "match", request)
    assert code == 0 and out.splitlines()[0].startswith(f"为 李建国（{rec}）{day} 的 助餐 需求")
    assert cli.json("request", "list")[0]["category"] == "meals"  # type: ignore[index]


def test_match_refuses_a_limit_below_one(
    cli: Cli, engine: Engine, people: tuple[str, str]
) -> None:
    _vol, rec = people
    request = cli.ok("request", "add", "--recipient", rec, "--category", "meals").strip()
    before = snapshot(engine)
    for limit in ("0", "-3"):
        code, out, err = zh(cli, "request", "match", request, "--limit", limit)
        assert (code, out) == (1, "") and err.count("\n") == 1, (code, out, err)
        assert "至少" in err
    assert snapshot(engine) == before
    assert len(cli.json("request", "match", request, "--limit", "1")) <= 1  # type: ignore[arg-type]


def test_a_case_rejected_after_its_slip_was_voided_by_hand_says_so(
    cli: Cli, engine: Engine, people: tuple[str, str]
) -> None:
    vol, rec = people
    slip = serve(cli, vol, rec)["slip_no"]
    case = cli.ok("dispute", "open", slip, "--reason", "时长不符").strip()
    cli.ok("service", "void", slip, "--reason", "录入错误")
    out = cli.ok("dispute", "decide", case, "--reject", "--note", "凭条齐全")
    assert out.strip() == f"Case {case} rejected; slip {slip} had already been voided"
    assert "stands" not in out
