"""Alerts, privately: what a member wants to hear about, sent to them only, by DM — at once or in
a daily digest at 8:00 in their own zone — through the reminder engine (exactly once). When their
DMs are closed they are told the next time they use a command (`bot.notices`), never in public."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

import discord

from bot.checks import require_guild
from bot.i18n import t
from bot.i18n.commands import interaction_lang
from bot.reference import places, professions
from bot.regions import REGIONS
from bot.reminders import Schedule
from bot.user_error import UserError
from cogs.tableau import render
from cogs.tableau.flows.common import Board
from cogs.tableau.service import (
    MEMBER_NEWS_KINDS,
    Alert,
    NewsKind,
    OfferKind,
    Post,
    PostKind,
    Rhythm,
    Status,
)

Interaction = discord.Interaction[Any]
ALERT_KIND = "tableau.alerte"
DIGEST_KIND = "tableau.alertes.jour"
DIGEST_AT = time(8, 0)  # the daily digest, in the member's zone
ALERT_USEFUL_FOR = timedelta(days=3)  # an immediate alert not sent by then is dropped
DIGEST_USEFUL_FOR = timedelta(hours=12)  # later, its posts wait for the next day's
LIST_ITEMS_MAX = 10
_SEPARATORS = re.compile(r"[,;\n]+")


def dm_closed_key(guild_id: int) -> str:
    return f"tableau:dm_closed:{guild_id}"


class AlertFlows:
    def __init__(self, board: Board) -> None:
        self.board = board
        self.bot = board.bot
        self.store = board.store

    async def open_form(self, interaction: Interaction, kind: PostKind) -> None:
        guild = require_guild(interaction)
        current = None
        for alert in await self.store.alerts.of_member(guild.id, interaction.user.id):
            if alert.kind is kind:
                current = alert
        await interaction.response.send_modal(
            self.board.views.alert_form(kind, interaction_lang(interaction), current)
        )

    async def save_alert(
        self, interaction: Interaction, kind: PostKind, choices: dict[str, Any]
    ) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        allowed = (
            {str(k) for k in OfferKind}
            if kind is PostKind.OFFER
            else {
                *map(str, MEMBER_NEWS_KINDS),
                str(NewsKind.FLUX),
            }
        )
        categories = frozenset(c for c in choices.get("categories", []) if c in allowed)
        countries = frozenset(c for c in choices.get("countries", []) if c in REGIONS)
        codes = frozenset(resolve_places(choices.get("places", "")))
        chosen = frozenset(resolve_professions(choices.get("professions", "")))
        rhythm = Rhythm(choices.get("rhythm") or Rhythm.NOW)
        now = self.board.now()
        alert = await self.store.alerts.save(
            Alert(
                id=0,
                guild_id=guild.id,
                user_id=interaction.user.id,
                kind=kind,
                categories=categories,
                countries=countries,
                places=codes,
                professions=chosen,
                rhythm=rhythm,
                lang=lang,
            ),
            now,
        )
        # They just chose to hear from us: knock on their DMs again.
        member = await self.bot.settings_store.member(interaction.user.id)
        if member.dm_closed:
            await self.bot.settings_store.save_member(replace(member, dm_closed=False))
        if rhythm is Rhythm.DAILY:
            await self.schedule_digest(alert, now)
        else:
            await self.bot.reminders.cancel(DIGEST_KIND, str(alert.id))
            await self.send_waiting_now(alert, now)
        await interaction.response.send_message(
            t("tableau.alert.saved", lang, summary=describe(alert, lang)), ephemeral=True
        )

    async def show(self, interaction: Interaction) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        alerts = await self.store.alerts.of_member(guild.id, interaction.user.id)
        if not alerts:
            text = t("tableau.alert.none", lang)
        else:
            text = "\n\n".join(describe(a, lang) for a in alerts)
        await interaction.response.send_message(text[:2000], ephemeral=True)

    async def stop(self, interaction: Interaction, which: str) -> None:
        guild = require_guild(interaction)
        lang = interaction_lang(interaction)
        stopped = 0
        for alert in await self.store.alerts.of_member(guild.id, interaction.user.id):
            if which in ("tout", str(alert.kind)):
                await self.delete(alert)
                stopped += 1
        key = "tableau.alert.stopped" if stopped else "tableau.alert.none"
        await interaction.response.send_message(t(key, lang), ephemeral=True)

    async def delete(self, alert: Alert) -> None:
        await self.bot.reminders.cancel(DIGEST_KIND, str(alert.id))
        await self.bot.reminders.cancel_prefix(ALERT_KIND, f"{alert.id}:")
        await self.store.alerts.delete(alert.id)

    # -- a post is live: who wants to know ------------------------------------------------------
    async def dispatch(self, post: Post) -> None:
        now = self.board.now()
        for alert in await self.store.alerts.for_kind(post.guild_id, post.kind):
            if not wants(alert, post):
                continue
            if alert.rhythm is Rhythm.DAILY:
                await self.store.alerts.queue(alert.id, post.id, now)
                continue
            await self.send_now(alert, post.id, now)

    async def send_now(self, alert: Alert, post_id: int, now: datetime) -> None:
        await self.bot.reminders.schedule(
            ALERT_KIND,
            f"{alert.id}:{post_id}",
            alert.guild_id,
            Schedule(
                occurrence=str(post_id),
                due_at=now,
                expires_at=now + ALERT_USEFUL_FOR,
                payload={"alert": alert.id, "post": post_id},
            ),
        )

    async def send_waiting_now(self, alert: Alert, now: datetime) -> None:
        """The member went from a daily digest to « at once »: what waited for the digest is
        sent now, one by one (the handler still checks each is open and wanted)."""
        for post_id in await self.store.alerts.queued(alert.id, now):
            await self.send_now(alert, post_id, now)
        await self.store.alerts.unqueue(alert.id, now)

    async def digest_posts(self, alert: Alert, post_ids: list[int]) -> list[Post]:
        """What a digest lists: the posts still open that the alert, as it stands now, wants
        (the member may have narrowed it since they were queued)."""
        found = [await self.store.posts.get(i) for i in post_ids]
        return [p for p in found if p is not None and p.status is Status.LIVE and wants(alert, p)]

    async def next_digest(self, alert: Alert, after: datetime) -> Schedule:
        zone = await self.bot.settings_store.zone_of(alert.guild_id, member=alert.user_id)
        local = after.astimezone(zone)
        day = local.date()
        due = datetime.combine(day, DIGEST_AT, tzinfo=zone)
        if due <= local:
            day += timedelta(days=1)
            due = datetime.combine(day, DIGEST_AT, tzinfo=zone)
        return Schedule(
            occurrence=day.isoformat(),
            due_at=due,
            expires_at=due + DIGEST_USEFUL_FOR,
            payload={"alert": alert.id},
        )

    async def schedule_digest(self, alert: Alert, now: datetime) -> None:
        await self.bot.reminders.schedule(
            DIGEST_KIND, str(alert.id), alert.guild_id, await self.next_digest(alert, now)
        )

    async def note_closed_dms(self, alert: Alert) -> None:
        """Their DMs are closed: told after their next command (once per server)."""
        await self.bot.notices.add(
            alert.user_id,
            dm_closed_key(alert.guild_id),
            t("tableau.alert.dm_closed", alert.lang),
            self.board.now(),
            guild_id=alert.guild_id,
        )


def wants(alert: Alert, post: Post) -> bool:
    """Whether `alert` asks for `post`, its professions counting their equivalents across the
    Atlantic."""
    table = professions.professions()
    wanted = set(alert.professions)
    for code in alert.professions:
        wanted |= table.family(code)[0]
    return alert.matches(post, frozenset(wanted))


def describe(alert: Alert, lang: str) -> str:
    """What the alert will bring, in words (what the member typed, as understood)."""
    every = t("tableau.alert.any", lang)

    def listed(names: list[str]) -> str:
        shown = names[:LIST_ITEMS_MAX]
        more = len(names) - len(shown)
        return ", ".join(shown) + (f" (+{more})" if more else "") if names else every

    categories = listed([render.category_name(c, lang) for c in sorted(alert.categories)])
    wheres = [t(f"reference.country.{c}", lang) for c in sorted(alert.countries)]
    wheres += [render.place_label(code, lang) for code in sorted(alert.places)]
    jobs = [p.name_in(lang) for p in (professions.get(c) for c in sorted(alert.professions)) if p]
    return t(
        f"tableau.alert.summary.{alert.kind}",
        lang,
        categories=categories,
        places=listed(wheres),
        professions=listed(jobs),
        rhythm=t(f"tableau.rhythm.{alert.rhythm}", lang),
    )


def _items(text: str) -> list[str]:
    return [item.strip() for item in _SEPARATORS.split(text or "") if item.strip()]


def resolve_places(text: str) -> list[str]:
    """« 75, 13, Laurentides » → place codes; anything not found is refused by name."""
    found, unknown = [], []
    for item in _items(text):
        place = places.get(item) or next(iter(places.search(item, limit=1)), None)
        if place is None:
            unknown.append(item)
        else:
            found.append(place.code)
    if unknown:
        raise UserError("tableau.error.places", names=", ".join(unknown)[:200])
    return found


def resolve_professions(text: str) -> list[str]:
    found, unknown = [], []
    table = professions.professions()
    for item in _items(text):
        profession = table.get(item) or next(iter(table.search(item, limit=1)), None)
        if profession is None:
            unknown.append(item)
        else:
            found.append(profession.code)
    if unknown:
        raise UserError("tableau.error.professions", names=", ".join(unknown)[:200])
    return found
