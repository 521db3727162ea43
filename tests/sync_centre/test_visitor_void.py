"""Voiding a visitor's service gives the allowance back, and the district nets the reversal.

The whole story with the real district (services/district): centre A (parametrised backend,
SQLite and PostgreSQL) and centre B (SQLite); a member of A served at B; one visit voided
before the district heard of it, one after a statement had counted it; exports, district
import, statements back to both centres; balances right on both sides and at the district.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import NOW
from tests.helpers import add_member, id_for
from tests.sync_centre.helpers import DAY, counts, new_centre
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.exports.sync import read_bundle
from timebank_desktop.models.district import DistrictFlow
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.database import open_district_database
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter
from timebank_desktop.services.district.positions import DistrictPositionsService
from timebank_desktop.services.district.statement import DistrictStatementService
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.visitors import VisitInput, VisitorService, VisitResult
from timebank_desktop.services.verify import VerifyService


@dataclass
class Story:
    a: AppContext
    b: AppContext
    district: AppContext
    folder: Path
    zhang_id: str
    zhang: str
    helper: str
    rounds: int = 0
    last: Path | None = field(default=None)

    def round(self) -> Path:
        """Both centres export, the district imports and issues a statement."""
        self.rounds += 1
        importer = DistrictImporter(self.district)
        for centre in (self.a, self.b):
            path = self.folder / f"{self.rounds}-{id(centre)}.tbsync"
            importer.import_file(ExportService(centre).export(path).path)
        out = self.folder / f"statement-{self.rounds}.tbsync"
        self.last = DistrictStatementService(self.district).write(out).written.path
        return self.last

    def visit(self, minutes: int) -> VisitResult:
        return VisitorService(self.b).honour(
            VisitInput(self.zhang_id, self.helper, "meals", DAY, minutes, "A01", "张桂兰")
        )

    def district_balance(self) -> int:
        assert self.last is not None
        with self.district.read() as session:
            from timebank_desktop.domain.signing import PublicKey
            from timebank_desktop.models.district import DistrictIdentity

            key = PublicKey.from_text(session.get_one(DistrictIdentity, 1).public_key)
        bundle = read_bundle(self.last, lambda info: key)
        key_of = VisitorService(self.b).standing(self.zhang_id, "A01").key
        return int({r["key"]: r["balance"] for r in bundle.rows("balances.jsonl")}[key_of])


def _balance(ctx: AppContext, ref: str) -> int:
    return AccountService(ctx).balance(ref).balance_minutes


def _system(ctx: AppContext, code: str) -> int:
    return AccountService(ctx).system_balance(code)


@pytest.fixture
def story(ctx: AppContext, tmp_path: Path) -> Iterator[Story]:
    b = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    district = AppContext(open_district_database(tmp_path / "d.sqlite3"), clock=FixedClock(NOW))
    info = DistrictIdentityService(district).init("D01", "东湖街道")
    for centre in (ctx, b):
        enrolled = SyncFileService(centre).enrolment(tmp_path / "enrol.tbsync")
        DistrictIdentityService(district).enrol(enrolled.path, enrolled.fingerprint)
    DistrictIdentityService(district).config(tmp_path / "config.tbsync")
    for centre in (ctx, b):
        SyncFileService(centre).import_file(
            tmp_path / "config.tbsync", passphrase=info.passphrase, fingerprint=info.fingerprint
        )
    zhang_id = id_for(date(1950, 2, 3))
    zhang = MemberService(ctx).add(MemberInput("张桂兰", zhang_id, role="both")).member_no
    AccountService(ctx).grant(zhang, 300)
    helper = add_member(b, "刘芳", date(1965, 6, 6))
    story = Story(ctx, b, district, tmp_path, zhang_id, zhang, helper)
    first = story.round()
    for centre in (ctx, b):
        SyncFileService(centre).import_file(first)
    yield story
    b.engine.dispose()
    district.engine.dispose()


def test_a_voided_visit_is_restored_here_and_netted_at_the_district(story: Story) -> None:
    s, visitors = story, VisitorService(story.b)
    # Voided before the district heard of it: the standing is whole again at once.
    first = s.visit(90)
    assert visitors.standing(s.zhang_id).available == 210
    voided = visitors.void(first.service_seq, "录入错误")
    assert (voided.minutes, voided.available, len(voided.reversal_seqs)) == (90, 300, 2)
    standing = visitors.standing(s.zhang_id)
    assert (standing.honoured_since, standing.given_back, standing.available) == (0, 0, 300)
    assert _balance(s.b, s.helper) == 0
    assert _system(s.b, "clearing:A01") == 0
    assert _system(s.b, f"member:{voided.visitor_no}") == 0

    # A second visit reaches the district and comes back in a statement before it is voided.
    second = s.visit(60)
    statement = s.round()
    result = SyncFileService(s.a).import_file(statement)
    assert result.booked == 3  # −90, its counter-entry +90, −60
    assert _balance(s.a, s.zhang) == 240
    assert _system(s.a, "clearing:B02") == 60
    assert s.district_balance() == 240
    SyncFileService(s.b).import_file(statement)
    standing = visitors.standing(s.zhang_id)
    assert (standing.statement_balance, standing.honoured_since) == (240, 0)

    voided = visitors.void(second.clearing_seq, "重复录入")
    assert voided.available == 300
    standing = visitors.standing(s.zhang_id)
    assert (standing.statement_balance, standing.given_back, standing.available) == (240, 60, 300)
    assert standing.honoured_since == 0

    # The reversal travels like any transaction: the district derives a counter-entry.
    statement = s.round()
    assert SyncFileService(s.a).import_file(statement).booked == 1
    assert _balance(s.a, s.zhang) == 300
    assert _system(s.a, "clearing:B02") == 0
    assert s.district_balance() == 300
    SyncFileService(s.b).import_file(statement)
    standing = visitors.standing(s.zhang_id)
    assert (standing.statement_balance, standing.given_back, standing.honoured_since) == (
        300, 0, 0,
    )  # fmt: skip
    assert standing.available == 300

    # A's mirrors reach the district: nothing left to mirror, no position between A and B.
    statement = s.round()
    assert SyncFileService(s.a).import_file(statement).booked == 0
    assert _balance(s.a, s.zhang) == 300
    assert DistrictPositionsService(s.district).positions() == []
    assert DistrictPositionsService(s.district).overdrafts() == []
    with s.district.read() as session:  # the flow matrix: each voided visit's flow taken back
        flows = session.execute(select(DistrictFlow.minutes)).scalars().all()
    assert flows and set(flows) == {0}
    for centre in (s.a, s.b):
        report = VerifyService(centre).run()
        assert report.ok, report.problems


def test_a_void_gives_the_away_allowance_back(story: Story) -> None:
    s, visitors = story, VisitorService(story.b)
    policy = PolicyService(s.b).current()
    PolicyService(s.b).set(policy.with_changes(away_allowance_minutes=120))
    visit = s.visit(90)
    with pytest.raises(Refused, match="away allowance"):
        s.visit(60)
    visitors.void(visit.clearing_seq, "录入错误")
    s.visit(120)
    assert visitors.standing(s.zhang_id).available == 0


def test_voiding_is_refused_twice_or_for_other_transactions(story: Story) -> None:
    s, visitors = story, VisitorService(story.b)
    visit = s.visit(30)
    visitors.void(visit.service_seq, "录入错误")
    before = counts(s.b)
    with pytest.raises(Refused, match="already void"):
        visitors.void(visit.clearing_seq, "again")
    with pytest.raises(Refused, match="not a visitor"):
        visitors.void(visit.service_seq + 1, "a reversal is no visit")
    with pytest.raises(Refused, match="No transaction"):
        visitors.void(9999, "none")
    with pytest.raises(ValidationError, match="reason"):
        visitors.void(visit.service_seq, "  ")
    AccountService(s.b).grant(s.helper, 30)  # an ordinary transaction of B
    grant_seq = before["txn"] + 1
    with pytest.raises(Refused, match="not a visitor"):
        visitors.void(grant_seq, "not a visit")
    assert counts(s.b)["txn"] == before["txn"] + 1


def test_a_void_after_a_reversal_by_hand_reverses_what_is_left(story: Story) -> None:
    """The standing reads the ledger: a service reversed by hand (an administrator's generic
    reversal) leaves the home centre debited and the hours on the visitor's account, so it
    still counts; voiding the visit then reverses only the clearing leg."""
    s, visitors = story, VisitorService(story.b)
    visit = s.visit(45)
    AccountService(s.b).reverse(visit.service_seq, "录入错误")
    assert visitors.standing(s.zhang_id).honoured_since == 45  # the home is still debited
    voided = visitors.void(visit.clearing_seq, "录入错误")
    assert len(voided.reversal_seqs) == 1
    assert visitors.standing(s.zhang_id).available == 300
    assert _system(s.b, f"member:{voided.visitor_no}") == 0
