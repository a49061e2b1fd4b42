"""Réseau's reminder-engine handlers (a request's expiry, a pairing's check-ins, the daily
retention run) and its personal-data provider (`/mes-donnees`)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.i18n import SOURCE_LANG, t
from bot.personal_data import Field, Item, Label, Records, Value
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
    """`/mes-donnees`: everything of Réseau, in labelled records; erasing it cancels what was
    scheduled for it. Profession and place names come from the reference data (French, the
    source language); choices are joined, each translated at export."""

    def __init__(self, bot: Passerelle, flows: ReseauFlows) -> None:
        self.bot, self.flows = bot, flows

    async def export(self, user_id: int) -> list[Item]:
        records = await self.flows.store.personal.records(user_id)
        lang = SOURCE_LANG

        def f(key: str, value: Value) -> Field:
            return Field(f"reseau.data.{key}", value)

        def joined(labels: list[str]) -> str:
            return ", ".join(labels)

        return [
            Records.of(
                "reseau.data.profiles",
                (
                    (
                        f("server", str(p.guild_id)),
                        f("profession", render.profession_text(p.profession, lang)),
                        f("place", render.place_text(p.place, lang)),
                        f("city", p.city),
                        f("moving", render.place_text(p.target_place, lang) or None),
                        f("move_month", render.month_text(p.move_month, lang) or None),
                        f("fields", joined([field_label(x, lang) for x in sorted(p.fields)])),
                        f(
                            "languages",
                            joined([language_label(x, lang) for x in sorted(p.languages)]),
                        ),
                        f(
                            "open_to",
                            joined([t(f"reseau.open_to.{o}", lang) for o in sorted(p.open_to)]),
                        ),
                        f("years", p.years),
                        f("presentation", p.presentation),
                        f("visible", p.visible),
                    )
                    for p in records.profiles
                ),
            ),
            Records.of(
                "reseau.data.sent",
                (
                    (
                        f("server", str(r.guild_id)),
                        f("to", str(r.recipient_id) if r.recipient_id else None),
                        f("date", r.created_at),
                        f("message", r.message),
                        # only what the requester can see: waiting, accepted, « pas de suite »
                        f("status", Label(f"reseau.status.{requester_view(r)}")),
                        f("details_given", r.requester_details),
                    )
                    for r in records.sent
                ),
            ),
            Records.of(
                "reseau.data.received",
                (
                    (
                        f("server", str(r.guild_id)),
                        f("from", str(r.requester_id)),
                        f("date", r.created_at),
                        f("message", r.message),
                        f("status", Label(f"reseau.data.request_{r.status}")),
                        f("details_given", r.recipient_details),
                    )
                    for r in records.received
                ),
            ),
            Records.of(
                "reseau.data.blocked",
                ((f("server", str(g)), f("member", str(u))) for g, u in records.blocked),
            ),
            Records.of(
                "reseau.data.mentor_offers",
                (
                    (
                        f("server", str(o.guild_id)),
                        f("place", render.place_text(o.place, lang)),
                        f("profession", render.profession_text(o.profession, lang)),
                        f("capacity", o.capacity),
                        f("active", active),
                    )
                    for o, active in zip(records.mentor_offers, records.mentor_active, strict=True)
                ),
            ),
            Records.of(
                "reseau.data.pairings",
                (
                    (
                        f("server", str(p.guild_id)),
                        f(
                            "role",
                            Label(
                                "reseau.data.mentor"
                                if p.mentor_id == user_id
                                else "reseau.data.mentee"
                            ),
                        ),
                        f("with", str(p.other(user_id)) if p.other(user_id) else None),
                        f("arrival", render.month_text(p.arrival, lang) or None),
                        f("active", p.active),
                        f("date", p.started_at),
                    )
                    for p in records.pairings
                ),
            ),
            Records.of(
                "reseau.data.drafts", ((f("count", records.drafts),),) if records.drafts else ()
            ),
        ]

    async def erase(self, user_id: int) -> int:
        count, requests, pairings = await self.flows.store.personal.erase(
            user_id, self.flows.common.now()
        )
        for request_id in requests:
            await self.bot.reminders.cancel(EXPIRY_KIND, expiry_ref(request_id))
        for pairing_id in pairings:
            await self.bot.reminders.cancel(CHECKIN_KIND, checkin_ref(pairing_id))
        return count
