"""Réseau's reminder-engine handlers (a request's expiry, a pairing's check-ins, the daily
retention run) and its personal-data provider (`/mes-donnees`)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.i18n import t
from bot.reference.practice import field_label, language_label
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule
from cogs.reseau import render
from cogs.reseau.flows import CHECKIN_KIND, EXPIRY_KIND, ReseauFlows, checkin_ref, expiry_ref
from cogs.reseau.flows.mentoring import checkin_schedule
from cogs.reseau.service.consent import RequesterView, next_checkin, requester_view

if TYPE_CHECKING:
    from bot.client import Passerelle

PRUNE_KIND = "reseau.prune"
PRUNE_REF = "daily"
PRUNE_AT = time(4, 0)  # UTC: night in Europe, evening in Québec


def next_prune(now: datetime) -> datetime:
    """The next 04:00 UTC after `now` (fixed, so that a restart does not put it off)."""
    today = datetime.combine(now.date(), PRUNE_AT, tzinfo=UTC)
    return today if today > now else today + timedelta(days=1)


def prune_schedule(now: datetime) -> Schedule:
    due = next_prune(now)
    return Schedule(
        occurrence=due.date().isoformat(), due_at=due, expires_at=due + timedelta(days=1)
    )


class ExpiryHandler(OneShotHandler):
    """Seven days after a request: unless it was accepted, its requester is told « pas de suite
    pour le moment » — the same words at the same moment after a refusal, a block or silence.
    Exactly once (the engine's ledger); closed DMs: it shows in /contacts."""

    def __init__(self, flows: ReseauFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        request_id = int(item.payload["request"])
        result = await self.flows.store.requests.expire(request_id, self.flows.common.now())
        if result is None:
            return []  # erased meanwhile
        _, after = result
        if requester_view(after) is not RequesterView.NO_FOLLOW_UP:
            return []
        lang = self.flows.bot.settings_store.lang_of(after.guild_id)
        recipient = (
            f"<@{after.recipient_id}>" if after.recipient_id else t("reseau.inbox.gone", lang)
        )
        return [
            Outgoing(
                target=f"dm:{after.requester_id}",
                content=t("reseau.request.no_follow_up_dm", lang, name=recipient),
            )
        ]


class CheckinHandler:
    """A pairing's check-ins by DM at 2 weeks, 1 month and 3 months, to both members."""

    def __init__(self, flows: ReseauFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        pairing = await self.flows.store.mentoring.pairing(int(item.payload["pairing"]))
        if pairing is None or not pairing.active:
            return []
        step = int(item.payload["step"])
        lang = self.flows.bot.settings_store.lang_of(pairing.guild_id)
        return [
            Outgoing(
                target=f"dm:{user_id}",
                content=render.checkin_text(
                    pairing, step, lang, mentor=user_id == pairing.mentor_id
                ),
                view=self.flows.common.ui.checkin_view(pairing.id, step, lang),
            )
            for user_id in (pairing.mentor_id, pairing.mentee_id)
            if user_id
        ]

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        pairing = await self.flows.store.mentoring.pairing(int(item.payload["pairing"]))
        step = next_checkin(int(item.payload["step"]))
        if pairing is None or not pairing.active or step is None:
            return None
        return checkin_schedule(pairing, step)

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        return True  # a DM: nobody to tell

    async def on_delivered(self, item: DueItem, target: str, message: Any) -> None:
        return None


class PruneHandler:
    """Every day: refused, blocked and expired requests 30 days after they ended, and drafts
    older than an hour, are deleted. Sends nothing."""

    def __init__(self, flows: ReseauFlows) -> None:
        self.flows = flows

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        await self.flows.store.requests.prune(self.flows.common.now())
        return []

    async def next_schedule(self, item: DueItem) -> Schedule | None:
        return prune_schedule(item.due_at)

    async def on_permanent_failure(self, item: DueItem, target: str, code: str) -> bool:
        return True

    async def on_delivered(self, item: DueItem, target: str, message: Any) -> None:
        return None


class ReseauData:
    """`/mes-donnees`: everything of Réseau, labelled in the bot's default language; erasing it
    cancels what was scheduled for it."""

    def __init__(self, bot: Passerelle, flows: ReseauFlows) -> None:
        self.bot, self.flows = bot, flows

    async def export(self, user_id: int) -> dict[str, object]:
        records = await self.flows.store.personal.records(user_id)
        if not records:
            return {}
        lang = self.bot.settings.default_locale

        def label(key: str) -> str:
            return t(f"reseau.data.{key}", lang)

        data: dict[str, object] = {}
        if records.profiles:
            data[label("profiles")] = [
                {
                    label("server"): p.guild_id,
                    label("profession"): render.profession_text(p.profession, lang),
                    label("place"): render.place_text(p.place, lang),
                    label("city"): p.city,
                    label("moving"): render.place_text(p.target_place, lang),
                    label("move_month"): render.month_text(p.move_month, lang),
                    label("fields"): [field_label(f, lang) for f in sorted(p.fields)],
                    label("languages"): [language_label(x, lang) for x in sorted(p.languages)],
                    label("open_to"): [t(f"reseau.open_to.{o}", lang) for o in sorted(p.open_to)],
                    label("years"): p.years,
                    label("presentation"): p.presentation,
                    label("visible"): p.visible,
                }
                for p in records.profiles
            ]
        if records.sent:
            data[label("sent")] = [
                {
                    label("server"): r.guild_id,
                    label("to"): r.recipient_id or None,
                    label("date"): r.created_at.isoformat(),
                    label("message"): r.message,
                    label("status"): render.sent_status(r, lang),  # only what they can see
                    label("details_given"): r.requester_details,
                }
                for r in records.sent
            ]
        if records.received:
            data[label("received")] = [
                {
                    label("server"): r.guild_id,
                    label("from"): r.requester_id,
                    label("date"): r.created_at.isoformat(),
                    label("message"): r.message,
                    label("status"): t(f"reseau.data.request_{r.status}", lang),
                    label("details_given"): r.recipient_details,
                }
                for r in records.received
            ]
        if records.blocked:
            data[label("blocked")] = [
                {label("server"): g, label("member"): u} for g, u in records.blocked
            ]
        if records.mentor_offers:
            data[label("mentor_offers")] = [
                {
                    label("server"): o.guild_id,
                    label("place"): render.place_text(o.place, lang),
                    label("profession"): render.profession_text(o.profession, lang),
                    label("capacity"): o.capacity,
                    label("active"): active,
                }
                for o, active in zip(records.mentor_offers, records.mentor_active, strict=True)
            ]
        if records.pairings:
            data[label("pairings")] = [
                {
                    label("server"): p.guild_id,
                    label("role"): label("mentor" if p.mentor_id == user_id else "mentee"),
                    label("with"): p.other(user_id) or None,
                    label("arrival"): render.month_text(p.arrival, lang),
                    label("active"): p.active,
                    label("date"): p.started_at.isoformat(),
                }
                for p in records.pairings
            ]
        if records.drafts:
            data[label("drafts")] = records.drafts
        return data

    async def erase(self, user_id: int) -> int:
        count, requests, pairings = await self.flows.store.personal.erase(
            user_id, self.flows.common.now()
        )
        for request_id in requests:
            await self.bot.reminders.cancel(EXPIRY_KIND, expiry_ref(request_id))
        for pairing_id in pairings:
            await self.bot.reminders.cancel(CHECKIN_KIND, checkin_ref(pairing_id))
        return count
