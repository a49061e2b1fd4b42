"""The rules of date polls (cogs/rencontres/polls/service.py): slots typed, answers per page,
tallies and the best slot. Pure: no Discord, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import t
from bot.user_error import UserError
from cogs.rencontres.polls.service import (
    SLOTS_MAX,
    Availability,
    Slot,
    Tally,
    best_slot,
    page_answers,
    parse_slots,
    split_slots,
    tally,
)

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday 10:00 in Paris
PARIS = "Europe/Paris"


def message(error: UserError, lang: str = "fr") -> str:
    return t(error.key, lang, **error.params_in(lang))


def test_slots_are_split_on_semicolons_and_new_lines_and_sorted_in_time() -> None:
    assert split_slots(" samedi 10h ;vendredi 18h\n\n12/03 20h ; ") == [
        "samedi 10h",
        "vendredi 18h",
        "12/03 20h",
    ]
    starts = parse_slots("samedi 10h ; vendredi 18h\n12/03 20h", PARIS, NOW, "fr")
    assert starts == (
        datetime(2026, 3, 6, 17, tzinfo=UTC),
        datetime(2026, 3, 7, 9, tzinfo=UTC),
        datetime(2026, 3, 12, 19, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vendredi 18h", "au moins 2 créneaux"),
        ("vendredi 18h ; vendredi 18h00", "Les créneaux 1 et 2 tombent au même moment"),
        ("vendredi 18h ; samedi 26h", "Créneau 2 (« samedi 26h ») :"),
        (
            "demain 10h ; 2029-01-01 10:00",
            "Créneau 2 (« 2029-01-01 10:00 ») : « 2029-01-01 10:00 » est trop loin",
        ),
        (
            " ; ".join(f"{n} mars 2027 18h" for n in range(1, 32))
            + " ; 1 avril 2027 18h ; "
            + " ; ".join(f"{n} avril 2027 18h" for n in range(2, 11)),
            "Trop de créneaux : 41",
        ),
    ],
)
def test_refusals_name_the_slot(text: str, expected: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_slots(text, PARIS, NOW, "fr")
    assert expected in message(refused.value)


def test_forty_slots_are_the_most() -> None:
    text = " ; ".join(f"{n} avril 2026 18h" for n in range(1, SLOTS_MAX + 1) if n <= 30)
    text += " ; " + " ; ".join(f"{n} mai 2026 18h" for n in range(1, SLOTS_MAX - 29))
    assert len(parse_slots(text, PARIS, NOW, "fr")) == SLOTS_MAX


def test_a_slot_refused_in_english_reads_english() -> None:
    with pytest.raises(UserError) as refused:
        parse_slots("friday 6pm; someday", PARIS, NOW, "en-US")
    assert message(refused.value, "en").startswith("Slot 2 (“someday”): I didn’t understand")


def test_page_answers() -> None:
    page = [1, 2, 3, 4]
    current = {1: Availability.YES, 2: Availability.MAYBE, 4: Availability.YES}
    # « Oui » picks 2 and 3: 1 (Oui before, not picked) becomes Non; 4 too; 2 and 3 Oui.
    assert page_answers(current, page, [2, 3], Availability.YES) == {
        1: Availability.NO,
        2: Availability.YES,
        3: Availability.YES,
        4: Availability.NO,
    }
    # « Si besoin » picks 3: Oui stays Oui, the Si besoin not picked becomes Non.
    assert page_answers(current, page, [3], Availability.MAYBE) == {
        1: Availability.YES,
        2: Availability.NO,
        3: Availability.MAYBE,
        4: Availability.YES,
    }
    with pytest.raises(UserError):
        page_answers(current, page, [9], Availability.YES)  # not a slot of this page


ANSWERS = st.dictionaries(st.integers(1, 8), st.sampled_from(list(Availability)))


@given(ANSWERS, st.sets(st.integers(1, 8)), st.sampled_from([Availability.YES, Availability.MAYBE]))
def test_a_page_answer_is_exactly_what_was_picked(
    current: dict[int, Availability], picked: set[int], choice: Availability
) -> None:
    page = list(range(1, 9))
    after = page_answers(current, page, picked, choice)
    assert set(after) == set(page)  # the whole page is answered
    assert {p for p, a in after.items() if a is choice} == picked  # exactly the picked
    for position in page:  # the other answer is never lost
        other = current.get(position)
        if position not in picked and other not in (None, choice):
            assert after[position] is other


def slots(*hours: int) -> list[Slot]:
    return [Slot(n, NOW + timedelta(hours=h)) for n, h in enumerate(hours, 1)]


def test_the_best_slot_most_yes_then_most_maybe_then_the_earliest() -> None:
    s = slots(10, 20, 30)
    rows = [(1, Availability.YES, 2), (2, Availability.YES, 2), (2, Availability.MAYBE, 1)]
    assert best_slot(s, tally(rows, 3)).position == 2  # same Oui, more Si besoin
    rows = [(1, Availability.YES, 2), (3, Availability.YES, 2)]
    assert best_slot(s, tally(rows, 2)).position == 1  # same counts: the earliest
    assert best_slot(s, Tally()).position == 1  # nobody answered
    rows = [(3, Availability.YES, 1), (1, Availability.MAYBE, 5), (1, Availability.NO, 1)]
    assert best_slot(s, tally(rows, 6)).position == 3  # one Oui beats many Si besoin


def test_tally_counts_per_slot() -> None:
    counted = tally([(1, Availability.YES, 3), (1, Availability.NO, 2)], 5)
    assert (counted.of(1).yes, counted.of(1).maybe, counted.of(1).no) == (3, 0, 2)
    assert counted.of(2).yes == 0 and counted.voters == 5
