"""What the care tests share: people, and a snapshot proving a refusal changed nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, text, update

from tests.helpers import add_member
from timebank_desktop.domain.roles import Role
from timebank_desktop.models import Member
from timebank_desktop.services.context import Actor, AppContext

TABLES = (
    "training_certificate",
    "insurance_policy",
    "service_request",
    "dispute",
    "goods_item",
    "service_record",
    "txn",
    "posting",
    "account",
    "counter",
    "audit_entry",
)


def snapshot(engine: Engine) -> dict[str, list[str]]:
    """Every row of the tables these commands write, in a stable order."""
    with engine.connect() as conn:
        return {
            table: sorted(repr(tuple(row)) for row in conn.execute(text(f"SELECT * FROM {table}")))
            for table in TABLES
        }


def people(ctx: AppContext) -> tuple[str, str, str]:
    """A volunteer, a recipient (elder) and a member who is both."""
    return (
        add_member(ctx, "王秀英", date(1962, 3, 1)),
        add_member(ctx, "李建国", date(1940, 6, 1), role="recipient"),
        add_member(ctx, "赵敏", date(1958, 9, 9), role="both"),
    )


def deactivate(ctx: AppContext, member_no: str) -> None:
    with ctx.write() as session:
        session.execute(update(Member).where(Member.member_no == member_no).values(active=False))


def as_role(ctx: AppContext, role: Role) -> AppContext:
    return ctx.as_actor(Actor(f"{role.value}1", role, role.value))
