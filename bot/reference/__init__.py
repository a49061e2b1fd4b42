"""Reference tables shared by the features: places (countries, départements, regions, provinces,
cantons), professions and their correspondences across the Atlantic, fields of practice,
structure types and languages. Data in `data/reference/`, labels in `locales/`.

`check()` lists what is wrong with the shipped tables and their labels (empty: all sound).
"""

from __future__ import annotations

from bot.i18n import LANGS, has
from bot.reference import places, practice, professions
from bot.regions import REGIONS

__all__ = ["check", "places", "practice", "professions"]


def check() -> list[str]:
    """Every problem in the shipped reference data (files, catalogs); empty when sound."""
    place_table, found = places.read()
    _, profession_problems = professions.read()
    found += profession_problems
    found += practice.problems()
    keys = [f"reference.country.{r}" for r in REGIONS]
    keys += [f"reference.place_kind.{k}" for k in places.PlaceKind]
    keys += [f"reference.field.{v}" for v in practice.Field]
    keys += [f"reference.structure.{v}" for v in practice.StructureType]
    keys += [f"reference.language.{v}" for v in practice.Language]
    found += [
        f"catalogue {lang} : {key} manquant" for key in keys for lang in LANGS if not has(key, lang)
    ]
    if not len(place_table):
        found.append("lieux : aucun lieu")
    return found
