"""Service slips: content, large type, QR code, 3-per-sheet layout, voided slips refused."""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path

import pytest

from tests.unit.exports_pdf.pdf_factories import (
    CENTRE,
    need,
    page_count,
    pdf_text,
    render_png,
    slip,
    word_heights,
)
from timebank_desktop.domain.errors import Refused
from timebank_desktop.exports.pdf import render_slips
from timebank_desktop.exports.pdf.slips import ELDER


def test_a_slip_prints_every_field_in_chinese(tmp_path: Path) -> None:
    target = tmp_path / "slip.pdf"
    render_slips([slip(42)], target)
    text = pdf_text(target)
    for expected in (
        CENTRE, "服务凭条", slip(42).slip_no, "张秀英", "V00012", "李桂兰", "R00345", "助医陪诊",
        "2025年3月4日", "09:00–10:30", "服务时长：1.5 小时", "计入时长：1.5 小时",
        "陪同到社区卫生服务中心复诊取药", "公益池", "满意", "一般", "不满意",
        "服务对象签字", "志愿者签字", "按手印",
    ):  # fmt: skip
        assert expected in text, expected


def test_credited_time_is_shown_apart_from_duration(tmp_path: Path) -> None:
    target = tmp_path / "slip.pdf"
    render_slips([slip(7, duration_minutes=120, credited_minutes=180)], target)
    text = pdf_text(target)
    assert "服务时长：2 小时" in text
    assert "计入时长：3 小时" in text


def test_elder_facing_fields_are_at_least_14_points(tmp_path: Path) -> None:
    target = tmp_path / "slips.pdf"
    render_slips([slip(1)], target, per_page=3)  # 3-per-sheet is the smallest print
    for needle in ("张秀英", "李桂兰", "1.5", "满意", "服务对象签字", "00000013"):
        heights = word_heights(target, needle)
        assert heights, needle
        assert min(heights) >= ELDER - 0.2, (needle, heights)


@pytest.mark.parametrize("per_page", [1, 3])
def test_the_qr_code_decodes_to_the_slip_number(tmp_path: Path, per_page: int) -> None:
    zbarimg = need("zbarimg")
    target = tmp_path / "slip.pdf"
    render_slips([slip(4711)], target, per_page=per_page)
    png = render_png(target, tmp_path / "page", dpi=150)
    done = subprocess.run(
        [zbarimg, "--raw", "-q", str(png)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [slip(4711).slip_no]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7])
def test_three_per_sheet_gives_a_third_as_many_pages(count: int) -> None:
    out = io.BytesIO()
    render_slips([slip(i + 1) for i in range(count)], out, per_page=3)
    assert page_count(out.getvalue()) == math.ceil(count / 3)


def test_one_per_page_gives_one_page_per_slip() -> None:
    out = io.BytesIO()
    render_slips([slip(i + 1) for i in range(4)], out, per_page=1)
    assert page_count(out.getvalue()) == 4


def test_three_per_sheet_has_cut_lines(tmp_path: Path) -> None:
    target = tmp_path / "slips.pdf"
    render_slips([slip(1), slip(2), slip(3)], target, per_page=3)
    assert pdf_text(target).count("沿虚线剪开") == 2


def test_a_voided_slip_is_refused_and_no_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "slips.pdf"
    with pytest.raises(Refused, match="作废") as caught:
        render_slips([slip(1), slip(2, voided=True)], target)
    assert slip(2).slip_no in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_voided_slip_never_replaces_an_earlier_file(tmp_path: Path) -> None:
    target = tmp_path / "slips.pdf"
    target.write_bytes(b"earlier")
    with pytest.raises(Refused):
        render_slips([slip(2, voided=True)], target, per_page=3)
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["slips.pdf"]


def test_a_voided_slip_is_refused_in_english_too() -> None:
    out = io.BytesIO()
    with pytest.raises(Refused, match="was voided"):
        render_slips([slip(2, voided=True)], out, language="en")
    assert out.getvalue() == b""


def test_a_slip_number_with_a_wrong_check_digit_is_refused() -> None:
    wrong = slip(5).slip_no[:-1] + str((int(slip(5).slip_no[-1]) + 1) % 10)
    with pytest.raises(Refused, match="无效"):
        render_slips([slip(5, slip_no=wrong)], io.BytesIO())


def test_nothing_to_print_is_refused() -> None:
    with pytest.raises(Refused):
        render_slips([], io.BytesIO())


def test_per_page_must_be_one_or_three() -> None:
    with pytest.raises(ValueError, match="per_page"):
        render_slips([slip(1)], io.BytesIO(), per_page=2)


def test_english_slips(tmp_path: Path) -> None:
    target = tmp_path / "slip.pdf"
    render_slips([slip(42)], target, language="en")
    text = pdf_text(target)
    for expected in (
        "Service slip", "Volunteer: 张秀英 (V00012)", "Recipient: 李桂兰 (R00345)",
        "Duration: 1.5 hours", "Credited time: 1.5 hours", "Satisfied", "Dissatisfied",
        "Recipient's signature", "Thumbprint", slip(42).slip_no,
    ):  # fmt: skip
        assert expected in text, expected


def test_long_text_is_cut_to_fit_not_spilled(tmp_path: Path) -> None:
    target = tmp_path / "slip.pdf"
    long_content = "协助老人整理房间、清洗衣物、更换床单被罩并打扫厨房卫生间" * 6
    render_slips([slip(9, content=long_content, centre_name="很长的" * 30)], target)
    text = pdf_text(target)
    assert "…" in text
    assert "协助老人整理房间" in text


def test_slips_render_to_png(tmp_path: Path) -> None:
    target = tmp_path / "slips.pdf"
    render_slips([slip(1), slip(2)], target, per_page=3)
    png = render_png(target, tmp_path / "page", dpi=50)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
