"""Logging: the level from settings, and no payloads in the logs, ever.

discord.py logs every request body and gateway event at DEBUG, aiosqlite every SQL parameter:
support texts (modal values, anonymous posts), the author <-> pseudonym link and members' ids
must never reach a log, whatever LOG_LEVEL says.
"""

from __future__ import annotations

import logging

PAYLOAD_LOGGERS = ("discord.http", "discord.gateway", "discord.webhook.async_", "aiosqlite")


def _no_payloads(record: logging.LogRecord) -> bool:
    return record.levelno > logging.DEBUG


def silence_payload_loggers() -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if _no_payloads not in logger.filters:
            logger.addFilter(_no_payloads)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level),
        format="%(asctime)s %(levelname)-8s %(name)s: %(message)s",
    )
    silence_payload_loggers()
