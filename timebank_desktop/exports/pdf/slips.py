"""Service slips (服务凭条): one per page, or three per A4 sheet with dashed cut lines.

The slip is designed once in a 190 × 93 mm box. Three fit an A4 portrait sheet at full size;
alone, a slip is drawn scaled up on an A4 landscape sheet. Every field an elder reads is at
least 14 pt. The slip number is printed as text and as a QR code so staff can scan it back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from timebank_desktop.domain import slipno
from timebank_desktop.domain.errors import Refused
from timebank_desktop.exports.pdf import layout
from timebank_desktop.exports.pdf.data import Person, Slip
from timebank_desktop.exports.pdf.layout import GREY, Target, t
from timebank_desktop.i18n import N_

ELDER = 14.0  # points: the smallest type on anything an elder reads
WIDTH = 190 * mm
HEIGHT = 93 * mm
PAD = 5 * mm
QR = 24 * mm
BAND = A4[1] / 3
CELLS = (PAD, 68 * mm, 128 * mm)  # left edges of the three field columns (English)
CELLS_ZH = (PAD, 63 * mm, 127 * mm)  # a Chinese date is longer: 2026年11月19日
Progress = Callable[[int, int], None]
TICKS = (N_("Satisfied"), N_("Neutral"), N_("Dissatisfied"))


@dataclass(frozen=True, slots=True)
class _Words:
    """Every fixed word on a slip, translated once per document."""

    language: str
    title: str
    number: str
    volunteer: str
    recipient: str
    category: str
    date: str
    payer: str
    time: str
    duration: str
    credited: str
    content: str
    satisfaction: str
    ticks: tuple[str, ...]
    sign_recipient: str
    sign_volunteer: str
    thumb: str
    cut: str

    @classmethod
    def of(cls, language: str) -> _Words:
        def w(message: str) -> str:
            return t(message, language)

        return cls(
            language,
            w("Service slip"),
            w("Slip no."),
            w("Volunteer"),
            w("Recipient"),
            w("Service category"),
            w("Service date"),
            w("Paid by"),
            w("Service time"),
            w("Duration"),
            w("Credited time"),
            w("Service content"),
            w("Satisfaction"),
            tuple(w(tick) for tick in TICKS),
            w("Recipient's signature"),
            w("Volunteer's signature"),
            w("Thumbprint"),
            w("Cut along the dashed line"),
        )


def check_printable(slips: Sequence[Slip], language: str = "zh_CN") -> None:
    """Refuse a batch holding a voided slip or a slip number with a wrong check digit."""
    if not slips:
        raise Refused(t("There are no slips to print", language))
    for slip in slips:
        if slip.voided:
            raise Refused(
                t("Slip {slip_no} was voided and cannot be printed", language).format(
                    slip_no=slip.slip_no
                )
            )
        if not slipno.is_valid(slip.slip_no):
            raise Refused(
                t("Slip number {slip_no} is not valid", language).format(slip_no=slip.slip_no)
            )


def render_slips(
    slips: Sequence[Slip],
    target: Target,
    per_page: int = 1,
    language: str = "zh_CN",
    progress: Progress | None = None,
) -> None:
    """Print ``slips`` to ``target`` (a path, written atomically, or a binary file).

    Args:
        slips: the slips, in print order; none may be voided.
        target: a file path or an open binary file.
        per_page: 1 (one large slip per A4 landscape page) or 3 (three per A4 portrait sheet,
            with dashed cut lines).
        language: ``"zh_CN"`` (default) or ``"en"``.
        progress: called with (slips drawn, total) after each page; an exception it raises
            (a cancel) stops the print and leaves no file at a path target.

    Raises:
        Refused: a slip is voided or its number is not valid; nothing is written.
    """
    if per_page not in (1, 3):
        raise ValueError(f"per_page must be 1 or 3, not {per_page}")
    check_printable(slips, language)
    words = _Words.of(language)
    pagesize = landscape(A4) if per_page == 1 else A4
    with layout.open_target(target) as handle:
        canvas = layout.new_canvas(handle, pagesize, words.title)
        if per_page == 1:
            _one_per_page(canvas, slips, words, progress)
        else:
            _three_per_page(canvas, slips, words, progress)
        canvas.save()


def _one_per_page(
    canvas: Any, slips: Sequence[Slip], words: _Words, progress: Progress | None
) -> None:
    page_w, page_h = landscape(A4)
    scale = min((page_w - 20 * mm) / WIDTH, (page_h - 20 * mm) / HEIGHT)
    x = (page_w - WIDTH * scale) / 2
    y = (page_h - HEIGHT * scale) / 2
    for index, slip in enumerate(slips):
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        draw_slip(canvas, slip, words)
        canvas.restoreState()
        canvas.showPage()
        if progress is not None:
            progress(index + 1, len(slips))


def _three_per_page(
    canvas: Any, slips: Sequence[Slip], words: _Words, progress: Progress | None
) -> None:
    for start in range(0, len(slips), 3):
        for position, slip in enumerate(slips[start : start + 3]):
            bottom = A4[1] - (position + 1) * BAND
            canvas.saveState()
            canvas.translate((A4[0] - WIDTH) / 2, bottom + (BAND - HEIGHT) / 2)
            draw_slip(canvas, slip, words)
            canvas.restoreState()
        for cut in (BAND, 2 * BAND):
            layout.hline(canvas, 0, A4[0], cut, dash=(4, 3))
            layout.text(canvas, 4 * mm, cut + 1 * mm, words.cut, 6, GREY)
        canvas.showPage()
        if progress is not None:
            progress(min(start + 3, len(slips)), len(slips))


def _who(person: Person, language: str) -> str:
    if language == "en":
        return f"{person.name} ({person.member_no})"
    return f"{person.name}（{person.member_no}）"


def draw_slip(canvas: Any, slip: Slip, words: _Words) -> None:
    """Draw one slip with its lower-left corner at the current origin."""
    canvas.setLineWidth(1.2)
    canvas.rect(0, 0, WIDTH, HEIGHT, stroke=1, fill=0)
    _header(canvas, slip, words)
    _fields(canvas, slip, words)
    _satisfaction(canvas, words)
    _signatures(canvas, words)


def _header(canvas: Any, slip: Slip, words: _Words) -> None:
    qr_left = WIDTH - PAD - QR
    layout.text(canvas, PAD, 82 * mm, layout.fit(slip.centre_name, 16, qr_left - 2 * PAD), 16)
    layout.text(canvas, PAD, 72 * mm, words.title, 18)
    number = f"{words.number} {slip.slip_no}"
    layout.text_right(canvas, qr_left - 3 * mm, 72 * mm, number, ELDER)
    layout.hline(canvas, PAD, qr_left - 3 * mm, 69 * mm)
    layout.draw_qr(canvas, slip.slip_no, qr_left, HEIGHT - PAD - QR, QR)


def _fields(canvas: Any, slip: Slip, words: _Words) -> None:
    lang = words.language
    beside_qr = WIDTH - PAD - QR - 3 * mm
    half = 80 * mm
    pair = layout.label_value
    volunteer, recipient = _who(slip.volunteer, lang), _who(slip.recipient, lang)
    pair(canvas, PAD, 63 * mm, words.volunteer, volunteer, ELDER, half - 4 * mm)
    pair(canvas, PAD + half, 63 * mm, words.recipient, recipient, ELDER, beside_qr - PAD - half)
    rows = (
        (
            55.5 * mm,
            (words.category, slip.category),
            (words.date, layout.long_date(slip.service_date, lang)),
            (words.payer, slip.payer),
        ),
        (
            48 * mm,
            (words.time, f"{slip.start}–{slip.end}"),
            (words.duration, layout.hours(slip.duration_minutes, lang)),
            (words.credited, layout.hours(slip.credited_minutes, lang)),
        ),
    )
    lefts = CELLS if lang == "en" else CELLS_ZH
    edges = (*lefts[1:], WIDTH - PAD)
    for y, *cells in rows:
        for x, right, (label, value) in zip(lefts, edges, cells, strict=True):
            pair(canvas, x, y, label, value, ELDER, right - x - 2 * mm)
    caption = layout.colon(words.content)
    layout.text(canvas, PAD, 40.5 * mm, caption, ELDER, layout.INK)
    indent = PAD + layout.width(caption, ELDER)
    lines = layout.wrap(slip.content, ELDER, WIDTH - PAD - indent, max_lines=2)
    for index, piece in enumerate(lines):
        layout.text(canvas, indent, (40.5 - 7.5 * index) * mm, piece, ELDER)


def _satisfaction(canvas: Any, words: _Words) -> None:
    caption = layout.colon(words.satisfaction)
    y = 24.5 * mm
    layout.text(canvas, PAD, y, caption, ELDER, layout.INK)
    x = PAD + layout.width(caption, ELDER) + 3 * mm
    for tick in words.ticks:
        layout.box(canvas, x, y - 0.6 * mm, 4.5 * mm, 4.5 * mm)
        layout.text(canvas, x + 6.5 * mm, y, tick, ELDER)
        x += 6.5 * mm + layout.width(tick, ELDER) + 9 * mm


def _signatures(canvas: Any, words: _Words) -> None:
    bottom, height = 4 * mm, 16 * mm
    boxes = (
        (PAD, 70 * mm, words.sign_recipient),
        (PAD + 72 * mm, 70 * mm, words.sign_volunteer),
        (PAD + 144 * mm, WIDTH - 2 * PAD - 144 * mm, words.thumb),
    )
    for x, w, label in boxes:
        layout.box(canvas, x, bottom, w, height)
        caption = layout.fit(label, ELDER, w - 4 * mm)
        layout.text(canvas, x + 2 * mm, bottom + height - 5.5 * mm, caption, ELDER, layout.INK)
    thumb_x, thumb_w, _ = boxes[2]
    thumb_line = bottom + 3 * mm
    layout.hline(canvas, thumb_x + 3 * mm, thumb_x + thumb_w - 3 * mm, thumb_line, dash=(1, 2))
