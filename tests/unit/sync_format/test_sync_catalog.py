"""Every message of the sync layer has a Chinese translation."""

from __future__ import annotations

import ast
from pathlib import Path

from timebank_desktop.i18n import translate

ROOT = Path(__file__).parents[3] / "timebank_desktop"
FILES = [
    *sorted((ROOT / "exports" / "sync").glob("*.py")),
    ROOT / "domain" / "signing.py",
    ROOT / "domain" / "memberkey.py",
]


def _messages() -> set[str]:
    found: set[str] = set()
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_message_is_translated() -> None:
    messages = _messages()
    assert len(messages) > 40
    missing = sorted(m for m in messages if translate(m, "zh_CN") == m)
    assert missing == []


def test_placeholders_survive_translation() -> None:
    import re

    for message in _messages():
        fields = sorted(re.findall(r"\{(\w+)\}", message))
        assert sorted(re.findall(r"\{(\w+)\}", translate(message, "zh_CN"))) == fields, message
