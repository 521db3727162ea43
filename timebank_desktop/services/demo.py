"""Deterministic, realistic demo centres (`timebank demo`, the GUI's demo centre).

Members, relations, service records with signed and unsigned slips, grants, transfers to
relatives, donations, redemptions and a few reversals, spread over the months asked for. It
writes in bulk through the same `LedgerWriter` as every other use case, so the chain, the
balances and `verify` hold exactly as for hand-entered data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from timebank_desktop.domain import names, slipno
from timebank_desktop.domain.clock import CHINA_TZ, CountingIds, FixedClock
from timebank_desktop.domain.demo_people import Person, make_person
from timebank_desktop.domain.errors import Refused
from timebank_desktop.domain.ledger import (
    GOODS_ACCOUNT,
    POOL_ACCOUNT,
    AccountKind,
    PostingLine,
    TxKind,
    member_account_code,
)
from timebank_desktop.domain.months import Month
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, GoodsItem, HouseholdRelation, Member, ServiceRecord
from timebank_desktop.services.centre import CentreService, load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import member_no, next_value
from timebank_desktop.services.ledger_writer import LedgerWriter, TxSpec
from timebank_desktop.services.policy import policy_for

Progress = Callable[[int, int], None]
CATEGORY_MIX = (
    ("living", 14),
    ("meals", 16),
    ("cleaning", 12),
    ("bathing", 4),
    ("medical", 9),
    ("health", 7),
    ("company", 18),
    ("safety", 5),
    ("errands", 9),
    ("recreation", 4),
    ("professional", 2),
)
CONTENT = {
    "living": "帮忙整理房间、晾晒衣物",
    "meals": "送餐上门并陪同用餐",
    "cleaning": "打扫厨房和卫生间",
    "bathing": "协助洗澡",
    "medical": "陪同去社区医院复诊",
    "health": "测量血压血糖",
    "company": "聊天读报",
    "safety": "检查燃气和电路",
    "errands": "代缴水电费、代购药品",
    "recreation": "教用智能手机",
    "professional": "法律咨询",
}
GOODS = (("大米 5kg", 300, 200), ("食用油 1.8L", 180, 200), ("洗衣液", 120, 300))


@dataclass(frozen=True, slots=True)
class DemoOptions:
    members: int = 200
    months: int = 12
    seed: int = 1


@dataclass(frozen=True, slots=True)
class DemoSummary:
    centre_code: str
    members: int
    records: int
    transactions: int
    admin_created: bool


@dataclass(slots=True)
class _Member:
    id: str
    no: str
    volunteer: bool
    recipient: bool
    birth: date
    joined: date
    needy: bool
    relatives: list[int]


class DemoService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def generate(self, options: DemoOptions, progress: Progress | None = None) -> DemoSummary:
        from timebank_desktop.services.auth import StaffService

        centres = CentreService(self.ctx)
        if not centres.exists():
            centres.init("DEMO", _("Demo community centre"), "DEMO-D")
        admin_created = False
        if not StaffService(self.ctx).has_users():
            StaffService(self.ctx).add(
                "admin", _("Demo administrator"), "admin", "demo", first_admin=True, demo=True
            )
            admin_created = True
        clock = FixedClock(self.ctx.clock.now())
        ctx = replace(self.ctx, clock=clock, new_id=CountingIds(f"demo-{options.seed}"))
        ctx.share_with(self.ctx)
        with ctx.write() as session:
            if session.scalar(select(func.count()).select_from(Member)):
                raise Refused(_("Demo data goes into a centre without members"))
            builder = _Builder(session, ctx, clock, options, progress)
            summary = builder.run()
        return replace(summary, admin_created=admin_created)


class _Builder:
    def __init__(
        self,
        session: Session,
        ctx: AppContext,
        clock: FixedClock,
        options: DemoOptions,
        progress: Progress | None,
    ) -> None:
        self.session, self.ctx, self.clock = session, ctx, clock
        self.real_now = clock.now()
        self.options = options
        self.rng = random.Random(options.seed)
        self.progress = progress
        self.today = ctx.today()
        self.first = Month.of(self.today)
        for _step in range(options.months - 1):
            self.first = self.first.previous
        self.writer = LedgerWriter(session, ctx, batch_size=20_000)
        self.members: list[_Member] = []
        self.records: list[dict[str, Any]] = []
        self.record_count = 0
        self.txn_count = 0
        self.slip_serial = 0
        self.daily: dict[tuple[int, date], int] = {}
        self.policy = policy_for(session, self.today)

    # ------------------------------------------------------------ members
    def _add_members(self) -> None:
        opts, rng, ctx = self.options, self.rng, self.ctx
        used: set[str] = set()
        start = self.first.first_day
        span = max((self.today - start).days, 1)
        first_no = next_value(self.session, "member_no", opts.members)
        rows, accounts = [], []
        now = ctx.now()
        for i in range(opts.members):
            kind = rng.random()
            volunteer, recipient = kind < 0.62, kind >= 0.55
            low, high = (55, 75) if volunteer and not recipient else (62, 92)
            person: Person = make_person(rng, low, high, self.today, used)
            joined = start if rng.random() < 0.4 else start + timedelta(days=rng.randrange(span))
            number = member_no(first_no + i)
            full, initials = names.pinyin_keys(person.name)
            needy = recipient and rng.random() < 0.25
            member = _Member(
                ctx.new_id(), number, volunteer, recipient, person.birth_date, joined, needy, []
            )
            self.members.append(member)
            rows.append(
                dict(
                    id=member.id,
                    member_no=number,
                    name=person.name,
                    name_pinyin=full,
                    name_initials=initials,
                    gender=person.gender,
                    birth_date=person.birth_date,
                    id_number=person.id_number,
                    id_rev=person.id_number[::-1],
                    phone=person.phone,
                    phone_rev=person.phone[::-1],
                    address=person.address,
                    emergency_contact="",
                    is_volunteer=volunteer,
                    is_recipient=recipient,
                    lives_alone=recipient and rng.random() < 0.3,
                    disability_level="",
                    on_needs_list=needy,
                    skills="",
                    availability="",
                    star_level=0,
                    consent_date=joined,
                    notes="",
                    active=True,
                    joined_on=joined,
                    created_at=now,
                    updated_at=now,
                )
            )
            accounts.append(
                dict(
                    id=ctx.new_id(),
                    code=member_account_code(number),
                    kind=AccountKind.MEMBER.value,
                    member_id=member.id,
                    balance_minutes=0,
                    created_at=now,
                )
            )
        self.session.execute(insert(Member), rows)
        self.session.execute(insert(Account), accounts)
        self.writer.preload((str(a["code"]), str(a["id"]), str(a["kind"]), 0) for a in accounts)
        self._add_relations()

    def _add_relations(self) -> None:
        rng, rows = self.rng, []
        pairs = max(len(self.members) // 10, 1)
        for _step in range(pairs):
            a, b = rng.sample(range(len(self.members)), 2)
            if a in self.members[b].relatives or self.members[a].relatives:
                continue
            relation = rng.choice(("spouse", "child"))
            inverse = "spouse" if relation == "spouse" else "parent"
            self.members[a].relatives.append(b)
            self.members[b].relatives.append(a)
            rows.append(
                dict(
                    member_id=self.members[a].id, relative_id=self.members[b].id, relation=relation
                )
            )
            rows.append(
                dict(
                    member_id=self.members[b].id, relative_id=self.members[a].id, relation=inverse
                )
            )
        if rows:
            self.session.execute(insert(HouseholdRelation), rows)

    # ------------------------------------------------------------ ledger
    def _at(self, day: date, hour: int = 18) -> None:
        moment = datetime.combine(day, time(hour), CHINA_TZ)
        self.clock.current = min(max(moment.astimezone(UTC), self.clock.current), self.real_now)

    def _post(self, spec: TxSpec) -> str | None:
        try:
            posted = self.writer.post(spec, self.policy)
        except Refused:
            return None
        self.txn_count += 1
        return posted.id

    def run(self) -> DemoSummary:
        self.clock.current = datetime.combine(self.first.first_day, time(8), CHINA_TZ).astimezone(
            UTC
        )
        self._add_members()
        self.session.execute(
            insert(GoodsItem),
            [dict(id=self.ctx.new_id(), name=n, price_minutes=p, stock=s) for n, p, s in GOODS],
        )
        self._openings()
        month, done = self.first, 0
        while month <= Month.of(self.today):
            self._month(month)
            done += 1
            if self.progress:
                self.progress(done, self.options.months)
            month = month.next
        self._flush_records()
        self.writer.flush()
        next_value(self.session, "slip", self.slip_serial)
        centre = load_centre(self.session)
        return DemoSummary(
            centre.code, len(self.members), self.record_count, self.txn_count, False
        )

    def _openings(self) -> None:
        day = self.first.first_day
        self._at(day, 9)
        for m in self.members:
            if m.joined == day and self.rng.random() < 0.3:
                amount = self.rng.choice((60, 120, 180, 300, 600, 1200))
                self._post(
                    TxSpec(
                        TxKind.OPENING,
                        day,
                        (
                            PostingLine(POOL_ACCOUNT, -amount),
                            PostingLine(member_account_code(m.no), amount),
                        ),
                        memo="纸质卡片期初余额",
                    )
                )

    def _month(self, month: Month) -> None:
        rng = self.rng
        last = min(month.last_day, self.today)
        days = (last - month.first_day).days + 1
        active = [i for i, m in enumerate(self.members) if m.joined <= last]
        volunteers = [i for i in active if self.members[i].volunteer]
        recipients = [i for i in active if self.members[i].recipient]
        if not volunteers or not recipients:
            return
        # The current month is under way: only its elapsed part gets its share of services
        # (else a whole month's work lands on the first days of a new month).
        per_month = max(int(len(self.members) * 0.7 * days / month.last_day.day), 1)
        events = sorted(
            month.first_day + timedelta(days=rng.randrange(days)) for _step in range(per_month)
        )
        for day in events:
            self._at(day)
            self._service(day, volunteers, recipients, last)
            roll = rng.random()
            if roll < 0.04:
                self._grant(day, recipients)
            elif roll < 0.06:
                self._transfer(day, active)
            elif roll < 0.07:
                self._redeem(day, active)
            elif roll < 0.075:
                self._donate(day, volunteers)

    def _service(
        self, day: date, volunteers: list[int], recipients: list[int], last: date
    ) -> None:
        rng = self.rng
        v, r = rng.choice(volunteers), rng.choice(recipients)
        if v == r:
            return
        vol, rec = self.members[v], self.members[r]
        code = rng.choices([c for c, _w in CATEGORY_MIX], [w for _c, w in CATEGORY_MIX])[0]
        start_hour = rng.randint(8, 17)
        duration = rng.choice((30, 45, 60, 60, 90, 90, 120, 150, 180))
        if self.daily.get((v, day), 0) + duration > self.policy.daily_cap_minutes:
            return
        self.daily[(v, day)] = self.daily.get((v, day), 0) + duration
        start = time(start_hour, rng.choice((0, 15, 30)))
        end_minutes = start.hour * 60 + start.minute + duration
        end = time(end_minutes // 60, end_minutes % 60)
        payer = (
            "recipient"
            if (rec.volunteer and (self.today - rec.birth).days > 60 * 365 and rng.random() < 0.5)
            else "pool"
        )
        recent = (last - day).days < 20 and last == self.today
        signed = not (recent and rng.random() < 0.35) and rng.random() > 0.01
        self.slip_serial += 1
        record_id = self.ctx.new_id()
        txn_id, status = None, "pending"
        if signed:
            payer_code = member_account_code(rec.no) if payer == "recipient" else POOL_ACCOUNT
            if payer == "recipient" and self.writer.balance(payer_code) < duration:
                payer, payer_code = "pool", POOL_ACCOUNT
            txn_id = self._post(
                TxSpec(
                    TxKind.SERVICE,
                    day,
                    (
                        PostingLine(payer_code, -duration),
                        PostingLine(member_account_code(vol.no), duration),
                    ),
                    memo=f"服务凭条 {slipno.make(self.slip_serial)}",
                    record=record_id,
                )
            )
            status = "posted" if txn_id else "pending"
        row = dict(
            id=record_id,
            slip_no=slipno.make(self.slip_serial),
            volunteer_id=vol.id,
            recipient_id=rec.id,
            category_code=code,
            service_date=day,
            start_time=start,
            end_time=end,
            duration_minutes=duration,
            weight_permille=1000,
            rounding_unit=self.policy.rounding_unit,
            credited_minutes=duration,
            payer=payer,
            content=CONTENT[code],
            rating=rng.choices(("satisfied", "neutral", "dissatisfied", None), (80, 12, 2, 6))[0],
            status=status,
            signed=txn_id is not None,
            signed_at=self.ctx.now() if txn_id else None,
            txn_id=txn_id,
            void_reason="",
            void_txn_id=None,
            request_id=None,
            slip_printed=1,
            recorded_by="demo",
            created_at=self.ctx.now(),
        )
        if txn_id and rng.random() < 0.004:
            self._void(row, vol, rec)
        self.records.append(row)
        self.record_count += 1
        if len(self.records) >= 10_000:
            self._flush_records()

    def _void(self, row: dict[str, Any], vol: _Member, rec: _Member) -> None:
        amount = row["credited_minutes"]
        payer_code = member_account_code(rec.no) if row["payer"] == "recipient" else POOL_ACCOUNT
        reversal = self._post(
            TxSpec(
                TxKind.REVERSAL,
                row["service_date"],
                (
                    PostingLine(payer_code, amount),
                    PostingLine(member_account_code(vol.no), -amount),
                ),
                memo="冲正：录入错误",
                reverses=row["txn_id"],
                record=row["id"],
            )
        )
        if reversal:
            row.update(status="void", void_reason="录入错误", void_txn_id=reversal)

    def _grant(self, day: date, recipients: list[int]) -> None:
        needy = [i for i in recipients if self.members[i].needy] or recipients
        m = self.members[self.rng.choice(needy)]
        amount = self.rng.choice((60, 120, 240))
        self._post(
            TxSpec(
                TxKind.GRANT,
                day,
                (
                    PostingLine(POOL_ACCOUNT, -amount),
                    PostingLine(member_account_code(m.no), amount),
                ),
                memo="困难老人补贴时长",
                funding=self.rng.choice(("government", "charity")),
            )
        )

    def _transfer(self, day: date, active: list[int]) -> None:
        givers = [i for i in active if self.members[i].relatives]
        if not givers:
            return
        giver = self.members[self.rng.choice(givers)]
        taker = self.members[giver.relatives[0]]
        code = member_account_code(giver.no)
        amount = min(self.writer.balance(code) // 2 // 30 * 30, 600)
        if amount > 0:
            self._post(
                TxSpec(
                    TxKind.TRANSFER,
                    day,
                    (
                        PostingLine(code, -amount),
                        PostingLine(member_account_code(taker.no), amount),
                    ),
                    memo="转赠给家人",
                )
            )

    def _redeem(self, day: date, active: list[int]) -> None:
        m = self.members[self.rng.choice(active)]
        name, price, _stock = self.rng.choice(GOODS)
        code = member_account_code(m.no)
        if self.writer.balance(code) >= price:
            self._post(
                TxSpec(
                    TxKind.REDEMPTION,
                    day,
                    (PostingLine(code, -price), PostingLine(GOODS_ACCOUNT, price)),
                    memo=name,
                )
            )

    def _donate(self, day: date, volunteers: list[int]) -> None:
        m = self.members[self.rng.choice(volunteers)]
        code = member_account_code(m.no)
        amount = self.writer.balance(code) // 4 // 30 * 30
        if amount > 0:
            self._post(
                TxSpec(
                    TxKind.DONATION,
                    day,
                    (PostingLine(code, -amount), PostingLine(POOL_ACCOUNT, amount)),
                    memo="捐赠给公益池",
                )
            )

    def _flush_records(self) -> None:
        if self.records:
            self.writer.flush()
            self.session.execute(insert(ServiceRecord), self.records)
            self.records = []
