"""The web side end to end: links from /agenda, feeds over HTTP, health, metrics, security.

The bot runs with WEB_PORT=0 (a free port); requests go to it over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from discord_server import Harness
from discord_server.idle import wait_until
from web_support import get, metric, token_in

from bot.__main__ import _health as health_command
from bot.agenda import Agenda, Window
from bot.web import WebServer, WebStartError


async def _server_token(world: Harness) -> str:
    reply = await world.guild.slash(world.alice, "agenda lien")
    assert reply.ephemeral
    return token_in(reply.text)


# -- health -------------------------------------------------------------------------------------
async def test_healthz_answers_200_with_every_check(web_world: Harness) -> None:
    status, headers, body = await get(web_world, "/healthz")
    assert status == 200, body
    data = json.loads(body)
    assert data["status"] == "ok"
    assert data["checks"] == {"database": "ok", "gateway": "ok", "engine": "ok"}
    assert headers["Cache-Control"] == "no-store"


async def test_healthz_answers_503_naming_the_gateway_while_it_is_down(
    web_world: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    gateway = web_world.server.gateway
    gate = asyncio.Event()
    resume = gateway._resume

    async def held(conn: Any, data: Any) -> None:  # Discord slow to take the RESUME back
        await gate.wait()
        await resume(conn, data)

    monkeypatch.setattr(gateway, "_resume", held)
    await gateway.drop()
    state = web_world.bot.gateway_state
    await wait_until(lambda: not state.connected, lambda: "still connected", 10)

    status, _, body = await get(web_world, "/healthz")
    assert status == 503, body
    data = json.loads(body)
    assert data["status"] == "unhealthy" and data["failing"] == ["gateway"]
    assert data["checks"]["database"] == "ok" and data["checks"]["engine"] == "ok"

    gate.set()
    await web_world.idle()  # resumed
    status, _, body = await get(web_world, "/healthz")
    assert status == 200, body


async def test_python_m_bot_health_asks_the_running_bot(web_world: Harness) -> None:
    """What Docker's HEALTHCHECK runs: 0 when /healthz says 200, 1 otherwise."""
    running = replace(web_world.bot.settings, web_port=web_world.bot.web.port)
    assert await asyncio.to_thread(health_command, running) == 0
    assert await asyncio.to_thread(health_command, replace(running, web_port=None)) == 1
    closed = replace(running, web_port=1)  # nothing listens there
    assert await asyncio.to_thread(health_command, closed) == 1


async def test_a_taken_port_is_one_clear_sentence(web_world: Harness) -> None:
    server = WebServer(web_world.bot.web.ctx, host="127.0.0.1", port=web_world.bot.web.port)
    with pytest.raises(WebStartError, match="WEB_HOST/WEB_PORT"):
        await server.start()


async def test_healthz_answers_503_when_the_engine_lags(web_world: Harness) -> None:
    annonces = web_world.guild.channel("annonces")
    await web_world.guild.slash(
        web_world.alice, "annonce programmer", salon=annonces, quand="demain 10h", texte="Hop"
    )
    # The clock moves past the due time by two minutes and nothing runs the engine.
    web_world.clock.advance(timedelta(hours=24, minutes=2))
    status, _, body = await get(web_world, "/healthz")
    assert status == 503 and json.loads(body)["failing"] == ["engine"], body
    assert json.loads(body)["engine_lag_seconds"] >= 60
    await web_world.advance(seconds=0)  # the engine runs: caught up
    assert (await get(web_world, "/healthz"))[0] == 200
    assert annonces.last_message.content == "Hop"


# -- feeds: links, HTTP, revocation -------------------------------------------------------------
async def test_a_moderator_gets_a_server_link_that_serves_a_calendar(web_world: Harness) -> None:
    reply = await web_world.guild.slash(web_world.alice, "agenda lien")
    token = token_in(reply.text)
    assert f"webcal://agenda.example.org/feed/{token}.ics" in reply.text
    assert len(token) == 43  # 256 bits
    status, headers, body = await get(web_world, f"/feed/{token}.ics")
    assert status == 200, body
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"X-WR-CALNAME:Agenda de Passerelle test" in body
    # Only a hash is stored: the secret is nowhere in the database.
    rows = await web_world.bot.db.fetchall("SELECT * FROM agenda_links")
    assert len(rows) == 1 and all(token not in str(v) for v in rows[0])

    again = await web_world.guild.slash(web_world.alice, "agenda lien")
    assert "déjà un lien" in again.text and token not in again.text


