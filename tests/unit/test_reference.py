"""The shared reference tables: places, professions, fields of practice (bot.reference)."""

from __future__ import annotations

import tomllib
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

import bot.reference
from bot.reference import places, practice, professions
from bot.regions import Region, Side, side_of


def test_the_shipped_tables_and_their_labels_are_sound() -> None:
    assert bot.reference.check() == []


# -- places ----------------------------------------------------------------------------------------
def test_every_country_has_its_full_list_of_places() -> None:
    table = places.places()
    counts = {r: len(table.of_country(r)) for r in Region}
    assert counts == {"FR": 101, "QC": 17, "BE": 11, "CH": 26}
    french = {p.local for p in table.of_country(Region.FR)}
    assert {"01", "95", "2A", "2B", "971", "972", "973", "974", "976"} <= french
    assert "20" not in french and "975" not in french


def test_overseas_departments_have_their_own_time_zone() -> None:
    zones = {p.local: p.zone for p in places.places().of_country(Region.FR)}
    assert zones["971"] == "America/Guadeloupe"
    assert zones["974"] == "Indian/Reunion"
    assert zones["976"] == "Indian/Mayotte"
    assert zones["75"] == "Europe/Paris"
    for place in places.places():
        ZoneInfo(place.zone)  # every zone exists


def test_sides_of_the_atlantic() -> None:
    assert places.get("QC-06").side is Side.AMERICA
    assert places.get("FR-75").side is Side.EUROPE
    assert places.get("FR-971").side is Side.EUROPE  # France, whatever the zone
    assert side_of("BE") is Side.EUROPE and side_of("CH") is Side.EUROPE


def test_search_by_code_and_by_folded_name() -> None:
    def codes(text: str, **kw: str) -> list[str]:
        return [p.code for p in places.search(text, **kw)]

    assert codes("75") == ["FR-75"]
    assert codes("2a")[0] == "FR-2A"
    assert codes("fr-75") == ["FR-75"]
    assert codes("BOUCHES") == ["FR-13"]
    assert codes("montréal")[0] == "QC-06"
    assert codes("Montral")[0] == "QC-06"  # a typo
    assert codes("geneve") == ["CH-GE"]
    assert codes("06") == ["FR-06", "QC-06"]
    assert codes("06", country="QC") == ["QC-06"]
    assert "FR-93" in codes("saint")  # Seine-Saint-Denis: a word of the name
    assert codes("zzzz") == []
    assert len(places.search("")) == places.SEARCH_LIMIT


def test_labels() -> None:
    paris = places.get("FR-75")
    assert paris.label == "Paris (75)"
    assert paris.choice_label("fr") == "Paris (75) · France"
    assert places.get("CH-GE").choice_label("en") == "Genève (GE) · Switzerland"


def _lieux() -> dict:
    with places.DATA_FILE.open("rb") as fh:
        return tomllib.load(fh)


def test_a_damaged_places_file_is_refused_with_the_reason() -> None:
    data = _lieux()
    del data["pays"]["FR"]["lieux"]["75"]
    data["pays"]["FR"]["lieux"]["971"] = {"nom": "Guadeloupe", "fuseau": "America/Nowhere"}
    data["pays"]["QC"]["source"] = "http://example.org"
    data["pays"]["CH"]["verifie_le"] = "hier"
    data["pays"]["XX"] = {"type": "canton"}
    _, problems = places.parse(data)
    text = "\n".join(problems)
    assert "FR : 100 lieux, 101 attendus" in text
    assert "America/Nowhere" in text
    assert "[pays.QC] : source" in text
    assert "« hier »" in text
    assert "[pays.XX] : pays inconnu" in text


# -- professions -----------------------------------------------------------------------------------
def test_social_workers_are_equivalent_across_the_atlantic_under_the_arm() -> None:
    table = professions.professions()
    equivalent, close = table.family("fr-ass")
    assert equivalent == {"qc-ts"}
    assert {"be-as", "ch-as", "qc-tts"} <= close
    link = table.links("fr-ass")[0]
    assert link.relation is professions.Relation.EQUIVALENT
    assert link.verified and "ARM" in link.difference
    assert "legisquebec" in link.source


def test_correspondences_read_both_ways() -> None:
    table = professions.professions()
    for link in table.correspondences:
        assert table.related(link.a)[link.b] == link.relation
        assert table.related(link.b)[link.a] == link.relation


def test_specialised_educators_are_close_to_psychoeducators_and_tes() -> None:
    _, close = professions.professions().family("fr-es")
    assert {"qc-psed", "qc-tes"} <= close


def test_profession_search() -> None:
    def codes(text: str, **kw: str) -> list[str]:
        return [p.code for p in professions.professions().search(text, **kw)]

    assert codes("DEASS") == ["fr-ass"]
    assert codes("t.s.") == ["qc-ts"]
    assert codes("psychoéducatrice") == ["qc-psed"]
    assert codes("social worker")[:2] == ["fr-ass", "qc-ts"]  # English names too
    assert "qc-ts" not in codes("assist", country="FR")
    assert "etudiant" in codes("étudiant", country="QC")  # both sides
    assert codes("educatuer")  # a typo still finds educators


def test_labels_name_the_country_and_no_middle_dots() -> None:
    ts = professions.get("qc-ts")
    assert professions.label(ts, "fr") == "Travailleuse sociale ou travailleur social · Québec"
    assert professions.label(ts, "en") == "Social worker (OTSTCFQ) · Québec"
    assert professions.label(professions.get("etudiant"), "fr").startswith("Étudiante")
    assert all("·" not in p.name for p in professions.professions())


def test_a_damaged_professions_file_is_refused_with_the_reason() -> None:
    with professions.DATA_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    data["profession"].append(dict(data["profession"][0]))  # duplicate code
    data["profession"].append({"code": "x·y", "pays": "US", "nom": "Assistant·e", "nom_en": "A"})
    data["correspondance"].append({"entre": ["fr-ass", "nowhere"], "relation": "cousin"})
    data["correspondance"].append({"entre": ["fr-ass", "fr-ass"]})
    _, problems = professions.parse(data)
    text = "\n".join(problems)
    assert "code fr-ass en double" in text
    assert "pays « US » inconnu" in text
    assert "point médian" in text
    assert "code nowhere inconnu" in text
    assert "deux codes différents" in text


# -- fields of practice, structures, languages -----------------------------------------------------
@given(st.sets(st.sampled_from(list(practice.Field))))
def test_a_set_of_fields_survives_its_storage_mask(fields: set[practice.Field]) -> None:
    mask = practice.to_mask(fields, practice.FIELD_BITS)
    assert set(practice.from_mask(mask, practice.FIELD_BITS)) == fields


def test_every_list_fits_a_select_menu_and_has_stable_bits() -> None:
    assert practice.problems() == []
    assert practice.field_label("protection_enfance", "en") == "Child protection"
    assert practice.structure_label("associatif", "fr").startswith("Association")
    assert practice.language_label("ht", "fr") == "Créole haïtien"
