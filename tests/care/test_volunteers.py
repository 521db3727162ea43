"""Training certificates and accident insurance: recorded, read, and every refusal clean."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from tests.care.common import as_role, deactivate, people, snapshot
from timebank_desktop.domain.errors import (
    NotFound,
    PermissionDenied,
    Refused,
    TimebankError,
    ValidationError,
)
from timebank_desktop.domain.roles import Role
from timebank_desktop.models import AuditEntry
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.volunteers import VolunteerService

D = date


def test_certificates_are_recorded_and_valid_until_they_expire(ctx: AppContext) -> None:
    vol, _rec, _both = people(ctx)
    service = VolunteerService(ctx)
    view = service.certify(vol, "  急救培训 ", D(2025, 3, 1), D(2026, 3, 1))
    assert (view.member_no, view.course, view.expires_on) == (vol, "急救培训", D(2026, 3, 1))
    service.certify(vol, "助浴护理", D(2026, 5, 1))  # no expiry: never runs out
    assert [c.course for c in service.certificates(vol)] == ["助浴护理", "急救培训"]
    assert service.is_certified(vol, D(2025, 12, 31))
    assert not service.is_certified(vol, D(2025, 2, 28))
    assert service.is_certified(vol, D(2030, 1, 1))  # the one without expiry
    first = service.certificates(vol)[1]
    assert first.valid_on(D(2026, 3, 1)) and not first.valid_on(D(2026, 3, 2))
    with ctx.read() as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions.count("volunteer.certify") == 2


def test_policies_cover_their_days_and_may_overlap(ctx: AppContext) -> None:
    vol, _rec, both = people(ctx)
    service = VolunteerService(ctx)
    service.insure(vol, "中国人保", "PICC-1", D(2026, 1, 1), D(2026, 6, 30))
    service.insure(vol, "平安保险", "PA-7", D(2026, 6, 1), D(2026, 12, 31))  # overlaps
    service.insure(both, "中国人保", "PICC-2", D(2026, 11, 20), D(2026, 11, 20))  # one day
    assert [p.policy_no for p in service.policies(vol)] == ["PA-7", "PICC-1"]
    assert service.is_insured(vol, D(2026, 6, 15))
    assert service.is_insured(vol, D(2026, 12, 31))
    assert not service.is_insured(vol, D(2027, 1, 1))
    assert service.is_insured(both, D(2026, 11, 20))
    assert not service.is_insured(both, D(2026, 11, 21))
    # the same policy renewed for another year keeps its number
    service.insure(vol, "中国人保", "PICC-1", D(2027, 1, 1), D(2027, 12, 31))
    assert service.is_insured(vol, D(2027, 1, 1))


Action = Callable[[VolunteerService, str, str], object]
REFUSALS: dict[str, tuple[type[TimebankError], str, Action]] = {
    "empty course": (
        ValidationError, "course is required", lambda s, v, r: s.certify(v, "  ", D(2026, 1, 1))
    ),
    "long course": (
        ValidationError, "at most 100", lambda s, v, r: s.certify(v, "课" * 101, D(2026, 1, 1))
    ),
    "future course": (
        ValidationError, "future", lambda s, v, r: s.certify(v, "急救", D(2026, 11, 21))
    ),
    "expires on the course date": (
        ValidationError, "expire after",
        lambda s, v, r: s.certify(v, "急救", D(2026, 1, 1), D(2026, 1, 1)),
    ),
    "certify a recipient": (
        Refused, "not registered as a volunteer",
        lambda s, v, r: s.certify(r, "急救", D(2026, 1, 1)),
    ),
    "certify an unknown member": (
        NotFound, "Unknown member", lambda s, v, r: s.certify("M999999", "急救", D(2026, 1, 1))
    ),
    "certificate twice": (
        Refused, "already has", lambda s, v, r: s.certify(v, "急救", D(2025, 1, 1))
    ),
    "empty insurer": (
        ValidationError, "insurer is required",
        lambda s, v, r: s.insure(v, "", "P1", D(2026, 1, 1), D(2026, 2, 1)),
    ),
    "empty policy number": (
        ValidationError, "policy number is required",
        lambda s, v, r: s.insure(v, "人保", " ", D(2026, 1, 1), D(2026, 2, 1)),
    ),
    "long policy number": (
        ValidationError, "at most 60",
        lambda s, v, r: s.insure(v, "人保", "P" * 61, D(2026, 1, 1), D(2026, 2, 1)),
    ),
    "policy ends before it begins": (
        ValidationError, "cannot end before",
        lambda s, v, r: s.insure(v, "人保", "P1", D(2026, 2, 1), D(2026, 1, 31)),
    ),
    "insure a recipient": (
        Refused, "not registered as a volunteer",
        lambda s, v, r: s.insure(r, "人保", "P1", D(2026, 1, 1), D(2026, 2, 1)),
    ),
    "policy twice": (
        Refused, "already recorded",
        lambda s, v, r: s.insure(v, "人保", "P0", D(2026, 1, 1), D(2026, 12, 31)),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals_name_the_fault_and_change_nothing(ctx: AppContext, case: str) -> None:
    vol, rec, _both = people(ctx)
    service = VolunteerService(ctx)
    service.certify(vol, "急救", D(2025, 1, 1))
    service.insure(vol, "人保", "P0", D(2026, 1, 1), D(2026, 12, 31))
    kind, words, action = REFUSALS[case]
    before = snapshot(ctx.engine)
    with pytest.raises(kind, match=words):
        action(service, vol, rec)
    assert snapshot(ctx.engine) == before


def test_an_inactive_volunteer_gets_no_new_records(ctx: AppContext) -> None:
    vol, _rec, _both = people(ctx)
    deactivate(ctx, vol)
    service = VolunteerService(ctx)
    before = snapshot(ctx.engine)
    with pytest.raises(Refused, match="no longer active"):
        service.certify(vol, "急救", D(2026, 1, 1))
    with pytest.raises(Refused, match="no longer active"):
        service.insure(vol, "人保", "P1", D(2026, 1, 1), D(2026, 2, 1))
    assert snapshot(ctx.engine) == before


def test_a_viewer_may_only_read(ctx: AppContext) -> None:
    vol, _rec, _both = people(ctx)
    VolunteerService(ctx).certify(vol, "急救", D(2026, 1, 1))
    viewer = VolunteerService(as_role(ctx, Role.VIEWER))
    with pytest.raises(PermissionDenied):
        viewer.certify(vol, "急救二", D(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        viewer.insure(vol, "人保", "P1", D(2026, 1, 1), D(2026, 2, 1))
    assert len(viewer.certificates(vol)) == 1
