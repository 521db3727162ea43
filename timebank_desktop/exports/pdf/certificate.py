"""The volunteer service certificate (志愿服务记录证明): who served, how much, by category,
issued by the centre under a registered number, with a place for the seal.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.exports.pdf import layout
from timebank_desktop.exports.pdf.data import ServiceCertificate
from timebank_desktop.exports.pdf.flow import Column, Flow, PagedCanvas, widths
from timebank_desktop.exports.pdf.layout import Target, t
from timebank_desktop.i18n import N_

SEAL = 40 * mm


def render_service_certificate(
    data: ServiceCertificate, target: Target, language: str = "zh_CN"
) -> None:
    """Print a volunteer service certificate to ``target`` (path or binary file).

    Args:
        data: the volunteer, the period, services by category, the number and issuer.
        target: a file path (written atomically) or an open binary file.
        language: ``"zh_CN"`` (default) or ``"en"``.
    """
    title = t("Volunteer service certificate", language)
    number = f"{t('Certificate number', language)}: {data.certificate_no}"
    if language != "en":
        number = layout.colon(t("Certificate number", language)) + data.certificate_no
    with layout.open_target(target) as handle:
        canvas = layout.new_canvas(handle, layout.A4_PORTRAIT, title, PagedCanvas)
        flow = Flow(canvas, language, f"{title} · {data.certificate_no}", data.centre_name)
        layout.text_right(canvas, flow.right, flow.y - 4 * mm, number, 10.5)
        flow.skip(10 * mm)
        flow.title(title, 22)
        flow.skip(6 * mm)
        flow.paragraph(_body(data, language), size=13, leading=1.8)
        flow.skip(4 * mm)
        flow.table(*_table(data, flow.room, language))
        flow.skip(4 * mm)
        flow.paragraph(t("This is to certify the above.", language), size=13, leading=1.8)
        _issuer(flow, data, language)
        canvas.save()


def _body(data: ServiceCertificate, language: str) -> str:
    return t(
        "This certifies that {name} (member number {member_no}, resident ID number {id}) "
        "took part in volunteer service at {centre} from {start} to {end}: {services} "
        "services, {hours} in total, as follows:",
        language,
    ).format(
        name=data.volunteer.name,
        member_no=data.volunteer.member_no,
        id=layout.mask_id(data.id_number),
        centre=data.centre_name,
        start=layout.long_date(data.period_start, language),
        end=layout.long_date(data.period_end, language),
        services=data.total_services,
        hours=layout.hours(data.total_minutes, language),
    )


def _table(
    data: ServiceCertificate, room: float, language: str
) -> tuple[list[Column], list[list[str]], float, list[int]]:
    titles = (N_("Service category"), N_("Services"), N_("Hours served"))
    columns = [
        Column(t(title, language), w, align)
        for title, w, align in zip(titles, widths(room, (2, 1, 1)), "lrr", strict=True)
    ]
    rows = [
        [line.category, str(line.services), format_hours(line.minutes)]
        for line in data.by_category
    ]
    rows.append([t("Total", language), str(data.total_services), format_hours(data.total_minutes)])
    return columns, rows, 11.0, [len(rows) - 1]


def _issuer(flow: Flow, data: ServiceCertificate, language: str) -> None:
    flow.need(SEAL + 16 * mm)
    flow.skip(12 * mm)
    seal_x = flow.right - SEAL - 8 * mm
    top = flow.y
    layout.seal_box(flow.canvas, seal_x, top - SEAL, SEAL, language)
    room = seal_x - flow.left - 10 * mm
    lines = (
        (t("Issued by", language), data.centre_name),
        (t("Date of issue", language), layout.long_date(data.issued_on, language)),
        (t("Certificate number", language), data.certificate_no),
    )
    for index, (label, value) in enumerate(lines):
        y = top - 8 * mm - index * 10 * mm
        layout.label_value(flow.canvas, flow.left, y, label, value, 12, room)
    flow.y = top - SEAL - 4 * mm
