"""The loopback Discord itself, driven by unchanged discord.py clients (small probe bots from
server_probes.py), raw HTTP and raw websockets where a "naive" client is the point.

The probe bots are test scaffolding for the server, not Passerelle: Passerelle's own journeys
live in the other e2e tests. No test here asserts elapsed time: rate limits are checked on what
the server counted, answered and recorded (headers, 429s, buckets).
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
import pytest
from discord import ChannelType
from discord_server import Harness
from discord_server import permissions as P
from discord_server import ratelimit as RL
from discord_server.driver import DiscordRefusal
from discord_server.gateway import GUILD_MEMBERS
from discord_server.process import spawn_probe, spawn_server
from discord_server.seed import seed_guild
from discord_server.validation import load_spec, validate_request
from server_probes import probe_factory, sharded_factory


@pytest.fixture
async def probe(harness_for: Callable[..., Any]) -> Any:
    record: dict[str, Any] = {}
    async with harness_for(probe_factory(record)) as world:
        world.record = record
        yield world


def auth(world: Harness) -> dict[str, str]:
    return {"Authorization": f"Bot {world.state.token}"}


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
    assert thread.type is ChannelType.private_thread and thread.archived
    assert probe.bob.id in thread.member_ids
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


# --- rate limits ------------------------------------------------------------------------------
# Sequences of raw requests asserting where the 429 falls run with Discord's real windows
# (they never wait), so a slow machine cannot stretch them over a window.
REAL_WINDOWS = pytest.mark.time_scale(1)


async def test_faults_still_force_429s_and_discord_py_retries(probe: Harness) -> None:
    probe.faults.rate_limit(times=3, retry_after=0.01, route=r"/callback$")
    probe.faults.rate_limit(times=2, retry_after=0.01, route=r"^/webhooks/", is_global=True)
    reply = await probe.guild.slash(probe.alice, "lent")
    assert reply.content == "fini" and [m.content for m in reply.followups] == ["et encore"]
    assert [s for *_, s in probe.faults.injected] == [429] * 5
    assert probe.ratelimits.hits == []  # forced by faults, not by a limit


@REAL_WINDOWS
async def test_a_naive_client_hits_the_per_channel_send_limit_with_discord_s_answer(
    probe: Harness,
) -> None:
    channel = probe.guild.default_channel
    url = f"{probe.server.api_base}/channels/{channel.id}/messages"
    body = {"content": "x", "allowed_mentions": {"parse": []}}
    async with aiohttp.ClientSession(headers=auth(probe)) as session:
        answers = []
        for _ in range(6):  # one more than the bucket, without reading a header
            async with session.post(url, json=body) as resp:
                answers.append((resp.status, dict(resp.headers), await resp.json()))
    statuses = [status for status, *_ in answers]
    assert statuses == [200] * 5 + [429]
    _, first, _ = answers[0]
    assert first["X-RateLimit-Limit"] == "5" and first["X-RateLimit-Remaining"] == "4"
    assert first["X-RateLimit-Bucket"] == RL.bucket_hash("message-create")
    window = 5.0 * probe.ratelimits.time_scale
    assert 0 < float(first["X-RateLimit-Reset-After"]) <= window
    assert "X-RateLimit-Scope" not in first  # only on a 429
    _, limited, payload = answers[-1]
    assert limited["X-RateLimit-Remaining"] == "0" and limited["X-RateLimit-Scope"] == "user"
    assert payload["message"] == "You are being rate limited." and payload["global"] is False
    assert 0 < payload["retry_after"] <= window
    assert limited["Retry-After"] == str(math.ceil(payload["retry_after"]))  # whole seconds
    assert limited["Via"]  # discord.py takes a 429 without it for a Cloudflare ban
    [hit] = probe.ratelimits.hits
    assert (hit.route, hit.major, hit.scope) == (
        RL.MESSAGE_CREATE,
        f"channel_id={channel.id}",
        "user",
    )
    assert len(channel.messages) == 5


@pytest.mark.time_scale(0.2)  # 1 s windows: discord.py waits twice
async def test_discord_py_honours_the_headers_so_a_busy_channel_gets_no_429(
    probe: Harness,
) -> None:
    channel = probe.guild.default_channel
    partial = probe.bot.get_partial_messageable(channel.id, guild_id=probe.guild.id)
    sends = [partial.send(f"message {i}") for i in range(12)]  # all at once, one channel
    await probe.in_bot(lambda: asyncio.gather(*sends))
    assert [m.content for m in channel.messages] == [f"message {i}" for i in range(12)]
    assert probe.ratelimits.hits == []  # discord.py waited on X-RateLimit-Remaining: 0
    posts = probe.requests_to("POST", rf"^/channels/{channel.id}/messages$")
    assert len(posts) == 12 and {p.bucket for p in posts} == {"message-create"}
    remaining = [p.headers["X-RateLimit-Remaining"] for p in posts]
    assert remaining[:5] == ["4", "3", "2", "1", "0"]  # the first window, filled
    assert remaining.count("0") >= 2  # … and filled again: discord.py waited for the reset


@pytest.mark.time_scale(0.2)
async def test_edits_have_their_own_per_channel_bucket(probe: Harness) -> None:
    reply = await probe.guild.slash(probe.alice, "vote")
    channel = probe.guild.default_channel
    message = probe.bot.get_partial_messageable(channel.id).get_partial_message(reply.message.id)
    other = await probe.add_channel("autre")
    elsewhere = probe.bot.get_partial_messageable(other.id)
    edits = [message.edit(content=f"Votes : {i}") for i in range(7)]
    sends = [elsewhere.send(f"ailleurs {i}") for i in range(5)]
    await probe.in_bot(lambda: asyncio.gather(*edits, *sends))
    assert probe.ratelimits.hits == []
    patches = probe.requests_to("PATCH", rf"^/channels/{channel.id}/messages/\d+$")
    assert {p.bucket for p in patches} == {"message-edit"}
    assert [p.headers["X-RateLimit-Remaining"] for p in patches[:5]] == ["4", "3", "2", "1", "0"]
    assert {p.headers["X-RateLimit-Bucket"] for p in patches} != {
        p.headers["X-RateLimit-Bucket"] for p in probe.requests_to("POST", r"/messages$")
    }
    # a different channel has its own send bucket: five sends there, none waited on edits
    assert len(other.messages) == 5


@REAL_WINDOWS
async def test_interaction_endpoints_are_outside_the_global_limit(probe: Harness) -> None:
    probe.ratelimits.configure(global_per_second=2)
    for _ in range(4):  # four callbacks: twice the (tiny) global limit
        assert (await probe.guild.slash(probe.alice, "ping")).content == "pong"
    reply = await probe.guild.slash(probe.alice, "lent")  # callback + two followups
    assert reply.text == "fini\net encore"
    assert probe.ratelimits.hits == []
    callbacks = probe.requests_to("POST", r"^/interactions/\d+/[^/]+/callback$")
    followups = probe.requests_to("POST", r"^/webhooks/\d+/[^/]+$")
    assert len(callbacks) == 5 and len(followups) == 2
    assert not any(r.counted_global for r in callbacks + followups)
    assert {r.bucket for r in callbacks} == {"interaction-callback"}
    assert {r.bucket for r in followups} == {"interaction-webhook"}
    # what the bot does on its own token is counted: a third request in the window is refused
    async with aiohttp.ClientSession(headers=auth(probe)) as session:
        statuses = []
        for _ in range(3):
            async with session.get(probe.server.api_base + "/users/@me") as resp:
                statuses.append((resp.status, resp.headers.get("X-RateLimit-Scope")))
                body = await resp.json()
    assert statuses[:2] == [(200, None), (200, None)] and statuses[2] == (429, "global")
    assert body["global"] is True and probe.ratelimits.hits[-1].is_global


@REAL_WINDOWS
async def test_dm_channel_creation_and_thread_adds_are_limited(probe: Harness) -> None:
    users = [await probe.guild.add_member(f"membre{i}") for i in range(6)]
    thread = probe.state.add_channel(
        probe.guild.state,
        "fil",
        type=ChannelType.public_thread,
        parent_id=probe.guild.default_channel.id,
    )
    async with aiohttp.ClientSession(headers=auth(probe)) as session:
        dms = []
        for user in users:  # six different recipients: one bucket for the bot
            url = probe.server.api_base + "/users/@me/channels"
            async with session.post(url, json={"recipient_id": str(user.id)}) as resp:
                dms.append(resp.status)
        adds = []
        for user in users:  # six adds to one thread
            url = f"{probe.server.api_base}/channels/{thread.id}/thread-members/{user.id}"
            async with session.put(url) as resp:
                adds.append(resp.status)
    assert dms == [200] * 5 + [429] and adds == [204] * 5 + [429]
    buckets = [(h.bucket, h.major) for h in probe.ratelimits.hits]
    assert buckets == [("dm-create", ""), ("thread-member-add", f"channel_id={thread.id}")]


async def test_a_channel_rename_is_a_sub_limit_of_two_per_ten_minutes(probe: Harness) -> None:
    await manage_channels(probe)
    channel = probe.guild.channel("annonces")
    url = f"{probe.server.api_base}/channels/{channel.id}"
    async with aiohttp.ClientSession(headers=auth(probe)) as session:
        answers = []
        for body in ({"name": "a"}, {"topic": "b"}, {"name": "c"}, {"position": 3}):
            async with session.patch(url, json=body) as resp:
                answers.append((resp.status, resp.headers.get("X-RateLimit-Remaining")))
    assert [s for s, _ in answers] == [200, 200, 429, 200]  # the position is not a rename
    assert int(answers[2][1]) > 0  # the route bucket is not empty: discord.py's "sub-limit"
    assert channel.name == "a" and channel.position == 3
    assert probe.ratelimits.hits[-1].bucket == "channel-rename"


async def test_too_many_invalid_requests_get_the_cloudflare_ban(probe: Harness) -> None:
    probe.ratelimits.invalid_limit = 3
    async with aiohttp.ClientSession() as session:
        for _ in range(3):  # no token: 401, counted as invalid
            async with session.get(probe.server.api_base + "/users/@me") as resp:
                assert resp.status == 401
        async with session.get(probe.server.api_base + "/users/@me", headers=auth(probe)) as resp:
            assert resp.status == 429 and "Via" not in resp.headers
            assert resp.content_type != "application/json"
    probe.ratelimits.invalid.clear()


async def test_rate_limit_headers_and_raw_edge(probe: Harness) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(probe.server.api_base + "/users/@me", headers=auth(probe)) as resp:
            assert resp.headers["Content-Type"] == "application/json"
            assert int(resp.headers["X-RateLimit-Limit"]) >= 1
            assert {"X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Reset-After"} <= set(
                resp.headers
            )
            assert "X-RateLimit-Bucket" in resp.headers
        async with session.get(probe.server.api_base + "/users/@me") as resp:
            assert resp.status == 401
        async with session.get(probe.server.api_base + "/channels/1", headers=auth(probe)) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 10003
        probe.ratelimits.configure(route="GET /users/@me", limit=1, window=100)
        await session.get(probe.server.api_base + "/users/@me", headers=auth(probe))
        async with session.get(probe.server.api_base + "/users/@me", headers=auth(probe)) as resp:
            assert resp.status == 429 and (await resp.json())["retry_after"] > 0


# --- forums and media channels ----------------------------------------------------------------
TAGS = ["Stage", "Emploi", "Remplacement"]


async def manage_channels(probe: Harness) -> None:
    """The bot's role gets Manage Channels (maintaining a forum's tags needs it)."""
    bot_role = probe.guild.role("Passerelle")
    await probe.set_role_permissions(bot_role, P.BOT_DEFAULT | P.MANAGE_CHANNELS)


async def forum_with_tags(probe: Harness, kind: ChannelType = ChannelType.forum) -> Any:
    await manage_channels(probe)
    forum = await probe.add_channel("offres", type=kind)
    bot_forum = probe.bot.get_channel(forum.id)
    tags = [discord.ForumTag(name=n) for n in TAGS] + [
        discord.ForumTag(name="Épinglé", moderated=True, emoji="📌")
    ]
    await probe.in_bot(lambda: bot_forum.edit(available_tags=tags))
    return forum, probe.bot.get_channel(forum.id)


async def test_forum_post_with_tags_then_closed_archived_locked(probe: Harness) -> None:
    forum, bot_forum = await forum_with_tags(probe)
    assert forum.tags == [*TAGS, "Épinglé"] and forum.tag("Épinglé").moderated
    assert forum.tag("Épinglé").emoji_name == "📌"
    stage = bot_forum.get_tag(forum.tag("Stage").id)
    created = await probe.in_bot(
        lambda: bot_forum.create_thread(
            name="Éducateur spécialisé — Lyon",
            content="Stage de 6 mois",
            applied_tags=[stage],
            auto_archive_duration=10080,
        )
    )
    [post] = forum.posts
    assert post.id == created.thread.id == post.starter_message.id
    assert post.title == "Éducateur spécialisé — Lyon" and post.tags == ["Stage"]
    assert post.starter_message.content == "Stage de 6 mois"
    assert ("thread", post.id) in probe.record["events"]  # THREAD_CREATE, newly_created
    # members write in it; a message straight into the forum is refused
    await probe.guild.post(probe.bob, post, "Intéressé !")
    with pytest.raises(DiscordRefusal, match="40058"):
        await probe.guild.post(probe.bob, forum, "hors post")
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(lambda: probe.bot.get_partial_messageable(forum.id).send("hors"))
    assert refused.value.code == 40058
    # closed: renamed, archived and locked in one edit
    thread = probe.bot.get_channel(post.id)
    await probe.in_bot(
        lambda: thread.edit(
            name="[Clôturée] Éducateur spécialisé — Lyon", archived=True, locked=True
        )
    )
    assert post.archived and post.locked and post.title.startswith("[Clôturée]")
    assert post not in probe.guild.state.threads()  # not active any more
    with pytest.raises(DiscordRefusal, match="50083"):
        await probe.guild.post(probe.bob, post, "encore ?")  # locked: members cannot reopen it
    archived = await probe.in_bot(lambda: _collect(bot_forum.archived_threads()))
    assert [t.id for t in archived] == [post.id]
    # an archived thread is edited only by reopening it in the same request
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(lambda: thread.edit(name="autre"))
    assert refused.value.code == 50083
    await probe.in_bot(lambda: thread.edit(archived=False))
    assert not post.archived and post.locked
    with pytest.raises(DiscordRefusal, match="160005"):
        await probe.guild.post(probe.bob, post, "encore ?")  # locked, even when open
    await probe.guild.post(probe.alice, post, "Modération : pourvue.")  # Manage Threads may
    active = await probe.in_bot(lambda: probe.bot.get_guild(probe.guild.id).active_threads())
    assert post.id in [t.id for t in active]


async def _collect(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


async def test_forum_limits_are_refused_as_discord_does(probe: Harness) -> None:
    forum, bot_forum = await forum_with_tags(probe)
    too_many = [discord.ForumTag(name=f"tag {i}") for i in range(21)]
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(lambda: bot_forum.edit(available_tags=too_many))
    assert refused.value.status == 400 and refused.value.code == 50035
    assert "available_tags" in str(refused.value)
    # (the description's body is an anyOf of partial bodies: it cannot tell; the server does)
    long_name = [discord.ForumTag(name="x" * 21)]  # the description allows 50, Discord 20
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(lambda: bot_forum.edit(available_tags=long_name))
    assert refused.value.code == 50035 and probe.violations == []
    twice = [discord.ForumTag(name="Stage"), discord.ForumTag(name="Stage")]
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(lambda: bot_forum.edit(available_tags=twice))
    assert refused.value.code == 40061
    assert forum.tags == [*TAGS, "Épinglé"]  # nothing changed
    six = [discord.Object(t.id) for t in forum.available_tags] + [discord.Object(1)]
    route = discord.http.Route("POST", "/channels/{channel_id}/threads", channel_id=forum.id)
    post = {"name": "x", "message": {"content": "y", "allowed_mentions": {}}}
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(
            lambda: probe.bot.http.request(
                route, json={**post, "applied_tags": [str(t.id) for t in six]}
            )
        )
    assert refused.value.code == 50035  # at most 5
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(
            lambda: probe.bot.http.request(route, json={**post, "applied_tags": ["1"]})
        )
    assert refused.value.code == 50035  # not a tag of this forum
    await probe.edit_channel(forum, flags=discord.ChannelFlags(require_tag=True).value)
    with pytest.raises(discord.HTTPException) as refused:
        await probe.in_bot(lambda: probe.bot.http.request(route, json=post))
    assert refused.value.code == 40067
    assert forum.posts == []


async def test_moderated_tags_need_manage_threads(probe: Harness) -> None:
    forum, bot_forum = await forum_with_tags(probe)
    bot_role = probe.guild.role("Passerelle")
    await probe.set_role_permissions(
        bot_role, P.BOT_DEFAULT & ~P.MANAGE_THREADS
    )  # no Manage Channels
    pinned = bot_forum.get_tag(forum.tag("Épinglé").id)
    with pytest.raises(discord.Forbidden):
        await probe.in_bot(
            lambda: bot_forum.create_thread(name="x", content="y", applied_tags=[pinned])
        )
    stage = bot_forum.get_tag(forum.tag("Stage").id)
    await probe.in_bot(lambda: bot_forum.create_thread(name="x", content="y", applied_tags=[stage]))
    [post] = forum.posts
    thread = probe.bot.get_channel(post.id)
    with pytest.raises(discord.Forbidden):
        await probe.in_bot(lambda: thread.edit(locked=True))
    assert not post.locked


async def test_media_channels_and_member_posts(probe: Harness) -> None:
    media, bot_media = await forum_with_tags(probe, ChannelType.media)
    assert media.type is ChannelType.media and isinstance(bot_media, discord.ForumChannel)
    emploi = bot_media.get_tag(media.tag("Emploi").id)
    await probe.in_bot(
        lambda: bot_media.create_thread(name="Poste", content="CDI", applied_tags=[emploi])
    )
    post = await probe.guild.create_post(
        probe.bob, media, "Question", "Qui recrute ?", tags=["Stage"]
    )
    assert [p.title for p in media.posts] == ["Poste", "Question"] and post.tags == ["Stage"]
    assert post.owner_id == probe.bob.id and ("thread", post.id) in probe.record["events"]
    assert probe.bot.get_channel(post.id).applied_tags[0].name == "Stage"
    await probe.edit_channel(post, archived=True)  # a moderator archives it by hand
    await probe.guild.post(probe.bob, post, "Toujours ?")  # a message reopens an unlocked post
    assert not post.archived
    with pytest.raises(DiscordRefusal):
        await probe.guild.create_post(probe.bob, media, "Épingle", "…", tags=["Épinglé"])


# --- shards -----------------------------------------------------------------------------------
async def test_an_autosharded_client_gets_each_guild_on_its_shard(
    harness_for: Callable[..., Any],
) -> None:
    record: dict[str, Any] = {}
    added: dict[int, Any] = {}

    def seed(world: Harness) -> None:
        world.gateway.recommended_shards = 2  # what GET /gateway/bot answers
        other = 1 - world.guild.shard_of(2)
        seeded = seed_guild(world.state, "Montréal", shard=(other, 2), members=[world.bob])
        added[other] = seeded.guild
        added[world.guild.shard_of(2)] = world.guild.state

    async with harness_for(sharded_factory(record), before_start=seed) as world:
        assert [r.route for r in world.requests if "gateway" in r.route] == ["GET /gateway/bot"]
        assert sorted(world.bot.shards) == [0, 1]
        sessions = {s.shard: s for s in world.gateway.active.values()}
        assert sorted(sessions) == [(0, 2), (1, 2)]
        for shard_id, guild in added.items():
            ready = json.loads(sessions[(shard_id, 2)].sent[0][1])["d"]
            assert ready["shard"] == [shard_id, 2]
            assert [g["id"] for g in ready["guilds"]] == [str(guild.id)]  # only its own
        for shard_id, guild in added.items():
            handle = next(g for g in world.guilds if g.id == guild.id)
            channel = handle.default_channel
            reply = await handle.slash(world.bob, "ping", channel=channel)
            assert reply.content == f"pong {shard_id}"
            assert sessions[(shard_id, 2)].events.count("INTERACTION_CREATE") == 1
        dm = await world.dm_slash(world.bob, "ping")
        assert dm.content == "pong dm"
        assert sessions[(0, 2)].events.count("INTERACTION_CREATE") == 2  # DMs go to shard 0
        # a guild joined later reaches only its shard
        late = await world.add_guild("Bruxelles", shard=(1, 2), members=[world.bob])
        assert world.bot.get_guild(late.id).shard_id == 1
        assert sessions[(1, 2)].events.count("GUILD_CREATE") == 2
        assert sessions[(0, 2)].events.count("GUILD_CREATE") == 1
        await world.drop_connection(shard=1)  # one shard drops and resumes, the other is untouched
        assert world.gateway.resumes == 1
        assert (await late.slash(world.bob, "ping")).content == "pong 1"


async def raw_identify(world: Harness, **fields: Any) -> int | None:
    """IDENTIFY over a raw websocket; the close code if the gateway closed it, else None."""
    data = {"token": world.state.token, "intents": discord.Intents.default().value, **fields}
    data["properties"] = {"os": "linux", "browser": "test", "device": "test"}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(world.server.gateway_url) as ws,
    ):
        await ws.receive_json()  # HELLO
        await ws.send_json({"op": 2, "d": data})
        msg = await ws.receive()
        if msg.type == aiohttp.WSMsgType.TEXT:
            assert json.loads(msg.data)["t"] == "READY"
            return None
        return ws.close_code


async def test_invalid_shards_and_disallowed_intents_are_refused_with_close_codes(
    probe: Harness,
) -> None:
    assert await raw_identify(probe, shard=[2, 2]) == 4010  # Invalid shard
    assert await raw_identify(probe, shard=[-1, 2]) == 4010
    assert await raw_identify(probe, shard=[1, 2]) is None
    probe.gateway.max_guilds_per_shard = 0  # every session would hold too many guilds
    on_one = 0 if probe.guild.shard_of(2) == 0 else 1
    assert await raw_identify(probe, shard=[on_one, 2]) == 4011  # Sharding required
    probe.gateway.max_guilds_per_shard = 2500
    members = discord.Intents.default().value | GUILD_MEMBERS
    assert await raw_identify(probe, intents=members) == 4014  # not enabled for the app
    assert await raw_identify(probe, intents=1 << 30) == 4013
    probe.state.privileged_intents = GUILD_MEMBERS
    assert await raw_identify(probe, intents=members) is None
    assert probe.gateway.closed == [4010, 4010, 4011, 4014, 4013]
    gateway_bot = await probe.in_bot(probe.bot.http.get_bot_gateway)
    shards, url, limits = gateway_bot
    assert shards == 1 and url == probe.server.gateway_url
    assert limits["max_concurrency"] == 1 and limits["total"] == 1000
    assert limits["remaining"] == 1000 - probe.gateway.identifies


async def test_two_processes_with_one_shard_each_receive_only_their_guilds() -> None:
    seed = [
        {"name": "Lyon", "shard": [0, 2], "members": [{"username": "alice"}]},
        {"name": "Montréal", "shard": [1, 2], "members": [{"username": "bob"}]},
    ]
    server = await spawn_server(seed=seed, time_scale=0.05)
    procs = []
    try:
        lyon, montreal = server.guilds
        first, seen0 = await spawn_probe(server, [0], 2, sync=True)
        procs.append(first)
        second, seen1 = await spawn_probe(server, [1], 2)
        procs.append(second)
        assert seen0 == {"shards": [0], "guilds": [lyon["id"]]}
        assert seen1 == {"shards": [1], "guilds": [montreal["id"]]}
        for guild, shard in ((lyon, 0), (montreal, 1)):
            user = next(iter(guild["members"].values()))
            reply = await server.slash(guild["channels"]["général"], user, "ping")
            assert reply["content"] == f"pong {shard}"
        later = await server.add_guild({"name": "Genève", "shard": [1, 2]})
        gateway = await server.gateway()
        by_shard = {tuple(s["shard"]): s for s in gateway["sessions"] if s["active"]}
        assert by_shard[(0, 2)]["guilds"] == [lyon["id"]]
        assert by_shard[(1, 2)]["guilds"] == sorted([montreal["id"], later["id"]])
        assert by_shard[(0, 2)]["events"].count("INTERACTION_CREATE") == 1
        messages = await server.messages(montreal["channels"]["général"])
        assert [m["content"] for m in messages] == ["pong 1"]
    finally:
        for proc in procs:
            proc.terminate()
            await proc.wait()
        await server.stop()


# --- members and intents ----------------------------------------------------------------------
async def test_a_member_who_left_is_unknown_and_cannot_interact(probe: Harness) -> None:
    eve = await probe.guild.add_member("eve")
    guild = probe.bot.get_guild(probe.guild.id)
    assert (await probe.in_bot(lambda: guild.fetch_member(eve.id))).id == eve.id
    await probe.guild.remove_member(eve)
    with pytest.raises(discord.NotFound) as unknown:
        await probe.in_bot(lambda: guild.fetch_member(eve.id))
    assert unknown.value.code == 10007
    with pytest.raises(LookupError, match="not a member"):
        await probe.guild.slash(eve, "ping")
    reply = await probe.guild.slash(probe.alice, "mp", membre=eve)
    assert reply.content == "fermé 50007"  # no guild in common with the bot any more
    user = await probe.in_bot(lambda: probe.bot.fetch_user(eve.id))
    assert user.name == "eve" and user.global_name == "Eve"


async def test_without_the_members_intent_no_member_events(probe: Harness) -> None:
    eve = await probe.guild.add_member("eve")
    await probe.guild.set_roles(eve, [probe.mod_role])
    await probe.guild.remove_member(eve)
    session = probe.gateway.current
    assert not {"GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE"} & set(
        session.events
    )
    assert probe.record["events"] == []
    with pytest.raises(discord.Forbidden):  # List Guild Members needs the privileged intent
        await probe.in_bot(lambda: probe.bot.http.get_members(probe.guild.id, 10, None))


async def test_with_the_members_intent_member_events_arrive(
    harness_for: Callable[..., Any],
) -> None:
    record: dict[str, Any] = {}
    factory = probe_factory(record, members_intent=True)
    async with harness_for(factory, privileged_intents=GUILD_MEMBERS) as world:
        eve = await world.guild.add_member("eve")
        await world.guild.set_roles(eve, [world.mod_role])
        await world.guild.remove_member(eve)
        kinds = [kind for kind, user in record["events"] if user == eve.id]
        assert sorted(kinds) == ["join", "raw_remove", "remove", "update"]
        guild = world.bot.get_guild(world.guild.id)
        members = await world.in_bot(lambda: _collect(guild.fetch_members(limit=10)))
        assert {m.name for m in members} >= {"alice", "bob", "carol"}


async def test_roles_nicknames_display_names_and_search(probe: Harness) -> None:
    caro = await probe.guild.add_member("caroline", global_name="Caro D.")
    assert (await probe.guild.slash(caro, "qui")).content == "Caro D."
    await probe.guild.set_nick(caro, "Caro (Montréal)")
    assert (await probe.guild.slash(caro, "qui")).content == "Caro (Montréal)"
    assert probe.guild.member(caro).display_name == "Caro (Montréal)"
    await probe.guild.set_roles(caro, [probe.mod_role])
    assert probe.guild.member(caro).role_ids == [probe.mod_role.id]
    route = discord.http.Route("GET", "/guilds/{guild_id}/members/search", guild_id=probe.guild.id)
    found = await probe.in_bot(
        lambda: probe.bot.http.request(route, params={"query": "car", "limit": 10})
    )
    assert sorted(m["user"]["username"] for m in found) == ["carol", "caroline"]
    found = await probe.in_bot(
        lambda: probe.bot.http.request(route, params={"query": "caro (", "limit": 10})
    )
    assert [m["nick"] for m in found] == ["Caro (Montréal)"]  # nicknames match too
    # the bot changes roles itself: Manage Roles and below its own highest role
    guild = probe.bot.get_guild(probe.guild.id)
    low = probe.state.add_role(probe.guild.state, "Mentor")
    low.position = 0
    member = await probe.in_bot(lambda: guild.fetch_member(caro.id))
    await probe.in_bot(lambda: member.add_roles(discord.Object(low.id)))
    assert low.id in probe.guild.member(caro).role_ids
    with pytest.raises(discord.Forbidden):  # « Modération » is above the bot's role
        await probe.in_bot(lambda: member.remove_roles(discord.Object(probe.mod_role.id)))


async def test_an_answer_after_the_interaction_deadline_is_refused(probe: Harness) -> None:
    probe.state.interaction_deadline = 0.0  # every answer is late (Discord waits 3 s)
    reply = await probe.guild.slash(probe.alice, "ping")
    assert not reply.answered and reply.interaction.late_by is not None
    [callback] = probe.requests_to("POST", r"/callback$")
    assert callback.status == 404
    errors = [str(r.exc_info[1]) for r in probe.bot_errors if r.exc_info]
    assert any("10062" in e for e in errors)  # discord.py raised NotFound in the command
    probe.bot_errors.clear()
