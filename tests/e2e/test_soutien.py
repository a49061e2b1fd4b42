"""Soutien entre pairs, end to end: configuration, private threads, anonymous posts, the guard,
reports and blocks, retention, /ressources — through the loopback Discord."""

from __future__ import annotations

from typing import Any

import pytest
from discord_server import Harness
from discord_server import permissions as P
from discord_server.world import PRIVATE_THREAD, PUBLIC_THREAD, Channel, User

from bot.i18n import t
from cogs.soutien import service
from cogs.soutien.resources import load_by_region


async def configure(world: Harness, *, alerts: bool = True, role: bool = True) -> dict[str, Any]:
    """A moderator sets the space up: #soutien, the supporters' role, #moderation."""
    alice = world.alice
    support = await world.add_channel("soutien")
    reply = await world.guild.slash(alice, "soutien config salon", salon=support)
    assert "soutien" in reply.text and reply.ephemeral
    out: dict[str, Any] = {"support": support}
    if role:
        supporters = world.state.add_role(world.guild.state, "Pairs aidants")
        world.server.gateway.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(world.guild.id), "role": supporters.payload()}
        )
        await world.idle()
        await world.guild.slash(alice, "soutien config role", role=supporters)
        out["role"] = supporters
    if alerts:
        mod = await world.add_channel("moderation")
        await world.guild.slash(alice, "soutien config alertes", salon=mod)
        out["alerts"] = mod
    return out


async def post_anonymously(world: Harness, user: User, text: str) -> tuple[Any, Channel]:
    """`/soutien ouvrir` → Message anonyme → modal; returns the answer and the new thread."""
    before = {c.id for c in world.guild.threads}
    choice = await world.guild.slash(user, "soutien ouvrir")
    modal = await choice.click(t("soutien.choice.anonymous", "fr"), by=user)
    assert modal.modal is not None
    answer = await modal.submit_modal({t("soutien.modal.label", "fr"): text}, by=user)
    new = [c for c in world.guild.threads if c.id not in before]
    return answer, new[0] if new else None  # type: ignore[return-value]


def anon_posts(thread: Channel) -> list[Any]:
    return [m for m in thread.visible_messages() if any("sout:reply" == b.get("custom_id") for b in m.buttons())]


# -- configuration -------------------------------------------------------------------------------
async def test_configuration_names_the_missing_permission(world: Harness) -> None:
    locked = await world.add_channel(
        "soutien",
        overwrites=[
            {
                "id": str(world.state.bot_user.id),
                "type": 1,
                "allow": "0",
                "deny": str(P.CREATE_PRIVATE_THREADS | P.MANAGE_THREADS),
            }
        ],
    )
    reply = await world.guild.slash(world.alice, "soutien config salon", salon=locked)
    assert reply.ephemeral
    assert "create_private_threads" in reply.text and "manage_threads" in reply.text
    assert await world.bot.get_cog("SoutienCog").store.config(world.guild.id) == service.SoutienConfig(
        guild_id=world.guild.id
    )  # nothing written
    member = await world.guild.slash(world.bob, "soutien config salon", salon=locked)
    assert t("errors.not_moderator", "fr") in member.text


async def test_soutien_before_configuration_is_refused_clearly(world: Harness) -> None:
    reply = await world.guild.slash(world.carol, "soutien ouvrir")
    assert reply.ephemeral and reply.text == t("soutien.error.not_configured", "en")


# -- private thread ------------------------------------------------------------------------------
async def test_private_thread_has_the_member_the_frame_and_the_lines(world: Harness) -> None:
    conf = await configure(world)
    bob = world.bob
    choice = await world.guild.slash(bob, "soutien ouvrir")
    opened = await choice.click(t("soutien.choice.private", "fr"), by=bob)
    thread = next(c for c in world.guild.threads if c.parent_id == conf["support"].id)
    assert thread.type == PRIVATE_THREAD and not thread.invitable
    assert thread.member_ids == {world.state.bot_user.id, bob.id}
    assert thread.mention in opened.text
    first = thread.visible_messages()[0]
    assert bob.mention in first.content and conf["role"].mention in first.content
    # exactly the member and the configured role may be pinged
    allowed = first.allowed_mentions
    assert [str(r) for r in allowed["roles"]] == [str(conf["role"].id)]
    assert [str(u) for u in allowed["users"]] == [str(bob.id)]
    assert "everyone" not in allowed.get("parse", [])
    text = first.text
    assert "Secret professionnel" in text
    for line in load_by_region()["FR"]:
        assert line.numero in text


# -- anonymous posts -----------------------------------------------------------------------------
async def test_anonymous_post_and_replies_never_reveal_the_author(world: Harness) -> None:
    await configure(world)
    bob, carol = world.bob, world.carol
    start = len(world.requests)
    answer, thread = await post_anonymously(world, bob, "Journée très dure, besoin d'en parler.")
    assert thread is not None and thread.type == PUBLIC_THREAD
    posts = anon_posts(thread)
    assert len(posts) == 1 and "Journée très dure" in posts[0].text
    secret = await world.bot.get_cog("SoutienCog").store.secret()
    code = service.pseudonym(secret, bob.id, thread.id)
    assert f"Collègue #{code}" in posts[0].text
    assert f"Collègue #{code}" in answer.text
    assert bob.id not in thread.member_ids  # the member list would name them
    # Bob writes again in the same thread: same pseudonym
    reply = await posts[0].click(t("soutien.post.reply_button", "fr"), by=bob)
    again = await reply.submit_modal({t("soutien.modal.label", "fr"): "Merci pour vos mots."}, by=bob)
    assert f"Collègue #{code}" in anon_posts(thread)[-1].text and again.ephemeral
    # Carol replies anonymously too: another pseudonym
    reply = await posts[0].click("sout:reply", by=carol)  # labels are in the server language
    await reply.submit_modal({t("soutien.modal.label", "en"): "Courage, on est là."}, by=carol)
    carol_code = service.pseudonym(secret, carol.id, thread.id)
    assert carol_code != code and f"Collègue #{carol_code}" in anon_posts(thread)[-1].text
    # No request the bot sent carries Bob's or Carol's id or name
    sent = world.requests[start:]
    assert sent
    for who in (bob, carol):
        for needle in (str(who.id), who.username, who.payload()["global_name"]):
            leaks = [r for r in sent if needle in repr(r.json) or needle in r.path or needle in repr(r.query)]
            assert not leaks, f"{needle!r} sent to Discord in {leaks}"
