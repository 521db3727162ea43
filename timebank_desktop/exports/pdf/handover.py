"""The staff handover package (工作交接清单): balances, open slips, open disputes and the
ledger's chain head, signed by the outgoing and the incoming staff.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.exports.pdf import layout
from timebank_desktop.exports.pdf.data import Handover
from timebank_desktop.exports.pdf.flow import Column, Flow, PagedCanvas, nothing, signatures
from timebank_desktop.exports.pdf.flow import widths as split
from timebank_desktop.exports.pdf.layout import Target, t
from timebank_desktop.exports.pdf.reconciliation import outstanding_table
from timebank_desktop.i18n import N_


def render_handover(data: Handover, target: Target, language: str = "zh_CN") -> None:
    """Print a staff handover package to ``target`` (path or binary file).

    Args:
        data: balances, open slips, open disputes, chain head and the two staff names.
        target: a file path (written atomically) or an open binary file.
        language: ``"zh_CN"`` (default) or ``"en"``.
    """
    title = t("Staff handover", language)
    day = layout.long_date(data.handover_on, language)
    with layout.open_target(target) as handle:
        canvas = layout.new_canvas(handle, layout.A4_PORTRAIT, title, PagedCanvas)
        flow = Flow(canvas, language, f"{title} · {data.centre_name} · {day}", data.centre_name)
        flow.title(title)
        flow.pairs(
            [
                (t("Centre", language), data.centre_name),
                (t("Handover date", language), day),
                (t("Outgoing staff", language), data.outgoing_staff),
                (t("Incoming staff", language), data.incoming_staff),
            ]
        )
        _chain(flow, data)
        _balances(flow, data)
        flow.heading(t("2. Open slips", language))
        outstanding_table(flow, data.open_slips, data.handover_on)
        _disputes(flow, data)
        flow.need(45 * mm)  # keep the statement with the signatures
        flow.skip(4 * mm)
        flow.paragraph(t("Both parties have checked the above and agree.", language), 11)
        signatures(flow, [t("Outgoing staff", language), t("Incoming staff", language)])
        canvas.save()


def _chain(flow: Flow, data: Handover) -> None:
    language = flow.language
    flow.heading(t("Ledger chain head", language))
    flow.pairs([(t("Last sequence number", language), str(data.chain_seq))], columns=1)
    flow.line(layout.colon(t("Hash", language)) + data.chain_head, size=9)


def _balances(flow: Flow, data: Handover) -> None:
    language = flow.language
    flow.heading(t("1. Account balances", language))
    titles = (N_("Member number"), N_("Name"), N_("Balance (h)"))
    columns = [
        Column(t(title, language), w, align)
        for title, w, align in zip(titles, split(flow.room, (1, 2, 1)), "clr", strict=True)
    ]
    rows = [
        [line.member.member_no, line.member.name, format_hours(line.minutes)]
        for line in data.balances
    ]
    members = sum(line.minutes for line in data.balances)
    rows.append(["", t("Community pool", language), format_hours(data.pool_minutes)])
    rows.append(["", t("Total of member accounts", language), format_hours(members)])
    flow.table(columns, rows, shade_rows=[len(rows) - 2, len(rows) - 1])


def _disputes(flow: Flow, data: Handover) -> None:
    language = flow.language
    flow.heading(t("3. Open disputes", language))
    if not data.open_disputes:
        nothing(flow)
        return
    titles = (N_("Dispute number"), N_("Opened on"), N_("Parties"), N_("Dispute summary"))
    columns = [
        Column(t(title, language), w, align)
        for title, w, align in zip(titles, split(flow.room, (14, 14, 24, 48)), "ccll", strict=True)
    ]
    rows = [
        [d.reference, d.opened_on.isoformat(), d.parties, d.summary] for d in data.open_disputes
    ]
    flow.table(columns, rows)
