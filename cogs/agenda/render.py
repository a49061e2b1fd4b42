"""What `/agenda` answers: links to copy, and what they are for."""

from __future__ import annotations

from datetime import datetime

from bot.discord_text import ts
from bot.i18n import t
from bot.web import feed_urls


def links(base: str, token: str, lang: str, *, intro: str) -> str:
    https, webcal = feed_urls(base, token)
    return "\n".join(
        [
            t(intro, lang),
            t("agenda.link.webcal", lang, url=webcal),
            t("agenda.link.https", lang, url=https),
            t("agenda.link.keep", lang),
        ]
    )


def guild_link_exists(created_at: datetime, lang: str) -> str:
    return t("agenda.guild.exists", lang, date=ts(created_at, "D"))


def member_link_exists(created_at: datetime, lang: str) -> str:
    return t("agenda.member.exists", lang, date=ts(created_at, "D"))


def page_on(url: str, lang: str) -> str:
    return t("agenda.page_on", lang, url=url)
