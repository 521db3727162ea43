"""Members: add, edit (audited), look up, search as you type, household relations."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank_desktop.domain import idnumber, names, phone
from timebank_desktop.domain.errors import NotFound, Problem, Refused, ValidationError
from timebank_desktop.domain.ledger import AccountKind, member_account_code
from timebank_desktop.domain.policy import RELATIONS_DIRECT
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, HouseholdRelation, Member
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import member_no as format_member_no
from timebank_desktop.services.counters import next_value
from timebank_desktop.services.member_search import MemberSummary, search_clause, search_page

ROLES = ("volunteer", "recipient", "both")
RELATIONS = (*RELATIONS_DIRECT, "sibling")
INVERSE = {
    "spouse": "spouse",
    "parent": "child",
    "child": "parent",
    "grandparent": "grandchild",
    "grandchild": "grandparent",
    "sibling": "sibling",
}


@dataclass(frozen=True, slots=True)
class MemberInput:
    """What staff type for a member (the form and the CLI)."""

    name: str
    id_number: str
    phone: str = ""
    role: str = "volunteer"
    address: str = ""
    emergency_contact: str = ""
    lives_alone: bool = False
    disability_level: str = ""
    on_needs_list: bool = False
    skills: tuple[str, ...] = ()
    availability: str = ""
    consent_date: date | None = None
    notes: str = ""
    joined_on: date | None = None


@dataclass(frozen=True, slots=True)
class Relative:
    member_no: str
    name: str
    relation: str


@dataclass(frozen=True, slots=True)
class MemberDetail:
    summary: MemberSummary
    address: str
    emergency_contact: str
    lives_alone: bool
    disability_level: str
    on_needs_list: bool
    skills: tuple[str, ...]
    availability: str
    consent_date: date | None
    notes: str
    joined_on: date
    relatives: tuple[Relative, ...] = field(default=())


def role_flags(role: str) -> tuple[bool, bool]:
    if role not in ROLES:
        raise ValidationError.single(
            "member.role", _("The role must be volunteer, recipient or both"), "role"
        )
    return role in ("volunteer", "both"), role in ("recipient", "both")


def resolve(session: Session, ref: str, field_name: str = "member") -> Member:
    """A member by member number (M000001) or resident ID number."""
    text = ref.strip()
    member: Member | None
    if idnumber.looks_like_id_number(text):
        value = idnumber.normalise(text)
        if len(value) == 15:
            value = idnumber.convert_15(value)
        member = session.scalar(select(Member).where(Member.id_number == value))
    else:
        member = session.scalar(select(Member).where(Member.member_no == text.upper()))
    if member is None:
        raise NotFound(
            _("Unknown member: {ref}").format(ref=ref),
            (Problem("member.unknown", _("Unknown member: {ref}").format(ref=ref), field_name),),
        )
    return member


def resolve_active(
    session: Session, ref: str, role: Literal["volunteer", "recipient"], field_name: str = "member"
) -> Member:
    """`resolve`, refusing a member who is no longer active or not registered in ``role``."""
    member = resolve(session, ref, field_name)
    if not member.active:
        raise Refused(
            _("{name} ({member}) is no longer active").format(
                name=member.name, member=member.member_no
            )
        )
    if role == "volunteer" and not member.is_volunteer:
        message = _("{name} ({member}) is not registered as a volunteer")
    elif role == "recipient" and not member.is_recipient:
        message = _("{name} ({member}) is not registered as a recipient")
    else:
        return member
    raise Refused(message.format(name=member.name, member=member.member_no))


def _summary(member: Member, balance: int) -> MemberSummary:
    return MemberSummary(
        member.id,
        member.member_no,
        member.name,
        member.gender,
        member.birth_date,
        member.id_number,
        member.phone,
        member.is_volunteer,
        member.is_recipient,
        balance,
        member.star_level,
    )


def _balance(session: Session, member_id: str) -> int:
    return (
        session.scalar(select(Account.balance_minutes).where(Account.member_id == member_id)) or 0
    )


def _validate(data: MemberInput, today: date) -> tuple[idnumber.IdNumber, str]:
    problems: list[Problem] = []
    problems += names.problems(data.name)
    problems += idnumber.problems(data.id_number, today)
    problems += phone.problems(data.phone)
    if data.role not in ROLES:
        problems.append(
            Problem("member.role", _("The role must be volunteer, recipient or both"), "role")
        )
    if len(data.address) > 200:
        problems.append(Problem("member.address", _("The address is too long"), "address"))
    if problems:
        raise ValidationError.of(problems)
    return idnumber.parse(data.id_number, today), phone.normalise(data.phone)


class MemberService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------ writing
    def add(self, data: MemberInput) -> MemberSummary:
        ctx = self.ctx
        ctx.require(Permission.EDIT_MEMBERS)
        today = ctx.today()
        ident, tel = _validate(data, today)
        volunteer, recipient = role_flags(data.role)
        with ctx.write() as session:
            if session.scalar(select(Member.member_no).where(Member.id_number == ident.value)):
                raise ValidationError.single(
                    "member.duplicate_id",
                    _("A member with this ID number already exists"),
                    "id_number",
                )
            member = self._new_member(session, data, ident, tel, volunteer, recipient)
            ctx.audit(session, "member.add", "member", member.member_no, name=member.name)
            return _summary(member, 0)

    def _new_member(
        self,
        session: Session,
        data: MemberInput,
        ident: idnumber.IdNumber,
        tel: str,
        volunteer: bool,
        recipient: bool,
    ) -> Member:
        ctx = self.ctx
        number = format_member_no(next_value(session, "member_no"))
        name = names.normalise(data.name)
        full, initials = names.pinyin_keys(name)
        now = ctx.now()
        member = Member(
            id=ctx.new_id(),
            member_no=number,
            name=name,
            name_pinyin=full,
            name_initials=initials,
            gender=ident.gender,
            birth_date=ident.birth_date,
            id_number=ident.value,
            id_rev=ident.value[::-1],
            phone=tel,
            phone_rev=tel[::-1],
            address=data.address.strip(),
            emergency_contact=data.emergency_contact.strip(),
            is_volunteer=volunteer,
            is_recipient=recipient,
            lives_alone=data.lives_alone,
            disability_level=data.disability_level,
            on_needs_list=data.on_needs_list,
            skills=",".join(data.skills),
            availability=data.availability,
            star_level=0,
            consent_date=data.consent_date,
            notes=data.notes,
            active=True,
            joined_on=data.joined_on or ctx.today(),
            created_at=now,
            updated_at=now,
        )
        session.add(member)
        session.flush()
        session.add(
            Account(
                id=ctx.new_id(),
                code=member_account_code(number),
                kind=AccountKind.MEMBER.value,
                member_id=member.id,
                balance_minutes=0,
                created_at=now,
            )
        )
        session.flush()
        return member

    def edit(self, ref: str, data: MemberInput) -> MemberSummary:
        """Replace a member's details; the ID number may be corrected; audited old → new."""
        ctx = self.ctx
        ctx.require(Permission.EDIT_MEMBERS)
        ident, tel = _validate(data, ctx.today())
        volunteer, recipient = role_flags(data.role)
        with ctx.write() as session:
            member = resolve(session, ref)
            clash = session.scalar(
                select(Member.member_no).where(
                    Member.id_number == ident.value, Member.id != member.id
                )
            )
            if clash:
                raise ValidationError.single(
                    "member.duplicate_id",
                    _("A member with this ID number already exists"),
                    "id_number",
                )
            before = self._snapshot(member)
            name = names.normalise(data.name)
            member.name = name
            member.name_pinyin, member.name_initials = names.pinyin_keys(name)
            member.id_number, member.id_rev = ident.value, ident.value[::-1]
            member.gender, member.birth_date = ident.gender, ident.birth_date
            member.phone, member.phone_rev = tel, tel[::-1]
            member.address = data.address.strip()
            member.emergency_contact = data.emergency_contact.strip()
            member.is_volunteer, member.is_recipient = volunteer, recipient
            member.lives_alone, member.on_needs_list = data.lives_alone, data.on_needs_list
            member.disability_level = data.disability_level
            member.skills, member.availability = ",".join(data.skills), data.availability
            member.consent_date, member.notes = data.consent_date, data.notes
            member.updated_at = ctx.now()
            after = self._snapshot(member)
            changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
            ctx.audit(session, "member.edit", "member", member.member_no, changes=changed)
            return _summary(member, _balance(session, member.id))

    @staticmethod
    def _snapshot(member: Member) -> dict[str, object]:
        keys = (
            "name",
            "id_number",
            "phone",
            "address",
            "emergency_contact",
            "is_volunteer",
            "is_recipient",
            "lives_alone",
            "on_needs_list",
            "disability_level",
            "skills",
            "availability",
            "consent_date",
            "notes",
        )
        return {k: str(getattr(member, k)) for k in keys}

    def add_relation(self, ref: str, relative_ref: str, relation: str) -> None:
        """Record that ``relative`` is ``member``'s ``relation`` (and the inverse)."""
        ctx = self.ctx
        ctx.require(Permission.EDIT_MEMBERS)
        if relation not in RELATIONS:
            raise ValidationError.single(
                "relation.unknown",
                _(
                    "The relation must be spouse, parent, child, grandparent, grandchild or "
                    "sibling"
                ),
                "relation",
            )
        with ctx.write() as session:
            member = resolve(session, ref)
            relative = resolve(session, relative_ref, "relative")
            if member.id == relative.id:
                raise Refused(_("A member cannot be their own relative"))
            for a, b, rel in ((member, relative, relation), (relative, member, INVERSE[relation])):
                found = session.scalar(
                    select(HouseholdRelation).where(
                        HouseholdRelation.member_id == a.id, HouseholdRelation.relative_id == b.id
                    )
                )
                if found is None:
                    session.add(HouseholdRelation(member_id=a.id, relative_id=b.id, relation=rel))
                else:
                    found.relation = rel
            ctx.audit(
                session,
                "member.relation",
                "member",
                member.member_no,
                relative=relative.member_no,
                relation=relation,
            )

    # ------------------------------------------------------------ reading
    def get(self, ref: str) -> MemberDetail:
        with self.ctx.read() as session:
            member = resolve(session, ref)
            relatives = session.execute(
                select(Member.member_no, Member.name, HouseholdRelation.relation)
                .join(HouseholdRelation, HouseholdRelation.relative_id == Member.id)
                .where(HouseholdRelation.member_id == member.id)
                .order_by(Member.member_no)
            ).all()
            return MemberDetail(
                _summary(member, _balance(session, member.id)),
                member.address,
                member.emergency_contact,
                member.lives_alone,
                member.disability_level,
                member.on_needs_list,
                tuple(s for s in member.skills.split(",") if s),
                member.availability,
                member.consent_date,
                member.notes,
                member.joined_on,
                tuple(Relative(r.member_no, r.name, r.relation) for r in relatives),
            )

    def search(
        self, text: str = "", limit: int = 50, offset: int = 0, role: str | None = None
    ) -> list[MemberSummary]:
        """Members matching ``text`` in member-number order, one page at a time."""
        return search_page(self.ctx, text, limit, offset, role)

    def count(self, text: str = "") -> int:
        with self.ctx.read() as session:
            return (
                session.scalar(select(func.count()).select_from(Member).where(search_clause(text)))
                or 0
            )


def input_from_detail(detail: MemberDetail, **changes: object) -> MemberInput:
    """The form values of an existing member, with ``changes`` applied (for edits)."""
    s = detail.summary
    data = MemberInput(
        name=s.name,
        id_number=s.id_number,
        phone=s.phone,
        role=s.role,
        address=detail.address,
        emergency_contact=detail.emergency_contact,
        lives_alone=detail.lives_alone,
        disability_level=detail.disability_level,
        on_needs_list=detail.on_needs_list,
        skills=detail.skills,
        availability=detail.availability,
        consent_date=detail.consent_date,
        notes=detail.notes,
        joined_on=detail.joined_on,
    )
    known = {f.name for f in fields(MemberInput)}
    return replace(data, **{k: v for k, v in changes.items() if k in known})  # type: ignore[arg-type]
