"""Small builders that make ledger scenarios read like ledgers."""

from __future__ import annotations

from datetime import date, time
from itertools import cycle

from timebank_desktop.domain import idnumber
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.records import RecordService, RecordView, ServiceInput

_serial = cycle(range(100, 999))  # every test has its own database: a run may wrap around


def id_for(born: date, seq: int | None = None, region: str = "110105") -> str:
    return idnumber.make(region, born, seq if seq is not None else next(_serial)).value


def add_member(
    ctx: AppContext, name: str, born: date, role: str = "volunteer", phone: str = ""
) -> str:
    return (
        MemberService(ctx)
        .add(MemberInput(name=name, id_number=id_for(born), phone=phone, role=role))
        .member_no
    )


def serve(
    ctx: AppContext,
    volunteer: str,
    recipient: str,
    minutes: int,
    *,
    day: date = date(2026, 11, 19),
    category: str = "meals",
    payer: str = "pool",
    signed: bool = True,
    start: time = time(9, 0),
) -> RecordView:
    end_min = start.hour * 60 + start.minute + minutes
    return RecordService(ctx).record(
        ServiceInput(
            volunteer=volunteer,
            recipient=recipient,
            category=category,
            service_date=day,
            start=start,
            end=time(end_min // 60, end_min % 60),
            payer=payer,
            signed=signed,
        )
    )
