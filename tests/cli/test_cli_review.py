"""Bad paths and surprising amounts on the command line: one translated line, nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_cli import Cli, record
from tests.helpers import id_for
from timebank_desktop.cli import main
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.policy import PolicyService


@pytest.fixture
def centre(sqlite_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    cli = Cli(sqlite_target, capsys)
    cli.ok("init", "--centre-code", "A01", "--centre-name", "东湖社区")
    cli.ok("demo", "--members", "20", "--months", "2", "--seed", "5")
    return cli


def _state(cli: Cli) -> tuple[object, object]:
    report = cli.json("verify")
    assert isinstance(report, dict)
    issued = cli.json("member", "list", "--limit", "1000")
    return (report["head_seq"], report["head_hash"]), issued


@pytest.mark.parametrize(
    "command",
    [
        ["journal"],
        ["backup"],
        ["certificate", "M000001"],
        ["statement", "M000001"],
        ["report", "monthly", "--month", "2026-10"],
        ["sync", "enrolment"],
    ],
)
@pytest.mark.parametrize("where", ["missing", "folder"])
def test_unwritable_output_is_one_line_and_writes_nothing(
    centre: Cli, tmp_path: Path, command: list[str], where: str
) -> None:
    before = _state(centre)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "no-such-folder" / "out" if where == "missing" else folder
    code, _out, err = centre(*command, "-o", str(target))
    assert code == 1, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert ("does not exist" if where == "missing" else "it is a folder") in err
    assert list(folder.iterdir()) == []  # no partial file, no folder made
    assert _state(centre) == before


def test_unwritable_output_in_chinese(
    sqlite_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Cli(sqlite_target, capsys).ok("init", "--centre-code", "A01", "--centre-name", "东湖社区")
    code = main(["--db", sqlite_target, "journal", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "文件夹" in err and "folder" not in err


@pytest.mark.parametrize("command", [["restore"], ["sync", "import"], ["import-register"]])
def test_missing_or_folder_input_is_refused(
    centre: Cli, tmp_path: Path, command: list[str]
) -> None:
    before = _state(centre)
    code, _out, err = centre(*command, str(tmp_path / "nothing-here"))
    assert code == 1 and "No such file" in err and "Errno" not in err
    code, _out, err = centre(*command, str(tmp_path))
    assert code == 1 and "it is a folder" in err
    assert _state(centre) == before


@pytest.mark.parametrize("name", ["register.txt", "register.csv", "register.xlsx"])
def test_register_that_is_not_a_workbook(centre: Cli, tmp_path: Path, name: str) -> None:
    before = _state(centre)
    bad = tmp_path / name
    bad.write_text("姓名,身份证号\n王秀英,11010519491231002X\n", encoding="utf-8")
    code, _out, err = centre("import-register", str(bad))
    assert code == 1
    assert "is not an Excel workbook" in err and "openpyxl" not in err
    assert err.count("\n") == 1
    assert _state(centre) == before


def test_register_not_a_workbook_in_chinese(
    sqlite_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Cli(sqlite_target, capsys).ok("init", "--centre-code", "A01", "--centre-name", "东湖社区")
    bad = tmp_path / "register.txt"
    bad.write_text("garbage", encoding="utf-8")
    code = main(["--db", sqlite_target, "import-register", str(bad)])
    err = capsys.readouterr().err
    assert code == 1 and "工作簿" in err and "openpyxl" not in err


def _allow_grants_up_to(cli: Cli, hours: int) -> None:
    ctx = AppContext(open_database(cli.target))
    try:
        policies = PolicyService(ctx)
        policies.set(policies.current().with_changes(max_grant_minutes=hours * 60))
    finally:
        ctx.engine.dispose()


def test_grant_above_the_storage_cap_says_where_the_rest_went(centre: Cli) -> None:
    member = centre.ok(
        "member", "add", "--name", "王秀英", "--id-number", id_for(date(1960, 1, 1))
    ).strip()
    _allow_grants_up_to(centre, 100_000)  # the policy's default stops a single grant at 100 h
    out = centre.ok("grant", "--to", member, "--hours", "99999")
    assert "granted" in out and "storage cap" in out and "community pool" in out
    balance = centre.json("balance", member)
    assert isinstance(balance, dict)
    assert f"cap of {balance['balance_hours']} h" in out
    assert str(99999 - int(balance["balance_hours"])) in out
    quiet = centre.ok("grant", "--to", "M000002", "--hours", "0.5")
    assert "storage cap" not in quiet


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    return capsys.readouterr().err


def test_usage_errors_read_in_the_chosen_language(
    sqlite_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _usage_error(["--db", sqlite_target, "balance"], capsys)
    assert err.startswith("用法：timebank balance")
    assert "缺少必填参数：MEMBER" in err and "required" not in err
    add = ["member", "add", "--name", "x", "--role", "y"]
    err = _usage_error(["--db", sqlite_target, *add], capsys)
    assert "无效的选项：'y'" in err and "invalid choice" not in err
    err = _usage_error(["--lang=en", "--db", sqlite_target, "balance", "M1", "--bogus"], capsys)
    assert err.startswith("usage: ") and "unrecognized arguments: --bogus" in err


@pytest.mark.parametrize(
    ("command", "wrong", "right"),
    [
        (["report", "monthly", "--month", "2026-10"], "report.pdf", "report.XLSX"),
        (["statement", "M000001"], "statement.xlsx", "statement"),
        (["handover"], "handover.txt", "handover.PDF"),
    ],
)
def test_output_named_for_another_kind_of_file_is_refused(
    centre: Cli, tmp_path: Path, command: list[str], wrong: str, right: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    code, _out, err = centre(*command, "-o", str(folder / wrong))
    assert code == 1 and "this command writes a" in err
    assert list(folder.iterdir()) == []
    centre.ok(*command, "-o", str(folder / right))
    assert [p.name for p in folder.iterdir()] == [right]


def _refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--lang", "en", *argv]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_unusable_database_targets_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refusal(["--db", "foo://bar", "verify"], capsys)
    assert "Not a database file or database address: foo://bar" in err
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a database\n" * 100, encoding="utf-8")
    err = _refusal(["--db", str(garbage), "verify"], capsys)
    assert "not a time bank database" in err
    assert garbage.read_text(encoding="utf-8") == "not a database\n" * 100
    unreachable = "postgresql+psycopg://someone:secret@127.0.0.1:1/none"
    err = _refusal(["--db", unreachable, "verify"], capsys)
    assert "Cannot connect to the database server" in err and "secret" not in err


def test_a_mistyped_database_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "centre.sqllite3"
    err = _refusal(["--db", str(typo), "verify"], capsys)
    assert "No database at" in err and "timebank init" in err
    _refusal(["--db", str(typo), "member", "add", "--name", "王秀英", "--id-number", "x"], capsys)
    assert not typo.exists()


def test_commands_before_init_name_init(
    sqlite_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(sqlite_target).dispose()  # a database with its schema but no centre yet
    who = ["--name", "王秀英", "--id-number", id_for(date(1960, 1, 1))]
    for argv in (["member", "add", *who], ["grant", "--to", "M000001", "--hours", "1"]):
        err = _refusal(["--db", sqlite_target, *argv], capsys)
        assert "no centre yet" in err
    assert main(["--db", sqlite_target, "init", "--centre-code", "A1", "--centre-name", "东"]) == 0
    assert main(["--db", sqlite_target, "member", "add", *who]) == 0


@pytest.mark.parametrize(
    "centre_args",
    [
        ["--centre-code", "", "--centre-name", "东湖社区"],
        ["--centre-code", "A 0/2", "--centre-name", "东湖社区"],
        ["--centre-code", "A02", "--centre-name", " "],
        ["--centre-code", "A02", "--centre-name", "社" * 101],
        ["--centre-code", "A02", "--centre-name", "东湖社区", "--district-code", "!!"],
    ],
)
def test_a_refused_init_leaves_no_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], centre_args: list[str]
) -> None:
    target = tmp_path / "centre.sqlite3"
    _refusal(["--db", str(target), "init", *centre_args], capsys)
    assert list(tmp_path.iterdir()) == []


def test_a_void_reason_longer_than_its_column_is_refused(
    db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(db_target, capsys)  # PostgreSQL enforces VARCHAR(200): it used to fail there
    cli.ok("init", "--centre-code", "A01", "--centre-name", "东湖社区")
    vol, rec = (
        cli.ok("member", "add", "--name", name, "--id-number", id_for(born)).strip()
        for name, born in (("王秀英", date(1962, 3, 1)), ("李建国", date(1940, 6, 1)))
    )
    slip = record(cli, vol, rec, "--signed")["slip_no"]
    before = cli.json("verify")
    code, _out, err = cli("service", "void", slip, "--reason", "x" * 201)
    assert code == 1 and "too long" in err
    assert cli.json("verify") == before
    cli.ok("service", "void", slip, "--reason", "录" * 200)


def test_a_long_goods_name_is_named_as_such(centre: Cli) -> None:
    before = _state(centre)
    redeem = ["redeem", "--member", "M000001", "--hours", "0.5"]
    code, _out, err = centre(*redeem, "--item", "米" * 201)
    assert code == 1 and "name of the goods is too long" in err
    assert _state(centre) == before


def test_restore_names_the_copy_of_the_database_it_replaced(centre: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "b.sqlite3"
    centre.ok("backup", "-o", str(backup))
    centre.ok("grant", "--to", "M000001", "--hours", "1")
    out = centre.ok("restore", str(backup))
    kept = Path(out.strip().splitlines()[-1].split(" kept as ", 1)[1])
    assert kept.is_file() and "before-restore" in kept.name
    assert Cli(str(kept), centre.capsys).json("verify")["head_seq"] == (  # type: ignore[index]
        centre.json("verify")["head_seq"] + 1  # type: ignore[index]
    )


def test_plain_member_list_names_roles_in_the_language(
    centre: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", centre.target, "member", "list"]) == 0
    out = capsys.readouterr().out
    assert "志愿者" in out and "volunteer" not in out and "recipient" not in out
    assert "volunteer" in centre.ok("member", "list")


def test_certificate_register_names_the_kind_in_the_language(
    centre: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = centre.json("member", "list", "--limit", "1000")
    assert isinstance(members, list)
    issued = 0
    for m in members:
        code, _out, _err = centre("certificate", m["member"], "-o", str(tmp_path / "c.pdf"))
        issued += code == 0
        if issued:
            break
    assert issued
    assert main(["--db", centre.target, "certificates"]) == 0
    out = capsys.readouterr().out
    assert "志愿服务记录证明" in out and "\tservice\t" not in out


def test_verify_problems_read_in_the_language() -> None:
    from timebank_desktop.i18n import set_language
    from timebank_desktop.services.verify import VerifyProblem

    problem = VerifyProblem("txn", "seq 5 (id x)", "broken")
    set_language("zh_CN")
    try:
        assert str(problem) == "交易 seq 5 (id x)：broken"
    finally:
        set_language("en")
    assert str(problem) == "transaction seq 5 (id x): broken"


def test_demo_gives_a_month_just_begun_only_its_share_of_services(sqlite_target: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from timebank_desktop.domain.clock import FixedClock
    from timebank_desktop.models import ServiceRecord
    from timebank_desktop.services.context import AppContext
    from timebank_desktop.services.demo import DemoOptions, DemoService

    clock = FixedClock(datetime(2026, 11, 30, 22, 0, tzinfo=UTC))  # 1 December in Shanghai
    ctx = AppContext(open_database(sqlite_target), clock=clock)
    DemoService(ctx).generate(DemoOptions(members=60, months=4, seed=3))
    with ctx.read() as session:
        per_day = dict(
            session.execute(
                select(ServiceRecord.service_date, func.count()).group_by(
                    ServiceRecord.service_date
                )
            ).all()
        )
    assert sum(n for d, n in per_day.items() if d >= date(2026, 12, 1)) <= 3
    assert sum(n for d, n in per_day.items() if d.month == 11) >= 30
