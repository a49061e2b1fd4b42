"""The secrecy guard's second round: what the rules learnt from a corpus written by someone else.

Every sentence here is written for the test (none is copied from a corpus). Each mechanism has
its identifying cases and the clean look-alikes it must leave alone.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.secrecy import lexicon as lx
from bot.secrecy.guard import Guard, kinds_found
from bot.secrecy.model import active
from bot.secrecy.numbers import service_numbers

DEV2 = Path(__file__).parent / "data" / "guard_dev2.toml"
REF_YEAR = 2026


@pytest.fixture(scope="module", autouse=True)
def language_model() -> None:
    assert active().load(timeout=300), active().error


def kinds(text: str) -> list[str]:
    return kinds_found(text, ref_year=REF_YEAR)


# ---------------------------------------------------------------- national identifiers
@pytest.mark.parametrize(
    "text",
    [
        "son registre national : 85.07.30-033.28, le CPAS ne le retrouve pas",
        "il m'a donné 85073003328 pour la mutuelle",
        "NN 90.02.01-997.99 (je ne suis pas sûre de la clé)",  # wrong key, but named
        "n° AVS 756.1234.5678.97, l'office AI le demande",
        "AHV-Nummer 7561234567897",
        "AVS : 756.0000.0000.01 d'après le monsieur",  # wrong check digit, but named
    ],
)
def test_belgian_and_swiss_national_numbers(text: str) -> None:
    assert kinds(text) == ["national_id"]


@pytest.mark.parametrize(
    "text",
    [
        "la réunion du 12.03.24 à 14h",
        "le budget 2025 est de 850 000 €, soit 12 % de plus",
        "art. 307 CC et art. 310 CC",
        "756 dossiers en attente dans le canton",
    ],
)
def test_dates_amounts_and_counts_are_not_national_numbers(text: str) -> None:
    assert "national_id" not in kinds(text)


def test_belgian_phones_written_with_a_slash() -> None:
    assert kinds("son GSM : 0475/21.33.09, le soir seulement") == ["phone"]
    assert kinds("le fixe de la grand-mère, 081/22.45.67") == ["phone"]
    assert kinds("audience du 03/12 et rendez-vous le 14/01") == []


def test_the_shipped_help_lines_are_services_not_phones() -> None:
    assert service_numbers()  # read from data/ressources/lignes.toml
    assert kinds("ou écrire par texto au 514 600-1002, c'est anonyme") == []
    assert kinds("la maman m'a texté du 514 600-1992 hier soir") == ["phone"]


# ---------------------------------------------------------------- names and no one
@pytest.mark.parametrize(
    "text",
    [
        "Tu as raison Karim, on en reparle jeudi.",
        "Je te renvoie le document demain, Sophie.",
        "Bien vu Marc, je n'y avais pas pensé.",
        "Réunion avec Mme Dubois, notre cheffe de service, à 14h.",
        "Mme Lambert, la psychologue du service, anime le groupe.",
        "Ma collègue Julie Martin part en congé, qui reprend ses dossiers ?",
        "J'ai revu le film Les Chatouilles, Odette c'est tellement les enfants qu'on suit.",
        "Comme dans Matilda, certains parents ne voient rien.",
        "Le rapport de la Défenseure des droits, Claire Hédon, est sorti.",
        "La ministre, Catherine Vautrin, a annoncé une réforme.",
        "Une formation avec Isabelle Filliozat sur l'éducation positive.",
        "Le juge Martin part à la retraite en juin.",
        "Le numéro d'Info Escroqueries est gratuit pour les personnes âgées.",
        "On dit « le petit Prince » pour l'enfant roi.",
        "Je me présente : Lorène, 31 ans, éducatrice à Morlaix.",
        "Bienvenue Hamid dans le groupe, tu viens de quelle région ?",
        "Notre directrice, Mme Pelletier, a validé la formation.",
        "J'ai parlé avec le Dr Ouellet, pédopsychiatre au CHU, pour une conférence.",
        "Le maire d'une petite commune peut-il demander des infos sur une famille suivie ?",
        "Dans le roman de Delphine de Vigan, la mère bipolaire m'a bouleversée.",
        "Vous avez vu « Les 400 coups » ? Antoine Doinel, c'est l'ASE d'avant.",
    ],
)
def test_colleagues_characters_public_figures_and_speakers_are_not_names(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tu connais Kevin ? Sa mère ne répond plus.",
        "Je te parle de Sacha, 9 ans, en CE2.",
        "La famille d'accueil Morin a trois placés, dont un qui fugue.",
        "Famille d'accueil Lachance : la petite ne veut plus y retourner.",
        "« Tibou », le gamin qui dort derrière la gare, a été frappé.",
        "« La Puce », la petite de la rue du Moulin, ne va plus à l'école.",
    ],
)
def test_names_the_new_rules_must_not_lose(text: str) -> None:
    assert "name" in kinds(text)


def test_a_followed_person_named_with_her_job_stays_a_name() -> None:
    assert kinds("Mme Durand, infirmière au CHU, est frappée par son mari.") == ["civility_name"]


def test_famous_single_first_names_stay_first_names() -> None:
    # « Fanny » or « Marius » are in the fiction list, but a child can bear them
    assert "fanny" not in lx.PUBLIC_FIGURES and "marius" not in lx.PUBLIC_FIGURES
    assert "name" in kinds("La petite Fanny, 6 ans, arrive sans goûter.")


def test_places_that_are_also_names_stay_names() -> None:
    assert "aude" not in lx.BIG_PLACES  # a département, and a first name
    assert "name" in kinds("Aude, 15 ans, ne dort plus chez sa mère.")
    assert "name" in kinds("Le dossier de Marie Savoie (14 ans) est bloqué.")


# ---------------------------------------------------------------- combinations
@pytest.mark.parametrize(
    "text",
    [
        # a First Nations or Inuit community is a small place
        "Une jeune de Mistissini, 15 ans, enceinte, veut quitter la communauté.",
        "A 12 y/o from Kuujjuarapik was flown south for surgery, alone.",
        # a condition, said of a singular person
        "Un garçon de 8 ans atteint de mucoviscidose, suivi à Saint-Flour, ne va plus à l'école.",
        "We follow a kid with Rett syndrome in Chandler, the parents are exhausted.",
        # a singular person's age with a small place
        "Une dame de 93 ans du rang 4 à Saint-Zacharie refuse toute aide.",
        # the local news
        "À Saint-Éloi, la famille du petit renversé par un tracteur (on en a parlé à TVA) "
        "a besoin d'aide.",
        # what a passer-by would recognise
        "Un homme très grand avec une prothèse à la jambe qui dort devant la gare de Lure.",
        "Le gars en chaise roulante qui vend des billets à Matane se fait voler.",
        # a minority said of one household
        "Une famille érythréenne arrivée à Champtocé reçoit des menaces.",
        "The only Black kid at the school in Saint-Lazare is bullied every day.",
        # uniqueness, roles
        "La dernière institutrice de l'école de Saint-Urbain a fait un burn-out.",
        "Un réfugié, le seul du village de Champtocé, est menacé par des voisins.",
        "Le trésorier bénévole de la fanfare de Quintin vole dans la caisse pour ses dettes.",
        "Le gardien de but des Harfangs de Saint-Ubalde, 16 ans, se scarifie.",
        "Une aînée aveugle de Saint-Armand vit seule avec ses chats.",
        "Un vieux monsieur unijambiste au bout du rang à Saint-Pie ne mange plus.",
    ],
)
def test_details_that_point_at_someone_in_a_small_place(text: str) -> None:
    assert "combination" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Elle vit rue des Peupliers 9 avec ses deux enfants.",
        "l'ado du chemin des Vignes 14 à Pully",
    ],
)
def test_a_number_after_the_street_is_an_address(text: str) -> None:
    assert "address" in Guard(None).kinds_found(text, ref_year=REF_YEAR)


@pytest.mark.parametrize(
    "text",
    [
        "On prend la route 117 vers Mont-Laurier pour la formation.",
        "Rendez-vous place Royale 2 juin à 10h.",
        "Le chemin Saint-Louis 3 fois par semaine, on fait du porte-à-porte.",
        "Le bureau est avenue Louise 2025, c'est le siège.",
    ],
)
def test_roads_dates_and_counts_after_a_street_are_not_addresses(text: str) -> None:
    assert "address" not in Guard(None).kinds_found(text, ref_year=REF_YEAR)


def test_a_local_clubs_town_is_a_small_place() -> None:
    assert "combination" in kinds("Le coach des U15 de l'ES Quessoy a été signalé par un parent.")
    assert kinds("L'AS Monaco finance un programme pour les jeunes.") == []


def test_a_book_read_and_its_author() -> None:
    assert kinds("Quelqu'un a lu Kukum de Michel Jean ? Magnifique.") == []


@pytest.mark.parametrize(
    "text",
    [
        "EHPAD Les Glycines, chambre 12 : la dame ne mange plus.",
        "Au CHSLD, 3e étage, chambre 310, une résidente reçoit des menaces.",
    ],
)
def test_a_room_in_a_care_home_is_an_address(text: str) -> None:
    assert "address" in kinds(text)
    assert "address" in Guard(None).kinds_found(text, ref_year=REF_YEAR)  # rules alone too


@pytest.mark.parametrize(
    "text",
    [
        # the member speaks of themself
        "Moi, 44 ans, éducatrice à Baie-Saint-Paul, je me sens épuisée.",
        "Les parents d'un enfant sourd ont droit à l'AEEH ? Je suis à Vesoul.",
        "Je travaille à Saint-Flour depuis 10 ans, on manque de pédopsychiatres.",
        # categories, not someone
        "Un groupe de parole pour les parents d'enfants trisomiques à Alençon ?",
        "Les délais à Vierzon sont énormes pour les enfants autistes.",
        "Il y a un centre de jour à Joliette pour les personnes âgées atteintes d'Alzheimer.",
        # places as workplaces and venues
        "Formation à Wendake les 4 et 5 mars sur la DPJ et les Premières Nations.",
        "Le CLSC de Matane cherche une TS pour le soutien à domicile.",
        "Le congrès aura lieu à Rivière-du-Loup en mai, inscrivez-vous.",
        "La seule chose qui marche à Rimouski, c'est le transport adapté.",
        "J'ai grandi à Saint-Honoré, un petit village, je comprends les familles isolées.",
        # rooms outside a care home
        "Rendez-vous salle 2.12 au palais de justice.",
    ],
)
def test_the_members_own_details_categories_and_venues_stay_clean(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- trades, structures, households
@pytest.mark.parametrize(
    "text",
    [
        # a trade or care profession held by one person in a small place, with something sensitive
        "Le vigneron de Cornas est en dépression, sa femme nous a appelés.",
        "La bergère de Valloire vit seule, incurie importante, on parle de syndrome de Diogène.",
        "Le maçon de Riom-ès-Montagnes frappe sa compagne, plainte déposée hier.",
        "L'ostéopathe de Sainte-Émélie est très isolée depuis son veuvage, on la suit.",
        # « l'école de Murat », « l'église de Colette »: after a structure, a first name is a town
        "On accompagne un jumeau de 14 ans à l'école de Murat, son frère est placé.",
        "Le monsieur à la jambe de bois qui vit près de l'église de Murat refuse toute aide.",
        "Le monsieur de Saint-Fabien qui a perdu son bras à la scierie ne sort plus de chez lui.",
    ],
)
def test_trades_structures_and_households_in_a_small_place(text: str) -> None:
    assert "combination" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        # a partner named by their trade is no one followed; an indefinite one is anyone
        "Le psychiatre de l'hôpital de Lure prend de nouveaux patients, pour info.",
        "Le pédopsychiatre de Lure a fait une information préoccupante, quelle démarche suivre ?",
        "Une orthophoniste de Murat cherche des collègues pour un groupe d'analyse de pratiques.",
        "Un pédiatre de Lyon a écrit un très bon article sur la dépression des ados.",
        "J'ai appelé l'avocat de Lure pour préparer l'audience, il est très disponible.",
        # a sensitive word inside another word (« livre » is not « ivre »)
        "Le jardinier de Versailles, c'est un beau livre sur Le Nôtre.",
        "La mairie de Murat organise jeudi une réunion sur l'isolement des aînés.",
        "Personnes isolées en milieu rural : le conseil départemental lance un appel à projets.",
        "Depuis le congé, j'ai un peu perdu la main sur les écrits, des conseils ?",
        "Un article sur les personnes qui ont perdu un bras au travail, très parlant.",
    ],
)
def test_partners_by_trade_and_words_inside_words_stay_clean(text: str) -> None:
    assert kinds(text) == []


def test_large_places_come_from_the_gazetteer() -> None:
    for place in ("cantal", "brabant wallon", "chaudiere-appalaches", "vaud", "angouleme"):
        assert place in lx.BIG_PLACES
    assert "kuujjuaq" in lx.communities() and "uashat mak mani-utenam" in lx.communities()


# ---------------------------------------------------------------- the second development corpus
def test_second_development_corpus_rates(capsys: pytest.CaptureFixture[str]) -> None:
    with DEV2.open("rb") as f:
        messages = tomllib.load(f)["message"]
    identifying = [m for m in messages if m["identifying"]]
    clean = [m for m in messages if not m["identifying"]]
    assert len(identifying) >= 100 and len(clean) >= 100
    detected = sum(bool(kinds(m["text"])) for m in identifying)
    alarms = sum(bool(kinds(m["text"])) for m in clean)
    with capsys.disabled():
        print(f"\nguard dev2 corpus: detection {detected}/{len(identifying)}, alarms {alarms}")
    assert detected / len(identifying) >= 0.95
    assert alarms / len(clean) <= 0.05
