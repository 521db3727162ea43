"""Honour certificates (荣誉证书) for hour milestones: one A4 landscape page with the star level
drawn as stars, the certificate number, the issuer and a place for the seal.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from timebank_desktop.exports.pdf import layout
from timebank_desktop.exports.pdf.data import HonourCertificate
from timebank_desktop.exports.pdf.layout import Target, t

RED = Color(0.62, 0.08, 0.08)
GOLD = Color(0.85, 0.62, 0.05)
CHINESE_NUMERALS = "零一二三四五六七八九十"
SEAL = 38 * mm


def star_words(level: int, language: str) -> str:
    """``3`` → ``"三星级志愿者"`` / ``"3-star volunteer"``."""
    chinese = language != "en" and 0 <= level <= 10
    number = CHINESE_NUMERALS[level] if chinese else str(level)
    return t("{level}-star volunteer", language).format(level=number)


def render_honour_certificate(
    data: HonourCertificate, target: Target, language: str = "zh_CN"
) -> None:
    """Print an honour certificate for an hour milestone to ``target`` (path or binary file).

    Args:
        data: the volunteer, the star level and milestone reached, number and issuer.
        target: a file path (written atomically) or an open binary file.
        language: ``"zh_CN"`` (default) or ``"en"``.
    """
    title = t("Certificate of honour", language)
    page_w, page_h = landscape(A4)
    with layout.open_target(target) as handle:
        canvas = layout.new_canvas(handle, (page_w, page_h), title)
        _frame(canvas, page_w, page_h)
        layout.text_centre(canvas, page_w / 2, page_h - 48 * mm, title, 34)
        count = max(0, min(data.star_level, 10))
        for index in range(count):
            cx = page_w / 2 + (index - (count - 1) / 2) * 18 * mm
            layout.star(canvas, cx, page_h - 66 * mm, 7 * mm, GOLD)
        _body(canvas, data, language, page_w, page_h - 88 * mm)
        _footer(canvas, data, language, page_w)
        canvas.showPage()
        canvas.save()


def _frame(canvas: Any, page_w: float, page_h: float) -> None:
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(4)
    canvas.rect(10 * mm, 10 * mm, page_w - 20 * mm, page_h - 20 * mm, stroke=1, fill=0)
    canvas.setLineWidth(1)
    canvas.rect(14 * mm, 14 * mm, page_w - 28 * mm, page_h - 28 * mm, stroke=1, fill=0)


def _body(canvas: Any, data: HonourCertificate, language: str, page_w: float, y: float) -> None:
    left, room = 40 * mm, page_w - 80 * mm
    greeting = t("{name} (member number {member_no}):", language).format(
        name=data.volunteer.name, member_no=data.volunteer.member_no
    )
    layout.text(canvas, left, y, greeting, 18)
    body = t(
        "As of {date} you have given {total} of volunteer service at {centre}, reaching the "
        "milestone of {milestone}. You are hereby named a {stars}. Thank you for your care "
        "for the elders of our community.",
        language,
    ).format(
        date=layout.long_date(data.as_of, language),
        total=layout.hours(data.total_minutes, language),
        centre=data.centre_name,
        milestone=layout.hours(data.milestone_minutes, language),
        stars=star_words(data.star_level, language),
    )
    indent = 0.0 if language == "en" else layout.width("　　", 17)
    lines = layout.wrap(body, 17, room - indent)
    for index, line in enumerate(lines):
        x = left + (indent if index == 0 else 0)
        layout.text(canvas, x, y - (index + 1) * 11 * mm, line, 17)


def _footer(canvas: Any, data: HonourCertificate, language: str, page_w: float) -> None:
    number = layout.colon(t("Certificate number", language)) + data.certificate_no
    layout.text(canvas, 40 * mm, 30 * mm, number, 11)
    right = page_w - 40 * mm
    seal_x = right - SEAL - 6 * mm
    layout.seal_box(canvas, seal_x, 24 * mm, SEAL, language)
    issued = layout.long_date(data.issued_on, language)
    layout.text_right(canvas, seal_x - 6 * mm, 48 * mm, data.centre_name, 15)
    layout.text_right(canvas, seal_x - 6 * mm, 38 * mm, issued, 15)
