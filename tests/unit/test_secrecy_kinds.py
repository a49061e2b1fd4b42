"""The secrecy guard (bot/secrecy) kind by kind, its clean look-alikes, and its life without model.

The figures on the held-out corpus are in bench/guard_corpus.py, never here.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from bot import offload
from bot.secrecy import guard as guard_module
from bot.secrecy.guard import Guard, kinds_found
from bot.secrecy.model import ModelState, NameModel, active

DEV = Path(__file__).parent / "data" / "guard_dev.toml"
REF_YEAR = 2026


@pytest.fixture(scope="module", autouse=True)
def language_model() -> None:
    assert active().load(timeout=300), active().error


def kinds(text: str) -> list[str]:
    return kinds_found(text, ref_year=REF_YEAR)


# ---------------------------------------------------------------- names
@pytest.mark.parametrize(
    "text",
    [
        "le dossier de Dylan Marchetti (14 ans) est bloqué",
        "le monsieur, Jean-Pierre Gagnon-Tremblay, 67 ans, vit seul",
        "PELLETIER Manon est absente depuis lundi",
        "c'est encore kevin lemaire qui a fugué cette nuit",
        "on a revu marine dubois hier",
        "Juliette Marchand, la jeune qu'on suit, dort dans un squat",
    ],
)
def test_full_names_without_civility(text: str) -> None:
    assert "name" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "j'ai encore eu madame lefrançois au téléphone",
        "mr gauthier est sorti de l'hôpital",
        "Monsieur Ouellet ne vient plus",
        "La curatelle de monsieur Da Silva est renouvelée",
    ],
)
def test_names_after_a_civility_in_any_case(text: str) -> None:
    assert kinds(text) == ["civility_name"]


@pytest.mark.parametrize(
    "text",
    [
        "le petit Nolan, en CM1 à l'école des Tilleuls, arrive sans avoir mangé",
        "Inès T., 11 ans, en 6e au collège, ne veut plus rentrer",
        "Léa B., 15 ans, de la polyvalente",
        "Zoé, 4 ans, est arrivée en pouponnière",
        "Je m'inquiète pour Jérémie, il est en secondaire 3 à la polyvalente",
        "ma jeune lilou a encore été exclue du lycée",
        "la petite Ayanna ne parle toujours pas à 4 ans",
        "Kenzo, 15 ans, a été interpellé",
    ],
)
def test_a_childs_first_name_near_a_school_class_or_age(text: str) -> None:
    assert "name" in kinds(text)


def test_families_and_nicknames() -> None:
    assert kinds("La famille Bouchard a encore déménagé") == ["name"]
    assert kinds("Le gamin qu'on surnomme « le Grand » est reparti") == ["name"]


@pytest.mark.parametrize(
    "text",
    [
        "Merci Sophie pour ta réponse, ça m'aide beaucoup !",
        "Karine, tu as raison, il faut passer par le chef de service.",
        "Je rejoins Mathieu : sans cadre clair, les jeunes testent tout.",
        "Mme la juge a renouvelé la mesure pour un an.",
        "M. le directeur veut un rapport pour chaque fugue.",
        "Mme X. refuse, M. D. est sorti.",
        "Comme disait Winnicott, une mère suffisamment bonne, ça suffit.",
        "J'ai relu Boris Cyrulnik sur la résilience.",
        "Emmanuel Macron a parlé de la protection de l'enfance.",
        "La loi Taquet de 2022 a interdit les placements à l'hôtel.",
        "Le collège Jean-Moulin a ouvert une classe ULIS.",
        "Le CHU Sainte-Justine a une clinique pour les enfants maltraités.",
        "La DPJ de Laval recrute, et le CISSS de la Montérégie aussi.",
        "Un enfant de 8 ans, ça ne se laisse pas seul le soir.",
        "Le jeune Québécois moyen quitte le domicile familial vers 25 ans.",
    ],
)
def test_colleagues_titles_authors_laws_and_structures_are_not_names(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("son NAS c'est 046 454 286", "sin"),  # Luhn-valid, and said
        ("numéro d'assurance sociale : 130 692 544", "sin"),
        ("NAS 123 456 789 d'après lui", "sin"),  # fails Luhn, but said to be one
        ("sa carte vitale : 2 84 11 33 063 205 86", "nir"),
        ("IBAN FR14 2004 1010 0505 0001 3M02 606", "bank"),
        ("SIRET 732 829 320 00074", "siret"),
        ("le SIREN de son entreprise est 443 061 841", "siret"),
        ("Sa NAM c'est BERG 0961 1512", "nam"),
        ("Numéro allocataire CAF 4587123", "case_number"),
        ("dossier DPJ 2024-118734", "case_number"),
        ("immatriculée GH-417-KL", "plate"),
        ("son pick-up, plaque FXR 482", "plate"),
        ("son Insta @lou.petitange08", "handle"),
        ("Né en 2009, il a déjà huit ans de placement", "birth_date"),
        ("la petite est née en 2019", "birth_date"),
        ("née en 87, elle a déjà quatre enfants", "birth_date"),
    ],
)
def test_identifying_numbers(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",  # France, mobile
        "04 77 52 18 36",  # France, landline
        "438 555-0177",  # Canada
        "+1 (581) 555-0123",
        "0475 61 23 98",  # Belgium
        "+32 470 12 34 56",
        "079 123 45 67",  # Switzerland
        "+41 78 612 34 56",
    ],
)
def test_phones_of_four_countries(text: str) -> None:
    assert kinds(f"elle est joignable au {text} le soir") == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "le 3114 répond jour et nuit, le 119 pour l'enfance en danger",
        "le 811 option 2, le 988, le 211, le 911, le 15, le 17, le 18, le 112, le 115",
        "Tel-jeunes : 1 800 263-2266, gratuit",
        "Drogue info service : 0 800 23 13 13",
        "L'article L.223-1 du CASF et l'art. 38 LPJ",
        "Réunion de synthèse le 14/01 à 10h30, salle 2",
        "La subvention est passée de 12 500 € à 9 800 €",
        "Je suis née en 1984 et j'ai commencé à vingt ans",
        "En 2024, 3 800 enfants étaient suivis par l'ASE",
        "La réunion se tiendra au 12 rue de la République, au siège de l'association.",
    ],
)
def test_service_numbers_articles_dates_and_amounts_stay_clean(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- small places
@pytest.mark.parametrize(
    "text",
    [
        "La boulangère de Saint-Clément a un fils qui se drogue.",
        "C'est la seule famille afghane du village.",
        "La fille du pharmacien a fait une tentative de suicide.",
        "tout le village la connaît, la vieille dame aux chats",
        "Le seul médecin de Sainte-Anne-des-Monts serait violent avec sa conjointe.",
        "Un monsieur atteint de la maladie de Charcot vit seul dans une ferme à Saint-Agapit.",
    ],
)
def test_details_that_identify_in_a_small_place(text: str) -> None:
    assert "combination" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le maire de ma commune a créé un CCAS, c'est une bonne nouvelle.",
        "Dans les petits villages, l'anonymat n'existe pas : tout se sait.",
        "Je suis la seule éducatrice de nuit sur le site.",
        "Au Saguenay, l'accès aux services en dépendance prend des mois.",
        "Les incendies de l'été ont jeté des familles à la rue dans tout le département.",
    ],
)
def test_places_jobs_and_events_alone_stay_clean(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- without the model
MIXED = "Le dossier de Dylan Marchetti (14 ans) est bloqué, sa mère : 06 12 34 56 78."


def test_a_missing_model_is_said_once_and_the_rules_keep_guarding(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.secrecy")
    model = NameModel("no_such_model")
    guard = Guard(model)
    assert guard.kinds_found(MIXED, ref_year=REF_YEAR) == ["phone", "name"]
    assert guard.kinds_found("Mme Dupont, née en 2009", ref_year=REF_YEAR) == [
        "birth_date",
        "civility_name",
    ]
    assert model.state is ModelState.FAILED
    said = [r for r in caplog.records if "no_such_model" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.WARNING


class SlowModel(NameModel):
    """A model whose loading never ends while the test holds it."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__("fr_core_news_sm")
        self.release = release

    def _load(self) -> None:
        self.release.wait(30)
        self._fail("released")


