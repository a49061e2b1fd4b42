"""Réseau's SQL against a real database: the pages and the mentor matching ranked in SQL are
exactly what the rules in Python rank; requests, retention, export and erasure."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.db import Database
from bot.reference import places, professions
from bot.reference.practice import Field, Language
from bot.regions import Side
from bot.user_error import UserError
from cogs.reseau import service
from cogs.reseau.service import DirectoryFilters, MentorOffer, OpenTo, consent
from cogs.reseau.service.consent import Answer, Outcome, RequesterView, RequestKind, RequestStatus
from cogs.reseau.store import ReseauStore

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
GUILD = 1
PROFESSIONS = [p.code for p in professions.professions()]
PLACES = [p.code for p in places.places()]


@pytest.fixture
async def store(database: Path | str) -> AsyncIterator[ReseauStore]:
    db = await Database.open(database)  # SQLite, or PostgreSQL in .ci/run's second pass
    try:
        yield ReseauStore(db)
    finally:
        await db.close()


async def _add(
    store: ReseauStore,
    user_id: int,
    profession: str,
    place: str,
    *,
    visible: bool = True,
    when: datetime = NOW,
    guild: int = GUILD,
    **kw: object,
) -> service.Profile:
    fields = service.validate_profile(profession=profession, place=place, **kw)  # type: ignore[arg-type]
    await store.profiles.save_profile(guild, user_id, fields, when)
    if visible:
        await store.profiles.set_visible(guild, user_id, True, when)
    profile = await store.profiles.profile(guild, user_id)
    assert profile is not None
    return profile


# -- the directory: SQL == Python --------------------------------------------------------------
def _random_profiles(rnd: random.Random, n: int) -> Iterator[dict]:
    for i in range(n):
        place = rnd.choice(PLACES)
        target = rnd.choice([None, None, rnd.choice(PLACES)])
        yield {
            "user_id": 1000 + i,
            "profession": rnd.choice(PROFESSIONS),
            "place": place,
            "target_place": None if target == place else target,
            "fields": rnd.sample(list(Field), rnd.randint(0, 3)),
            "open_to": rnd.sample(list(OpenTo), rnd.randint(0, 2)),
            "visible": rnd.random() < 0.8,
            "when": NOW - timedelta(minutes=rnd.randint(0, 30)),
        }


async def _fill(store: ReseauStore, seed: int, n: int) -> list[service.Profile]:
    rnd = random.Random(seed)
    saved = []
    for values in _random_profiles(rnd, n):
        user_id, profession, place = (
            values.pop("user_id"),
            values.pop("profession"),
            values.pop("place"),
        )
        saved.append(await _add(store, user_id, profession, place, **values))
    return saved


async def _all_pages(store: ReseauStore, ranking: service.Ranking) -> tuple[list[int], int]:
    ids, page, total = [], 0, 0
    while True:
        rows, total = await store.profiles.directory_page(ranking, page)
        if not rows:
            return ids, total
        ids += [p.id for p in rows]
        page += 1


filters_strategy = st.builds(
    DirectoryFilters,
    profession=st.none() | st.sampled_from(PROFESSIONS),
    side=st.none() | st.sampled_from(list(Side)),
    place=st.none() | st.sampled_from(PLACES),
    practice=st.none() | st.sampled_from(list(Field)),
    open_to=st.none() | st.sampled_from(list(OpenTo)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(filters=filters_strategy, seed=st.integers(0, 3), viewer=st.integers(0, 59))
def test_directory_pages_are_the_rules_ranking(
    tmp_path: Path, filters: DirectoryFilters, seed: int, viewer: int
) -> None:
    async def run() -> None:
        db = await Database.open(tmp_path / f"d{seed}.db")
        try:
            store = ReseauStore(db)
            saved = await store.profiles.profile(GUILD, 1000)
            profiles = (
                await _fill(store, seed, 60)
                if saved is None
                else [p for u in range(1000, 1060) if (p := await store.profiles.profile(GUILD, u))]
            )
            me = profiles[viewer]
            ranking = service.directory_ranking(GUILD, me.user_id, filters, me)
            expected = [p.id for p in service.rank(profiles, ranking)]
            ids, total = await _all_pages(store, ranking)
            assert ids == expected
            assert total == len(expected)
        finally:
            await db.close()

    asyncio.run(run())


async def test_a_page_past_the_end_is_empty_but_counts(store: ReseauStore) -> None:
    for user in range(7):
        await _add(store, 10 + user, "fr-ass", "FR-75")
    ranking = service.directory_ranking(GUILD, 0, DirectoryFilters(), None)
    assert len((await store.profiles.directory_page(ranking, 1))[0]) == 2
    assert await store.profiles.directory_page(ranking, 5) == ([], 7)


async def test_one_profile_per_member_per_server_hidden_by_default(store: ReseauStore) -> None:
    first = await _add(store, 10, "fr-ass", "FR-75", visible=False)
    assert not first.visible
    again = await _add(store, 10, "qc-ts", "QC-06", visible=False)
    assert again.id == first.id and again.profession == "qc-ts"
    other_server = await _add(store, 10, "fr-es", "FR-13", guild=2, visible=False)
    assert other_server.id != first.id
    ranking = service.directory_ranking(GUILD, 0, DirectoryFilters(), None)
    assert await store.profiles.directory_page(ranking, 0) == ([], 0)  # hidden
    await store.profiles.set_visible(GUILD, 10, True, NOW)
    rows, _ = await store.profiles.directory_page(ranking, 0)
    assert [p.user_id for p in rows] == [10]  # only this server's
    await store.profiles.forget_member(GUILD, 10)
    assert await store.profiles.profile(GUILD, 10) is None
    assert await store.profiles.profile(2, 10) is not None


# -- mentors: SQL == Python --------------------------------------------------------------------
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    destination=st.sampled_from(["QC-06", "QC-03", "FR-75", "FR-69", "CH-GE"]),
    profession=st.sampled_from(PROFESSIONS),
    practice=st.none() | st.sampled_from(list(Field)),
    language=st.none() | st.sampled_from(list(Language)),
)
def test_mentor_matching_in_sql_is_the_rules_matching(
    tmp_path: Path,
    seed: int,
    destination: str,
    profession: str,
    practice: Field | None,
    language: Language | None,
) -> None:
    async def run() -> None:
        db = await Database.open(tmp_path / f"m{seed}.db")
        try:
            store = ReseauStore(db)
            rnd = random.Random(seed)
            for i in range(40):
                offer = MentorOffer(
                    id=0,
                    guild_id=GUILD,
                    user_id=500 + i,
                    place=rnd.choice(["QC-06", "QC-03", "QC-13", "FR-75", "FR-69", "CH-GE"]),
                    profession=rnd.choice(PROFESSIONS),
                    capacity=rnd.randint(1, 3),
                    fields=frozenset(rnd.sample(list(Field), rnd.randint(0, 3))),
                    languages=frozenset(rnd.sample(list(Language), rnd.randint(1, 2))),
                )
                await store.mentoring.save_mentor(offer, NOW)
                for mentee in range(rnd.randint(0, 3)):
                    request = consent.new_request(
                        0,
                        GUILD,
                        900 + mentee,
                        offer.user_id,
                        RequestKind.MENTORING,
                        "x",
                        Outcome.SEND,
                        NOW,
                    )
                    await store.mentoring.start_pairing(request, NOW)
            search = service.mentor_search(
                GUILD,
                501,
                destination=destination,
                profession=profession,
                arrival="2027-09",
                now=NOW,
                practice=practice,
                language=language,
            )
            offers = [o for i in range(40) if (o := await store.mentoring.mentor(GUILD, 500 + i))]
            python = [o.user_id for o in service.best_mentors(offers, search)]
            sql = await store.mentoring.best_mentors(search, service.MENTOR_SUGGESTIONS)
            assert [o.user_id for o in sql] == python
        finally:
            await db.close()

    asyncio.run(run())


# -- requests ----------------------------------------------------------------------------------
async def _ask(
    store: ReseauStore, requester: int, recipient: int, when: datetime = NOW
) -> tuple[Outcome, consent.ContactRequest | None]:
    return await store.requests.ask(
        GUILD,
        requester,
        recipient,
        RequestKind.CONTACT,
        "Bonjour !",
        when,
        recipient_is_bot=False,
        recipient_is_member=True,
    )


async def test_a_request_needs_a_visible_profile_and_respects_the_limits(
    store: ReseauStore,
) -> None:
    await _add(store, 20, "qc-ts", "QC-06", visible=False)
    assert await _ask(store, 10, 20) == (Outcome.NEUTRAL, None)  # hidden profile
    for user in (20, 21, 22, 23):
        await _add(store, user, "qc-ts", "QC-06")
    for user in (20, 21, 22):
        outcome, request = await _ask(store, 10, user)
        assert outcome is Outcome.SEND and request.status is RequestStatus.PENDING
    with pytest.raises(UserError, match="too_many_pending"):
        await _ask(store, 10, 23)
    with pytest.raises(UserError, match="already_waiting"):
        await _ask(store, 10, 20)


async def test_refused_and_blocked_requests_still_count_until_their_expiry(
    store: ReseauStore,
) -> None:
    for user in (20, 21, 22, 23):
        await _add(store, user, "qc-ts", "QC-06")
    requests = [(await _ask(store, 10, user))[1] for user in (20, 21, 22)]
    await store.requests.answer(requests[0].id, Answer.REFUSE, 20, NOW)
    await store.requests.answer(requests[1].id, Answer.BLOCK, 21, NOW)
    with pytest.raises(UserError, match="too_many_pending"):
        await _ask(store, 10, 23)  # the refusal and the block are not visible yet
    later = NOW + consent.REQUEST_TTL
    for request in requests:
        before, after = await store.requests.expire(request.id, later)
        assert consent.requester_view(after) is RequesterView.NO_FOLLOW_UP
        assert consent.tells_requester_at_expiry(before, after)
    assert (await _ask(store, 10, 23, later))[0] is Outcome.SEND
    with pytest.raises(UserError, match="cooldown"):
        await _ask(store, 10, 20, later)  # the same 30 days for all three
    with pytest.raises(UserError, match="cooldown"):
        await _ask(store, 10, 22, later)
    after_cooldown = later + consent.COOLDOWN
    assert (await _ask(store, 10, 20, after_cooldown))[0] is Outcome.SEND
    outcome, silent = await _ask(store, 10, 21, after_cooldown)
    assert outcome is Outcome.SILENT and silent.status is RequestStatus.BLOCKED


async def test_two_clicks_make_one_request(store: ReseauStore) -> None:
    await _add(store, 20, "qc-ts", "QC-06")
    results = await asyncio.gather(_ask(store, 10, 20), _ask(store, 10, 20), return_exceptions=True)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert len(await store.requests.sent(GUILD, 10)) == 1


async def test_expired_refused_and_blocked_requests_are_pruned_after_thirty_days(
    store: ReseauStore,
) -> None:
    for user in (20, 21, 22):
        await _add(store, user, "qc-ts", "QC-06")
    ignored, refused, accepted = [(await _ask(store, 10, u))[1] for u in (20, 21, 22)]
    await store.requests.answer(refused.id, Answer.REFUSE, 21, NOW)
    await store.requests.answer(accepted.id, Answer.ACCEPT, 22, NOW)
    end = NOW + consent.REQUEST_TTL
    for request in (ignored, refused, accepted):
        await store.requests.expire(request.id, end)
    assert await store.requests.prune(end + consent.RETENTION - timedelta(seconds=1)) == []
    assert sorted(await store.requests.prune(end + consent.RETENTION)) == [ignored.id, refused.id]
    assert [r.id for r in await store.requests.sent(GUILD, 10)] == [accepted.id]


async def test_counts_for_moderators(store: ReseauStore) -> None:
    await _add(store, 20, "qc-ts", "QC-06")
    await _add(store, 21, "qc-ts", "QC-06", visible=False)
    await _ask(store, 10, 20)
    counts = await store.profiles.counts(GUILD, NOW)
    assert (counts.profiles, counts.visible, counts.open_requests, counts.pairings) == (2, 1, 1, 0)


# -- personal data -----------------------------------------------------------------------------
async def test_records_never_show_a_block_to_the_blocked_member(store: ReseauStore) -> None:
    await _add(store, 20, "qc-ts", "QC-06")
    _, request = await _ask(store, 10, 20)
    await store.requests.answer(request.id, Answer.BLOCK, 20, NOW)
    mine = await store.personal.records(10)
    assert [r.id for r in mine.sent] == [request.id]
    assert mine.blocked == []  # blocks against them are not theirs to see
    theirs = await store.personal.records(20)
    assert theirs.blocked == [(GUILD, 10)]
    assert [p.profession for p in theirs.profiles] == ["qc-ts"]
    assert [r.id for r in theirs.received] == [request.id]


async def test_erasure_leaves_the_requester_what_they_would_have_seen(store: ReseauStore) -> None:
    await _add(store, 10, "fr-ass", "FR-75")
    await _add(store, 20, "qc-ts", "QC-06")
    _, to_20 = await _ask(store, 10, 20)
    _, to_10 = await _ask(store, 20, 10)
    removed, expiries, _pairings = await store.personal.erase(20, NOW)
    assert removed >= 3
    assert expiries == [to_10.id]
    assert not await store.personal.records(20)
    kept = await store.requests.request(to_20.id)
    assert kept is not None and kept.recipient_id == 0
    assert consent.requester_view(kept) is RequesterView.WAITING
    _, after = await store.requests.expire(kept.id, NOW + consent.REQUEST_TTL)
    assert consent.requester_view(after) is RequesterView.NO_FOLLOW_UP


async def test_a_request_whose_expiry_was_missed_still_ends(store: ReseauStore) -> None:
    await _add(store, 20, "qc-ts", "QC-06")
    _, request = await _ask(store, 10, 20)
    much_later = request.expires_at + consent.NOTICE_WINDOW
    await store.requests.prune(much_later)
    ended = await store.requests.request(request.id)
    assert ended is not None and consent.requester_view(ended) is RequesterView.NO_FOLLOW_UP
    assert await store.requests.prune(much_later + consent.RETENTION) == [request.id]
