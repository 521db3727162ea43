"""The composition of one running application: database, clock, id generator, signed-in user.

Built once by the entry point (CLI, GUI, tests) and passed to every service; nothing here is a
module-level global.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from timebank_desktop.domain.clock import Clock, IdFactory, SystemClock, local_date, naive_utc
from timebank_desktop.domain.clock import uuid_factory as default_ids
from timebank_desktop.domain.errors import PermissionDenied
from timebank_desktop.domain.roles import Permission, Role, may
from timebank_desktop.i18n import _
from timebank_desktop.models import AuditEntry
from timebank_desktop.models.engine import make_sessions


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a signed-in staff user, or the operator of the command line."""

    username: str
    role: Role
    display_name: str = ""


SYSTEM_ACTOR = Actor("system", Role.ADMIN, "system")


@dataclass
class AppContext:
    engine: Engine
    clock: Clock = field(default_factory=SystemClock)
    new_id: IdFactory = default_ids
    actor: Actor = SYSTEM_ACTOR
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = make_sessions(self.engine)

    # ------------------------------------------------------------ helpers
    def now(self) -> datetime:
        """Now, naive UTC with whole seconds (the storage form)."""
        return naive_utc(self.clock.now())

    def today(self) -> date:
        """Today's local date (Asia/Shanghai)."""
        return local_date(self.clock.now())

    def as_actor(self, actor: Actor) -> AppContext:
        ctx = replace(self, actor=actor)
        ctx.sessions = self.sessions
        return ctx

    def require(self, permission: Permission) -> None:
        if not may(self.actor.role, permission):
            raise PermissionDenied(
                _("Your role ({role}) may not do this").format(role=self.actor.role.label)
            )

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One database transaction for one user action (committed on success)."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def audit(
        self, session: Session, action: str, entity: str, entity_id: str, **detail: Any
    ) -> None:
        session.add(
            AuditEntry(
                at=self.now(),
                staff=self.actor.username,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
            )
        )
