"""A member's own calendar link is personal data: `/mes-donnees` shows and erases it."""

from __future__ import annotations

from bot.personal_data import Item, Setting
from bot.web.store import LinkScope, WebStore


class MemberLinkData:
    def __init__(self, store: WebStore) -> None:
        self.store = store

    async def export(self, user_id: int) -> list[Item]:
        link = await self.store.link(LinkScope.MEMBER, user_id)
        return [] if link is None else [Setting("agenda.data.member_link", link.created_at)]

    async def erase(self, user_id: int) -> int:
        return int(await self.store.revoke(LinkScope.MEMBER, user_id))
