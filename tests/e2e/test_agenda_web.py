"""The web side end to end: links from /agenda, feeds over HTTP, health, metrics, security."""

from __future__ import annotations

import json

from discord_server import Harness
from web_support import get, token_in


async def test_healthz_answers_200_with_every_check(web_world: Harness) -> None:
    status, headers, body = await get(web_world, "/healthz")
    assert status == 200, body
    data = json.loads(body)
    assert data["status"] == "ok"
    assert data["checks"] == {"database": "ok", "gateway": "ok", "engine": "ok"}
    assert headers["X-Content-Type-Options"] == "nosniff"


async def test_a_moderator_gets_a_server_link_that_serves_a_calendar(web_world: Harness) -> None:
    reply = await web_world.guild.slash(web_world.alice, "agenda lien")
    assert reply.ephemeral
    token = token_in(reply.text)
    assert f"webcal://agenda.example.org/feed/{token}.ics" in reply.text
    status, headers, body = await get(web_world, f"/feed/{token}.ics")
    assert status == 200, body
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
