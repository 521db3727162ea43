"""One translation catalog for every layer (domain errors, services, reports, CLI and GUI).

Source strings are English and wrapped in ``_()``; catalogs are gettext ``.po`` files under
``resources/locale/<lang>/*.po`` (one file per area: core, pdf, excel, sync, ui), read directly
and merged (no compiled artefacts to keep in step). Chinese
(zh_CN) is the default language; English is the identity catalog.
"""

from __future__ import annotations

import ast
import threading
from pathlib import Path

from timebank_desktop.resources import resource_path

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}

_lock = threading.Lock()
_catalogs: dict[str, dict[str, str]] = {}
_state = {"language": DEFAULT_LANGUAGE}


def _unquote(token: str) -> str:
    value = ast.literal_eval(token)
    if not isinstance(value, str):  # pragma: no cover - malformed catalog
        raise ValueError(f"not a string literal: {token!r}")
    return value


def parse_po(text: str) -> dict[str, str]:
    """Parse the subset of the gettext PO format our catalogs use (msgid/msgstr, no plurals)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key, value = "".join(msgid), "".join(msgstr)
            if key and value:
                entries[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
    flush()
    return entries


def catalog_files(language: str) -> list[Path]:
    folder = resource_path("locale", language)
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def _catalog(language: str) -> dict[str, str]:
    with _lock:
        found = _catalogs.get(language)
        if found is None:
            found = {}
            for path in catalog_files(language):
                found.update(parse_po(path.read_text(encoding="utf-8")))
            _catalogs[language] = found
        return found


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` (``zh_CN`` or ``en``)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")
    _state["language"] = language


def current_language() -> str:
    return _state["language"]


def translate(message: str, language: str | None = None) -> str:
    """The translation of an English source string, or the string itself."""
    lang = language or _state["language"]
    if lang == "en":
        return message
    return _catalog(lang).get(message, message)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translate(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message
