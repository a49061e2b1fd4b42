"""Soutien entre pairs, end to end: configuration, private threads, anonymous posts, the guard,
reports and blocks, retention, /ressources — through the loopback Discord."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from discord import ChannelType
from discord_server import Harness
from discord_server import permissions as P
from discord_server.components import iter_components
from discord_server.world import Channel, User

from bot.client import Passerelle
from bot.clock import FakeClock
from bot.i18n import t, tn
from bot.secrecy import configure as configure_guard
from bot.settings import Settings
from cogs.soutien import render, service
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
    modal = await choice.click("sout:open:anon", by=user)
    assert modal.modal is not None
    answer = await modal.submit_modal({"body": text}, by=user)
    new = [c for c in world.guild.threads if c.id not in before]
    return answer, new[0] if new else None  # type: ignore[return-value]


def anon_posts(thread: Channel) -> list[Any]:
    return [
        m
        for m in thread.visible_messages()
        if any(b.get("custom_id") == "sout:reply" for b in m.buttons())
    ]


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
    assert "Créer des fils privés" in reply.text and "Gérer les fils" in reply.text
    config = await world.bot.get_cog("SoutienCog").flows.store.config(world.guild.id)
    assert config.channel_id is None  # nothing written
    member = await world.guild.slash(world.bob, "soutien config salon", salon=locked)
    assert t("errors.not_moderator", "fr") in member.text


def gap(key: str, lang: str, role: Any = None) -> str:
    """A configuration warning as the moderator reads it."""
    return t(
        f"soutien.config.gap.{key}",
        lang,
        role=role.mention if role is not None else "",
        manage_threads=t("perm.manage_threads", lang),
        manage_roles=t("perm.manage_roles", lang),
    )


async def new_role(world: Harness, name: str, *members: User) -> Any:
    role = world.state.add_role(world.guild.state, name)
    for member in members:
        world.guild.state.members[member.id].role_ids.append(role.id)
    world.server.gateway.dispatch(
        "GUILD_ROLE_CREATE", {"guild_id": str(world.guild.id), "role": role.payload()}
    )
    await world.idle()
    return role


async def test_a_configuration_without_a_role_warns_the_moderator_in_their_language(
    world: Harness,
) -> None:
    admin = world.guild.role("Admin")
    eve = await world.add_member("eve", locale="en-US", roles=(admin,))
    support = await world.add_channel("soutien")
    saved = await world.guild.slash(world.alice, "soutien config salon", salon=support)
    assert saved.ephemeral and gap("no_role", "fr") in saved.text
    assert "⚠️" in saved.text and "pair·es" not in saved.text
    other = await world.guild.slash(eve, "soutien config region", region="QC")
    assert gap("no_role", "en") in other.text  # every save says what is still missing
    # a role nobody has: saved, and the moderator is told
    empty = await new_role(world, "Pairs aidants")
    reply = await world.guild.slash(eve, "soutien config role", role=empty)
    assert reply.ephemeral and gap("empty_role", "en", empty) in reply.text
    assert gap("no_role", "en") not in reply.text
    config = await world.bot.get_cog("SoutienCog").flows.store.config(world.guild.id)
    assert config.supporter_role_id == empty.id
    counted = world.requests_to("GET", r"/roles/member-counts$")
    assert counted and all(r.status == HTTPStatus.OK for r in counted)
    # a role with members: nothing to warn about
    staffed = await new_role(world, "Équipe d'entraide", world.bob)
    whole = await world.guild.slash(world.alice, "soutien config role", role=staffed)
    assert "⚠️" not in whole.text and staffed.mention in whole.text
    # the role is deleted later: the next save says so
    del world.guild.state.roles[staffed.id]
    world.server.gateway.dispatch(
        "GUILD_ROLE_DELETE", {"guild_id": str(world.guild.id), "role_id": str(staffed.id)}
    )
    await world.idle()
    again = await world.guild.slash(world.alice, "soutien config conservation", jours=10)
    assert gap("role_gone", "fr") in again.text


async def test_without_manage_roles_an_unknown_membership_is_said_so(world: Harness) -> None:
    bot_role = next(r for r in world.guild.state.roles.values() if r.bot_id is not None)
    await world.set_role_permissions(bot_role, bot_role.permissions & ~P.MANAGE_ROLES)
    support = await world.add_channel("soutien")
    await world.guild.slash(world.alice, "soutien config salon", salon=support)
    role = await new_role(world, "Pairs aidants", world.bob)
    reply = await world.guild.slash(world.alice, "soutien config role", role=role)
    # Discord refused to count (403): the bot knows no member of the role, and says it could
    # not check rather than « nobody has it ».
    assert [r.status for r in world.requests_to("GET", r"/roles/member-counts$")] == [
        HTTPStatus.FORBIDDEN
    ]
    assert gap("role_unchecked", "fr", role) in reply.text
    assert gap("empty_role", "fr", role) not in reply.text


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
    assert thread.type is ChannelType.private_thread and not thread.invitable
    assert thread.member_ids == {world.state.bot_user.id, bob.id}
    assert opened.text == t(
        "soutien.private.opened.role_and_moderators",
        "fr",
        thread=thread.mention,
        role=conf["role"].mention,
        permission=t("perm.manage_threads", "fr"),
    )
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


async def open_private(world: Harness, user: User) -> tuple[Any, Channel]:
    before = {c.id for c in world.guild.threads}
    choice = await world.guild.slash(user, "soutien ouvrir")
    opened = await choice.click("sout:open:private", by=user)
    [thread] = [c for c in world.guild.threads if c.id not in before]
    return opened, thread


async def test_without_a_role_the_member_is_told_exactly_who_sees_the_private_thread(
    world: Harness,
) -> None:
    await configure(world, role=False)
    opened, thread = await open_private(world, world.carol)
    permission = t("perm.manage_threads", "en")
    assert opened.text == t(
        "soutien.private.opened.moderators", "en", thread=thread.mention, permission=permission
    )
    assert thread.member_ids == {world.state.bot_user.id, world.carol.id}
    first = thread.visible_messages()[0]
    assert first.content == t("soutien.private.welcome", "fr", member=world.carol.mention)
    allowed = first.allowed_mentions  # roles=False: no "roles" list and no "roles" parse
    assert not allowed.get("roles") and "roles" not in allowed.get("parse", [])
    # Nobody but the bot may manage threads there: the member is told nobody else sees it.
    await world.set_role_permissions(world.guild.role("Modération"), P.MANAGE_MESSAGES)
    await world.set_role_permissions(world.guild.role("Admin"), P.MANAGE_GUILD)
    opened, thread = await open_private(world, world.bob)
    assert opened.text == t("soutien.private.opened.nobody", "fr", thread=thread.mention)


async def test_a_role_alone_sees_the_thread_when_nobody_else_manages_threads(
    world: Harness,
) -> None:
    conf = await configure(world)
    # only the peer supporters' role may manage the support channel's threads
    await world.set_role_permissions(world.guild.role("Modération"), P.MANAGE_MESSAGES)
    await world.set_role_permissions(world.guild.role("Admin"), P.MANAGE_GUILD)
    await world.set_role_permissions(conf["role"], P.MANAGE_THREADS)
    opened, thread = await open_private(world, world.bob)
    assert opened.text == t(
        "soutien.private.opened.role", "fr", thread=thread.mention, role=conf["role"].mention
    )


# -- anonymous posts -----------------------------------------------------------------------------
async def test_anonymous_post_and_replies_never_reveal_the_author(world: Harness) -> None:
    await configure(world)
    bob, carol = world.bob, world.carol
    start = len(world.requests)
    answer, thread = await post_anonymously(world, bob, "Journée très dure, besoin d'en parler.")
    assert thread is not None and thread.type is ChannelType.public_thread
    posts = anon_posts(thread)
    assert len(posts) == 1 and "Journée très dure" in posts[0].text
    secret = await world.bot.get_cog("SoutienCog").flows.store.secret()
    code = service.pseudonym(secret, bob.id, thread.id)
    assert f"Collègue #{code}" in posts[0].text
    assert f"Collègue #{code}" in answer.text
    assert bob.id not in thread.member_ids  # the member list would name them
    # Bob writes again in the same thread: same pseudonym
    reply = await posts[0].click(t("soutien.post.reply_button", "fr"), by=bob)
    again = await reply.submit_modal({"body": "Merci pour vos mots."}, by=bob)
    assert f"Collègue #{code}" in anon_posts(thread)[-1].text and again.ephemeral
    # Carol replies anonymously too: another pseudonym
    reply = await posts[0].click("sout:reply", by=carol)  # labels are in the server language
    await reply.submit_modal({"body": "Courage, on est là."}, by=carol)
    carol_code = service.pseudonym(secret, carol.id, thread.id)
    assert carol_code != code and f"Collègue #{carol_code}" in anon_posts(thread)[-1].text
    # No request the bot sent carries Bob's or Carol's id or name
    sent = world.requests[start:]
    assert sent
    for who in (bob, carol):
        for needle in (str(who.id), who.username, who.payload()["global_name"]):
            leaks = [
                r
                for r in sent
                if needle in repr(r.json) or needle in r.path or needle in repr(r.query)
            ]
            assert not leaks, f"{needle!r} sent to Discord in {leaks}"


# -- the professional-secrecy guard --------------------------------------------------------------
RISKY = "Mme Martine Dupuis m'a appelée au 06 12 34 56 78, je ne sais plus quoi faire."


async def test_guard_warns_and_offers_edit_post_anyway_cancel(world: Harness) -> None:
    await configure(world)
    bob = world.bob
    before = len(world.guild.threads)
    warned, _ = await post_anonymously(world, bob, RISKY)
    assert warned.ephemeral
    for kind in ("phone", "civility_name"):
        assert t(f"secrecy.kind.{kind}", "fr") in warned.text
    assert len(world.guild.threads) == before  # nothing posted yet
    # Annuler: nothing is posted, the warning says so
    cancelled = await warned.click(t("soutien.guard.cancel", "fr"), by=bob)
    assert t("soutien.guard.cancelled", "fr") in cancelled.text
    assert len(world.guild.threads) == before
    # Modifier: the modal comes back with the text; the cleaned text goes straight through
    warned, _ = await post_anonymously(world, bob, RISKY)
    edit = await warned.click(t("soutien.guard.edit", "fr"), by=bob)
    field = edit.modal["components"][0]["components"][0]
    assert field["value"] == RISKY
    done = await edit.submit_modal(
        {"body": "Mme D. m'a appelée, je ne sais plus quoi faire."}, by=bob
    )
    assert t("soutien.guard.post", "fr") not in done.text
    thread = next(c for c in world.guild.threads if anon_posts(c))
    assert "Mme D." in anon_posts(thread)[0].text
    # Publier quand même: the member's choice, posted as written
    warned, _ = await post_anonymously(world, bob, RISKY)
    await warned.click(t("soutien.guard.post", "fr"), by=bob)
    posted = [m for c in world.guild.threads for m in anon_posts(c)]
    assert any("06 12 34 56 78" in m.text for m in posted)
    # The same draft cannot be used twice
    again = await warned.click(t("soutien.guard.post", "fr"), by=bob)
    assert again.text == t("soutien.error.draft_gone", "fr")


async def guard_model_ready(world: Harness) -> None:
    """The first post after a start-up may come before the model; these tests wait for it."""
    assert await asyncio.to_thread(world.bot.guard_model.load, 300)


async def test_guard_questions_a_name_without_civility(world: Harness) -> None:
    await configure(world)
    await guard_model_ready(world)
    before = len(world.guild.threads)
    text = "Le dossier de Dylan Marchetti (14 ans) est bloqué depuis mars, je fais quoi ?"
    warned, thread = await post_anonymously(world, world.bob, text)
    assert thread is None and len(world.guild.threads) == before
    assert warned.ephemeral and t("secrecy.kind.name", "fr") in warned.text
    assert t("soutien.guard.post", "fr") in warned.text or warned.components


async def test_guard_lets_a_help_line_through(world: Harness) -> None:
    await configure(world)
    await guard_model_ready(world)
    text = "Pour les idées noires, le 3114 répond jour et nuit, c'est gratuit."
    answer, thread = await post_anonymously(world, world.bob, text)
    assert thread is not None, answer.text
    assert any("le 3114" in m.text for m in anon_posts(thread))


async def test_guard_without_its_model_says_so_and_keeps_its_rules(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, harness_for: Any
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.secrecy")
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    settings = Settings(
        discord_token="unused", database_path=tmp_path / "p.db", guard_model="no_such_model"
    )
    try:
        async with harness_for(lambda: Passerelle(settings, clock=clock)) as world:
            said = [r for r in caplog.records if "no_such_model" in r.getMessage()]
            assert len(said) == 1 and said[0].levelno == logging.WARNING  # once, at start-up
            await configure(world)
            text = (
                "Le dossier de Dylan Marchetti (14 ans) est bloqué, sa mère est au 06 12 34 56 78."
            )
            warned, thread = await post_anonymously(world, world.bob, text)
            assert thread is None
            for kind in ("phone", "name"):  # the rules alone still read both
                assert t(f"secrecy.kind.{kind}", "fr") in warned.text
    finally:
        configure_guard(None)  # the next tests' bots use the default model again


# -- moderation ----------------------------------------------------------------------------------
async def test_report_alert_removal_block(world: Harness) -> None:
    conf = await configure(world)
    bob, carol, alice = world.bob, world.carol, world.alice
    _, thread = await post_anonymously(world, bob, "Un message qui pose problème.")
    post = anon_posts(thread)[0]
    start = len(world.requests)
    reported = await post.click("sout:report", by=carol)
    assert reported.text == t("soutien.report.sent", "en")
    alert = conf["alerts"].last_message
    assert alert is not None and f"/{thread.id}/{post.id}" in alert.text
    for who in (bob, carol):  # neither the author nor the reporter is named
        assert not [r for r in world.requests[start:] if str(who.id) in repr(r.json)]
    # a member cannot use the moderators' buttons
    refused = await alert.click(t("soutien.alert.remove", "fr"), by=carol)
    assert refused.text == t("errors.not_moderator", "en") and not post.deleted
    removed = await alert.click(t("soutien.alert.remove", "fr"), by=alice)
    assert removed.text == t("soutien.mod.removed", "fr")
    assert t("soutien.post.removed", "fr") in post.text and "problème" not in post.text
    blocked = await alert.click(t("soutien.alert.block", "fr"), by=alice)
    secret = await world.bot.get_cog("SoutienCog").flows.store.secret()
    code = service.pseudonym(secret, bob.id, thread.id)
    assert f"Collègue #{code}" in blocked.text and "bob" not in blocked.text.lower()
    # Bob can no longer post anonymously, anywhere on the server; nothing is created
    before = len(world.guild.threads)
    refused, _ = await post_anonymously(world, bob, "Encore moi.")
    assert refused.text == t("soutien.error.blocked", "fr")
    assert len(world.guild.threads) == before
    # others still can
    _ok, new = await post_anonymously(world, carol, "Hello.")
    assert new is not None


# -- bad inputs ----------------------------------------------------------------------------------
async def test_bad_inputs_are_answered_in_the_members_language_with_nothing_written(
    world: Harness,
) -> None:
    await configure(world)
    carol, bob = world.carol, world.bob
    before = (len(world.guild.threads), len(world.state.messages))
    blank, _ = await post_anonymously(world, carol, "   \n  ")
    assert blank.ephemeral and blank.text == t("soutien.error.empty", "en")
    long_text = "x" * (service.TEXT_MAX + 100)
    too_long, _ = await post_anonymously(world, carol, long_text)
    assert too_long.text == t(
        "soutien.error.too_long", "en", length=len(long_text), limit=service.TEXT_MAX
    )
    public = [m for m in world.state.messages.values() if not m.ephemeral]
    assert len(world.guild.threads) == before[0] and len(public) <= before[1]
    # a closed thread: /soutien clore by its author, then the reply button refuses at once
    _, thread = await post_anonymously(world, bob, "Merci à tous, ça va mieux.")
    post = anon_posts(thread)[0]
    stranger = await world.guild.slash(carol, "soutien clore", channel=thread)
    assert stranger.text == t("soutien.error.not_opener", "en") and not thread.archived
    closed = await world.guild.slash(bob, "soutien clore", channel=thread)
    assert closed.text == t("soutien.close.done", "fr") and thread.archived and thread.locked
    count = len(thread.messages)
    refused = await post.click("sout:reply", by=carol)
    assert refused.modal is None and refused.text == t("soutien.error.closed", "en")
    again = await world.guild.slash(bob, "soutien clore", channel=thread)
    assert again.text == t("soutien.error.closed", "fr")
    assert len(thread.messages) == count


async def test_rate_limit_per_member(world: Harness) -> None:
    await configure(world)
    bob = world.bob
    for i in range(service.RATE_MAX):
        answer, thread = await post_anonymously(world, bob, f"message {i}")
        assert thread is not None, answer.text
    refused, thread = await post_anonymously(world, bob, "un de trop")
    assert thread is None and refused.text == t(
        "soutien.error.rate", "fr", count=service.RATE_MAX, n=60
    )
    await world.advance(hours=1)
    _, thread = await post_anonymously(world, bob, "de nouveau")
    assert thread is not None


# -- /ressources ---------------------------------------------------------------------------------
def lines_component(reply: Any, label: str) -> dict[str, Any]:
    return next(c for c in iter_components(reply.components) if c.get("label") == label)


async def every_page(reply: Any, user: User, lang: str = "fr") -> list[str]:
    """The text of each page of a `/ressources` answer, following « Suivant » to the end."""
    texts = [reply.text]
    while any(
        c.get("label") == t("soutien.lines.next", lang) for c in iter_components(reply.components)
    ):
        if lines_component(reply, t("soutien.lines.next", lang)).get("disabled"):
            break
        reply = await reply.click(t("soutien.lines.next", lang), by=user)
        texts.append(reply.text)
    return texts


@pytest.mark.parametrize("region", ["FR", "QC", "BE", "CH"])
async def test_resources_for_each_region(world: Harness, region: str) -> None:
    reply = await world.guild.slash(world.bob, "ressources", region=region)
    assert reply.ephemeral
    pages = await every_page(reply, world.bob)
    assert len(pages) == render.lines_page_count(region, "fr")
    assert t("soutien.lines.footer", "fr", page=len(pages), pages=len(pages)) in pages[-1]
    text = "\n".join(pages)
    lines = load_by_region()[region]
    assert lines
    marker = t("soutien.lines.unverified", "fr")
    for line in lines:
        entry = render.line_entry(line, "fr")
        assert entry.startswith(f"**{line.numero}** — "), entry
        assert entry in text and line.source in text
        assert entry.endswith(marker) is (not line.verifie)
        for other in line.autres:  # each second contact right under its main number
            assert render.other_contact(other, "fr") in text
            assert f"{entry}\n↳ " in text
    # the world fixture checks every page against Discord's limits at teardown


async def test_emergency_numbers_come_first_then_the_other_regions(world: Harness) -> None:
    reply = await world.guild.slash(world.bob, "ressources", region="FR")
    fields = reply.embeds[0]["fields"]
    assert fields[0]["name"] == t("soutien.lines.category.urgence", "fr")
    urgent = [x for x in load_by_region()["FR"] if x.urgence]
    first_block = "\n".join(f["value"] for f in fields if f["name"].startswith(fields[0]["name"]))
    for line in urgent:
        assert f"**{line.numero}** — " in first_block, line.numero
    text = reply.text
    others = [f"**{x.numero}** — " for x in load_by_region()["FR"] if not x.urgence]
    first_other = min(text.index(o) for o in others if o in text)
    assert all(text.index(f"**{x.numero}** — ") < first_other for x in urgent)
    # the other regions' emergency numbers come right after, before any other category
    elsewhere = next(
        i for i, f in enumerate(fields) if f["name"] == t("soutien.lines.elsewhere", "fr")
    )
    assert all(f["name"].startswith(fields[0]["name"]) for f in fields[:elsewhere])
    assert (
        t("soutien.lines.elsewhere_row", "fr", region=t("region.QC", "fr"), numeros="911") in text
    )
    assert "**Suisse** : 117, 118, 144, 112, 145" in text


async def test_second_numbers_show_next_to_the_main_one(world: Harness) -> None:
    reply = await world.guild.slash(world.bob, "ressources", region="QC")
    text = "\n".join(await every_page(reply, world.bob))
    assert "**988** — 9-8-8 : Ligne d'aide en cas de crise de suicide\n↳ texto : 988\n" in text
    assert "texto : 535353, 24 h/24 (selon la presse) ⚠️ non vérifié" in text
    assert "tchat : [suicide.ca](https://suicide.ca), 24 h/24" in text
    fr = await world.guild.slash(world.bob, "ressources", region="FR")
    assert "**114** — Urgence par SMS, tchat ou visio\n↳ SMS : 114 · " in fr.text


async def test_resources_pages_and_region_choice(world: Harness) -> None:
    reply = await world.guild.slash(world.bob, "ressources", region="FR")
    assert render.lines_page_count("FR", "fr") > 1  # the French list does not fit one embed
    assert lines_component(reply, t("soutien.lines.previous", "fr")).get("disabled")
    second = await reply.click(t("soutien.lines.next", "fr"), by=world.bob)
    assert t("soutien.lines.footer", "fr", page=2, pages=2) in second.text
    back = await second.click(t("soutien.lines.previous", "fr"), by=world.bob)
    assert t("soutien.lines.footer", "fr", page=1, pages=2) in back.text
    swiss = await back.select(t("soutien.lines.region_placeholder", "fr"), ["CH"], by=world.bob)
    assert t("soutien.lines.title", "fr", region=t("region.CH", "fr")) in swiss.text
    assert "**143** — La Main Tendue" in swiss.text
    assert all(
        c.get("label") != t("soutien.lines.next", "fr") for c in iter_components(swiss.components)
    )
    await world.restart()  # the buttons and the menu still work after a restart
    again = await swiss.select(t("soutien.lines.region_placeholder", "fr"), ["FR"], by=world.bob)
    assert "**3114** — " in again.text


async def test_resources_default_to_the_configured_region(world: Harness) -> None:
    await configure(world)
    await world.guild.slash(world.alice, "soutien config region", region="QC")
    reply = await world.guild.slash(world.carol, "ressources")
    assert t("region.QC", "en") in reply.text
    text = "\n".join(await every_page(reply, world.carol, "en"))
    for line in load_by_region()["QC"]:
        assert line.numero in text
    assert t("soutien.lines.other.texto", "en", valeur="988") in text  # labels in English
    assert t("soutien.lines.category.urgence", "en") == reply.embeds[0]["fields"][0]["name"]


# -- notices of replies, restart, retention ------------------------------------------------------
async def test_reply_notice_by_dm_only_on_opt_in_and_buttons_survive_restart(
    world: Harness,
) -> None:
    await configure(world)
    bob, carol = world.bob, world.carol
    answer, thread = await post_anonymously(world, bob, "Quelqu'un a déjà vécu ça ?")
    await world.guild.post(carol, thread, "Oui, plusieurs fois.")
    await world.advance(minutes=5)
    assert bob.dms == []  # no opt-in, no DM
    start = len(world.requests)
    on = await answer.click("sout:notify:" + str(thread.id), by=bob)
    assert on.text.endswith(t("soutien.notify.on", "fr"))
    await world.restart()  # the buttons and the pending state live in SQLite
    await world.guild.post(carol, thread, "Et toi, comment ça va ?")
    await world.guild.post(world.alice, thread, "On est là.")
    await world.advance(minutes=5)
    assert len(bob.dms) == 1  # two replies, one notice
    assert f"/{thread.id}" in bob.dms[0].content
    # The only requests naming Bob are those opening his DM channel; the notice itself
    # reveals nothing in the thread.
    naming = [
        r for r in world.requests[start:] if str(bob.id) in repr(r.json) or str(bob.id) in r.path
    ]
    assert naming and all(r.route == "POST /users/@me/channels" for r in naming)
    # buttons posted before the restart still work
    reply = await anon_posts(thread)[0].click("sout:reply", by=carol)
    assert reply.modal is not None


async def test_retention_purge_forgets_the_author(world: Harness) -> None:
    conf = await configure(world)
    await world.guild.slash(world.alice, "soutien config conservation", jours=2)
    bob = world.bob
    _, thread = await post_anonymously(world, bob, "Un message.")
    store = world.bot.get_cog("SoutienCog").flows.store
    assert await store.link(thread.id, bob.id) is not None
    await world.advance(days=1)
    assert await store.link(thread.id, bob.id) is not None  # within the period
    await world.advance(days=1, hours=1)  # the daily purge runs
    assert await store.link(thread.id, bob.id) is None
    assert not await world.bot.db.fetchall(
        "SELECT * FROM soutien_links WHERE author_id = ?", (bob.id,)
    )
    # moderators can still remove the post, but nobody can tell who wrote it any more
    post = anon_posts(thread)[0]
    await post.click("sout:report", by=world.carol)
    alert = conf["alerts"].last_message
    blocked = await alert.click(t("soutien.alert.block", "fr"), by=world.alice)
    assert blocked.text == t("soutien.error.link_purged", "fr")


async def test_purge_also_runs_at_start(world: Harness) -> None:
    await configure(world)
    _, thread = await post_anonymously(world, world.bob, "Un message.")
    await world.bot.reminders.cancel("soutien.purge", "daily")  # only the start-up purge left
    world.clock.advance(timedelta(days=31))
    await world.restart()
    assert await world.bot.get_cog("SoutienCog").flows.store.link(thread.id, world.bob.id) is None


# -- /mes-donnees ----------------------------------------------------------------------------------
async def test_mes_donnees_export_and_erasure(world: Harness) -> None:
    await configure(world)
    bob = world.bob
    nothing = await world.guild.slash(bob, "mes-donnees")
    assert nothing.text == t("mes_donnees.nothing", "fr")
    answer, thread = await post_anonymously(world, bob, "Un message.")
    await answer.click("sout:notify:" + str(thread.id), by=bob)
    shown = await world.guild.slash(bob, "mes-donnees")
    assert shown.ephemeral and t("mes_donnees.section.soutien", "fr") in shown.text
    assert tn("soutien.data.links", 1, "fr") in shown.text
    export = json.loads(shown.attachments[0].text)
    secret = await world.bot.get_cog("SoutienCog").flows.store.secret()
    section = export[t("mes_donnees.section.soutien", "fr")]
    [link] = section[tn("soutien.data.links", 1, "fr")]
    assert link[t("soutien.data.pseudonym", "fr")] == service.pseudonym(secret, bob.id, thread.id)
    assert link[t("soutien.data.notify", "fr")] is True
    assert str(thread.id) in link[t("soutien.data.thread", "fr")]
    ask = await shown.click(t("mes_donnees.erase.button", "fr"), by=bob)
    done = await ask.click(t("mes_donnees.erase.confirm", "fr"), by=bob)
    assert tn("mes_donnees.erase.done", 2, "fr") == done.text  # the link, the rate record
    assert (await world.guild.slash(bob, "mes-donnees")).text == t("mes_donnees.nothing", "fr")
    # with the link gone, the post stays, anonymous, and replies no longer reach Bob
    await world.guild.post(world.carol, thread, "Réponse.")
    await world.advance(minutes=5)
    assert bob.dms == [] and anon_posts(thread)


async def test_support_texts_never_reach_the_logs(world: Harness, caplog: Any) -> None:
    await configure(world)
    caplog.set_level(logging.DEBUG)
    text = "Texte confidentiel 7f3a9c"
    warned, _ = await post_anonymously(world, world.bob, text + " Mme Claire Martin")
    await warned.click(t("soutien.guard.post", "fr"), by=world.bob)
    assert caplog.records  # DEBUG logging was on while the bot worked
    for record in caplog.records:
        assert "7f3a9c" not in record.getMessage()
        assert str(world.bob.id) not in record.getMessage()
