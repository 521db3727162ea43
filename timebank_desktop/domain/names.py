"""Names of people: validation and pinyin keys for as-you-type search (张三 → zhangsan, zs)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from timebank_desktop.domain.errors import Problem
from timebank_desktop.i18n import _

MAX_NAME_LENGTH = 40

# Surnames read differently from the same character in ordinary words (曾 zeng, not ceng).
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "尉": "yu",
    "万": "wan",
    "任": "ren",
    "华": "hua",
    "纪": "ji",
    "种": "chong",
    "秘": "bi",
    "那": "na",
    "员": "yun",
    "召": "shao",
    "沈": "shen",
    "重": "chong",
}


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def problems(text: str, field: str = "name") -> list[Problem]:
    name = normalise(text)
    if not name:
        return [Problem("name.empty", _("The name is required"), field)]
    if len(name) > MAX_NAME_LENGTH:
        return [Problem("name.long", _("The name is too long"), field)]
    if any(unicodedata.category(ch).startswith(("C", "S")) for ch in name):
        return [Problem("name.chars", _("The name holds characters a name cannot have"), field)]
    if any(ch.isdigit() for ch in name):
        return [Problem("name.digits", _("The name must not contain digits"), field)]
    return []


@lru_cache(maxsize=8192)
def pinyin_keys(name: str) -> tuple[str, str]:
    """Full pinyin without tones and initials, lower case: ``("zhangsan", "zs")``."""
    # Imported on first use: pypinyin's phrase tables take ~0.4 s to load, too long for the
    # desktop's start-up (the GUI warms it on its worker once the window is up).
    from pypinyin import Style, lazy_pinyin

    syllables = [s.lower() for s in lazy_pinyin(name, style=Style.NORMAL, errors="default")]
    if name and name[0] in SURNAME_READINGS and syllables:
        syllables[0] = SURNAME_READINGS[name[0]]
    parts = [s for s in syllables if s.strip()]
    full = "".join(p.replace(" ", "") for p in parts)
    initials = "".join(p[0] for p in parts if p and p[0].isalnum())
    return full, initials


def initials_of(text: str) -> str:
    """Pinyin initials of any Chinese text (category names, 生活照料 → shzl)."""
    return pinyin_keys(text)[1]
