"""The secrecy guard's third round: weak clues that point at someone only together.

Every sentence here is written for the test (none is copied from a corpus). Each category of
clue has identifying cases (two or three clues about one person or household) and clean
look-alikes: the same clues said of a category of people, of the member themself, or alone.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.secrecy.guard import kinds_found
from bot.secrecy.model import active

DEV3 = Path(__file__).parent / "data" / "guard_dev3.toml"
REF_YEAR = 2026


@pytest.fixture(scope="module", autouse=True)
def language_model() -> None:
    assert active().load(timeout=300), active().error


def kinds(text: str) -> list[str]:
    return kinds_found(text, ref_year=REF_YEAR)


# ---------------------------------------------------------------- weak clues together
@pytest.mark.parametrize(
    "text",
    [
        # a job where it is done, the household's make-up, a condition one sees
        "une maman seule, caissière au supermarché, 4 enfants dont un petit en fauteuil",
        "le papa est gendarme à la brigade du coin, 3 enfants dont des jumeaux, il la frappe",
        "my client, 34, single mom of triplets, works night shifts at the fish plant",
        # an event people talked about, an age
        "mon suivi, 15 ans, c'est celui qui a cambriolé la pharmacie le mois dernier",
        # a role few people hold, or held
        "un ado de 14 ans, fils de l'ancien maire, en famille d'accueil depuis l'incendie",
        "the lady in room 4 used to be the priest's housekeeper, she is 91 and her nephew steals",
        # a minority, a job
        "j'accompagne une famille kurde, le père travaille à l'abattoir, la petite a 6 ans",
        # a named institution, an age, a condition
        "le jeune hémophile de 13 ans du foyer Les Tilleuls a encore fugué hier soir",
        # a household by its name in the plural
        "ça fait deux ans que je suis chez les Verhaegen, la mère refuse toute aide",
        "a Cree family, the Whitfields, asked me to write to the band office",
    ],
)
def test_weak_clues_about_one_person_are_found(text: str) -> None:
    assert "combination" in kinds(text) or "name" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        # a category of people, not one household
        "les familles monoparentales avec 3 enfants ont droit à quelle aide de la CAF ?",
        "les enfants roms sont souvent déscolarisés, quelles actions avez-vous mises en place ?",
        "Les familles afghanes arrivées l'an dernier ont-elles accès au FLE gratuit ?",
        "the kids in grade 5 at my son's school are doing a fundraiser for the shelter",
        # the member speaks of themself
        "Moi je suis maman solo de 3 enfants et AS à Mende, je comprends tellement ce fil",
        "I'm a single dad of two, working as a nurse at the hospital, how do you manage nights?",
        "j'ai 3 enfants, un mari pompier et un boulot à 80 %, je cours tout le temps",
        # one clue alone, or an event with no one in it
        "Un incendie a détruit le gymnase du collège hier, heureusement personne n'était dedans",
        "l'ancien maire a inauguré la nouvelle maison de quartier, belle initiative",
        "Si un enfant de 12 ans vous dit qu'il est frappé, vous faites quoi en premier ?",
        "est-ce que quelqu'un connaît le foyer Saint-Joseph ? on m'a proposé un poste là-bas",
        "Au Québec, un enfant de 14 ans peut consentir seul aux soins, art. 14 CcQ",
        "Any French-speaking social workers in Brussels? Looking for a mentor",
        "le juge des enfants est en congé, audiences renvoyées au 14 mars",
        # a short acronym the model takes for a place is not a small town
        "Un papa seul avec 2 enfants et au chômage, il peut faire un recours DALO ?",
    ],
)
def test_clues_of_no_one_stay_clean(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- the third development corpus
def test_third_development_corpus_rates(capsys: pytest.CaptureFixture[str]) -> None:
    with DEV3.open("rb") as f:
        messages = tomllib.load(f)["message"]
    identifying = [m for m in messages if m["identifying"]]
    clean = [m for m in messages if not m["identifying"]]
    assert len(identifying) >= 100 and len(clean) >= 100
    detected = sum(bool(kinds(m["text"])) for m in identifying)
    alarms = sum(bool(kinds(m["text"])) for m in clean)
    with capsys.disabled():
        print(f"\nguard dev3 corpus: detection {detected}/{len(identifying)}, alarms {alarms}")
    assert detected / len(identifying) >= 0.95
    assert alarms / len(clean) <= 0.05
