"""Volunteer service certificate and honour certificate."""

from __future__ import annotations

from pathlib import Path

from tests.unit.exports_pdf.pdf_factories import (
    CENTRE,
    ID_NUMBER,
    MASKED_ID,
    honour_certificate,
    pdf_text,
    service_certificate,
)
from timebank_desktop.exports.pdf import render_honour_certificate, render_service_certificate
from timebank_desktop.exports.pdf.honour import star_words


def _flat(text: str) -> str:
    return "".join(text.split())


def test_service_certificate(tmp_path: Path) -> None:
    target = tmp_path / "certificate.pdf"
    data = service_certificate()
    assert (data.total_services, data.total_minutes) == (82, 5280)
    render_service_certificate(data, target)
    text = pdf_text(target)
    flat = _flat(text)
    for expected in (
        "志愿服务记录证明", "张秀英", "V00012", MASKED_ID, "ZM-2025-0007", "盖章处",
        "出具单位", CENTRE, "2026年1月6日", "助餐", "助医陪诊", "精神慰藉", "合计",
        "参加志愿服务82次", "累计服务时长88小时",
    ):  # fmt: skip
        assert _flat(expected) in flat, expected
    assert ID_NUMBER not in flat
    table = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.strip()}
    assert table["助医陪诊"] == ["12", "18"]
    assert table["合计"] == ["82", "88"]


def test_service_certificate_in_english(tmp_path: Path) -> None:
    target = tmp_path / "certificate.pdf"
    render_service_certificate(service_certificate(), target, "en")
    flat = _flat(pdf_text(target))
    for expected in ("Volunteer service certificate", "82 services", "88 hours in total",
                     "Place for the seal", "ZM-2025-0007", MASKED_ID):  # fmt: skip
        assert _flat(expected) in flat, expected


def test_honour_certificate(tmp_path: Path) -> None:
    target = tmp_path / "honour.pdf"
    render_honour_certificate(honour_certificate(), target)
    flat = _flat(pdf_text(target))
    for expected in ("荣誉证书", "张秀英", "三星级志愿者", "507.5小时", "500小时", "RY-2025-0003",
                     "盖章处", CENTRE, "2025年12月31日"):  # fmt: skip
        assert _flat(expected) in flat, expected


def test_honour_certificate_in_english(tmp_path: Path) -> None:
    target = tmp_path / "honour.pdf"
    render_honour_certificate(honour_certificate(), target, "en")
    flat = _flat(pdf_text(target))
    assert _flat("3-star volunteer") in flat
    assert _flat("507.5 hours") in flat


def test_star_words() -> None:
    assert star_words(5, "zh_CN") == "五星级志愿者"
    assert star_words(12, "zh_CN") == "12星级志愿者"
    assert star_words(1, "en") == "1-star volunteer"
