"""Staff users: argon2id password hashes, sign-in with slow-down after failures, roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from timebank_desktop.domain.errors import NotFound, Problem, Refused, ValidationError
from timebank_desktop.domain.roles import Permission, Role
from timebank_desktop.i18n import _
from timebank_desktop.models import StaffUser
from timebank_desktop.services.context import Actor, AppContext

# argon2id, 64 MiB, 3 passes, 4 lanes: above OWASP's minimum (19 MiB, 2 passes, 1 lane).
HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300
MIN_PASSWORD = 8
_USERNAME = re.compile(r"[a-z][a-z0-9_.-]{1,39}")


@dataclass(frozen=True, slots=True)
class StaffView:
    id: str
    username: str
    display_name: str
    role: Role
    active: bool


def delay_after(failures: int) -> int:
    """Seconds a user must wait after ``failures`` failed sign-ins in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS))


def _check_new(username: str, password: str, role: str, demo: bool) -> None:
    problems: list[Problem] = []
    if not _USERNAME.fullmatch(username):
        problems.append(
            Problem(
                "staff.username",
                _("User names are 2–40 lower-case letters, digits, '.', '_' or '-'"),
                "username",
            )
        )
    if len(password) < MIN_PASSWORD and not demo:
        problems.append(
            Problem(
                "staff.password",
                _("The password needs at least {n} characters").format(n=MIN_PASSWORD),
                "password",
            )
        )
    if role not in {r.value for r in Role}:
        problems.append(Problem("staff.role", _("Unknown role"), "role"))
    if problems:
        raise ValidationError.of(problems)


class StaffService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def has_users(self) -> bool:
        with self.ctx.read() as session:
            return bool(session.scalar(select(func.count()).select_from(StaffUser)))

    def add(
        self,
        username: str,
        display_name: str,
        role: str,
        password: str,
        *,
        first_admin: bool = False,
        demo: bool = False,
    ) -> StaffView:
        """Add a staff user; the first administrator may be added without a sign-in."""
        username = username.strip().lower()
        _check_new(username, password, role, demo)
        with self.ctx.write() as session:
            count = session.scalar(select(func.count()).select_from(StaffUser)) or 0
            if not (first_admin and count == 0):
                self.ctx.require(Permission.MANAGE_STAFF)
            if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
                raise ValidationError.single(
                    "staff.exists",
                    _("The user name {name} is taken").format(name=username),
                    "username",
                )
            user = StaffUser(
                id=self.ctx.new_id(),
                username=username,
                display_name=display_name.strip() or username,
                role=role,
                password_hash=HASHER.hash(password),
                active=True,
                failed_attempts=0,
                last_failure_at=None,
                created_at=self.ctx.now(),
            )
            session.add(user)
            self.ctx.audit(session, "staff.add", "staff_user", username, role=role)
            return StaffView(user.id, user.username, user.display_name, Role(role), True)

    def sign_in(self, username: str, password: str) -> Actor:
        """The actor for a correct password; failures slow further attempts down."""
        ctx = self.ctx
        wrong = Refused(
            _("Wrong user name or password"),
            (Problem("auth.failed", _("Wrong user name or password"), "password"),),
        )
        with ctx.write() as session:
            user = session.scalar(
                select(StaffUser).where(StaffUser.username == username.strip().lower())
            )
            if user is None or not user.active:
                raise wrong
            wait = delay_after(user.failed_attempts)
            if wait and user.last_failure_at is not None:
                left = user.last_failure_at + timedelta(seconds=wait) - ctx.now()
                if left.total_seconds() > 0:
                    raise Refused(
                        _("Too many failed attempts: try again in {s} seconds").format(
                            s=int(left.total_seconds()) + 1
                        )
                    )
            try:
                HASHER.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                user.failed_attempts += 1
                user.last_failure_at = ctx.now()
                ctx.audit(session, "staff.sign_in_failed", "staff_user", user.username)
                failed = True
            else:
                failed = False
                user.failed_attempts = 0
                if HASHER.check_needs_rehash(user.password_hash):
                    user.password_hash = HASHER.hash(password)
                actor = Actor(user.username, Role(user.role), user.display_name)
                ctx.audit(session, "staff.sign_in", "staff_user", user.username)
        if failed:
            raise wrong
        return actor

    def list(self) -> list[StaffView]:
        with self.ctx.read() as session:
            return [
                StaffView(u.id, u.username, u.display_name, Role(u.role), u.active)
                for u in session.scalars(select(StaffUser).order_by(StaffUser.username))
            ]

    def set_role(self, username: str, role: str, active: bool = True) -> None:
        self.ctx.require(Permission.MANAGE_STAFF)
        if role not in {r.value for r in Role}:
            raise ValidationError.single("staff.role", _("Unknown role"), "role")
        with self.ctx.write() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                raise NotFound(_("Unknown user: {name}").format(name=username))
            if user.username == self.ctx.actor.username and (role != "admin" or not active):
                raise Refused(_("You cannot remove your own administrator rights"))
            user.role, user.active = role, active
            self.ctx.audit(session, "staff.role", "staff_user", username, role=role, active=active)

    def set_password(self, username: str, password: str) -> None:
        if username != self.ctx.actor.username:
            self.ctx.require(Permission.MANAGE_STAFF)
        if len(password) < MIN_PASSWORD:
            raise ValidationError.single(
                "staff.password",
                _("The password needs at least {n} characters").format(n=MIN_PASSWORD),
                "password",
            )
        with self.ctx.write() as session:
            user = session.scalar(select(StaffUser).where(StaffUser.username == username))
            if user is None:
                raise NotFound(_("Unknown user: {name}").format(name=username))
            user.password_hash = HASHER.hash(password)
            user.failed_attempts = 0
            self.ctx.audit(session, "staff.password", "staff_user", username)
