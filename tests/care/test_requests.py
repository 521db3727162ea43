"""Service requests and matching: who is suggested, in which order, and why."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import event, update

from tests.care.common import as_role, deactivate, people, snapshot
from tests.helpers import add_member, serve
from timebank_desktop.domain.errors import NotFound, PermissionDenied, Refused, ValidationError
from timebank_desktop.domain.roles import Role
from timebank_desktop.i18n import set_language
from timebank_desktop.models import Member, ServiceRecord, ServiceRequest
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.request_match import MatchService
from timebank_desktop.services.service_requests import RequestService, wanted_day
from timebank_desktop.services.volunteers import VolunteerService

D = date


def test_a_request_is_added_listed_and_found_by_its_id_or_its_beginning(
    ctx: AppContext,
) -> None:
    _vol, rec, _both = people(ctx)
    service = RequestService(ctx)
    view = service.add(rec, " MEALS ", " 周三上午 ", "不吃辣")
    assert (view.recipient_no, view.category, view.when_text, view.status) == (
        rec,
        "meals",
        "周三上午",
        "open",
    )
    assert [r.id for r in service.open_requests()] == [view.id]
    assert service.get(view.id.upper()).notes == "不吃辣"
    assert service.get(view.id[:8]).id == view.id
    with pytest.raises(NotFound, match="Unknown service request"):
        service.get(view.id[:7])  # too short to stand for an id


@pytest.mark.parametrize(
    ("who", "category", "notes", "kind", "words"),
    [
        ("volunteer", "meals", "", Refused, "not registered as a recipient"),
        ("nobody", "meals", "", NotFound, "Unknown member"),
        ("recipient", "gardening", "", ValidationError, "Unknown service category"),
        ("recipient", "meals", "备" * 501, ValidationError, "at most 500"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    ctx: AppContext, who: str, category: str, notes: str, kind: type, words: str
) -> None:
    vol, rec, _both = people(ctx)
    ref = {"volunteer": vol, "recipient": rec, "nobody": "M999999"}[who]
    before = snapshot(ctx.engine)
    with pytest.raises(kind, match=words):
        RequestService(ctx).add(ref, category, notes=notes)
    assert snapshot(ctx.engine) == before


def test_an_inactive_elder_gets_no_request(ctx: AppContext) -> None:
    _vol, rec, _both = people(ctx)
    deactivate(ctx, rec)
    with pytest.raises(Refused, match="no longer active"):
        RequestService(ctx).add(rec, "meals")


def test_the_day_a_request_is_for() -> None:
    today = D(2026, 11, 20)
    assert wanted_day("2026-11-25 上午", today) == D(2026, 11, 25)
    assert wanted_day("周三上午", today) == today
    assert wanted_day("2026-13-45 x", today) == today
    assert wanted_day("", today) == today
    assert wanted_day("2026-11-25上午", today) == D(2026, 11, 25)
    assert wanted_day("11-25 下午", today) == D(2026, 11, 25)
    assert wanted_day("01-03", today) == D(2027, 1, 3)  # the next 3 January
    assert wanted_day("11-20", today) == today
    assert wanted_day("02-30", today) == today
    assert wanted_day("123-45", today) == today


def test_matching_ranks_with_reasons(ctx: AppContext) -> None:
    """Continuity first, uninsured lower, the recipient and inactive volunteers left out."""
    regular, elder, both = people(ctx)  # `both` is the elder of this request's neighbour
    newcomer = add_member(ctx, "孙丽", D(1965, 4, 4))
    uninsured = add_member(ctx, "周强", D(1960, 2, 2))
    gone = add_member(ctx, "吴刚", D(1959, 1, 1))
    deactivate(ctx, gone)
    serve(ctx, regular, elder, 60, day=D(2026, 11, 10))
    serve(ctx, regular, elder, 60, day=D(2026, 11, 12))
    serve(ctx, uninsured, both, 60, day=D(2026, 11, 12))
    serve(ctx, uninsured, both, 60, day=D(2026, 11, 13), category="cleaning")
    cover = VolunteerService(ctx)
    for member in (regular, newcomer, both):
        cover.insure(member, "人保", f"P-{member}", D(2026, 1, 1), D(2026, 12, 31))
    cover.certify(regular, "助餐培训", D(2026, 1, 5))
    with ctx.write() as session:
        session.execute(update(Member).where(Member.member_no == newcomer).values(skills="meals"))
    request = RequestService(ctx).add(both, "meals", "2026-11-25 上午")

    day, ranked = MatchService(ctx).match(request.id)

    assert day == D(2026, 11, 25)
    order = [c.member_no for c in ranked]
    assert order == [regular, newcomer, uninsured]  # not `both` (the elder), not `gone`
    first, second, third = ranked
    assert "insured on 2026-11-25" in first.reasons
    assert "has done this category (2 services)" in first.reasons
    assert "training certificate valid" in first.reasons
    assert "few hours in the last 30 days (2 h)" in first.reasons
    assert "lists this category among their skills" in second.reasons
    assert "no valid training certificate" in second.reasons
    assert "has served this elder before (2 times)" in third.reasons
    assert "not insured on 2026-11-25: ranked lower" in third.reasons
    assert first.score > second.score > third.score


def test_continuity_and_load_break_ties(ctx: AppContext) -> None:
    busy, elder, neighbour = people(ctx)
    idle = add_member(ctx, "孙丽", D(1965, 4, 4))
    old_friend = add_member(ctx, "周强", D(1960, 2, 2))
    for day in range(1, 13):  # 12 h in the last 30 days
        serve(ctx, busy, neighbour, 60, day=D(2026, 11, day), category="company")
    serve(ctx, old_friend, elder, 60, day=D(2026, 9, 3), category="company")
    request = RequestService(ctx).add(elder, "cleaning")
    _day, ranked = MatchService(ctx).match(request.id, limit=3)
    # equal scores go by member number
    assert [c.member_no for c in ranked] == [old_friend, neighbour, idle]
    _day, everyone = MatchService(ctx).match(request.id)
    assert everyone[-1].member_no == busy
    assert "busy in the last 30 days (12 h)" in everyone[-1].reasons


def test_a_request_no_longer_open_is_not_matched(ctx: AppContext) -> None:
    _vol, rec, _both = people(ctx)
    request = RequestService(ctx).add(rec, "meals")
    with ctx.write() as session:
        session.get_one(ServiceRequest, request.id).status = "done"
    with pytest.raises(Refused, match="no longer open"):
        MatchService(ctx).match(request.id)
    assert RequestService(ctx).open_requests() == []


def test_matching_uses_a_fixed_number_of_queries(sqlite_ctx: AppContext) -> None:
    """No query per volunteer: the statements counted stay the same as volunteers are added."""
    ctx = sqlite_ctx
    vol, rec, _both = people(ctx)
    serve(ctx, vol, rec, 60, day=D(2026, 11, 10), start=time(8))
    request = RequestService(ctx).add(rec, "meals")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    counts = []
    for extra in ("", "甲乙丙丁戊己庚辛壬癸"):
        for i, given in enumerate(extra):
            add_member(ctx, f"钱{given}", D(1960, 1, 1 + i))
        statements.clear()
        event.listen(ctx.engine, "before_cursor_execute", count)
        try:
            _day, ranked = MatchService(ctx).match(request.id, limit=50)
        finally:
            event.remove(ctx.engine, "before_cursor_execute", count)
        counts.append((len(statements), len(ranked)))
    assert counts[1] == (counts[0][0], counts[0][1] + 10)


def test_a_request_is_closed_by_the_service_that_met_it_or_cancelled(ctx: AppContext) -> None:
    vol, rec, both = people(ctx)
    service = RequestService(ctx)
    met, dropped, other = (service.add(rec, "meals") for _ in range(3))
    record = serve(ctx, vol, rec, 60)
    elsewhere = serve(ctx, vol, both, 60, day=D(2026, 11, 18))
    before = snapshot(ctx.engine)
    with pytest.raises(Refused, match="another recipient"):
        service.close(met.id, elsewhere.slip_no)
    with pytest.raises(NotFound, match="Unknown service record"):
        service.close(met.id, "99999999")
    assert snapshot(ctx.engine) == before
    assert service.close(met.id, record.slip_no).status == "served"
    assert service.close(dropped.id).status == "cancelled"
    with pytest.raises(Refused, match="already answers request"):
        service.close(other.id, record.id)
    with pytest.raises(Refused, match="no longer open"):
        service.close(met.id)
    assert [r.id for r in service.open_requests()] == [other.id]
    with ctx.read() as session:
        assert session.get_one(ServiceRecord, record.id).request_id == met.id


def test_a_viewer_may_match_but_not_register(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    request = RequestService(ctx).add(rec, "meals")
    viewer = as_role(ctx, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        RequestService(viewer).add(rec, "meals")
    with pytest.raises(PermissionDenied):
        RequestService(viewer).close(request.id)
    assert MatchService(viewer).match(request.id)[1][0].member_no == vol


def test_reasons_are_in_the_chosen_language(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    serve(ctx, vol, rec, 60)
    request = RequestService(ctx).add(rec, "meals")
    set_language("zh_CN")
    _day, ranked = MatchService(ctx).match(request.id)
    assert ranked[0].reasons[0] == "曾为该老人服务（1 次）"
    assert "无有效培训证书" in ranked[0].reasons
