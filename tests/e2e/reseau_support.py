"""Helpers for Réseau's end-to-end tests: members make their profiles and ask each other
through the real commands, forms and buttons (nothing is written in the database directly)."""

from __future__ import annotations

from typing import Any

from discord_server import Harness
from discord_server.driver import Reply

SHOW = "Montrer dans l'annuaire"


def show_id(user: Any) -> str:
    """The custom_id of « Montrer dans l'annuaire » on a member's card (any language)."""
    return f"reseau:profile:{user.id}:show"


async def make_profile(
    world: Harness,
    user: Any,
    profession: str = "fr-ass",
    lieu: str = "FR-29",
    *,
    destination: str | None = None,
    presentation: str = "Assistante sociale en polyvalence de secteur.",
    move_month: str = "",
    visible: bool = True,
) -> Reply:
    """/profil creer, the form, and (by default) « Montrer dans l'annuaire »: the card."""
    options: dict[str, Any] = {"profession": profession, "lieu": lieu}
    if destination:
        options["destination"] = destination
    opened = await world.guild.slash(user, "profil creer", **options)
    assert opened.modal is not None, opened
    values = {"presentation": presentation, "city": "", "years": ""}
    if destination:
        values["move_month"] = move_month
    card = await opened.submit_modal(values, by=user)
    assert "Profil enregistré" in card.text or "Profile saved" in card.text, card.text
    if visible:
        card = await card.click(show_id(user), by=user)
    return card


async def directory(world: Harness, user: Any, **filters: Any) -> Reply:
    reply = await world.guild.slash(user, "annuaire", **filters)
    assert reply.ephemeral, reply
    return reply


async def ask(world: Harness, user: Any, page: Reply, name: str, message: str) -> Reply:
    """From a directory page: « Demander un contact · name », the form, the answer."""
    opened = await page.click(f"Demander un contact · {name}", by=user)
    assert opened.modal is not None, opened.text if opened.message else opened
    return await opened.submit_modal({"message": message}, by=user)


def dm_texts(user: Any) -> list[str]:
    return [m.text for m in user.dms]


def last_dm(user: Any) -> Any:
    assert user.dms, f"{user} received no DM"
    return user.dms[-1]
