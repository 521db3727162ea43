"""Every user-visible string has its Chinese translation; the catalog reader is sound."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from timebank_desktop.i18n import parse_po, set_language, translate

ROOT = Path(__file__).resolve().parents[2]


def _messages_module():  # scripts/ is not a package
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_chinese_translation() -> None:
    missing = _messages_module().missing("zh_CN")
    assert missing == {}, "\n".join(f"{where}: {msg}" for msg, where in missing.items())


def test_po_parser_handles_continuations_and_escapes() -> None:
    text = 'msgid ""\nmsgstr "header"\n\nmsgid "a \\"b\\""\nmsgstr ""\n"第一"\n"第二\\n"\n'
    assert parse_po(text) == {'a "b"': "第一第二\n"}


def test_translate_follows_the_language() -> None:
    assert translate("The name is required", "zh_CN") == "请填写姓名"
    set_language("zh_CN")
    try:
        from timebank_desktop.i18n import _

        assert _("The name is required") == "请填写姓名"
    finally:
        set_language("en")
    assert translate("The name is required") == "The name is required"
