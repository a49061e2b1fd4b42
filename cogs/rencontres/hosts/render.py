"""What entrusting a meet-up says: to the moderator who did it, and to the moderators when the
member it was entrusted to is gone."""

from __future__ import annotations

from bot.discord_text import escape
from bot.i18n import t
from cogs.rencontres.hosts.service import HandBack
from cogs.rencontres.render import mention
from cogs.rencontres.service import Rencontre


def entrusted(event: Rencontre, lang: str) -> str:
    """To the moderator who entrusted the event (or took it back)."""
    if event.manager_id is None:
        return t("rencontre.manager.taken", lang, title=escape(event.title))
    return t(
        "rencontre.manager.given",
        lang,
        title=escape(event.title),
        manager=mention(event.manager_id),
    )


def handed_back(event: Rencontre, manager_id: int, why: HandBack, lang: str) -> str:
    """To the moderators: the member it was entrusted to is gone. An erased member is not named
    (they asked to be forgotten)."""
    if why is HandBack.ERASED:
        return t("rencontre.manager.erased", lang, id=event.id, title=escape(event.title))
    return t(
        "rencontre.manager.left",
        lang,
        id=event.id,
        title=escape(event.title),
        manager=mention(manager_id),
    )
