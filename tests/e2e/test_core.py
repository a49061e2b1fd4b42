"""The core, end to end: /config round trip and its server-side checks, /aide, the error handler."""

from __future__ import annotations

import discord
from discord import app_commands
from discord_server import Harness

from bot.discord_text import EMBED_FIELDS_MAX, EMBED_TOTAL_LIMIT


async def test_config_round_trip_survives_a_restart(world: Harness) -> None:
    guild = world.guild
    annonces = guild.channel("annonces")
    role = guild.role("Modération")
    for path, options in [
        ("config langue", {"langue": "en"}),
        ("config fuseau", {"zone": "America/Montreal"}),
        ("config region", {"region": "QC"}),
        ("config role-moderation", {"role": role}),
        ("config salon-annonces", {"salon": annonces}),
    ]:
        reply = await guild.slash(world.alice, path, **options)
        assert reply.ephemeral and "→" in reply.text, (path, reply.text)
    await world.restart()
    shown = await guild.slash(world.alice, "config voir")
    assert "America/Montreal" in shown.text
    assert annonces.mention in shown.text and f"<@&{role.id}>" in shown.text
    assert "Québec" in shown.text and "Anglais" in shown.text  # alice reads French


async def test_refused_member_changes_nothing_and_the_role_is_checked_by_the_bot(
    world: Harness,
) -> None:
    guild = world.guild
    refused = await guild.slash(world.bob, "config fuseau", zone="America/Montreal")
    assert refused.ephemeral and "modération" in refused.text
    assert world.bot.settings_store.guild(guild.id).timezone is None
    rows = await world.bot.db.fetchval("SELECT COUNT(*) FROM guild_settings")
    assert rows == 0

    # Give bob the configured moderator role: the same command now works for him.
    await guild.slash(world.alice, "config role-moderation", role=guild.role("Modération"))
    helper = await guild.add_member("helper", roles=(guild.role("Modération"),))
    allowed = await guild.slash(helper, "config fuseau", zone="America/Montreal")
    assert "America/Montreal" in allowed.text
    assert world.bot.settings_store.guild(guild.id).timezone == "America/Montreal"


async def test_bad_input_is_refused_in_the_members_language(world: Harness) -> None:
    french = await world.guild.slash(world.alice, "config fuseau", zone="Mars/Olympus")
    assert french.ephemeral and "n'est pas un fuseau horaire connu" in french.text
    english = await world.guild.slash(world.carol, "config voir")
    assert english.ephemeral and "This command is for the server's moderators" in english.text
    assert world.bot.settings_store.guild(world.guild.id).timezone is None


async def test_a_channel_where_the_bot_cannot_post_is_refused_naming_the_permission(
    world: Harness,
) -> None:
    no_send = discord.Permissions(send_messages=True).value
    closed = await world.add_channel(
        "ferme",
        overwrites=[
            {"id": str(world.state.bot_user.id), "type": 1, "allow": "0", "deny": str(no_send)}
        ],
    )
    reply = await world.guild.slash(world.alice, "config salon-annonces", salon=closed)
    assert reply.ephemeral and "Envoyer des messages" in reply.text and closed.mention in reply.text
    assert world.bot.settings_store.guild(world.guild.id).announce_channel_id is None


async def test_aide_shows_moderator_commands_to_moderators_only(world: Harness) -> None:
    member = await world.guild.slash(world.bob, "aide")
    moderator = await world.guild.slash(world.alice, "aide")
    english = await world.guild.slash(world.carol, "aide")
    assert member.ephemeral and moderator.ephemeral
    assert "/config voir" in moderator.text and "/config voir" not in member.text
    assert "/aide" in member.text and "/sigle" in member.text
    assert "/help" in english.text and "What Passerelle can do" in english.text
    for reply in (member, moderator, english):
        [embed] = reply.embeds
        # Discord's count: every text of the embed (title, description, fields, footer, author)
        assert len(discord.Embed.from_dict(embed)) <= EMBED_TOTAL_LIMIT
        assert len(embed.get("fields", [])) <= EMBED_FIELDS_MAX


async def test_an_unexpected_error_gets_an_apology_with_a_reference_that_is_in_the_log(
    world: Harness,
) -> None:
    @app_commands.command(name="panne", description="Toujours en panne")
    async def broken(interaction: discord.Interaction) -> None:
        raise RuntimeError("boom")

    world.bot.tree.add_command(broken)
    await world.in_bot(world.bot.tree.sync)
    french = await world.guild.slash(world.bob, "panne")
    english = await world.guild.slash(world.carol, "panne")
    assert french.ephemeral and "Désolé" in french.text
    assert english.ephemeral and "Sorry" in english.text
    refs = [reply.text.rstrip(".").split()[-1] for reply in (french, english)]
    logged = [r for r in world.bot_errors if r.name == "bot.errors"]
    assert len(logged) == 2
    for ref, record in zip(refs, logged, strict=True):
        assert ref in record.getMessage() and record.exc_info is not None
    world.bot_errors.clear()


async def test_an_error_after_a_deferred_answer_comes_as_an_ephemeral_followup(
    world: Harness,
) -> None:
    from bot.user_error import UserError

    @app_commands.command(name="lent", description="Réfléchit puis se trompe")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        raise UserError("errors.text_empty")

    world.bot.tree.add_command(slow)
    await world.in_bot(world.bot.tree.sync)
    reply = await world.guild.slash(world.carol, "lent")
    assert reply.ephemeral and not reply.deferred  # the "thinking…" message was filled
    assert "This text is empty." in reply.text
    assert not world.bot_errors  # a member's mistake is not an error of the bot


async def test_a_setting_can_be_cleared_back_to_its_default(world: Harness) -> None:
    guild = world.guild
    await guild.slash(world.alice, "config fuseau", zone="America/Montreal")
    await guild.slash(world.alice, "config salon-moderation", salon=guild.channel("annonces"))
    cleared = await guild.slash(world.alice, "config effacer", reglage="timezone")
    assert cleared.ephemeral and "Fuseau horaire" in cleared.text
    settings = world.bot.settings_store.guild(guild.id)
    assert settings.timezone is None and settings.mod_channel_id is not None
    shown = await guild.slash(world.alice, "config voir")
    assert "Europe/Paris (par défaut)" in shown.text
    assert "Français (par défaut)" in shown.text and "France (par défaut)" in shown.text
    refused = await guild.slash(world.bob, "config effacer", reglage="mod_channel")
    assert "modération" in refused.text
    assert world.bot.settings_store.guild(guild.id).mod_channel_id is not None
