"""What every paper service shares: the centre's name, people, accounts named in words."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.domain.ledger import GOODS_ACCOUNT, POOL_ACCOUNT
from timebank_desktop.exports.pdf.data import Person
from timebank_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, translate
from timebank_desktop.models import Category, Member
from timebank_desktop.services.centre import load_centre

PAYER_WORDS = {  # short: the slip's "paid by" cell is narrow
    "pool": N_("Pool"),
    "recipient": N_("Own account"),
}


def language_of(language: str | None) -> str:
    """The language a document is printed in: Chinese unless asked otherwise."""
    chosen = language or DEFAULT_LANGUAGE
    if chosen not in LANGUAGES:
        raise ValidationError.single(
            "paper.language",
            _("Unknown language: {language}").format(language=chosen),
            "language",
        )
    return chosen


def t(message: str, language: str) -> str:
    """``message`` in the printed language (extracted for the catalog like ``_``)."""
    return translate(message, language)


def centre_name(session: Session) -> str:
    return load_centre(session).name


def person(member: Member) -> Person:
    return Person(member.name, member.member_no)


def hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def category_names(session: Session, language: str) -> dict[str, str]:
    """Every category code with its name in ``language``."""
    rows = session.execute(select(Category.code, Category.name_zh, Category.name_en)).all()
    return {code: (en if language == "en" else zh) for code, zh, en in rows}


def category_order(session: Session) -> dict[str, int]:
    rows = session.execute(select(Category.code, Category.sort_order)).all()
    return {code: order for code, order in rows}


def account_words(code: str, member_name: str | None, language: str) -> str:
    """The other side of a movement in words: a member's name, the pool, goods, a centre."""
    if member_name is not None:
        return member_name
    if code == POOL_ACCOUNT:
        return t("Community pool", language)
    if code == GOODS_ACCOUNT:
        return t("Goods", language)
    if code.startswith("clearing:"):
        return t("Centre {code}", language).format(code=code.removeprefix("clearing:"))
    return code
