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
from timebank_desktop.models.engine import BEGIN_OPTION, make_sessions
from timebank_desktop.services.quickread import QuickReader


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
    reader_sessions: sessionmaker[Session] = field(init=False)
    quick: QuickReader = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = make_sessions(self.engine)
        # Readers take a snapshot without the write lock (models/engine.py, BEGIN_OPTION).
        self.reader_sessions = make_sessions(
            self.engine.execution_options(**{BEGIN_OPTION: "DEFERRED"})
        )
        self.quick = QuickReader(self.engine)

    # ------------------------------------------------------------ helpers
    def now(self) -> datetime:
        """Now, naive UTC with whole seconds (the storage form)."""
        return naive_utc(self.clock.now())

    def today(self) -> date:
        """Today's local date (Asia/Shanghai)."""
        return local_date(self.clock.now())

    def as_actor(self, actor: Actor) -> AppContext:
        ctx = replace(self, actor=actor)
        ctx.share_with(self)
        return ctx

    def share_with(self, other: AppContext) -> None:
        """Use ``other``'s session factories and statement cache (a copy made by replace())."""
        self.sessions = other.sessions
        self.reader_sessions = other.reader_sessions
        self.quick = other.quick

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
        """A read-only look at one consistent snapshot (nothing is committed)."""
        with self.reader_sessions() as session:
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
