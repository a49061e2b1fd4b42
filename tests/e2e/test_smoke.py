"""Passerelle itself, started as in production, against the loopback Discord."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from discord_server import Harness


# How fast it starts is a benchmark's figure (bench/startup.py), never a test's assertion.
async def test_starts_and_syncs_what_the_cli_prints(
    world: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    assert [r.route for r in world.requests[:2]] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
    ]
    [sync] = world.requests_to("PUT", r"^/applications/\d+/commands$")
    assert sync.status == 200 and sync.json
    # the same function the CLI uses …
    assert sync.json == await world.bot.command_payload()
    # … and the CLI itself (`python -m bot commands --json`), on another database
    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    monkeypatch.chdir(tmp_path)  # no .env here
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["commands", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.dumps(sync.json, sort_keys=True) == json.dumps(printed, sort_keys=True)
    assert {c["name"] for c in world.state.global_commands} == {c["name"] for c in printed}


async def test_restart_does_not_resync_unchanged_commands(world: Harness) -> None:
    await world.restart()
    assert len(world.requests_to("PUT", r"/commands$")) == 1
    assert world.gateway.identifies == 2


async def test_config_voir_is_ephemeral_in_french(world: Harness) -> None:
    reply = await world.guild.slash(world.alice, "config voir")
    assert reply.ephemeral
    assert "Europe/Paris" in reply.text


async def test_member_cannot_use_moderator_command(world: Harness) -> None:
    reply = await world.guild.slash(world.bob, "config voir")
    assert reply.ephemeral
    assert "Europe/Paris" not in reply.text


async def test_timezone_autocomplete(world: Harness) -> None:
    choices = await world.guild.autocomplete(world.alice, "config fuseau", zone="Montr")
    assert any(c["value"] == "America/Montreal" for c in choices), choices


async def test_scheduled_announcement_is_posted_when_due(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    reply = await world.guild.slash(
        world.alice, "annonce programmer", salon=annonces, quand="demain 10h", texte="Bonjour !"
    )
    assert reply.ephemeral, reply.text
    assert annonces.messages == []
    await world.advance(hours=12)
    assert annonces.messages == []
    await world.advance(hours=12)  # "demain 10h" Paris: 24 h after the start
    [posted] = annonces.messages
    assert posted.content == "Bonjour !"
    posts = world.requests_to("POST", rf"^/channels/{annonces.id}/messages$")
    assert posts[0].json["allowed_mentions"] is not None and posts[0].json.get("nonce")
    await world.advance(hours=1)
    assert len(annonces.messages) == 1  # exactly once
