"""The loopback Discord itself, driven by an unchanged discord.py client (a small probe bot).

The probe bot is test scaffolding for the server, not Passerelle: Passerelle's own journeys
live in the other e2e tests.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord_server import Harness
from discord_server import permissions as P
from discord_server.validation import load_spec, validate_request

MENTIONS = discord.AllowedMentions(everyone=False, roles=False, users=True)


class Ask(discord.ui.Modal, title="Proposer"):
    titre = discord.ui.TextInput(label="Titre", custom_id="titre", max_length=50)
    note = discord.ui.TextInput(label="Note", custom_id="note", required=False)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Reçu : {self.titre.value}|{self.note.value}")


class Vote(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=600)
        self.count = 0

    @discord.ui.button(label="Pour", custom_id="vote:pour")
    async def pour(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"Votes : {self.count}", view=self)

    @discord.ui.button(label="Détails", custom_id="vote:details")
    async def details(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.send_modal(Ask())


def probe_factory(record: dict[str, Any]) -> Callable[[], discord.Client]:
    def make() -> discord.Client:
        intents = discord.Intents.default()
        bot = commands.Bot(command_prefix="!", intents=intents, allowed_mentions=MENTIONS)
        tree = bot.tree

        @tree.command(name="ping", description="Répond pong")
        @app_commands.describe(secret="en privé")
        async def ping(interaction: discord.Interaction, secret: bool = False) -> None:
            await interaction.response.send_message("pong", ephemeral=secret)

        @tree.command(name="lent", description="Réponse différée")
        async def lent(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("fini")
            await interaction.followup.send("et encore")

        @tree.command(name="vote", description="Un vote")
        async def vote(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Votes : 0", view=Vote())

        @tree.command(name="proposer", description="Ouvre un formulaire")
        async def proposer(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Ask())

        async def fruits(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            names = ["cerise", "citron", "pomme", "poire"]
            return [app_commands.Choice(name=n, value=n) for n in names if n.startswith(current)]

        @tree.command(name="fruit", description="Choisir un fruit")
        @app_commands.autocomplete(nom=fruits)
        async def fruit(interaction: discord.Interaction, nom: str) -> None:
            await interaction.response.send_message(f"fruit {nom}")

        @tree.command(name="poster", description="Poste dans le salon, avec nonce")
        async def poster(interaction: discord.Interaction, nonce: str, fois: int = 1) -> None:
            await interaction.response.defer(ephemeral=True)
            assert isinstance(interaction.channel, discord.TextChannel)
            ids = set()
            for _ in range(fois):
                try:
                    msg = await interaction.channel.send("annonce", nonce=nonce)
                    ids.add(msg.id)
                except discord.HTTPException as error:
                    await interaction.followup.send(f"erreur {error.code}")
                    return
            await interaction.followup.send(f"ids {len(ids)}")

        @tree.command(name="mp", description="Écrit en message privé")
        async def mp(interaction: discord.Interaction, membre: discord.User) -> None:
            try:
                await membre.send("coucou", file=discord.File(io.BytesIO(b"a;b\n1;2\n"), "t.csv"))
                await interaction.response.send_message("envoyé", ephemeral=True)
            except discord.Forbidden as error:
                await interaction.response.send_message(f"fermé {error.code}", ephemeral=True)

        @tree.command(name="fil", description="Fil privé, membre, archivage")
        async def fil(interaction: discord.Interaction, membre: discord.Member) -> None:
            channel = interaction.channel
            assert isinstance(channel, discord.TextChannel)
            await interaction.response.defer(ephemeral=True)
            thread = await channel.create_thread(
                name="suivi", type=discord.ChannelType.private_thread
            )
            await thread.add_user(membre)
            await thread.send(f"Bienvenue {membre.mention}")
            await thread.edit(archived=True)
            event = await interaction.guild.create_scheduled_event(  # type: ignore[union-attr]
                name="Atelier",
                start_time=discord.utils.utcnow() + timedelta(days=1),
                end_time=discord.utils.utcnow() + timedelta(days=1, hours=2),
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location="Montréal",
            )
            await event.edit(name="Atelier (déplacé)")
            forum = discord.utils.get(interaction.guild.forums, name="entraide")  # type: ignore[union-attr]
            assert forum is not None
            post = await forum.create_thread(name="Question", content="Bonjour")
            await interaction.followup.send(f"ok {thread.id} {event.id} {post.thread.id}")

        @tree.command(name="echo", description="Poste un message dans le salon")
        async def echo(interaction: discord.Interaction, texte: str) -> None:
            assert isinstance(interaction.channel, discord.TextChannel)
            try:
                await interaction.channel.send(texte)
                await interaction.response.send_message("posté", ephemeral=True)
            except discord.Forbidden as error:
                await interaction.response.send_message(f"refusé {error.code}", ephemeral=True)

        async def setup_hook() -> None:
            record["synced"] = await tree.sync()

        async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
            pass  # one shard: skip discord.py's 5 s courtesy pause before a re-IDENTIFY

        bot.before_identify_hook = before_identify_hook  # type: ignore[method-assign]

        bot.setup_hook = setup_hook  # type: ignore[method-assign]
        return bot

    return make


@pytest.fixture
async def probe(harness_for: Callable[..., Any]) -> Any:
    record: dict[str, Any] = {}
    async with harness_for(probe_factory(record)) as world:
        world.record = record
        yield world


def test_discord_py_still_has_the_hooks_the_server_uses() -> None:
    """Route.BASE and DEFAULT_GATEWAY are where we point discord.py; fail loudly if they move."""
    from discord import gateway, http

    assert http.Route.BASE == "https://discord.com/api/v10"
    assert str(gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
    route = http.Route("GET", "/users/@me")
    assert route.url == "https://discord.com/api/v10/users/@me"
    assert http.INTERNAL_API_VERSION == 10


async def test_login_ready_and_sync_are_recorded(probe: Harness) -> None:
    paths = [(r.method, r.route) for r in probe.requests[:3]]
    assert paths == [
        ("GET", "GET /users/@me"),
        ("GET", "GET /oauth2/applications/@me"),
        ("PUT", "PUT /applications/{application_id}/commands"),
    ]
    assert probe.gateway.identifies == 1
    assert probe.bot.user.id == probe.state.bot_user.id
    assert probe.bot.get_guild(probe.guild.id) is not None
    synced = {c["name"] for c in probe.state.global_commands}
    assert {"ping", "lent", "vote", "proposer", "fruit"} <= synced
    assert [c.name for c in probe.record["synced"]] == [c["name"] for c in probe.requests[2].json]
    assert max(probe.start_to_ready) < 0.5


async def test_slash_reply_public_and_ephemeral(probe: Harness) -> None:
    reply = await probe.guild.slash(probe.alice, "ping")
    assert reply.content == "pong" and not reply.ephemeral
    assert probe.guild.default_channel.last_message is reply.message
    secret = await probe.guild.slash(probe.bob, "ping", secret=True)
    assert secret.ephemeral and secret.text == "pong"
    assert probe.guild.default_channel.last_message is reply.message  # ephemeral: not in channel


async def test_deferred_then_followups(probe: Harness) -> None:
    reply = await probe.guild.slash(probe.alice, "lent")
    assert reply.ephemeral and not reply.deferred
    assert reply.content == "fini"  # the first followup fills the "thinking" message
    assert [m.content for m in reply.followups] == ["et encore"]
    assert reply.text == "fini\net encore"


async def test_button_click_is_routed_to_the_view_and_modal_from_button(probe: Harness) -> None:
    reply = await probe.guild.slash(probe.alice, "vote")
    after = await reply.click("Pour", by=probe.bob)
    assert after.message is reply.message and reply.content == "Votes : 1"
    await reply.click("vote:pour", by=probe.carol)
    assert reply.content == "Votes : 2"
    details = await reply.click("Détails", by=probe.bob)
    assert details.modal is not None and details.modal["title"] == "Proposer"
    sent = await details.submit_modal({"Titre": "Pique-nique"}, by=probe.bob)
    assert sent.content == "Reçu : Pique-nique|"


async def test_modal_submit_and_autocomplete(probe: Harness) -> None:
    opened = await probe.guild.slash(probe.alice, "proposer")
    assert opened.modal is not None and opened.message is None
    with pytest.raises(ValueError, match="required"):
        await opened.submit_modal({"note": "x"}, by=probe.alice)
    done = await opened.submit_modal({"titre": "Apéro", "note": "vendredi"}, by=probe.alice)
    assert done.content == "Reçu : Apéro|vendredi"
    choices = await probe.guild.autocomplete(probe.alice, "fruit", nom="ci")
    assert choices == [{"name": "citron", "value": "citron"}]
    assert (await probe.guild.slash(probe.alice, "fruit", nom="poire")).content == "fruit poire"


async def test_gateway_reconnect_invalid_session_and_drop_lose_nothing(probe: Harness) -> None:
    await probe.gateway_reconnect()
    assert probe.gateway.resumes == 1
    assert (await probe.guild.slash(probe.alice, "ping")).content == "pong"
    await probe.drop_connection()
    assert probe.gateway.resumes == 2
    assert (await probe.guild.slash(probe.alice, "ping")).content == "pong"
    await probe.invalid_session()
    assert probe.gateway.identifies == 2
    assert (await probe.guild.slash(probe.alice, "ping")).content == "pong"


async def test_events_sent_while_disconnected_are_replayed_on_resume(probe: Harness) -> None:
    await probe.gateway.drop()
    reply = await probe.guild.slash(probe.alice, "ping")  # dispatched while the socket is down
    assert reply.content == "pong" and probe.gateway.resumes == 1


async def test_429_storm_and_global_limit_lose_no_reply(probe: Harness) -> None:
    probe.faults.rate_limit(times=3, retry_after=0.01, route=r"/callback$")
    probe.faults.rate_limit(times=2, retry_after=0.01, route=r"^/webhooks/", is_global=True)
    reply = await probe.guild.slash(probe.alice, "lent")
    assert reply.content == "fini" and [m.content for m in reply.followups] == ["et encore"]
    assert [s for *_, s in probe.faults.injected] == [429] * 5
    # the global limit (tiny here): discord.py cannot foresee it, gets 429 global, waits, retries
    probe.ratelimits.configure(global_per_second=1)
    reply = await probe.guild.slash(probe.alice, "poster", nonce="n-global", fois=2)
    assert reply.text == "ids 1"
    assert any(hit["global"] for hit in probe.ratelimits.hits)
    # a tight per-route bucket: discord.py reads the headers and paces itself
    probe.ratelimits.configure(route_limit=1, route_window=0.05, global_per_second=50)
    for word in ("un", "deux", "trois"):
        assert (await probe.guild.slash(probe.alice, "echo", texte=word)).content == "posté"
    contents = [m.content for m in probe.guild.default_channel.messages]
    assert contents == ["et encore", "annonce", "un", "deux", "trois"]


async def test_5xx_is_retried_by_discord_py(probe: Harness) -> None:
    probe.faults.http_error(502, times=1, route=r"^/channels/\d+/messages$", method="POST")
    reply = await probe.guild.slash(probe.alice, "echo", texte="malgré tout")
    assert reply.content == "posté"
    posts = probe.requests_to("POST", r"^/channels/\d+/messages$")
    assert [r.status for r in posts] == [502, 200]
    assert [m.content for m in probe.guild.default_channel.messages] == ["malgré tout"]


async def test_enforce_nonce_deduplicates(probe: Harness) -> None:
    reply = await probe.guild.slash(probe.alice, "poster", nonce="rappel-42", fois=3)
    assert reply.text == "ids 1"
    posted = [m for m in probe.guild.default_channel.messages if m.content == "annonce"]
    assert len(posted) == 1
    assert len(probe.requests_to("POST", r"^/channels/\d+/messages$")) == 3


async def test_dm_with_file_and_closed_dms(probe: Harness) -> None:
    reply = await probe.guild.slash(probe.alice, "mp", membre=probe.bob)
    assert reply.content == "envoyé"
    assert probe.bob.dms[0].content == "coucou"
    assert probe.bob.dms[0].attachments[0].text == "a;b\n1;2\n"
    closed = await probe.guild.add_member("eve", dms_open=False)
    reply = await probe.guild.slash(probe.alice, "mp", membre=closed)
    assert reply.content == "fermé 50007" and closed.dms == []


async def test_missing_permissions_give_discord_codes(probe: Harness) -> None:
    channel = probe.guild.default_channel
    bot_role = probe.guild.role("Passerelle")
    deny = {"id": str(bot_role.id), "type": 0, "allow": "0", "deny": str(P.SEND_MESSAGES)}
    await probe.set_overwrites(channel, [deny])
    reply = await probe.guild.slash(probe.alice, "echo", texte="x")
    assert reply.content == "refusé 50013"
    hide = {**deny, "deny": str(P.VIEW_CHANNEL)}
    await probe.set_overwrites(channel, [hide])
    reply = await probe.guild.slash(probe.alice, "echo", texte="x")
    assert reply.content == "refusé 50001"
    assert not [m for m in channel.messages if m.content == "x"]


async def test_threads_events_forum(probe: Harness) -> None:
    reply = await probe.guild.slash(probe.alice, "fil", membre=probe.bob)
    _, thread_id, event_id, post_id = reply.text.split()
    thread = probe.state.channels[int(thread_id)]
    assert thread.type == 12 and thread.archived and probe.bob.id in thread.member_ids
    assert thread.messages[0].content == f"Bienvenue <@{probe.bob.id}>"
    [event] = probe.guild.events
    assert str(event.id) == event_id and event.name == "Atelier (déplacé)"
    post = probe.state.channels[int(post_id)]
    assert post.parent_id == probe.guild.channel("entraide").id
    assert post.messages[0].content == "Bonjour"


async def test_restart_and_crash_reconnect_to_the_same_server(probe: Harness) -> None:
    await probe.restart()
    assert probe.gateway.identifies == 2
    assert (await probe.guild.slash(probe.alice, "ping")).content == "pong"
    await probe.crash()
    assert probe.gateway.identifies == 3
    assert (await probe.guild.slash(probe.alice, "ping")).content == "pong"


async def test_openapi_violation_fails_the_test(probe: Harness) -> None:
    if load_spec() is None:
        pytest.skip("Discord's OpenAPI description is absent here (CI requires it)")
    channel = probe.guild.default_channel
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    await probe.bot.http.request(route, json={"content": "x", "allowed_mentions": {}, "tts": "oui"})
    assert any("tts" in v for v in probe.violations), probe.violations
    with pytest.raises(AssertionError, match="violating Discord's API"):
        probe.check()
    probe.violations.clear()
    # and straight through the validator: extra rules the description cannot express
    problems = validate_request(
        "PUT",
        path="/applications/1/commands",
        query={},
        content_type="application/json",
        body=[{"name": "Mauvais Nom", "description": "d" * 101}],
        file_fields=[],
    )
    assert any("lowercase" in p for p in problems) and any("1..100" in p for p in problems)


async def test_rate_limit_headers_and_raw_edge(probe: Harness) -> None:
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bot {probe.state.token}"}
        async with session.get(probe.server.api_base + "/users/@me", headers=headers) as resp:
            assert resp.headers["Content-Type"] == "application/json"
            assert int(resp.headers["X-RateLimit-Limit"]) >= 1
            assert {"X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After"} <= set(
                resp.headers
            )
            assert "X-RateLimit-Bucket" in resp.headers
        async with session.get(probe.server.api_base + "/users/@me") as resp:
            assert resp.status == 401
        async with session.get(probe.server.api_base + "/channels/1", headers=headers) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 10003
        probe.ratelimits.configure(route_limit=1, route_window=5)
        await session.get(probe.server.api_base + "/users/@me", headers=headers)
        async with session.get(probe.server.api_base + "/users/@me", headers=headers) as resp:
            assert resp.status == 429 and (await resp.json())["retry_after"] > 0
    started = time.perf_counter()
    await probe.idle()
    assert time.perf_counter() - started < 0.5


def test_missing_spec_fails_in_ci_and_warns_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from discord_server import validation

    saved = dict(validation._CACHE)
    validation._CACHE.clear()
    monkeypatch.setenv("DISCORD_OPENAPI_SPEC", str(tmp_path / "absent.json"))
    try:
        monkeypatch.setenv("CI", "true")
        with pytest.raises(validation.SpecMissingError):
            validation.load_spec()
        monkeypatch.delenv("CI")
        with pytest.warns(UserWarning, match="not validating"):
            assert validation.load_spec() is None
        assert validation.load_spec() is None  # warned once only
    finally:
        validation._CACHE.clear()
        validation._CACHE.update(saved)
