"""The plain values the PDF renderers take; the services layer fills them.

Amounts are integer minutes, dates are `datetime.date`; names and labels arrive already in
the language the document is printed in (a category's name, say), while fixed wording (titles,
column headers) is translated by the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Person:
    """A member as printed: name and member number."""

    name: str
    member_no: str


@dataclass(frozen=True, slots=True)
class Slip:
    """One service slip (服务凭条).

    ``start`` / ``end`` are ``"HH:MM"`` texts; ``payer`` is who pays, as printed (the
    recipient's own account, the community pool, …). A slip with ``voided=True`` is refused.
    """

    slip_no: str
    centre_name: str
    volunteer: Person
    recipient: Person
    category: str
    service_date: date
    start: str
    end: str
    duration_minutes: int
    credited_minutes: int
    content: str
    payer: str
    voided: bool = False


@dataclass(frozen=True, slots=True)
class Movement:
    """One line of a passbook statement.

    ``on`` is the value date (the service date); ``kind`` is a
    `timebank_desktop.domain.ledger.TxKind` value (``"service"``, ``"grant"``, …); ``minutes``
    is signed: positive into the member's account, negative out of it. ``booked_on`` is set
    only for a late entry: one booked later, in the open month, because its own was closed.
    """

    on: date
    kind: str
    counterparty: str
    memo: str
    minutes: int
    booked_on: date | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """A member's passbook statement (存折式对账单) for a period.

    The closing balance is computed as ``opening_minutes`` plus every movement.
    """

    centre_name: str
    member: Person
    id_number: str
    period_start: date
    period_end: date
    opening_minutes: int
    movements: tuple[Movement, ...]
    printed_on: date


@dataclass(frozen=True, slots=True)
class CategoryLine:
    """Services of one category in a certificate: count and credited minutes."""

    category: str
    services: int
    minutes: int


@dataclass(frozen=True, slots=True)
class ServiceCertificate:
    """A volunteer service certificate (志愿服务记录证明), numbered and kept in a register.

    ``id_number`` may be given in full: the renderer prints it masked.
    """

    certificate_no: str
    centre_name: str
    volunteer: Person
    id_number: str
    period_start: date
    period_end: date
    by_category: tuple[CategoryLine, ...]
    issued_on: date

    @property
    def total_minutes(self) -> int:
        return sum(line.minutes for line in self.by_category)

    @property
    def total_services(self) -> int:
        return sum(line.services for line in self.by_category)


@dataclass(frozen=True, slots=True)
class HonourCertificate:
    """An honour certificate (荣誉证书) for reaching an hour milestone (a star level)."""

    certificate_no: str
    centre_name: str
    volunteer: Person
    star_level: int
    milestone_minutes: int
    total_minutes: int
    as_of: date
    issued_on: date


@dataclass(frozen=True, slots=True)
class OutstandingSlip:
    """A slip issued and not yet returned, signed and confirmed."""

    slip_no: str
    issued_on: date
    service_date: date
    volunteer: str
    recipient: str


@dataclass(frozen=True, slots=True)
class SlipReconciliation:
    """A month's slip control (凭条核对): issued = confirmed + voided + lost + outstanding.

    ``month`` is the first day of the month; ages of outstanding slips are counted in days
    from their issue date to ``as_of``.
    """

    centre_name: str
    month: date
    as_of: date
    issued: int
    confirmed: int
    voided: int
    outstanding: tuple[OutstandingSlip, ...]
    lost: int = 0


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """One account's balance in a handover package."""

    member: Person
    minutes: int


@dataclass(frozen=True, slots=True)
class OpenDispute:
    """A dispute not yet closed."""

    reference: str
    opened_on: date
    parties: str
    summary: str


@dataclass(frozen=True, slots=True)
class Handover:
    """A staff handover package (工作交接): what the incoming staff take over."""

    centre_name: str
    handover_on: date
    outgoing_staff: str
    incoming_staff: str
    balances: tuple[BalanceLine, ...]
    pool_minutes: int
    open_slips: tuple[OutstandingSlip, ...]
    open_disputes: tuple[OpenDispute, ...]
    chain_seq: int
    chain_head: str
