"""The full round trip with the real district services (services/district).

Two centres on two databases (centre A on SQLite and PostgreSQL, B on SQLite), a district on
its own SQLite database: enrolment, configuration, exports, district import, statements back
to both centres; a member of A served at B; both centres' books balanced and the member's
balance right at A, at B (as a visitor's standing) and at the district.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import NOW
from tests.helpers import add_member, id_for, serve
from tests.sync_centre.helpers import DAY, new_centre
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.exports.sync import read_bundle
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.database import open_district_database
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter
from timebank_desktop.services.district.statement import DistrictStatementService
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.visitors import VisitInput, VisitorService
from timebank_desktop.services.verify import VerifyService


def _balances(path: Path, district: AppContext) -> dict[str, int]:
    key = DistrictIdentityService(district).info().fingerprint
    bundle = read_bundle(path, lambda info: None if info.fingerprint != key else _key(district))
    return {row["key"]: row["balance"] for row in bundle.rows("balances.jsonl")}


def _key(district: AppContext):  # type: ignore[no-untyped-def]
    from timebank_desktop.domain.signing import PublicKey
    from timebank_desktop.models.district import DistrictIdentity

    with district.read() as session:
        ident = session.get_one(DistrictIdentity, 1)
        return PublicKey.from_text(ident.public_key)


def test_a_member_of_one_centre_served_at_another(ctx: AppContext, tmp_path: Path) -> None:
    a = ctx
    b = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    district = AppContext(open_district_database(tmp_path / "d.sqlite3"), clock=FixedClock(NOW))
    info = DistrictIdentityService(district).init("D01", "东湖街道")
    for centre in (a, b):
        enrolled = SyncFileService(centre).enrolment(tmp_path / "enrol.tbsync")
        DistrictIdentityService(district).enrol(enrolled.path, enrolled.fingerprint)
    DistrictIdentityService(district).config(tmp_path / "config.tbsync")
    for centre in (a, b):
        SyncFileService(centre).import_file(
            tmp_path / "config.tbsync", passphrase=info.passphrase, fingerprint=info.fingerprint
        )

    # Centre A: 张桂兰 earns 2 h serving a neighbour; the pool grants her 3 h more.
    zhang_id = id_for(date(1950, 2, 3))
    zhang = MemberService(a).add(MemberInput("张桂兰", zhang_id, role="both")).member_no
    neighbour = add_member(a, "王秀英", date(1938, 1, 9), role="recipient")
    serve(a, zhang, neighbour, 120)
    AccountService(a).grant(zhang, 180)
    importer = DistrictImporter(district)
    statements = DistrictStatementService(district)

    def round_(n: int, *centres: AppContext) -> Path:
        for centre in centres:
            done = ExportService(centre).export(tmp_path / f"{n}-{id(centre)}.tbsync")
            importer.import_file(done.path)
        return statements.write(tmp_path / f"statement-{n}.tbsync").written.path

    first = round_(1, a, b)
    for centre in (a, b):
        SyncFileService(centre).import_file(first)

    # She visits centre B, whose volunteer serves her for 1.5 h.
    helper = add_member(b, "刘芳", date(1965, 6, 6))
    standing = VisitorService(b).standing(zhang_id, "A01")
    assert standing.statement_balance == 300
    VisitorService(b).honour(VisitInput(zhang_id, helper, "meals", DAY, 90, "A01", "张桂兰"))

    second = round_(2, a, b)
    for centre in (a, b):
        SyncFileService(centre).import_file(second)
    key = standing.key
    assert _balances(second, district)[key] == 210
    assert AccountService(a).balance(zhang).balance_minutes == 210  # the mirror
    assert AccountService(a).system_balance("clearing:B02") == 90
    assert AccountService(b).system_balance("clearing:A01") == -90
    assert AccountService(b).balance(helper).balance_minutes == 90
    assert VisitorService(b).standing(zhang_id).available == 210

    third = round_(3, a, b)  # A's mirror reaches the district: nothing left to mirror
    assert SyncFileService(a).import_file(third).booked == 0
    SyncFileService(b).import_file(third)
    assert _balances(third, district)[key] == 210
    assert AccountService(a).balance(zhang).balance_minutes == 210
    for centre in (a, b):
        report = VerifyService(centre).run()
        assert report.ok, report.problems
    b.engine.dispose()
    district.engine.dispose()