async def test_conditional_requests_and_head(web_world: Harness) -> None:
    token = await _server_token(web_world)
    path = f"/feed/{token}.ics"
    status, headers, body = await get(web_world, path)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and etag.startswith('"') and modified.endswith("GMT")

    status, head_headers, head_body = await get(web_world, path, method="HEAD")
    assert status == 200 and head_body == b""
    assert head_headers["ETag"] == etag and int(head_headers["Content-Length"]) == len(body)

    for conditional in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        status, again, empty = await get(web_world, path, headers=conditional)
        assert status == 304 and empty == b"" and again["ETag"] == etag, conditional
    status, _, _ = await get(web_world, path, headers={"If-None-Match": '"something-else"'})
    assert status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    status, _, _ = await get(
        web_world, path, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}
    )
    assert status == 200


async def test_a_new_link_revokes_the_old_one(web_world: Harness) -> None:
    old = await _server_token(web_world)
    reply = await web_world.guild.slash(web_world.alice, "agenda nouveau-lien")
    new = token_in(reply.text)
    assert new != old and "L'ancien ne fonctionne plus" in reply.text
    assert (await get(web_world, f"/feed/{old}.ics"))[0] == 404
    assert (await get(web_world, f"/feed/{new}.ics"))[0] == 200


async def test_members_cannot_get_or_replace_the_server_link(web_world: Harness) -> None:
    for path in ("agenda lien", "agenda nouveau-lien", "agenda page activer"):
        reply = await web_world.guild.slash(web_world.bob, path)
        assert reply.ephemeral and "réservée à la modération" in reply.text, path
    assert await web_world.bot.db.fetchval("SELECT COUNT(*) FROM agenda_links") == 0
    assert await web_world.bot.db.fetchval("SELECT COUNT(*) FROM agenda_pages") == 0


async def test_a_member_link_is_shown_once_then_only_replaced(web_world: Harness) -> None:
    first = await web_world.guild.slash(web_world.bob, "agenda mon-lien")
    token = token_in(first.text)
    assert "votre agenda personnel" in first.text.lower()
    status, _, body = await get(web_world, f"/feed/{token}.ics")
    assert status == 200 and b"X-WR-CALNAME:Mon agenda Passerelle" in body

    second = await web_world.guild.slash(web_world.bob, "agenda mon-lien")
    assert token not in second.text and "déjà un lien" in second.text
    renewed = await second.click("Créer un nouveau lien", by=web_world.bob)
    new = token_in(renewed.text)
    assert (await get(web_world, f"/feed/{token}.ics"))[0] == 404
    assert (await get(web_world, f"/feed/{new}.ics"))[0] == 200

    # /mes-donnees knows it, and erasing it revokes it.
    data = await web_world.guild.slash(web_world.bob, "mes-donnees")
    assert "Lien d'agenda personnel" in data.text
    asked = await data.click("Tout effacer", by=web_world.bob)
    await asked.click("Oui, tout effacer", by=web_world.bob)
    assert (await get(web_world, f"/feed/{new}.ics"))[0] == 404


async def test_without_a_web_side_the_commands_say_so(world: Harness) -> None:
    reply = await world.guild.slash(world.alice, "agenda lien")
    assert reply.ephemeral and "WEB_PORT" in reply.text and "PUBLIC_BASE_URL" in reply.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM agenda_links") == 0


# -- guessing -----------------------------------------------------------------------------------
async def test_guessed_tokens_get_404_then_429_and_change_nothing(web_world: Harness) -> None:
    token = await _server_token(web_world)
    before = await web_world.bot.db.fetchall("SELECT * FROM agenda_links")
    writes = metric(await _metrics(web_world), "passerelle_database_seconds_count", "write")
    statuses = []
    for n in range(40):
        guess = f"{n:043d}"  # well formed, wrong
        statuses.append((await get(web_world, f"/feed/{guess}.ics"))[0])
    assert statuses[0] == 404 and set(statuses) == {404, 429}
    assert statuses.index(429) == web_world.bot.web.ctx.limits.failure_burst
    assert 404 not in statuses[statuses.index(429) :]
    # Blocked now: even the right token waits (guessing from here is pointless).
    status, headers, _ = await get(web_world, f"/feed/{token}.ics")
    assert status == 429 and int(headers["Retry-After"]) >= 1
    after = await web_world.bot.db.fetchall("SELECT * FROM agenda_links")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert metric(await _metrics(web_world), "passerelle_database_seconds_count", "write") == writes


