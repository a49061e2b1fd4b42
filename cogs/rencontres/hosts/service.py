"""Who a meet-up may be entrusted to, and why it goes back. Pure: no Discord, no database.

A moderator entrusts a meet-up to a member (`manager_id`): they manage it like its organiser,
who stays on record (`cogs.rencontres.service.manages` / `require_manager`). A member who
leaves the server or erases their data hands it back to its organiser and the moderators.
"""

from __future__ import annotations

from enum import StrEnum

from bot.user_error import UserError
from cogs.rencontres.service import Rencontre


class HandBack(StrEnum):
    """Why a meet-up went back to its organiser and the moderators without them asking."""

    LEFT = "left"  # the member it was entrusted to left the server
    ERASED = "erased"  # they erased their data (/mes-donnees)


def check_manager(event: Rencontre, user_id: int, *, is_bot: bool, is_member: bool) -> None:
    """Whom a moderator may entrust `event` to: a member of the server, not a bot, not the one
    who already manages it."""
    if is_bot:
        raise UserError("rencontre.error.manager_is_bot")
    if not is_member:
        raise UserError("rencontre.error.manager_not_member")
    if user_id == event.manager_id:
        raise UserError("rencontre.error.already_manager", title=event.title)
    if user_id == event.organiser_id:
        raise UserError("rencontre.error.manager_is_organiser", title=event.title)