def test_a_scan_waits_briefly_for_a_loading_model_then_uses_the_rules(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.secrecy")
    monkeypatch.setattr(guard_module, "MODEL_WAIT", 0.05)
    release = threading.Event()
    model = SlowModel(release)
    guard = Guard(model)
    try:
        assert guard.kinds_found(MIXED, ref_year=REF_YEAR) == ["phone", "name"]
        assert guard.kinds_found(MIXED, ref_year=REF_YEAR) == ["phone", "name"]
        assert model.state is ModelState.LOADING
        said = [r for r in caplog.records if "still loading" in r.getMessage()]
        assert len(said) == 1  # once, not per message
    finally:
        release.set()


class WatchedModel(NameModel):
    """The real model, noting how the interpreter is set while it loads."""

    def __init__(self) -> None:
        super().__init__("fr_core_news_sm")
        self.seen: list[tuple[float, bool]] = []

    def _load(self) -> None:
        self.seen.append((sys.getswitchinterval(), gc.isenabled()))
        super()._load()


def test_the_model_loads_without_starving_the_event_loop() -> None:
    # A plain thread kept the loop waiting up to 5 ms for the interpreter at every wake-up,
    # seconds in all while the model loaded: members' clicks were answered after Discord's 3 s.
    model = WatchedModel()
    before = sys.getswitchinterval()
    assert model.load(timeout=300)
    model.start()  # once
    assert model.load(timeout=1)
    assert model.state is ModelState.READY
    assert model.seen == [(offload.SHARED_SWITCH_INTERVAL, False)]
    for thread in threading.enumerate():  # the loader ends just after the model is ready
        if thread.name == f"secrecy-model-{model.name}":
            thread.join(60)
    assert sys.getswitchinterval() == before and gc.isenabled()
    gc.unfreeze()


def test_the_model_finds_what_the_rules_cannot() -> None:
    text = "Le signalement concerne Zakariyya Vandermeulen, qu'on voit souvent au parc."
    assert Guard(None).kinds_found(text, ref_year=REF_YEAR) == []
    assert kinds(text) == ["name"]


# ---------------------------------------------------------------- the development corpus
def test_development_corpus_rates(capsys: pytest.CaptureFixture[str]) -> None:
    with DEV.open("rb") as f:
        messages = tomllib.load(f)["message"]
    identifying = [m for m in messages if m["kinds"]]
    clean = [m for m in messages if not m["kinds"]]
    assert len(identifying) >= 100 and len(clean) >= 100
    detected = sum(bool(kinds(m["text"])) for m in identifying)
    alarms = sum(bool(kinds(m["text"])) for m in clean)
    with capsys.disabled():
        print(f"\nguard dev corpus: detection {detected}/{len(identifying)}, alarms {alarms}")
    assert detected / len(identifying) >= 0.95
    assert alarms / len(clean) <= 0.05
