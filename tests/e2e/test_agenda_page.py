"""The public agenda page: off by default (a 404 like an unknown server), then the server's
upcoming items in its language — checked over HTTP and in a real browser (Chromium)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from agenda_support import fill_agenda
from browser import AXE, browser_page, screenshot_path
from discord_server import Harness
from web_support import get

HIDDEN_IN_A_404 = ("Date",)


async def _page(world: Harness) -> str:
    return f"/agenda/{world.guild.id}"


async def test_off_by_default_and_the_same_404_as_an_unknown_server(web_world: Harness) -> None:
    await fill_agenda(web_world)
    path = await _page(web_world)
    off = await get(web_world, path)
    unknown = await get(web_world, "/agenda/123456789012345678")
    assert off[0] == unknown[0] == 404
    assert off[2] == unknown[2]
    strip = [(k, v) for k, v in off[1].items() if k not in HIDDEN_IN_A_404]
    assert strip == [(k, v) for k, v in unknown[1].items() if k not in HIDDEN_IN_A_404]
    assert (await get(web_world, f"{path}/rencontre-1.ics"))[0] == 404


async def test_turned_on_it_shows_upcoming_items_and_no_member(web_world: Harness) -> None:
    await fill_agenda(web_world)
    path = await _page(web_world)
    reply = await web_world.guild.slash(web_world.alice, "agenda page activer")
    assert f"https://agenda.example.org{path}" in reply.text

    status, headers, body = await get(web_world, path)
    html = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert html.startswith('<!doctype html><html lang="fr">')
    assert "<h1>Agenda de Passerelle test</h1>" in html
    assert "Café réseau ASS" in html and "Apéro du vendredi" in html
    assert "vendredi 6 mars 2026 à 18:00" in html  # Paris
    assert "vendredi 6 mars 2026 à 12:00" in html  # Montréal
    # No member: neither names nor ids of those who organised or answered.
    for user in (web_world.alice, web_world.bob, web_world.carol):
        assert user.username not in html.lower() and str(user.id) not in html
    # The page's own CSP: its one style and one script by hash, nothing else.
    csp = headers["Content-Security-Policy"]
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp

    links = re.findall(r'href="(/agenda/\d+/[a-z0-9-]+\.ics)"', html)
    assert links
    for link in links:
        status, headers, ics = await get(web_world, link)
        assert status == 200 and ics.startswith(b"BEGIN:VCALENDAR"), link
        assert headers["Content-Disposition"].startswith("attachment;")

    off = await web_world.guild.slash(web_world.alice, "agenda page desactiver")
    assert "retirée" in off.text
    assert (await get(web_world, path))[0] == 404
    assert (await get(web_world, links[0]))[0] == 404


async def test_the_page_follows_the_servers_language(web_world: Harness) -> None:
    await fill_agenda(web_world)
    await web_world.guild.slash(web_world.alice, "config langue", langue="en")
    await web_world.guild.slash(web_world.alice, "agenda page activer")
    _, _, body = await get(web_world, await _page(web_world))
    html = body.decode()
    assert '<html lang="en">' in html and "Upcoming meet-ups" in html
    assert "Friday, March 6, 2026 at 6:00 PM" in html


# -- in a real browser --------------------------------------------------------------------------
async def test_in_chromium_no_console_error_local_time_and_every_link_by_keyboard(
    web_world: Harness, tmp_path: Path
) -> None:
    await fill_agenda(web_world)
    await web_world.guild.slash(web_world.alice, "agenda page activer")
    url = web_world.bot.web.url + await _page(web_world)
    async with browser_page(
        tmp_path / "profile",
        locale="fr-FR",
        timezone_id="America/Vancouver",
        viewport={"width": 390, "height": 844},  # a phone
    ) as page:
        answer = await page.goto(url)
        assert answer is not None and answer.status == 200
        await page.screenshot(path=str(screenshot_path("agenda-page-phone.png")), full_page=True)
        assert page.errors == []  # no CSP refusal, no script error

        # The visitor's own zone, filled in by the script.
        local = page.locator("dd[data-instant]").first
        assert await local.is_visible()
        assert "09:00" in await local.inner_text()  # 18:00 Paris = 09:00 in Vancouver
        assert "America/Vancouver" in await page.locator("[data-zone]").first.inner_text()
        # Nothing wider than the phone's screen.
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390

        links = await page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        reached: list[str] = []
        for _ in range(len(links) + 2):
            await page.keyboard.press("Tab")
            focused = await page.evaluate(
                """() => { const e = document.activeElement;
                     if (!e || e.tagName !== 'A') return null;
                     const s = getComputedStyle(e);
                     return {href: e.href, outline: s.outlineStyle, width: s.outlineWidth}; }"""
            )
            if focused is None:
                continue
            assert focused["outline"] != "none" and focused["width"] != "0px", focused
            reached.append(focused["href"])
        assert set(reached) == set(links)


async def test_without_javascript_the_page_is_whole(web_world: Harness, tmp_path: Path) -> None:
    await fill_agenda(web_world)
    await web_world.guild.slash(web_world.alice, "agenda page activer")
    url = web_world.bot.web.url + await _page(web_world)
    async with browser_page(tmp_path / "profile", java_script_enabled=False) as page:
        await page.goto(url)
        text = await page.inner_text("main")
        assert "vendredi 6 mars 2026 à 18:00" in text and "12:00" in text
        assert not await page.locator("dd[data-instant]").first.is_visible()
        await page.screenshot(path=str(screenshot_path("agenda-page-no-js.png")), full_page=True)


async def test_axe_finds_no_accessibility_violation(web_world: Harness, tmp_path: Path) -> None:
    if not AXE.exists():
        pytest.skip(
            f"axe-core is not installed at {AXE} (npm install --prefix .cache/node axe-core, "
            "as .ci/run does): the accessibility run did not happen"
        )
    await fill_agenda(web_world)
    await web_world.guild.slash(web_world.alice, "agenda page activer")
    url = web_world.bot.web.url + await _page(web_world)
    # axe is injected as a script of its own: the page's CSP would rightly refuse it.
    async with browser_page(tmp_path / "profile", bypass_csp=True) as page:
        await page.goto(url)
        await page.add_script_tag(path=str(AXE))
        result = await page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        )
    violations = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1)
    assert len(result["passes"]) > 10  # it did look
