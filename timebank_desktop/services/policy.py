"""The policy in force on a date, and policy changes (versioned by effective date)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.policy import DEFAULT_POLICY, Policy
from timebank_desktop.domain.roles import Permission
from timebank_desktop.models import PolicyVersion
from timebank_desktop.services.context import AppContext


def policy_for(session: Session, day: date) -> Policy:
    """The latest version in force on ``day`` (the default rules before any version)."""
    body = session.scalar(
        select(PolicyVersion.body)
        .where(PolicyVersion.effective_from <= day)
        .order_by(PolicyVersion.effective_from.desc())
        .limit(1)
    )
    return Policy.from_json(body) if body else DEFAULT_POLICY


def store_policy(session: Session, ctx: AppContext, policy: Policy) -> None:
    existing = session.scalar(
        select(PolicyVersion).where(PolicyVersion.effective_from == policy.effective_from)
    )
    if existing is not None:
        existing.body = policy.to_json()
        existing.created_at = ctx.now()
        existing.created_by = ctx.actor.username
    else:
        session.add(
            PolicyVersion(
                effective_from=policy.effective_from,
                body=policy.to_json(),
                created_at=ctx.now(),
                created_by=ctx.actor.username,
            )
        )


class PolicyService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def current(self) -> Policy:
        with self.ctx.read() as session:
            return policy_for(session, self.ctx.today())

    def on(self, day: date) -> Policy:
        with self.ctx.read() as session:
            return policy_for(session, day)

    def set(self, policy: Policy) -> None:
        """Store a version; it governs business dates from its ``effective_from`` on."""
        self.ctx.require(Permission.SETTINGS)
        policy.check()
        with self.ctx.write() as session:
            store_policy(session, self.ctx, policy)
            self.ctx.audit(
                session,
                "policy.set",
                "policy",
                policy.effective_from.isoformat(),
                body=policy.to_json(),
            )
