"""What each feature stores about a member, for `/mes-donnees` (GDPR, Québec Law 25).

Every feature that stores something about a member registers a provider; `/mes-donnees` shows
what they all hold and erases it on request.
"""

from __future__ import annotations

from typing import Any, Protocol


class PersonalDataProvider(Protocol):
    async def export(self, user_id: int) -> dict[str, Any]:
        """A JSON-serialisable summary of what is stored about `user_id` (empty: nothing)."""
        ...

    async def erase(self, user_id: int) -> int:
        """Delete it; returns how many records were removed."""
        ...


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, PersonalDataProvider] = {}

    def register(self, name: str, provider: PersonalDataProvider) -> None:
        self._providers[name] = provider

    async def export(self, user_id: int) -> dict[str, dict[str, Any]]:
        found = {}
        for name, provider in sorted(self._providers.items()):
            data = await provider.export(user_id)
            if data:
                found[name] = data
        return found

    async def erase(self, user_id: int) -> dict[str, int]:
        return {name: await p.erase(user_id) for name, p in sorted(self._providers.items())}
