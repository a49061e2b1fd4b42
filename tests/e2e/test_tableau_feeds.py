"""Feeds through the loopback Discord, served by a local feed server (127.0.0.1, its port
allowed by the explicit test setting): adding, each bad case refused in the moderator's words,
server-side request forgery refused, polling with the source named, conditional GET, nothing
twice after a restart, a failing feed reported once then polled rarely, ids that change."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from discord_server import Harness
from feed_server import Feed, FeedServer, TableResolver, entries
from tableau_support import board

from bot.net import SafeFetcher


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    running = FeedServer()
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def world(passerelle, time_scale: float, server: FeedServer) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    """The usual world (on the run's back-end), with the bot allowed to fetch from the feed
    server's port only."""
    factory = passerelle(
        fetch_loopback_ports=frozenset({server.port}), fetch_min_interval=0.0, fetch_timeout=1.0
    )
    harness = Harness(factory, time_scale=time_scale, idle_timeout=10.0 + 60.0 * time_scale)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
    harness.check()


async def add(world, url: str, **options) -> str:  # type: ignore[no-untyped-def]
    reply = await world.guild.slash(world.alice, "tableau flux ajouter", adresse=url, **options)
    assert reply.ephemeral
    return reply.text


async def test_new_entries_are_posted_with_their_source_once(world, server) -> None:
    _, news = await board(world)
    url = server.feed("ars", Feed("ARS Bretagne", entries("ars", 3)))
    added = await add(world, url, lieu="FR-35")
    assert "ARS Bretagne" in added and "3 entrées déjà présentes" in added
    await world.advance(minutes=31)
    assert news.posts == []  # the feed's past is not news
    for entry in reversed(entries("ars", 2, start=3)):  # oldest first: 4 is the newest
        server.feeds["ars"].add(entry)
    await world.advance(minutes=31)
    assert [p.title for p in news.posts] == ["ars nouvelle 3", "ars nouvelle 4"]
    post = news.posts[0]
    assert "Source : ARS Bretagne" in post.starter_message.text
    assert set(post.tags) == {"Europe", "Source extérieure"}
    assert [b["label"] for b in post.starter_message.buttons()] == ["Signaler"]
    await world.restart()
    await world.advance(minutes=31)
    assert len(news.posts) == 2  # nothing posted twice after a restart
    assert server.conditional_hits["ars"] >= 1  # If-None-Match answered 304
    listed = await world.guild.slash(world.alice, "tableau flux liste")
    assert "ARS Bretagne" in listed.text and "fonctionne" in listed.text


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/html", "page web"),
        ("/malformed", "mal formé"),
        ("/huge", "trop gros"),
        ("/loop/0", "redirige trop"),
        ("/slow", "trop lentement"),
        ("/feeds/missing", "erreur 404"),
    ],
)
async def test_bad_feeds_are_refused_with_a_clear_message(world, server, path, words) -> None:
    await board(world)
    assert words in await add(world, server.url(path))
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM tableau_feeds") == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/feed.xml",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:192.168.1.1]/rss",
        "http://127.0.0.1:22/",
        "http://localhost:6379/",
    ],
)
async def test_private_addresses_are_refused(world, server, url) -> None:
    await board(world)
    assert "réseau privé ou local" in await add(world, url)


async def test_a_redirect_to_the_loopback_is_refused(world, server) -> None:
    await board(world)
    refused = await add(world, server.url("/redirect?to=http://127.0.0.1:22/"))
    assert "réseau privé ou local" in refused
    assert "http" in await add(world, "ftp://example.org/feed")


async def answer_names(world, table: dict[str, list[list[str]] | list[str]]) -> TableResolver:  # type: ignore[no-untyped-def]
    """The network's DNS, which the machine lacks, answered by a table: only the resolver
    changes, the bot's fetcher (its policy and its checks after resolution) is the real one."""
    feeds = world.bot.get_cog("TableauCog").flows.feeds
    resolver = TableResolver(table)
    await feeds.fetcher.close()
    feeds.fetcher = SafeFetcher(feeds.fetcher.policy, resolver=resolver)
    return resolver


async def test_a_name_that_resolves_to_a_private_address_is_refused(world, server) -> None:
    _, news = await board(world)
    resolver = await answer_names(
        world,
        {
            "intranet.example": ["10.20.30.40"],
            "mixte.example": ["93.184.215.14", "192.168.0.10"],  # one private answer is enough
            "meta.example": ["::ffff:169.254.169.254"],
            # the allowed test address when the feed is added, then a private one
            "flux.example": [["127.0.0.1"], ["192.168.1.20"]],
        },
    )
    for name in ("intranet.example", "mixte.example", "meta.example"):
        assert "réseau privé ou local" in await add(world, f"http://{name}/rss"), name
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM tableau_feeds") == 0
    url = server.feed("ars", Feed("ARS Bretagne", entries("ars", 1)))
    added = await add(world, url.replace("127.0.0.1", "flux.example"))
    assert "ARS Bretagne" in added
    server.feeds["ars"].add(entries("ars", 1, start=1)[0])
    hits = server.hits["ars"]
    await world.bot.get_cog("TableauCog").flows.feeds.fetcher.close()  # a new connection
    await world.advance(minutes=31)  # the name now leads into the private network
    assert resolver.calls.count("flux.example") == 2
    assert server.hits["ars"] == hits and news.posts == []
    listed = await world.guild.slash(world.alice, "tableau flux liste")
    assert "réseau privé ou local" in listed.text  # the reason in words, not a code


async def test_a_feed_that_keeps_failing_is_reported_once_then_polled_rarely(world, server):  # type: ignore[no-untyped-def]
    mods = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=mods)
    await board(world)
    url = server.feed("cassé", Feed("Bientôt cassé", entries("c", 2)))
    await add(world, url)
    server.feeds["cassé"].status = 503
    for _ in range(16):
        await world.advance(hours=7)
    told = [m for m in mods.visible_messages() if "Bientôt cassé" in m.text]
    assert len(told) == 1 and "5 essais" in told[0].text
    hits = server.hits["cassé"]
    await world.advance(hours=24)
    assert server.hits["cassé"] == hits + 1  # once a day now
    server.feeds["cassé"].status = 200
    server.feeds["cassé"].add(entries("c", 1, start=2)[0])
    await world.advance(hours=24)
    listed = await world.guild.slash(world.alice, "tableau flux liste")
    assert "fonctionne" in listed.text
    assert len([m for m in mods.visible_messages() if "Bientôt cassé" in m.text]) == 1


async def test_a_feed_that_changes_every_id_posts_nothing_again(world, server) -> None:
    mods = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=mods)
    _, news = await board(world)
    await add(world, server.url("/changing"), nom="Changeant")
    for _ in range(3):
        await world.advance(minutes=31)
    assert news.posts == []
    told = [m for m in mods.visible_messages() if "Changeant" in m.text]
    assert len(told) == 1 and "identifiant" in told[0].text


async def test_feeds_need_the_news_forum_and_moderators(world, server) -> None:
    url = server.feed("x", Feed("X", entries("x", 1)))
    refused = await world.guild.slash(world.alice, "tableau flux ajouter", adresse=url)
    assert "forum des nouvelles" in refused.text
    await board(world)
    member = await world.guild.slash(world.bob, "tableau flux ajouter", adresse=url)
    assert "modération" in member.text
