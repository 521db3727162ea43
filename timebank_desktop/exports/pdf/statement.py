"""The member's passbook statement (存折式对账单): opening balance, every movement with its
running balance, closing balance; the table header repeats on every page.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.exports.pdf import layout
from timebank_desktop.exports.pdf.data import Movement, Statement
from timebank_desktop.exports.pdf.flow import Column, Flow, PagedCanvas, widths
from timebank_desktop.exports.pdf.layout import Target, t
from timebank_desktop.i18n import N_

KIND_WORDS: dict[str, tuple[str, str]] = {
    # kind: (wording when hours come in, wording when they go out)
    "service": (N_("Service deposit"), N_("Service withdrawal")),
    "grant": (N_("Grant"), N_("Grant")),
    "transfer": (N_("Transfer in"), N_("Transfer out")),
    "donation": (N_("Donation"), N_("Donation")),
    "redemption": (N_("Exchange for goods"), N_("Exchange for goods")),
    "opening": (N_("Opening balance"), N_("Opening balance")),
    "reversal": (N_("Reversal"), N_("Reversal")),
    "mirror": (N_("Cross-centre entry"), N_("Cross-centre entry")),
}


LATE_MARK = " *"  # after the date of a late entry; the note below the table explains it


def kind_text(kind: str, minutes: int, language: str) -> str:
    """The passbook wording of a movement of ``kind`` in or out of the account."""
    words = KIND_WORDS.get(kind)
    if words is None:
        return kind
    return t(words[0] if minutes >= 0 else words[1], language)


def closing_minutes(data: Statement) -> int:
    """The closing balance: the opening balance plus every movement."""
    return data.opening_minutes + sum(m.minutes for m in data.movements)


def render_statement(data: Statement, target: Target, language: str = "zh_CN") -> None:
    """Print a member's passbook statement for a period to ``target`` (path or binary file).

    Args:
        data: the member, the period, the opening balance and every movement in date order.
        target: a file path (written atomically) or an open binary file.
        language: ``"zh_CN"`` (default) or ``"en"``.
    """
    title = t("Time account statement", language)
    who = f"{data.member.name} ({data.member.member_no})"
    period = layout.period_text(data.period_start, data.period_end, language)
    with layout.open_target(target) as handle:
        canvas = layout.new_canvas(handle, layout.A4_PORTRAIT, title, PagedCanvas)
        footer = f"{data.centre_name} · {t('Printed on', language)} " + layout.long_date(
            data.printed_on, language
        )
        flow = Flow(canvas, language, f"{title} · {who} · {period}", footer)
        flow.title(title)
        flow.pairs(_identity(data, language))
        flow.line(t("Amounts are in hours.", language), size=9)
        flow.skip(2 * mm)
        flow.table(*_table(data, flow.room, language))
        late = _late_note(data, language)
        if late:
            flow.paragraph(late, size=9)
        flow.skip(3 * mm)
        flow.paragraph(_summary(data, language))
        canvas.save()


def _identity(data: Statement, language: str) -> list[tuple[str, str]]:
    return [
        (t("Member", language), data.member.name),
        (t("Member number", language), data.member.member_no),
        (t("Resident ID number", language), layout.mask_id(data.id_number)),
        (t("Centre", language), data.centre_name),
        (
            t("Statement period", language),
            layout.period_text(data.period_start, data.period_end, language),
        ),
        (t("Printed on", language), layout.long_date(data.printed_on, language)),
    ]


def _table(
    data: Statement, room: float, language: str
) -> tuple[list[Column], list[list[str]], float, list[int]]:
    shares = (19, 26, 49, 17, 17, 19)
    titles = (
        N_("Date"),
        N_("Movement"),
        N_("Counterparty / memo"),
        N_("In (+ h)"),
        N_("Out (− h)"),
        N_("Balance (h)"),
    )
    aligns = ("c", "l", "l", "r", "r", "r")
    columns = [
        Column(t(title, language), w, align)
        for title, w, align in zip(titles, widths(room, shares), aligns, strict=True)
    ]
    balance = data.opening_minutes
    opening = t("Opening balance", language)
    rows = [[data.period_start.isoformat(), opening, "", "", "", format_hours(balance)]]
    for movement in data.movements:
        balance += movement.minutes
        rows.append(_row(movement, balance, language))
    money_in = sum(m.minutes for m in data.movements if m.minutes > 0)
    money_out = -sum(m.minutes for m in data.movements if m.minutes < 0)
    rows.append(
        [
            data.period_end.isoformat(),
            t("Closing balance", language),
            t("Totals for the period", language),
            format_hours(money_in),
            format_hours(money_out),
            format_hours(balance),
        ]
    )
    return columns, rows, 9.5, [0, len(rows) - 1]


def _row(movement: Movement, balance: int, language: str) -> list[str]:
    about = " · ".join(part for part in (movement.counterparty, movement.memo) if part)
    amount = format_hours(abs(movement.minutes))
    return [
        movement.on.isoformat() + (LATE_MARK if movement.booked_on else ""),
        kind_text(movement.kind, movement.minutes, language),
        about,
        amount if movement.minutes > 0 else "",
        amount if movement.minutes < 0 else "",
        format_hours(balance),
    ]


def _late_note(data: Statement, language: str) -> str:
    """Below the table: when each row marked as a late entry was booked (empty: none)."""
    entries = [
        t("{date} booked on {booked}", language).format(
            date=m.on.isoformat(), booked=m.booked_on.isoformat()
        )
        for m in data.movements
        if m.booked_on is not None
    ]
    if not entries:
        return ""
    separator = "；" if language.startswith("zh") else "; "
    note = t("{mark} Late entries, booked after their month was closed: {entries}", language)
    return note.format(mark=LATE_MARK.strip(), entries=separator.join(entries))


def _summary(data: Statement, language: str) -> str:
    money_in = sum(m.minutes for m in data.movements if m.minutes > 0)
    money_out = -sum(m.minutes for m in data.movements if m.minutes < 0)
    return t(
        "Opening balance {opening} + in {money_in} − out {money_out} = closing balance {closing}",
        language,
    ).format(
        opening=layout.hours(data.opening_minutes, language),
        money_in=layout.hours(money_in, language),
        money_out=layout.hours(money_out, language),
        closing=layout.hours(closing_minutes(data), language),
    )
