"""Réseau's pure rules: profile validation, the directory's ranking, mentor matching."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reference import places, professions
from bot.reference.practice import Field, Language
from bot.regions import Side
from bot.user_error import UserError
from cogs.reseau import service
from cogs.reseau.service import DirectoryFilters, MentorOffer, OpenTo, Profile

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
PROFESSIONS = [p.code for p in professions.professions()]
PLACES = [p.code for p in places.places()]


# -- validation --------------------------------------------------------------------------------
def test_a_valid_profile_is_kept_as_typed_but_tidied() -> None:
    fields = service.validate_profile(
        profession="fr-ass",
        place="FR-29",
        city="  Quimper   centre ",
        target_place="QC-06",
        move_month="2027-09",
        fields=["protection_enfance", "migration"],
        open_to=["cafe"],
        presentation="  AS en polyvalence de secteur.  ",
    )
    assert fields.city == "Quimper centre"
    assert fields.presentation == "AS en polyvalence de secteur."
    assert fields.fields == {Field.CHILD_PROTECTION, Field.MIGRATION}
    assert fields.languages == {Language.FRENCH}  # the default
    assert fields.country == "FR"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"profession": "plombier"}, "reseau.error.unknown_profession"),
        ({"place": "FR-20"}, "reseau.error.unknown_place"),  # Corsica is 2A and 2B
        ({"target_place": "FR-75"}, "reseau.error.same_target"),
        ({"move_month": "2027-01"}, "reseau.error.month_without_target"),
        ({"city": "x" * (service.CITY_MAX + 1)}, "reseau.error.too_long"),
        ({"presentation": "x" * (service.PRESENTATION_MAX + 1)}, "reseau.error.too_long"),
        ({"fields": ["astrologie"]}, "reseau.error.bad_choice"),
        ({"years": service.YEARS_MAX + 1}, "reseau.error.bad_years"),
        ({"guard_findings": ["birth_date"]}, "reseau.error.guard_unconfirmed"),
        (
            {"guard_findings": ["phone"], "guard_accepted": True},
            "reseau.error.contact_in_presentation",
        ),
    ],
)
def test_each_bad_field_has_its_own_message(changes: dict, key: str) -> None:
    values = {"profession": "fr-ass", "place": "FR-75", **changes}
    with pytest.raises(UserError) as caught:
        service.validate_profile(**values)
    assert caught.value.key == key


def test_a_flagged_presentation_passes_once_its_author_confirmed() -> None:
    fields = service.validate_profile(
        profession="fr-ass",
        place="FR-75",
        presentation="Installée à Quimper depuis le 12/03/1990",
        guard_findings=["birth_date"],
        guard_accepted=True,
    )
    assert "Quimper" in fields.presentation


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("09/2027", "2027-09"),
        ("9/2027", "2027-09"),
        ("2027-09", "2027-09"),
        ("septembre 2027", "2027-09"),
        ("Sept. 2027", "2027-09"),
        ("déc 2026", "2026-12"),
        ("September 2027", "2027-09"),
    ],
)
def test_months_members_type(typed: str, month: str) -> None:
    assert service.parse_month(typed, NOW) == month


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("13/2027", "reseau.error.bad_month"),
        ("ju 2027", "reseau.error.bad_month"),  # juin or juillet?
        ("bientôt", "reseau.error.bad_month"),
        ("11/2026", "reseau.error.month_out_of_range"),
        ("01/2040", "reseau.error.month_out_of_range"),
    ],
)
def test_months_refused(typed: str, key: str) -> None:
    with pytest.raises(UserError) as caught:
        service.parse_month(typed, NOW)
    assert caught.value.key == key


def test_years_of_practice() -> None:
    assert service.parse_years("") is None
    assert service.parse_years(" 12 ") == 12
    for bad in ("douze", "-1", "99"):
        with pytest.raises(UserError):
            service.parse_years(bad)


# -- the directory's ranking -------------------------------------------------------------------
def _profile(i: int, profession: str, place: str, **kw: object) -> Profile:
    return Profile(
        id=i,
        guild_id=1,
        user_id=100 + i,
        profession=profession,
        place=place,
        visible=kw.pop("visible", True),  # type: ignore[arg-type]
        updated_at=kw.pop("updated_at", NOW),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_same_profession_then_equivalent_then_close() -> None:
    people = [
        _profile(1, "qc-tts", "QC-06"),  # close to fr-ass
        _profile(2, "qc-ts", "QC-06"),  # equivalent (ARM)
        _profile(3, "fr-ass", "QC-06", target_place=None),
        _profile(4, "fr-eje", "QC-06"),  # not related: filtered out
    ]
    ranking = service.directory_ranking(1, 0, DirectoryFilters(profession="fr-ass"), None)
    assert [p.id for p in service.rank(people, ranking)] == [3, 2, 1]


def test_the_viewers_destination_comes_first_without_a_place_filter() -> None:
    viewer = service.validate_profile(profession="fr-ass", place="FR-29", target_place="QC-06")
    people = [
        _profile(1, "qc-ts", "QC-03"),  # same country as the destination
        _profile(2, "qc-ts", "QC-06"),  # at the destination
        _profile(3, "fr-ass", "FR-13", target_place="QC-06"),  # moving there too
        _profile(4, "qc-ts", "FR-29"),  # where the viewer is now (not the reference)
    ]
    ranking = service.directory_ranking(1, 0, DirectoryFilters(), viewer)
    order = [p.id for p in service.rank(people, ranking)]
    # same profession (4) + moving there (2) = 6, equivalent (3) + there (3) = 6: the tie is
    # broken by recency, then id; then equivalent + same country, then equivalent alone
    assert order == [2, 3, 1, 4]


def test_filters_select_and_never_show_the_viewer_or_hidden_profiles() -> None:
    people = [
        _profile(1, "fr-ass", "FR-75", fields=frozenset({Field.MIGRATION})),
        _profile(2, "fr-ass", "FR-75", open_to=frozenset({OpenTo.COFFEE})),
        _profile(3, "fr-ass", "QC-06", target_place="FR-75"),
        _profile(4, "fr-ass", "FR-75", visible=False),
        _profile(5, "fr-ass", "BE-WLG"),
    ]
    viewer_id = people[1].user_id

    def ids(**kw: object) -> list[int]:
        ranking = service.directory_ranking(1, viewer_id, DirectoryFilters(**kw), None)
        return sorted(p.id for p in service.rank(people, ranking))

    assert ids() == [1, 3, 5]
    assert ids(practice=Field.MIGRATION) == [1]
    assert ids(open_to=OpenTo.COFFEE) == []  # only the viewer is open to a coffee
    assert ids(place="FR-75") == [1, 3]  # there, or moving there
    assert ids(side=Side.AMERICA) == [3]
    assert ids(side=Side.EUROPE) == [1, 5]


profiles_strategy = st.lists(
    st.builds(
        lambda i, prof, place, target, visible, age: _profile(
            i,
            prof,
            place,
            target_place=target,
            visible=visible,
            updated_at=NOW - timedelta(hours=age),
        ),
        st.integers(1, 10_000),
        st.sampled_from(PROFESSIONS),
        st.sampled_from(PLACES),
        st.none() | st.sampled_from(PLACES),
        st.booleans(),
        st.integers(0, 5),
    ),
    max_size=40,
    unique_by=lambda p: p.id,
)


@settings(max_examples=150, deadline=None)
@given(
    profiles_strategy,
    st.none() | st.sampled_from(PROFESSIONS),
    st.none() | st.sampled_from(PLACES),
    st.randoms(use_true_random=False),
)
def test_ranking_is_deterministic_whatever_the_order_rows_come_in(
    people: list[Profile], profession: str | None, place: str | None, rnd: random.Random
) -> None:
    ranking = service.directory_ranking(
        1, 0, DirectoryFilters(profession=profession, place=place), None
    )
    first = service.rank(people, ranking)
    shuffled = list(people)
    rnd.shuffle(shuffled)
    assert service.rank(shuffled, ranking) == first
    scores = [service.score(p, ranking) for p in first]
    assert scores == sorted(scores, reverse=True)


def test_paging_arithmetic() -> None:
    assert service.page_count(0) == 1
    assert service.page_count(service.PAGE_SIZE) == 1
    assert service.page_count(service.PAGE_SIZE + 1) == 2
    assert service.clamp_page(9, service.PAGE_SIZE + 1) == 1
    assert service.clamp_page(-1, 3) == 0


# -- mentor matching ---------------------------------------------------------------------------
def _offer(i: int, place: str, profession: str, **kw: object) -> MentorOffer:
    return MentorOffer(
        id=i,
        guild_id=1,
        user_id=200 + i,
        place=place,
        profession=profession,
        capacity=kw.pop("capacity", 2),
        **kw,  # type: ignore[arg-type]
    )


def test_the_best_three_mentors() -> None:
    search = service.mentor_search(
        1,
        999,
        destination="QC-06",
        profession="fr-ass",
        arrival="09/2027",
        now=NOW,
        practice="migration",
        language="es",
    )
    offers = [
        _offer(1, "QC-03", "qc-ts"),  # equivalent, elsewhere in Québec: 3
        _offer(2, "QC-06", "qc-ts"),  # there + equivalent: 7
        _offer(3, "QC-06", "qc-tes"),  # there only: 4
        _offer(4, "QC-06", "qc-ts", capacity=1, active_pairings=1),  # full
        _offer(5, "FR-75", "fr-ass"),  # not in Québec
        _offer(6, "QC-06", "qc-ts", fields=frozenset({Field.MIGRATION})),  # 8
        _offer(7, "QC-06", "qc-ts", languages=frozenset({Language.SPANISH}), capacity=3),  # 8
    ]
    assert [o.id for o in service.best_mentors(offers, search)] == [7, 6, 2]
    assert search.arrival == "2027-09"


def test_capacity_is_bounded() -> None:
    assert service.validate_capacity(service.CAPACITY_MAX) == service.CAPACITY_MAX
    for bad in (0, service.CAPACITY_MAX + 1):
        with pytest.raises(UserError):
            service.validate_capacity(bad)
