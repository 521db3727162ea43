"""What the service form types into the volunteer and recipient fields, resolved to a member.

Staff type a member number, an ID-number tail, a name or pinyin initials. A member number or a
full ID number names one member; anything else must match exactly one member, or the field is
refused with a reason (no match, or several: pick one from the list).
"""

from __future__ import annotations

import re

from timebank_desktop.domain import idnumber
from timebank_desktop.domain.errors import NotFound, ValidationError
from timebank_desktop.i18n import _
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.member_search import MemberSummary
from timebank_desktop.services.members import MemberService

_MEMBER_NO = re.compile(r"[Mm]\d{6}")


class MemberLookup:
    def __init__(self, ctx: AppContext) -> None:
        self.members = MemberService(ctx)

    def resolve(self, text: str, field: str, role: str | None = None) -> MemberSummary:
        """The one member ``text`` names, or a `ValidationError` on ``field``."""
        key = text.strip()
        if not key:
            raise ValidationError.single(
                "lookup.empty", _("Type a member number, ID tail, name or initials"), field
            )
        if _MEMBER_NO.fullmatch(key) or idnumber.looks_like_id_number(key):
            try:
                return self.members.get(key).summary
            except NotFound:
                raise ValidationError.single(
                    "lookup.unknown", _("Unknown member: {ref}").format(ref=key), field
                ) from None
        found = self.members.search(key, limit=2, role=role)
        if not found:
            raise ValidationError.single(
                "lookup.none", _("No member matches {text}").format(text=key), field
            )
        if len(found) > 1:
            raise ValidationError.single(
                "lookup.several",
                _("Several members match {text}: pick one from the list").format(text=key),
                field,
            )
        return found[0]

    def suggestions(
        self, text: str, role: str | None = None, limit: int = 12
    ) -> list[MemberSummary]:
        """Candidates for the completion list while typing."""
        if not text.strip():
            return []
        return self.members.search(text.strip(), limit=limit, role=role)
