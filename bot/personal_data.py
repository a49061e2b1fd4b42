"""What each feature stores about a member, for `/mes-donnees` (GDPR, Québec Law 25).

Every feature that stores something about a member registers a provider; `/mes-donnees` shows
what they all hold and erases it on request.

A provider's `export(user_id)` returns a list of labelled items, never raw keys: every label is
a key of the provider's own catalogs, translated into the member's language when shown.

- `Setting(label, value)`: one value, e.g. a preference. `label` is a plain catalog message
  (« Fuseau horaire »); shown as « Fuseau horaire : Europe/Paris ».
- `Records(label, rows)`: several things of one kind, each row a tuple of `Field(label, value)`.
  `label` is a plural catalog entry with `{n}` (« {n} fil privé ouvert » / « {n} fils privés
  ouverts »); shown with its count; the rows go into the exported file, every field labelled.
  A `Records` with no row is left out, so a provider may return them unconditionally.

A value is a string, a number, a boolean, an instant (an aware `datetime`), None, or `Label(key)`
when the value is itself a word of the catalogs (a status, a choice), translated when shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Label:
    """A value that is a catalog message (e.g. a status): `/mes-donnees` translates it."""

    key: str


Value = str | int | bool | datetime | Label | None


@dataclass(frozen=True)
class Field:
    """One labelled field of a record: `label` is a catalog key."""

    label: str
    value: Value


@dataclass(frozen=True)
class Setting:
    """One stored value: `label` is a plain catalog message."""

    label: str
    value: Value


@dataclass(frozen=True)
class Records:
    """Several stored things of one kind: `label` is a plural catalog entry taking `{n}`."""

    label: str
    rows: tuple[tuple[Field, ...], ...] = field(default=())

    @classmethod
    def of(cls, label: str, rows: Iterable[Iterable[Field]]) -> Records:
        return cls(label, tuple(tuple(row) for row in rows))

    def as_dicts(self) -> list[dict[str, Value]]:
        """Each row as {field label: value}."""
        return [{f.label: f.value for f in row} for row in self.rows]


Item = Setting | Records


class PersonalDataProvider(Protocol):
    async def export(self, user_id: int) -> list[Item]:
        """What is stored about `user_id`, labelled from the catalogs (empty: nothing)."""
        ...

    async def erase(self, user_id: int) -> int:
        """Delete it; returns how many records were removed."""
        ...


def _present(item: Item) -> bool:
    return bool(item.rows) if isinstance(item, Records) else True


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, PersonalDataProvider] = {}

    def register(self, name: str, provider: PersonalDataProvider) -> None:
        self._providers[name] = provider

    @property
    def names(self) -> list[str]:
        """The registered sections, in the order `/mes-donnees` shows them."""
        return sorted(self._providers)

    async def export(self, user_id: int) -> dict[str, list[Item]]:
        """Each section that holds something about `user_id`, with its non-empty items."""
        found = {}
        for name, provider in sorted(self._providers.items()):
            items = [item for item in await provider.export(user_id) if _present(item)]
            if items:
                found[name] = items
        return found

    async def erase(self, user_id: int) -> dict[str, int]:
        return {name: await p.erase(user_id) for name, p in sorted(self._providers.items())}
