"""Sigles end to end: a member proposes a missing sigle, moderators approve, edit or reject it
with buttons (also after a restart), the author is told and credited; markdown and mentions
never ping; personal data."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

from discord_server import Harness
from discord_server.world import Channel

from bot.i18n import t
from bot.personal_data import Label

MRC = {
    "sigle": "MRC",
    "region": ["QC"],
    "domaine": ["institutions"],
    "developpe": "Municipalité régionale de comté",
    "explication": "Regroupement des municipalités d'un territoire pour l'aménagement et "
    "certains services.",
}


async def moderation(world: Harness) -> Channel:
    channel = await world.add_channel("moderation")
    reply = await world.guild.slash(world.alice, "config salon-moderation", salon=channel)
    assert channel.mention in reply.text
    return channel


async def propose(world: Harness, user: Any, values: dict[str, Any], typed: str = "MRC") -> Any:
    """`/sigle` finds nothing → « Proposer ce sigle » → the form, sent."""
    reply = await world.guild.slash(user, "sigle", terme=typed)
    form = await reply.click("sigles:propose:" + typed, by=user)
    assert form.modal is not None, form.text
    return await form.submit_modal(values, by=user)


async def count(world: Harness, table: str) -> int:
    return int(await world.bot.db.fetchval(f"SELECT COUNT(*) FROM {table}"))


def dm_texts(world: Harness, user: Any) -> list[str]:
    channel = world.state.dm_channel_for(user, create=False)
    return [] if channel is None else [m.text for m in channel.visible_messages()]


async def test_suggestion_approved_after_a_restart_is_found_credited_and_the_author_told(
    world: Harness,
) -> None:
    mods = await moderation(world)
    bob = world.bob
    reply = await world.guild.slash(bob, "sigle", terme="MRC")
    form = await reply.click("Proposer ce sigle", by=bob)
    [sigle_field, region_field, *_] = form.modal["components"]
    assert sigle_field["component"]["value"] == "MRC"  # what the member typed, prefilled
    # the server's region (Europe/Paris → France) is preselected
    [preselected] = [o["value"] for o in region_field["component"]["options"] if o.get("default")]
    assert preselected == "FR"
    sent = await form.submit_modal(MRC, by=bob)
    assert sent.ephemeral and sent.text == t("sigles.propose.sent", "fr", sigle="MRC")
    card = mods.last_message
    assert card is not None and MRC["developpe"] in card.text and bob.mention in card.text
    assert [b["label"] for b in card.buttons()] == ["Approuver", "Modifier", "Refuser"]

    # a member cannot decide; nothing changes
    refused = await card.click("Approuver", by=world.carol)
    assert refused.ephemeral and refused.text == t("errors.not_moderator", "en")
    assert await count(world, "sigles_entries") == 0

    buttons_before = copy.deepcopy(card.components)
    await world.restart()  # the buttons are bound to the suggestion id, not to the process
    done = await card.click("Approuver", by=world.alice)
    assert done.answered
    assert "✅" in card.text and world.alice.mention in card.text and card.buttons() == []
    assert dm_texts(world, bob) == [t("sigles.notify.approved", "fr", sigle="MRC")]

    reply = await world.guild.slash(world.carol, "sigle", terme="m.r.c")
    [field] = reply.embeds[0]["fields"]
    assert field["name"] == f"⚜️ Québec — {MRC['developpe']}"
    assert t("sigles.show.server_credited", "en", member=bob.mention) in field["value"]
    # no source given: the moderators' card is the reference
    assert f"https://discord.com/channels/{world.guild.id}/{mods.id}/{card.id}" in field["value"]
    choices = await world.guild.autocomplete(bob, "sigle", terme="mrc")
    assert choices[0]["value"] == "MRC"

    # a stale card in another moderator's client: refused clearly, nothing doubled
    custom_id = done.interaction.data["custom_id"]
    stale = dataclasses.replace(card, components=buttons_before)
    late = await world.click(stale, custom_id, by=world.alice)
    assert late.text == t("sigles.error.already_approved", "fr")
    assert await count(world, "sigles_entries") == 1


async def test_moderator_edits_then_approves_and_another_suggestion_is_rejected(
    world: Harness,
) -> None:
    mods = await moderation(world)
    bob = world.bob
    await propose(world, bob, MRC | {"developpe": "Municipalite regionale de comte (sic)"})
    card = mods.last_message
    form = await card.click("Modifier", by=world.alice)
    assert form.modal is not None
    fixed = await form.submit_modal(
        {
            "sigle": "MRC",
            "domaine": ["institutions"],
            "developpe": MRC["developpe"],
            "explication": MRC["explication"],
            "source": "https://www.quebec.ca/gouvernement/gouvernement-local",
        },
        by=world.alice,
    )
    assert fixed.answered and MRC["developpe"] in card.text and "(sic)" not in card.text
    await card.click("Approuver", by=world.alice)
    reply = await world.guild.slash(bob, "sigle", terme="MRC")
    [field] = reply.embeds[0]["fields"]
    assert MRC["developpe"] in field["name"]
    assert "(<https://www.quebec.ca/gouvernement/gouvernement-local>)" in field["value"]

    # rejected: the author is told, the glossary unchanged
    other = MRC | {"sigle": "ZQX", "developpe": "Zone quelconque"}
    await propose(world, bob, other, typed="ZQX")
    card = mods.last_message
    await card.click("Refuser", by=world.alice)
    assert "❌" in card.text and card.buttons() == []
    assert dm_texts(world, bob)[-1] == t("sigles.notify.rejected", "fr", sigle="ZQX")
    reply = await world.guild.slash(bob, "sigle", terme="ZQX")
    assert not reply.embeds and "ZQX" in reply.text


async def test_markdown_and_mentions_in_a_suggestion_never_ping(world: Harness) -> None:
    mods = await moderation(world)
    role = world.mod_role
    sneaky = MRC | {
        "developpe": f"**Gras** @everyone <@&{role.id}> @here",
        "explication": f"__souligné__ <@{world.alice.id}> `code`",
    }
    await propose(world, world.bob, sneaky)
    card = mods.last_message
    allowed = card.allowed_mentions or {}
    assert "everyone" not in allowed.get("parse", []) and "roles" not in allowed.get("parse", [])
    assert "@everyone" not in card.text and "@here" not in card.text
    assert f"<@&{role.id}>" not in card.text and "\\*\\*Gras\\*\\*" in card.text
    await card.click("Approuver", by=world.alice)
    reply = await world.guild.slash(world.bob, "sigle", terme="MRC")
    assert "@everyone" not in reply.text and f"<@&{role.id}>" not in reply.text
    assert f"<@{world.alice.id}>" not in reply.text  # escaped, not a live mention


async def test_without_a_moderation_channel_the_button_says_so_and_nothing_is_written(
    world: Harness,
) -> None:
    reply = await world.guild.slash(world.bob, "sigle", terme="MRC")
    refused = await reply.click("Proposer ce sigle", by=world.bob)
    assert refused.modal is None and refused.ephemeral
    assert refused.text == t("sigles.error.no_mod_channel", "fr")
    assert await count(world, "sigles_suggestions") == 0


async def test_bad_suggestions_are_explained_and_not_filed(world: Harness) -> None:
    await moderation(world)
    known = await propose(
        world,
        world.bob,
        MRC | {"sigle": "ASE", "region": ["FR"], "developpe": "Aide sociale à l'enfance"},
    )
    assert known.text == t("sigles.error.exists", "fr", sigle="ASE", region="France")
    blank = await propose(world, world.bob, MRC | {"sigle": "..."})
    assert blank.text == t("sigles.error.no_letters", "fr", sigle="...")
    assert await count(world, "sigles_suggestions") == 0
    await propose(world, world.bob, MRC)
    twice = await propose(world, world.carol, MRC)
    assert twice.text == t("sigles.error.already_suggested", "en", sigle="MRC")
    assert await count(world, "sigles_suggestions") == 1


async def test_closed_dms_fall_back_to_a_mention_where_the_member_asked(world: Harness) -> None:
    mods = await moderation(world)
    dana = await world.add_member("dana", dms_open=False)
    await propose(world, dana, MRC)
    await mods.last_message.click("Approuver", by=world.alice)
    general = world.guild.default_channel
    last = general.last_message
    assert last is not None and dana.mention in last.content
    assert t("sigles.notify.approved", "fr", sigle="MRC") in last.content


async def test_personal_data_lists_suggestions_and_credits_and_erasure_removes_the_name(
    world: Harness,
) -> None:
    mods = await moderation(world)
    bob = world.bob
    await propose(world, bob, MRC)
    await mods.last_message.click("Approuver", by=world.alice)
    data = await world.bot.personal_data.export(bob.id)
    items = {item.label: item for item in data["sigles"]}
    [suggestion] = items["sigles.data.suggestions"].as_dicts()
    assert suggestion["sigles.data.sigle"] == "MRC"
    assert suggestion["sigles.data.state"] == Label("sigles.data.state.approved")
    assert items["sigles.data.credited"].as_dicts() == [
        {
            "sigles.data.server": str(world.guild.id),
            "sigles.data.sigle": "MRC",
            "sigles.data.region": Label("region.QC"),
        }
    ]
    removed = await world.bot.personal_data.erase(bob.id)
    assert removed["sigles"] == 2  # the suggestion, and the credit on the entry
    assert "sigles" not in await world.bot.personal_data.export(bob.id)
    reply = await world.guild.slash(world.carol, "sigle", terme="MRC")
    assert bob.mention not in reply.text
    assert t("sigles.show.server_entry", "en") in reply.text  # the entry stays, unnamed
