"""A month's slip control (服务凭条核对): slips issued, returned and confirmed, voided, lost and
outstanding, the check that they add up, and the outstanding slips with their ages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm

from timebank_desktop.exports.pdf import layout
from timebank_desktop.exports.pdf.data import OutstandingSlip, SlipReconciliation
from timebank_desktop.exports.pdf.flow import Column, Flow, PagedCanvas, nothing, signatures
from timebank_desktop.exports.pdf.flow import widths as split
from timebank_desktop.exports.pdf.layout import Target, t
from timebank_desktop.i18n import N_


def render_slip_reconciliation(
    data: SlipReconciliation, target: Target, language: str = "zh_CN"
) -> None:
    """Print a month's slip reconciliation to ``target`` (path or binary file).

    Args:
        data: the month's counts and the slips still outstanding.
        target: a file path (written atomically) or an open binary file.
        language: ``"zh_CN"`` (default) or ``"en"``.
    """
    month = layout.month_text(data.month, language)
    title = t("Slip reconciliation", language)
    with layout.open_target(target) as handle:
        canvas = layout.new_canvas(handle, layout.A4_PORTRAIT, f"{title} {month}", PagedCanvas)
        flow = Flow(canvas, language, f"{title} · {data.centre_name} · {month}", data.centre_name)
        flow.title(f"{title} · {month}")
        flow.pairs(
            [
                (t("Centre", language), data.centre_name),
                (t("Month", language), month),
                (t("Checked on", language), layout.long_date(data.as_of, language)),
            ]
        )
        flow.skip(4 * mm)
        flow.table(*_counts(data, flow.room, language))
        flow.skip(2 * mm)
        flow.paragraph(balance_text(data, language), size=11)
        flow.heading(t("Outstanding slips", language))
        outstanding_table(flow, data.outstanding, data.as_of)
        signatures(flow, [t("Checked by", language), t("Reviewed by", language)])
        canvas.save()


def _counts(
    data: SlipReconciliation, room: float, language: str
) -> tuple[list[Column], list[list[str]], float, list[int]]:
    columns = [
        Column(t("Slip status", language), room * 0.7),
        Column(t("Number of slips", language), room * 0.3, "r"),
    ]
    rows = [
        [t("Issued this month", language), str(data.issued)],
        [t("Returned and confirmed", language), str(data.confirmed)],
        [t("Voided", language), str(data.voided)],
        [t("Lost", language), str(data.lost)],
        [t("Outstanding", language), str(len(data.outstanding))],
    ]
    return columns, rows, 11.0, [0]


def balance_text(data: SlipReconciliation, language: str) -> str:
    """Whether issued = confirmed + voided + lost + outstanding, in words."""
    accounted = data.confirmed + data.voided + data.lost + len(data.outstanding)
    check = t(
        "Check: issued {issued} = confirmed {confirmed} + voided {voided} + lost {lost} + "
        "outstanding {outstanding}",
        language,
    ).format(
        issued=data.issued,
        confirmed=data.confirmed,
        voided=data.voided,
        lost=data.lost,
        outstanding=len(data.outstanding),
    )
    if accounted == data.issued:
        verdict = t("balanced", language)
    else:
        verdict = t("NOT balanced: {n} slips unaccounted for", language).format(
            n=data.issued - accounted
        )
    return f"{check} — {verdict}"


def outstanding_table(flow: Flow, slips: Sequence[OutstandingSlip], as_of: date) -> None:
    """The outstanding slips with their age in days on ``as_of`` (or "none")."""
    if not slips:
        nothing(flow)
        return
    language = flow.language
    titles = (
        N_("Slip number"),
        N_("Issued on"),
        N_("Service date"),
        N_("Volunteer"),
        N_("Recipient"),
        N_("Age (days)"),
    )
    shares = (18, 16, 16, 19, 19, 12)
    aligns = "cccllr"
    columns = [
        Column(t(title, language), w, align)
        for title, w, align in zip(titles, split(flow.room, shares), aligns, strict=True)
    ]
    rows = [
        [
            slip.slip_no,
            slip.issued_on.isoformat(),
            slip.service_date.isoformat(),
            slip.volunteer,
            slip.recipient,
            str((as_of - slip.issued_on).days),
        ]
        for slip in slips
    ]
    flow.table(columns, rows)
