"""Fields of practice, types of structure and languages: the short lists profiles, offers and
filters choose from. Labels are in the catalogs (`reference.field.<value>` …, fr and en).

Each multi-choice list has a stable bit per value so that a set of choices can be stored as one
INTEGER and filtered in SQL with `(column & ?) != 0` (SQLite and PostgreSQL alike). The bits are
a storage format: append new values with a new bit, never renumber or reuse one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TypeVar

from bot.i18n import t

SELECT_OPTIONS_MAX = 25  # Discord's limit for a select menu

E = TypeVar("E", bound=StrEnum)


class Field(StrEnum):
    CHILD_PROTECTION = "protection_enfance"
    YOUTH = "jeunesse"
    FAMILY = "famille"
    DISABILITY = "handicap"
    MENTAL_HEALTH = "sante_mentale"
    HEALTH = "sante"
    ADDICTION = "dependances"
    OLDER_ADULTS = "personnes_agees"
    INSERTION = "insertion"
    POVERTY = "precarite"
    HOUSING = "logement"
    MIGRATION = "migration"
    JUSTICE = "justice"
    DOMESTIC_VIOLENCE = "violences"
    SCHOOL = "scolaire"
    COMMUNITY = "communautaire"
    WORKPLACE = "travail"


class StructureType(StrEnum):
    PUBLIC = "public"  # département, CCAS, CISSS/CIUSSS, CLSC, services de l'État
    HOSPITAL = "hopital"
    ESTABLISHMENT = "etablissement"  # établissement ou service social et médico-social, ressource
    NONPROFIT = "associatif"  # association, organisme communautaire
    JUSTICE = "justice"  # PJJ, SPIP, services correctionnels
    SCHOOL = "scolaire"
    COMPANY = "entreprise"  # service social du travail, mutuelle
    PRIVATE_PRACTICE = "liberal"  # exercice libéral, pratique privée
    TRAINING = "formation"  # école, université, recherche
    OTHER = "autre"


class Language(StrEnum):
    FRENCH = "fr"
    ENGLISH = "en"
    SPANISH = "es"
    ARABIC = "ar"
    PORTUGUESE = "pt"
    GERMAN = "de"
    ITALIAN = "it"
    CREOLE = "ht"  # créole haïtien
    DUTCH = "nl"
    SIGN_LANGUAGE = "lsq_lsf"  # LSQ, LSF
    INDIGENOUS = "autochtone"  # langues autochtones
    OTHER = "autre"


# Storage bits: append only (see the module's docstring).
FIELD_BITS: Mapping[Field, int] = {
    Field.CHILD_PROTECTION: 0,
    Field.YOUTH: 1,
    Field.FAMILY: 2,
    Field.DISABILITY: 3,
    Field.MENTAL_HEALTH: 4,
    Field.HEALTH: 5,
    Field.ADDICTION: 6,
    Field.OLDER_ADULTS: 7,
    Field.INSERTION: 8,
    Field.POVERTY: 9,
    Field.HOUSING: 10,
    Field.MIGRATION: 11,
    Field.JUSTICE: 12,
    Field.DOMESTIC_VIOLENCE: 13,
    Field.SCHOOL: 14,
    Field.COMMUNITY: 15,
    Field.WORKPLACE: 16,
}
LANGUAGE_BITS: Mapping[Language, int] = {
    Language.FRENCH: 0,
    Language.ENGLISH: 1,
    Language.SPANISH: 2,
    Language.ARABIC: 3,
    Language.PORTUGUESE: 4,
    Language.GERMAN: 5,
    Language.ITALIAN: 6,
    Language.CREOLE: 7,
    Language.DUTCH: 8,
    Language.SIGN_LANGUAGE: 9,
    Language.INDIGENOUS: 10,
    Language.OTHER: 11,
}


def to_mask(values: Iterable[E], bits: Mapping[E, int]) -> int:
    mask = 0
    for value in values:
        mask |= 1 << bits[value]
    return mask


def from_mask(mask: int, bits: Mapping[E, int]) -> list[E]:
    """The values set in `mask`, in the enum's (display) order."""
    return [value for value, bit in bits.items() if mask >> bit & 1]


def field_label(value: str, lang: str) -> str:
    return t(f"reference.field.{value}", lang)


def structure_label(value: str, lang: str) -> str:
    return t(f"reference.structure.{value}", lang)


def language_label(value: str, lang: str) -> str:
    return t(f"reference.language.{value}", lang)


def problems() -> list[str]:
    """What is wrong with these lists (bits, sizes); an empty list when sound."""
    found: list[str] = []
    for name, enum, bits in (
        ("Field", Field, FIELD_BITS),
        ("Language", Language, LANGUAGE_BITS),
    ):
        if set(bits) != set(enum):
            found.append(f"practice {name} : chaque valeur doit avoir un bit, et une seule")
        if len(set(bits.values())) != len(bits):
            found.append(f"practice {name} : deux valeurs partagent un bit")
        if len(enum) > SELECT_OPTIONS_MAX:
            found.append(f"practice {name} : plus de {SELECT_OPTIONS_MAX} valeurs (un menu)")
    if len(StructureType) > SELECT_OPTIONS_MAX:
        found.append(f"practice StructureType : plus de {SELECT_OPTIONS_MAX} valeurs (un menu)")
    return found
