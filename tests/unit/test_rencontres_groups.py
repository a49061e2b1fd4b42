"""Splitting a meet-up's participants into small groups (cogs/rencontres/groups/service.py):
property tests (hypothesis) on sizes, bounds, determinism and stability under re-runs, and
examples for what members declared."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.i18n import t
from bot.user_error import UserError
from cogs.rencontres.groups.service import (
    Bounds,
    Criteria,
    Member,
    changes,
    check_bounds,
    group_count,
    groups_of,
    parse_cities,
    sizes,
    split,
)

BOUNDS = st.tuples(st.integers(2, 8), st.integers(0, 6)).map(lambda t: Bounds(t[0], t[0] + t[1]))
MODES = st.sampled_from([None, "presentiel", "visio"])
CITIES = st.sampled_from([None, "Lyon", "Montréal", "Paris", "Québec"])
SIDES = st.sampled_from([None, "europe", "america"])


@st.composite
def crowds(draw: st.DrawFn, *, max_size: int = 80, declared: bool = False) -> list[Member]:
    """Participants with distinct ids and sign-up orders (what they declared, if asked)."""
    n = draw(st.integers(0, max_size))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=n, max_size=n, unique=True))
    return [
        Member(
            user_id,
            seq,
            mode=draw(MODES) if declared else None,
            city=draw(CITIES) if declared else None,
            side=draw(SIDES) if declared else None,
        )
        for seq, user_id in enumerate(ids, 1)
    ]


def feasible(n: int, bounds: Bounds) -> bool:
    """Some number of balanced groups puts everyone within the bounds."""
    return any(all(bounds.low <= s <= bounds.high for s in sizes(n, k)) for k in range(1, n + 1))


def group_sizes(assignment: dict[int, int]) -> list[int]:
    return [len(v) for v in groups_of(assignment).values()]


def moves(before: dict[int, int], after: dict[int, int]) -> int:
    return sum(1 for u, g in after.items() if u in before and before[u] != g)


# -- sizes and bounds ----------------------------------------------------------------------------
@given(crowds(), BOUNDS)
def test_everyone_in_one_group_balanced_and_within_bounds_when_possible(
    members: list[Member], bounds: Bounds
) -> None:
    assignment = split(members, bounds)
    assert set(assignment) == {m.user_id for m in members}
    found = group_sizes(assignment)
    if not members:
        assert found == []
        return
    assert max(found) - min(found) <= 1  # balanced
    if feasible(len(members), bounds):
        assert all(bounds.low <= s <= bounds.high for s in found), (len(members), bounds, found)
    assert sorted(groups_of(assignment)) == list(range(1, len(found) + 1))  # numbered 1, 2, …


def test_a_few_counts() -> None:
    assert group_sizes(split([Member(u, u) for u in range(12)], Bounds(4, 6))) == [6, 6]
    assert group_sizes(split([Member(u, u) for u in range(15)], Bounds(4, 6))) == [5, 5, 5]
    assert group_sizes(split([Member(u, u) for u in range(7)], Bounds(4, 6))) == [4, 3]
    assert group_count(3, Bounds(4, 6)) == 1  # too few for the bounds: one small group
    assert group_count(0, Bounds(4, 6)) == 0


# -- determinism -----------------------------------------------------------------------------------
@given(crowds(declared=True), BOUNDS, st.booleans(), st.booleans(), st.booleans(), st.randoms())
def test_the_same_input_in_any_order_gives_the_same_groups(
    members: list[Member],
    bounds: Bounds,
    by_mode: bool,
    by_city: bool,
    mix: bool,
    rng: object,
) -> None:
    criteria = Criteria(by_mode, by_city, mix, default_mode="presentiel")
    first = split(members, bounds, criteria)
    shuffled = list(members)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert split(shuffled, bounds, criteria) == first
    assert split(members, bounds, criteria, previous=first) == first  # a re-run moves nobody


# -- stability -------------------------------------------------------------------------------------
@settings(max_examples=200)
@given(crowds(max_size=60), BOUNDS, st.data())
def test_a_re_run_moves_as_few_people_as_the_new_sizes_allow(
    members: list[Member], bounds: Bounds, data: st.DataObject
) -> None:
    before = split(members, bounds)
    gone = data.draw(
        st.sets(st.sampled_from([m.user_id for m in members])) if members else st.just(set())
    )
    newcomers = data.draw(crowds(max_size=10))
    taken = {m.user_id for m in members}
    arrivals = [
        Member(m.user_id + 2 * 10**6, 1000 + m.seq) for m in newcomers if m.user_id not in taken
    ]
    now = [m for m in members if m.user_id not in gone] + arrivals
    after = split(now, bounds, previous=before)
    assert set(after) == {m.user_id for m in now}
    new_sizes = group_sizes(after)
    if now:
        assert max(new_sizes) - min(new_sizes) <= 1
    # The fewest moves any split into these sizes could make: previous groups' remaining
    # members (largest first) kept up to the new sizes (largest first).
    remaining = sorted(
        Counter(before[m.user_id] for m in now if m.user_id in before).values(), reverse=True
    )
    best_kept = sum(
        min(c, s) for c, s in zip(remaining, sorted(new_sizes, reverse=True), strict=False)
    )
    stayers = sum(1 for m in now if m.user_id in before)
    assert moves(before, after) == stayers - best_kept == changes(before, after).moved
    # Numbers are kept: a new group takes a number never used before.
    fresh = set(after.values()) - set(before.values())
    assert all(n > max(before.values(), default=0) for n in fresh)


def test_two_withdrawals_from_one_group_move_one_member() -> None:
    members = [Member(u, u) for u in range(1, 16)]  # 15: three groups of 5
    before = split(members, Bounds(4, 6))
    assert group_sizes(before) == [5, 5, 5]
    gone = groups_of(before)[1][:2]  # group 1 keeps 3: 13 people → 5, 4, 4
    after = split([m for m in members if m.user_id not in gone], Bounds(4, 6), previous=before)
    assert sorted(group_sizes(after), reverse=True) == [5, 4, 4]
    diff = changes(before, after)
    assert diff.moved == 1 and diff.dropped == []
    [(into, [mover])] = diff.joined.items()
    assert into == 1 and before[mover] == 3  # from the last full group, its last sign-up
    assert mover == max(groups_of(before)[3])


def test_many_withdrawals_drop_the_emptiest_group() -> None:
    members = [Member(u, u) for u in range(1, 16)]
    before = split(members, Bounds(4, 6))
    gone = groups_of(before)[2][:4]  # group 2 keeps 1: 11 people → 6, 5
    after = split([m for m in members if m.user_id not in gone], Bounds(4, 6), previous=before)
    diff = changes(before, after)
    assert diff.dropped == [2] and diff.moved == 1  # only its last member moves


# -- what members declared -------------------------------------------------------------------------
@given(crowds(declared=True), BOUNDS)
def test_in_person_and_video_are_never_mixed(members: list[Member], bounds: Bounds) -> None:
    criteria = Criteria(by_mode=True, default_mode="presentiel")
    assignment = split(members, bounds, criteria)
    mode = {m.user_id: m.mode or "presentiel" for m in members}
    for group in groups_of(assignment).values():
        assert len({mode[u] for u in group}) == 1


@given(crowds(declared=True), BOUNDS)
def test_both_sides_are_mixed_evenly_on_a_first_split(
    members: list[Member], bounds: Bounds
) -> None:
    assume(members)
    assignment = split(members, bounds, Criteria(mix_sides=True))
    side = {m.user_id: m.side for m in members}
    groups = groups_of(assignment).values()
    for which in ("europe", "america"):
        counts = [sum(1 for u in g if side[u] == which) for g in groups]
        assert max(counts) - min(counts) <= 1, (which, counts)


def test_cities_with_enough_people_get_their_own_groups() -> None:
    lyon = [Member(u, u, city="Lyon") for u in range(1, 6)]
    montreal = [Member(u, u, city="Montréal") for u in range(6, 10)]
    others = [Member(10, 10, city="Québec"), Member(11, 11)]  # too few for a group
    everyone = lyon + montreal + others
    groups = groups_of(split(everyone, Bounds(4, 6), Criteria(by_city=True)))
    city = {m.user_id: m.city for m in everyone}
    assert sorted(len(g) for g in groups.values()) == [5, 6]  # the two others seated where
    for group in groups.values():  # there was room
        assert len({city[u] for u in group} - {None, "Québec"}) == 1  # never Lyon with Montréal
    # Eight from elsewhere: a mixed group of their own.
    more = [Member(u, u) for u in range(20, 26)]
    groups = groups_of(split(everyone + more, Bounds(4, 6), Criteria(by_city=True)))
    assert sorted(len(g) for g in groups.values()) == [4, 4, 4, 5]
    mixed = {
        u for g in groups.values() if not set(g) & {m.user_id for m in lyon + montreal} for u in g
    }
    assert mixed == {10, 11, *range(20, 26)}  # two mixed groups of 4


@given(crowds(declared=True), BOUNDS)
def test_a_city_group_never_mixes_two_named_cities(members: list[Member], bounds: Bounds) -> None:
    assignment = split(members, bounds, Criteria(by_city=True))
    assert set(assignment) == {m.user_id for m in members}
    city = {m.user_id: m.city for m in members}
    big = {c for c, n in Counter(city.values()).items() if c and n >= bounds.low}
    for group in groups_of(assignment).values():
        assert len({city[u] for u in group} & big) <= 1


# -- what the organiser types ----------------------------------------------------------------------
def test_bounds_and_cities_are_checked() -> None:
    assert check_bounds(4, 6, 20) == Bounds(4, 6)
    for low, high, n, key in (
        (1, 6, 20, "too_small"),
        (4, 30, 20, "too_big"),
        (6, 4, 20, "bounds"),
        (8, 10, 5, "not_enough"),
    ):
        with pytest.raises(UserError) as refused:
            check_bounds(low, high, n)
        assert refused.value.key == f"rencontre.groups.error.{key}"
    assert parse_cities(" Lyon ; montréal;Montréal ;; Paris ") == ("Lyon", "montréal", "Paris")
    with pytest.raises(UserError):
        parse_cities(";".join(f"Ville {n}" for n in range(30)))


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (0, "fr", "il n'y a pour l'instant que 0 personne inscrite."),
        (1, "fr", "il n'y a pour l'instant que 1 personne inscrite."),
        (3, "fr", "il n'y a pour l'instant que 3 personnes inscrites."),
        (1, "en", "but only 1 person signed up so far."),
        (3, "en", "but only 3 people signed up so far."),
    ],
)
def test_too_few_sign_ups_are_counted_in_words(n: int, lang: str, expected: str) -> None:
    with pytest.raises(UserError) as refused:
        check_bounds(4, 6, n)
    error = refused.value
    assert t(error.key, lang, **error.params_in(lang)).endswith(expected)
