"""Soutien entre pairs: private and anonymous peer-support threads, help lines, secrecy guard."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from cogs.soutien.cog import SoutienCog
from cogs.soutien.flows import PURGE_KIND, REPLY_KIND
from cogs.soutien.jobs import DailyPurge, ReplyNotice, SoutienData
from cogs.soutien.views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import Passerelle

# discord.py logs every request body and gateway event at DEBUG, aiosqlite every SQL parameter:
# support texts (modal values, anonymous posts) and the author <-> pseudonym link must never
# reach a log, whatever LOG_LEVEL says.
PAYLOAD_LOGGERS = ("discord.http", "discord.gateway", "discord.webhook.async_", "aiosqlite")


def _no_payloads(record: logging.LogRecord) -> bool:
    return record.levelno > logging.DEBUG


async def setup(bot: Passerelle) -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if _no_payloads not in logger.filters:
            logger.addFilter(_no_payloads)
    cog = SoutienCog(bot)
    bot.reminders.register(REPLY_KIND, ReplyNotice(cog))
    bot.reminders.register(PURGE_KIND, DailyPurge(cog))
    bot.personal_data.register("soutien", SoutienData(cog))
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(cog)
