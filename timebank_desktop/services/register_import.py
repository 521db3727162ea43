"""Move in from paper: import a legacy member register with opening balances (CLI.md).

Every row is checked first. Without ``skip_invalid`` any faulty row means nothing is written;
with it, the valid rows go in as one transaction and the faulty ones are reported.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from timebank_desktop.domain import idnumber, names, phone
from timebank_desktop.domain.errors import FileRejected, Problem, ValidationError
from timebank_desktop.domain.ledger import POOL_ACCOUNT, PostingLine, TxKind, member_account_code
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.excel.register import RegisterRow, read_register
from timebank_desktop.i18n import _
from timebank_desktop.models import Member
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.file_checks import check_input, os_reason
from timebank_desktop.services.ledger_writer import LedgerWriter, TxSpec
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.policy import policy_for

ROLE_WORDS = {
    "志愿者": "volunteer",
    "服务对象": "recipient",
    "受助老人": "recipient",
    "volunteer": "volunteer",
    "recipient": "recipient",
    "both": "both",
}
GENDER_WORDS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}


@dataclass(frozen=True, slots=True)
class ValidRow:
    row: int
    member: MemberInput
    opening_minutes: int


@dataclass
class ImportReport:
    valid: list[ValidRow] = field(default_factory=list)
    invalid: list[tuple[int, list[Problem]]] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)  # member numbers
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "valid": len(self.valid),
            "imported": self.imported,
            "dry_run": self.dry_run,
            "invalid": [
                {
                    "row": row,
                    "problems": [
                        {"code": p.code, "field": p.field, "message": p.message} for p in problems
                    ],
                }
                for row, problems in self.invalid
            ],
        }

    def lines(self) -> list[str]:
        return [
            _("row {row}: {reasons}").format(
                row=row, reasons="; ".join(p.message for p in problems)
            )
            for row, problems in self.invalid
        ]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _role(value: object) -> str | None:
    words = {ROLE_WORDS.get(w.strip().lower()) for w in _text(value).replace("、", "/").split("/")}
    words.discard(None)
    if not words:
        return None
    return "both" if len(words) > 1 or "both" in words else words.pop()


def _minutes(value: object) -> int | None:
    if value is None or _text(value) == "":
        return 0
    if isinstance(value, bool):
        return None
    try:
        hours = Decimal(_text(value))
    except InvalidOperation:
        return None
    minutes = hours * 60
    if not hours.is_finite() or minutes != minutes.to_integral_value():
        return None
    return int(minutes)


def check_row(raw: RegisterRow, today: date) -> tuple[ValidRow | None, list[Problem]]:
    v = raw.values
    problems: list[Problem] = []
    name, ident_text, tel = _text(v.get("name")), _text(v.get("id_number")), _text(v.get("phone"))
    problems += names.problems(name)
    problems += idnumber.problems(ident_text, today)
    problems += phone.problems(tel)
    role = _role(v.get("role")) if _text(v.get("role")) else "volunteer"
    if role is None:
        problems.append(
            Problem(
                "register.role",
                _("Unknown role: {value}").format(value=_text(v.get("role"))),
                "role",
            )
        )
    minutes = _minutes(v.get("balance"))
    if minutes is None:
        problems.append(
            Problem(
                "register.balance",
                _("The hours are not a number: {value}").format(value=_text(v.get("balance"))),
                "balance",
            )
        )
    elif minutes < 0:
        problems.append(
            Problem(
                "register.negative",
                _("The hours cannot be negative: {value}").format(value=_text(v.get("balance"))),
                "balance",
            )
        )
    if not problems:
        ident = idnumber.parse(ident_text, today)
        stated = GENDER_WORDS.get(_text(v.get("gender")).lower())
        if _text(v.get("gender")) and stated != ident.gender:
            problems.append(
                Problem("register.gender", _("The gender does not match the ID number"), "gender")
            )
    if problems:
        return None, problems
    registered = v.get("registered")
    joined = (
        registered.date()
        if isinstance(registered, datetime)
        else (registered if isinstance(registered, date) else None)
    )
    member = MemberInput(
        name=name,
        id_number=ident_text,
        phone=tel,
        role=role or "volunteer",
        address=_text(v.get("address")),
        notes=_text(v.get("notes")),
        joined_on=joined,
    )
    return ValidRow(raw.row, member, minutes or 0), []


def _id_key(raw: RegisterRow, today: date) -> str | None:
    text = _text(raw.values.get("id_number"))
    if idnumber.problems(text, today):
        return None
    return idnumber.parse(text, today).value


def _check_workbook(path: str | Path) -> None:
    """Refuse, in the user's language, a file that cannot be an Excel workbook at all."""
    source = check_input(path)
    try:
        is_zip = zipfile.is_zipfile(source)
    except OSError as exc:
        raise FileRejected(
            _("Cannot read the register {path}: {reason}").format(
                path=source.name, reason=os_reason(exc)
            )
        ) from exc
    if not is_zip:
        raise FileRejected(
            _("{path} is not an Excel workbook (.xlsx): save the register as .xlsx first").format(
                path=source.name
            )
        )


class RegisterImportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def check(self, path: str | Path) -> ImportReport:
        """Validate every row: format, duplicates within the file and against the database."""
        today = self.ctx.today()
        report = ImportReport()
        rows: list[tuple[int, ValidRow | None, list[Problem], str | None]] = []
        first_row: dict[str, list[int]] = {}
        _check_workbook(path)
        with self.ctx.read() as session:
            existing = set(session.scalars(select(Member.id_number)))
        for raw in read_register(path):
            valid, problems = check_row(raw, today)
            key = _id_key(raw, today)
            if key:
                first_row.setdefault(key, []).append(raw.row)
            rows.append((raw.row, valid, problems, key))
        for number, valid, problems, key in rows:
            if key and len(first_row[key]) > 1:  # both rows are suspect: import neither
                others = ", ".join(str(r) for r in first_row[key] if r != number)
                problems = [
                    *problems,
                    Problem(
                        "register.duplicate",
                        _("The same ID number is also on row {row}").format(row=others),
                        "id_number",
                    ),
                ]
            elif key in existing:
                problems = [
                    *problems,
                    Problem(
                        "register.exists",
                        _("A member with this ID number already exists"),
                        "id_number",
                    ),
                ]
            if problems or valid is None:
                report.invalid.append((number, problems))
            else:
                report.valid.append(valid)
        return report

    def run(
        self, path: str | Path, *, dry_run: bool = False, skip_invalid: bool = False
    ) -> ImportReport:
        self.ctx.require(Permission.IMPORT)
        report = self.check(path)
        report.dry_run = dry_run
        if report.invalid and not skip_invalid:
            raise ValidationError(
                _("{n} faulty rows in the register: nothing was imported").format(
                    n=len(report.invalid)
                ),
                [p for _row, problems in report.invalid for p in problems],
            )
        if dry_run or not report.valid:
            return report
        members = MemberService(self.ctx)
        ctx = self.ctx
        with ctx.write() as session:
            writer = LedgerWriter(session, ctx)
            policy = policy_for(session, ctx.today())
            for row in report.valid:
                ident = idnumber.parse(row.member.id_number, ctx.today())
                tel = phone.normalise(row.member.phone)
                volunteer = row.member.role in ("volunteer", "both")
                recipient = row.member.role in ("recipient", "both")
                member = members._new_member(session, row.member, ident, tel, volunteer, recipient)
                report.imported.append(member.member_no)
                if row.opening_minutes:
                    writer.post(
                        TxSpec(
                            TxKind.OPENING,
                            ctx.today(),
                            (
                                PostingLine(POOL_ACCOUNT, -row.opening_minutes),
                                PostingLine(
                                    member_account_code(member.member_no), row.opening_minutes
                                ),
                            ),
                            memo=_("Opening balance from the register, row {row}").format(
                                row=row.row
                            ),
                        ),
                        policy,
                    )
            writer.flush()
            ctx.audit(
                session,
                "register.import",
                "register",
                Path(path).name,
                imported=len(report.imported),
                skipped=len(report.invalid),
            )
        return report
