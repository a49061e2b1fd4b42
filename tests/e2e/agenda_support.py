"""What the agenda tests put in the agenda.

Stand-in until Rencontres and Apéro register their providers (next step: the real features).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from discord_server import Harness

from bot.agenda import Agenda, AgendaEvent, AgendaSeries, EventStatus, Window

FRIDAY_18H = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)


class StandIn:
    def __init__(self, guild_id: int) -> None:
        self.guild_id = guild_id

    async def for_guild(self, guild_id: int, window: Window) -> Agenda:
        if guild_id != self.guild_id:
            return Agenda()
        g = guild_id
        return Agenda(
            events=(
                AgendaEvent(
                    "rencontre-1",
                    g,
                    "Café réseau ASS",
                    FRIDAY_18H,
                    FRIDAY_18H + timedelta(hours=2),
                    "Europe/Paris",
                    window.now,
                    place="Café des Arts, Lyon",
                    message_url=f"https://discord.com/channels/{g}/1/2",
                ),
                AgendaEvent(
                    "rencontre-2",
                    g,
                    "Annulée",
                    FRIDAY_18H,
                    FRIDAY_18H + timedelta(hours=1),
                    "Europe/Paris",
                    window.now,
                    status=EventStatus.CANCELLED,
                ),
            ),
            series=(
                AgendaSeries(
                    "apero-1",
                    g,
                    "Apéro du vendredi",
                    4,
                    time(19, 0),
                    "Europe/Paris",
                    timedelta(hours=1),
                    date(2026, 3, 6),
                    window.now,
                    video_link="https://meet.example.org/apero",
                ),
            ),
        )

    async def for_member(self, user_id: int, window: Window) -> Agenda:
        return Agenda()


async def fill_agenda(world: Harness) -> None:
    world.bot.agenda.register("stand-in", StandIn(world.guild.id))
