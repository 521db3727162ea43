"""Benchmark: 1,000 service slips against a bare reportlab canvas drawing the same layout.

Run ``python bench/bench_slips.py``. The floor is measured in the same run: a plain canvas
drawing the same strings, boxes, cut lines and QR code (same font, same QR encoder, same
coordinates) with no translation, text fitting, validation or dataclasses. Goals: ratio ≤ 2×
and ≤ 20 ms per slip. Both write to memory, so disk speed is not measured.
"""

from __future__ import annotations

import io
import itertools
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.graphics import renderPDF  # after the path set-up
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from timebank_desktop.domain import slipno
from timebank_desktop.exports.pdf.data import Person, Slip
from timebank_desktop.exports.pdf.fonts import register_cjk_font
from timebank_desktop.exports.pdf.slips import render_slips

COUNT = 1000
ROUNDS = 3
SURNAMES = "张王李赵刘陈杨黄周吴"
CONTENT = "陪同到社区卫生服务中心复诊取药，并协助办理医保报销手续。"


def make_slips(count: int) -> list[Slip]:
    """``count`` plausible slips with distinct numbers and names."""
    return [
        Slip(
            slip_no=slipno.make(i + 1),
            centre_name="朝阳区和平里社区时间银行服务站",
            volunteer=Person(SURNAMES[i % 10] + "秀英", f"V{i:05d}"),
            recipient=Person(SURNAMES[(i + 3) % 10] + "桂兰", f"R{i:05d}"),
            category="助医陪诊",
            service_date=date(2025, 3, 1 + i % 28),
            start="09:00",
            end="10:30",
            duration_minutes=90,
            credited_minutes=90,
            content=CONTENT,
            payer="本人账户",
        )
        for i in range(count)
    ]


def _qr_path(canvas: Any, value: str, x: float, y: float, size: float) -> None:
    qr = QrCodeWidget(value, barLevel="M").qr
    qr.make()
    count = qr.getModuleCount()
    module = size / (count + 4)
    top = y + size - 2 * module
    path = canvas.beginPath()
    for row, modules in enumerate(qr.modules):
        col = 0
        for dark, run in itertools.groupby(modules):
            n = len(list(run))
            if dark:
                path.rect(x + (col + 2) * module, top - (row + 1) * module, n * module, module)
            col += n
    canvas.drawPath(path, stroke=0, fill=1)


