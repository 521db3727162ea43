"""Every PDF embeds (a subset of) the shipped CJK font and nothing else; Chinese reads back."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.exports_pdf import pdf_factories as f
from timebank_desktop.exports.pdf import (
    render_handover,
    render_honour_certificate,
    render_service_certificate,
    render_slip_reconciliation,
    render_slips,
    render_statement,
)
from timebank_desktop.exports.pdf.fonts import FONT_NAME, register_cjk_font

DOCUMENTS: dict[str, Callable[[Path, str], None]] = {
    "slips": lambda p, lang: render_slips([f.slip(1)], p, per_page=3, language=lang),
    "statement": lambda p, lang: render_statement(f.statement(), p, lang),
    "certificate": lambda p, lang: render_service_certificate(f.service_certificate(), p, lang),
    "honour": lambda p, lang: render_honour_certificate(f.honour_certificate(), p, lang),
    "reconciliation": lambda p, lang: render_slip_reconciliation(f.reconciliation(), p, lang),
    "handover": lambda p, lang: render_handover(f.handover(), p, lang),
}


def test_registration_is_idempotent() -> None:
    assert register_cjk_font() == register_cjk_font() == FONT_NAME


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_only_the_shipped_font_is_used_and_it_is_embedded(
    tmp_path: Path, name: str, language: str
) -> None:
    target = tmp_path / f"{name}.pdf"
    DOCUMENTS[name](target, language)
    rows = f.fonts(target)
    assert rows, "no fonts listed"
    for row in rows:
        assert "WenQuanYiMicroHei" in row[0], row
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
    assert b"STSong" not in target.read_bytes()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_chinese_reads_back_and_pages_render(tmp_path: Path, name: str) -> None:
    target = tmp_path / f"{name}.pdf"
    DOCUMENTS[name](target, "zh_CN")
    assert f.CENTRE in f.pdf_text(target)
    png = f.render_png(target, tmp_path / name, dpi=40)
    assert png.stat().st_size > 1000


def test_pages_look_the_same_with_no_system_font_at_all(tmp_path: Path) -> None:
    """Rendered with a fontconfig that knows no fonts at all, a page is pixel-identical."""
    tool = f.need("pdftoppm")
    target = tmp_path / "slips.pdf"
    render_slips([f.slip(1)], target, per_page=3)
    empty = tmp_path / "fonts.conf"
    empty.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>'
    )
    no_fonts = {**os.environ, "FONTCONFIG_FILE": str(empty)}
    images = []
    for name, env in (("normal", dict(os.environ)), ("bare", no_fonts)):
        prefix = tmp_path / name
        command = [tool, "-r", "40", "-png", "-singlefile", str(target), str(prefix)]
        subprocess.run(command, check=True, env=env, capture_output=True)
        images.append(prefix.with_suffix(".png").read_bytes())
    assert images[0] == images[1]
