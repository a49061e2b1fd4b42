"""Contacts made with consent: the life of a request and what its requester can see."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.user_error import UserError
from cogs.reseau.service import consent
from cogs.reseau.service.consent import (
    Answer,
    Asking,
    ContactRequest,
    Outcome,
    RequesterView,
    RequestKind,
    RequestStatus,
)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ALICE, BOB = 1, 2


def _asking(**kw: object) -> Asking:
    values: dict[str, object] = {
        "requester_id": ALICE,
        "recipient_id": BOB,
        "recipient_is_bot": False,
        "recipient_visible": True,
        "recipient_is_member": True,
        "blocked": False,
        "between": (),
        "pending_count": 0,
    }
    values.update(kw)
    return Asking(**values)  # type: ignore[arg-type]


def _request(status: RequestStatus = RequestStatus.PENDING, **kw: object) -> ContactRequest:
    return replace(
        consent.new_request(7, 1, ALICE, BOB, RequestKind.CONTACT, "Bonjour !", Outcome.SEND, NOW),
        status=status,
        **kw,  # type: ignore[arg-type]
    )


def test_a_request_goes_to_a_visible_member() -> None:
    assert consent.decide(_asking(), "Bonjour", NOW) is Outcome.SEND


@pytest.mark.parametrize(
    "asking",
    [
        _asking(recipient_id=ALICE),
        _asking(recipient_is_bot=True),
        _asking(recipient_visible=False),
        _asking(recipient_is_member=False),
    ],
)
def test_oneself_a_bot_a_hidden_profile_or_someone_who_left_get_the_neutral_answer(
    asking: Asking,
) -> None:
    assert consent.decide(asking, "Bonjour", NOW) is Outcome.NEUTRAL


def test_a_blocked_requester_is_recorded_silently() -> None:
    outcome = consent.decide(_asking(blocked=True), "Bonjour", NOW)
    assert outcome is Outcome.SILENT
    request = consent.new_request(1, 1, ALICE, BOB, RequestKind.CONTACT, "x", outcome, NOW)
    assert request.status is RequestStatus.BLOCKED
    assert consent.requester_view(request) is RequesterView.WAITING


@pytest.mark.parametrize(
    ("asking", "key"),
    [
        (_asking(pending_count=consent.PENDING_MAX), "reseau.error.too_many_pending"),
        (_asking(between=[_request()]), "reseau.error.already_waiting"),
        (_asking(between=[_request(RequestStatus.REFUSED)]), "reseau.error.already_waiting"),
        (_asking(between=[_request(RequestStatus.ACCEPTED)]), "reseau.error.already_connected"),
        (
            _asking(between=[_request(RequestStatus.REFUSED, concluded_at=NOW)]),
            "reseau.error.cooldown",
        ),
    ],
)
def test_limits(asking: Asking, key: str) -> None:
    with pytest.raises(UserError) as caught:
        consent.decide(asking, "Bonjour", NOW)
    assert caught.value.key == key


def test_too_long_a_message() -> None:
    with pytest.raises(UserError) as caught:
        consent.decide(_asking(), "x" * (consent.MESSAGE_MAX + 1), NOW)
    assert caught.value.key == "reseau.error.too_long"


def test_asking_again_thirty_days_after_the_no_follow_up() -> None:
    ended = _request(RequestStatus.EXPIRED, concluded_at=NOW)
    with pytest.raises(UserError):
        consent.decide(_asking(between=[ended]), "x", NOW + consent.COOLDOWN - timedelta(seconds=1))
    assert consent.decide(_asking(between=[ended]), "x", NOW + consent.COOLDOWN) is Outcome.SEND


def test_only_the_recipient_answers_and_only_in_time() -> None:
    request = _request()
    with pytest.raises(UserError, match="not_yours"):
        consent.answer(request, Answer.ACCEPT, ALICE, NOW)
    with pytest.raises(UserError, match="request_closed"):
        consent.answer(request, Answer.ACCEPT, BOB, request.expires_at)
    refused = consent.answer(request, Answer.REFUSE, BOB, NOW)
    with pytest.raises(UserError, match="request_closed"):
        consent.answer(refused, Answer.ACCEPT, BOB, NOW)


def test_expiry_is_idempotent_and_spares_an_accepted_request() -> None:
    once = consent.expire(_request(), NOW + consent.REQUEST_TTL)
    assert once.status is RequestStatus.EXPIRED and once.concluded_at is not None
    assert consent.expire(once, NOW + consent.REQUEST_TTL * 2) == once
    accepted = _request(RequestStatus.ACCEPTED)
    assert consent.expire(accepted, NOW + consent.REQUEST_TTL) == accepted


def test_retention_runs_from_the_no_follow_up() -> None:
    ended = consent.expire(_request(RequestStatus.REFUSED), NOW + consent.REQUEST_TTL)
    end = NOW + consent.REQUEST_TTL
    assert not consent.prunable(ended, end + consent.RETENTION - timedelta(seconds=1))
    assert consent.prunable(ended, end + consent.RETENTION)
    assert not consent.prunable(_request(RequestStatus.ACCEPTED), end + consent.RETENTION * 9)
    assert consent.prune_before(end + consent.RETENTION) == end


def test_check_ins_at_two_weeks_a_month_and_three_months() -> None:
    days = [(consent.checkin_due(NOW, step) - NOW).days for step in range(3)]
    assert days == [14, 30, 90]
    assert consent.next_checkin(0) == 1 and consent.next_checkin(2) is None


# -- the requester can never tell a refusal, a block and no answer apart -------------------------
Step = tuple[str, int]  # (what happens, hours after the previous step)

steps = st.lists(
    st.tuples(st.sampled_from(["accept", "refuse", "block", "tick"]), st.integers(0, 60)),
    max_size=8,
)


def _run(actions: list[Step]) -> list[tuple[datetime, RequesterView, bool]]:
    """Play `actions` on a fresh request; what the requester sees after each, and whether the
    requester is told something at that moment."""
    request, now, seen = _request(), NOW, []
    for action, hours in actions:
        now += timedelta(hours=hours)
        told = False
        if action == "tick" or now >= request.expires_at:
            if now >= request.expires_at:
                after = consent.expire(request, now)
                told = consent.tells_requester_at_expiry(request, after)
                request = after
        else:
            try:
                request = consent.answer(request, Answer(action), BOB, now)
                told = request.status is RequestStatus.ACCEPTED
            except UserError:
                pass
        seen.append((now, consent.requester_view(request), told))
    return seen


def _blind(actions: list[Step]) -> list[Step]:
    """The same timeline where the recipient, instead of refusing or blocking, never answers
    (what came after a refusal or a block could not be an answer either)."""
    blind: list[Step] = []
    answered = False
    for action, hours in actions:
        answered = answered or action in ("refuse", "block")
        blind.append(("tick", hours) if answered else (action, hours))
    return blind


@settings(max_examples=300, deadline=None)
@given(steps)
def test_refusal_block_and_silence_look_the_same_to_the_requester(actions: list[Step]) -> None:
    seen = _run(actions)
    if all(view is not RequesterView.ACCEPTED for _, view, _ in seen):
        assert seen == _run(_blind(actions))
    for now, view, _ in seen:
        if view is RequesterView.NO_FOLLOW_UP:
            assert now >= NOW + consent.REQUEST_TTL  # never before the expiry


@settings(max_examples=200, deadline=None)
@given(steps)
def test_the_requester_is_told_at_most_once(actions: list[Step]) -> None:
    assert sum(told for _, _, told in _run(actions)) <= 1