def _qr_widget(canvas: Any, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value, barLevel="M", barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def bare_slip(canvas: Any, s: Slip, font: str, qr: Callable[..., None]) -> None:
    """The slip layout with plain canvas calls: fixed Chinese strings, no fitting."""
    canvas.setLineWidth(1.2)
    canvas.rect(0, 0, 190 * mm, 93 * mm)
    canvas.setFont(font, 16)
    canvas.drawString(5 * mm, 82 * mm, s.centre_name)
    canvas.setFont(font, 18)
    canvas.drawString(5 * mm, 72 * mm, "服务凭条")
    canvas.setFont(font, 14)
    canvas.drawRightString(158 * mm, 72 * mm, f"凭条编号 {s.slip_no}")
    canvas.line(5 * mm, 69 * mm, 158 * mm, 69 * mm)
    qr(canvas, s.slip_no, 161 * mm, 64 * mm, 24 * mm)
    cells = (
        (5, 63, f"志愿者：{s.volunteer.name}（{s.volunteer.member_no}）"),
        (85, 63, f"服务对象：{s.recipient.name}（{s.recipient.member_no}）"),
        (5, 55.5, f"服务类别：{s.category}"),
        (
            68,
            55.5,
            f"服务日期：{s.service_date.year}年{s.service_date.month}月{s.service_date.day}日",
        ),
        (128, 55.5, f"支付方：{s.payer}"),
        (5, 48, f"服务时间：{s.start}–{s.end}"),
        (68, 48, f"服务时长：{s.duration_minutes / 60:g} 小时"),
        (128, 48, f"计入时长：{s.credited_minutes / 60:g} 小时"),
        (5, 40.5, f"服务内容：{s.content}"),
        (5, 24.5, "满意度："),
    )
    for x, y, value in cells:
        canvas.drawString(x * mm, y * mm, value)
    for x, label in ((31, "满意"), (51, "一般"), (71, "不满意")):
        canvas.rect(x * mm, 23.9 * mm, 4.5 * mm, 4.5 * mm)
        canvas.drawString((x + 6.5) * mm, 24.5 * mm, label)
    for x, w, label in ((5, 70, "服务对象签字"), (77, 70, "志愿者签字"), (149, 36, "按手印")):
        canvas.rect(x * mm, 4 * mm, w * mm, 16 * mm)
        canvas.drawString((x + 2) * mm, 14.5 * mm, label)
    canvas.setDash(1, 2)
    canvas.line(152 * mm, 7 * mm, 182 * mm, 7 * mm)
    canvas.setDash()


def bare_render(slips: list[Slip], out: io.BytesIO, qr: Callable[..., None]) -> None:
    """Three slips per A4 sheet with dashed cut lines, on a bare canvas."""
    font = register_cjk_font()
    canvas = Canvas(out, pagesize=A4, invariant=1, initialFontName=font)
    band = A4[1] / 3
    for start in range(0, len(slips), 3):
        for position, s in enumerate(slips[start : start + 3]):
            canvas.saveState()
            canvas.translate(10 * mm, A4[1] - (position + 1) * band + 3 * mm)
            bare_slip(canvas, s, font, qr)
            canvas.restoreState()
        canvas.setDash(4, 3)
        canvas.line(0, band, A4[0], band)
        canvas.line(0, 2 * band, A4[0], 2 * band)
        canvas.setDash()
        canvas.setFont(font, 6)
        canvas.drawString(4 * mm, band + mm, "沿虚线剪开")
        canvas.drawString(4 * mm, 2 * band + mm, "沿虚线剪开")
        canvas.showPage()
    canvas.save()


def best_of(job: Callable[[], None], rounds: int = ROUNDS) -> float:
    """The fastest of ``rounds`` runs, in seconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    """Measure and print the ratios."""
    slips = make_slips(COUNT)
    render_slips(slips[:3], io.BytesIO(), per_page=3)  # warm-up: font, catalogs
    bare_render(slips[:3], io.BytesIO(), _qr_path)
    ours3 = best_of(lambda: render_slips(slips, io.BytesIO(), per_page=3))
    ours1 = best_of(lambda: render_slips(slips, io.BytesIO(), per_page=1))
    floor = best_of(lambda: bare_render(slips, io.BytesIO(), _qr_path))
    textbook = best_of(lambda: bare_render(slips, io.BytesIO(), _qr_widget), rounds=1)
    per_slip = ours3 / COUNT * 1000
    ratio = ours3 / floor
    print(f"{COUNT} slips, best of {ROUNDS} runs, written to memory")
    print(f"  render_slips, 3 per A4 sheet : {ours3:7.3f} s  {per_slip:6.2f} ms/slip")
    print(f"  render_slips, 1 per page     : {ours1:7.3f} s  {ours1 / COUNT * 1000:6.2f} ms/slip")
    print(f"  bare canvas floor (QR path)  : {floor:7.3f} s  {floor / COUNT * 1000:6.2f} ms/slip")
    print(f"  bare canvas, QR via Drawing  : {textbook:7.3f} s  (for reference)")
    print(f"ratio to the floor: {ratio:.2f}x (goal <= 2x) {'OK' if ratio <= 2 else 'MISSED'}")
    print(f"ms per slip: {per_slip:.2f} (goal <= 20 ms) {'OK' if per_slip <= 20 else 'MISSED'}")
    print(f"ratio, 1 per page: {ours1 / floor:.2f}x")


if __name__ == "__main__":
    main()
