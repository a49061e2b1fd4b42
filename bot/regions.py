"""The regions Passerelle knows (France, Québec, Belgium, Switzerland), in one table."""

from __future__ import annotations

from enum import StrEnum


class Region(StrEnum):
    FR = "FR"
    QC = "QC"
    BE = "BE"
    CH = "CH"


# Display order everywhere (lists, choices, help lines): France and Québec first.
REGIONS: tuple[str, ...] = tuple(Region)

# Which side of the Atlantic a region is on (offers, directory filters, mentoring).
EUROPE: frozenset[str] = frozenset({Region.FR, Region.BE, Region.CH})
AMERICA: frozenset[str] = frozenset({Region.QC})

_ZONE_REGION = {
    "Europe/Brussels": Region.BE,
    "Europe/Zurich": Region.CH,
}
# French overseas departments and territories in the Americas are France, not Québec.
_FRENCH_AMERICAS = frozenset(
    {"America/Martinique", "America/Guadeloupe", "America/Cayenne", "America/Miquelon"}
)


def region_for_zone(zone: str) -> str:
    """The region a time zone most likely means: Brussels → BE, America/* → QC, else FR."""
    if zone in _ZONE_REGION:
        return _ZONE_REGION[zone]
    return Region.QC if zone.startswith("America/") and zone not in _FRENCH_AMERICAS else Region.FR


class Side(StrEnum):
    """A side of the Atlantic: France, Belgium and Switzerland, or Québec."""

    EUROPE = "europe"
    AMERICA = "america"


def side_of(region: str) -> Side:
    return Side.AMERICA if region in AMERICA else Side.EUROPE