# -- security -----------------------------------------------------------------------------------
SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


@pytest.mark.parametrize("path", ["/healthz", "/nowhere", "/agenda/123", "/feed/abc.ics"])
async def test_security_headers_on_every_answer(web_world: Harness, path: str) -> None:
    _, headers, _ = await get(web_world, path)
    for name, value in SECURITY.items():
        assert headers[name] == value, (path, name)
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Server"] == "Passerelle"  # no version


class Broken:
    async def for_guild(self, guild_id: int, window: Window) -> Agenda:
        raise RuntimeError("provider exploded at /secret/path.py line 12")

    for_member = for_guild


async def test_an_unexpected_error_serves_no_stack_trace(web_world: Harness) -> None:
    token = await _server_token(web_world)
    web_world.bot.agenda.register("broken", Broken())
    status, headers, body = await get(web_world, f"/feed/{token}.ics")
    text = body.decode()
    assert status == 500 and headers["Content-Type"].startswith("text/plain")
    assert "Traceback" not in text and "exploded" not in text and ".py" not in text
    assert "référence" in text
    assert headers["X-Frame-Options"] == "DENY"
    [logged] = [r for r in web_world.bot_errors if r.name == "bot.web"]
    assert "unexpected error ref=" in logged.getMessage() and token not in logged.getMessage()
    web_world.bot_errors.clear()


async def test_no_log_line_holds_a_token(
    web_world: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = await _server_token(web_world)
    await get(web_world, f"/feed/{token}.ics")
    await get(web_world, "/feed/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics")
    access = [r.getMessage() for r in caplog.records if r.name == "bot.web.access"]
    assert any(line.startswith("GET feed 200") for line in access), access
    assert any(line.startswith("GET feed 404") for line in access), access
    assert all(token not in r.getMessage() for r in caplog.records)
    assert all("AAAAAAAAAAAAAAAA" not in r.getMessage() for r in caplog.records)


# -- metrics ------------------------------------------------------------------------------------
async def _metrics(world: Harness) -> str:
    status, headers, body = await get(world, "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain"), body
    return body.decode()


async def test_metrics_move_as_reminders_are_sent(web_world: Harness) -> None:
    annonces = web_world.guild.channel("annonces")
    before = await _metrics(web_world)
    assert metric(before, "passerelle_reminders_total", "annonce", "sent") == 0
    await web_world.guild.slash(
        web_world.alice, "annonce programmer", salon=annonces, quand="demain 10h", texte="Hop"
    )
    waiting = metric(await _metrics(web_world), "passerelle_reminder_queue_items")
    assert waiting == metric(before, "passerelle_reminder_queue_items") + 1
    await web_world.advance(hours=24)  # Tuesday 10:00 Paris: on time
    after = await _metrics(web_world)
    assert metric(after, "passerelle_reminders_total", "annonce", "sent") == 1
    assert metric(after, "passerelle_reminder_queue_items") == waiting - 1
    assert metric(after, "passerelle_reminder_lag_seconds") == 0
    assert metric(after, "passerelle_interactions_total", "/annonce programmer", "ok") == 1
    assert metric(after, "passerelle_gateway_connected") == 1
    assert metric(after, "passerelle_database_seconds_count", "read") > 0
    assert metric(after, "passerelle_discord_requests_total", "2xx") > 0
    assert metric(after, "passerelle_web_requests_total", "metrics", "200") >= 1


async def test_metrics_count_refusals_and_discords_429s(web_world: Harness) -> None:
    await web_world.guild.slash(web_world.bob, "config voir")  # refused: moderators only
    web_world.faults.rate_limit(times=1, retry_after=0.01, route=r"/interactions/")
    await web_world.guild.slash(web_world.alice, "config voir")  # discord.py retries the 429
    text = await _metrics(web_world)
    assert metric(text, "passerelle_interactions_total", "/config voir", "refused") == 1
    assert metric(text, "passerelle_interactions_total", "/config voir", "ok") == 1
    assert metric(text, "passerelle_discord_rate_limited_total", "user") == 1


async def test_metrics_are_refused_through_a_proxy(web_world: Harness) -> None:
    status, _, body = await get(web_world, "/metrics", headers={"X-Forwarded-For": "1.2.3.4"})
    assert status == 404 and b"passerelle_" not in body
