"""The engine's Discord side: sending one message (DMs through their own lane), falling back
from closed DMs to a mention in a channel, telling moderators of a permanent failure once, and
telling failures apart (worth a retry or not)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
import discord

from bot.discord_text import NO_MENTIONS, SAFE_MENTIONS
from bot.i18n import t
from bot.reminders.model import DueItem, Outgoing
from bot.reminders.policy import nonce_for
from bot.reminders.store import ReminderStore

if TYPE_CHECKING:
    from bot.guild_settings import SettingsStore
    from bot.pacing import Pacer

log = logging.getLogger(__name__)


class Record(Protocol):
    def __call__(
        self, item: DueItem, target: str, status: str, now: datetime, **details: Any
    ) -> Awaitable[None]: ...


class Transient(Exception):
    """Worth trying again later (429 after discord.py's own retries, 5xx, network)."""


class Permanent(Exception):
    """Not worth retrying (channel deleted, permission lost, bad request)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class DMClosed(Exception):
    """Discord error 50007: the member does not accept DMs from the bot."""


# Discord's JSON error codes and the HTTP status the engine tells apart.
CANNOT_DM_USER = 50007
MISSING_ACCESS = 50001
TOO_MANY_REQUESTS = 429


def classify(error: BaseException) -> BaseException:
    if isinstance(error, DMClosed | Transient | Permanent):
        return error
    if isinstance(error, discord.Forbidden):
        if error.code == CANNOT_DM_USER:
            return DMClosed()
        return Permanent(
            "missing_access" if error.code == MISSING_ACCESS else "missing_permissions"
        )
    if isinstance(error, discord.NotFound):
        return Permanent("unknown_channel")
    if isinstance(error, discord.DiscordServerError):
        return Transient(str(error.status))
    if isinstance(error, discord.HTTPException):
        return (
            Transient("429")
            if error.status == TOO_MANY_REQUESTS
            else Permanent(f"http_{error.status}")
        )
    if isinstance(error, aiohttp.ClientError | OSError | asyncio.TimeoutError):
        return Transient("network")
    return error


class Delivery:
    def __init__(
        self,
        client: discord.Client,
        store: ReminderStore,
        settings: SettingsStore,
        dm_pacer: Pacer,
        record: Record,
    ) -> None:
        self.client = client
        self.record = record  # an outcome in the ledger and the metrics (the engine's)
        self.store = store
        self.settings = settings
        self.dm_pacer = dm_pacer

    async def send(self, item: DueItem, out: Outgoing, nonce: str) -> discord.Message:
        mentions = out.allowed_mentions or SAFE_MENTIONS
        if out.is_dm:
            member = await self.settings.member(out.target_id)
            if member.dm_closed:
                raise DMClosed()  # Discord said 50007 before: do not knock again
            await self.dm_pacer.acquire()  # the DM lane's own pace, on top of the budget
            channel: discord.abc.Messageable = await self.client.create_dm(
                discord.Object(out.target_id)  # type: ignore[arg-type]
            )
        else:
            channel = self.client.get_partial_messageable(out.target_id, guild_id=item.guild_id)
        return await channel.send(
            content=out.content,
            embeds=out.embeds,
            view=out.view or discord.utils.MISSING,
            allowed_mentions=mentions,
            nonce=nonce,
        )

    async def fallback(self, item: DueItem, out: Outgoing, now: datetime) -> bool:
        store = self.settings
        member = await store.member(out.target_id)
        if not member.dm_closed:
            await store.save_member(replace(member, dm_closed=True))
        if out.fallback_channel_id is None or not out.fallback_content:
            await self.record(item, out.target, "fallback", now, error="dm_closed")
            return True
        fallback = Outgoing(
            target=f"channel:{out.fallback_channel_id}",
            content=out.fallback_content,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, users=[discord.Object(out.target_id)]
            ),
        )
        try:
            fallback_nonce = nonce_for(
                item.kind, item.ref, item.occurrence, "fallback:" + out.target
            )
            message = await self.send(item, fallback, fallback_nonce)
        except Exception as raw:
            if isinstance(classify(raw), Transient):
                return False
            await self.record(item, out.target, "failed", now, error="fallback")
            return True
        await self.record(item, out.target, "fallback", now, message_id=message.id)
        return True

    async def report(self, item: DueItem, out: Outgoing, code: str, now: datetime) -> None:
        """Tell the server's moderators once per (channel, error)."""
        if item.guild_id is None or out.is_dm:
            return
        if not await self.store.first_report(item.guild_id, out.target_id, code, now):
            return
        settings = self.settings.guild(item.guild_id)
        lang = self.settings.lang_of(item.guild_id)
        where = [
            c
            for c in (settings.mod_channel_id, settings.announce_channel_id)
            if c and c != out.target_id
        ]
        text = t(
            "reminders.failure_report",
            lang,
            channel=f"<#{out.target_id}>",
            reason=t(f"reminders.failure.{code}", lang)
            if code in KNOWN_CODES
            else t("reminders.failure.other", lang, code=code),
        )
        for channel_id in where:  # the moderators' channel, else the announcements'; once
            try:
                await self.client.get_partial_messageable(channel_id, guild_id=item.guild_id).send(
                    text, allowed_mentions=NO_MENTIONS
                )
                return
            except discord.HTTPException:
                log.warning("could not report a reminder failure in guild %s", item.guild_id)
        log.warning("reminder failure in guild %s not reported: no usable channel", item.guild_id)


KNOWN_CODES = ("missing_permissions", "missing_access", "unknown_channel")
