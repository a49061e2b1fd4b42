"""Feeds' rules on real documents (the local feed server's RSS and Atom, an HTML page, broken
XML): what is a feed, entry keys and fingerprints, novelty when ids change, backoff."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from feed_server import Entry, atom, entries, rss

from bot.net.feeds import FeedReader, ReadError, parse
from cogs.tableau.service import feeds as rules
from cogs.tableau.service.feeds import Problem

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def read(body: bytes, content_type: str = "") -> rules.Parsed:
    """As the bot reads a feed: `bot.net.feeds.parse` (in its worker), then the entries' keys."""
    return rules.entries_of(parse(body, content_type))


@pytest.mark.parametrize("build", [rss, atom])
def test_rss_and_atom_are_read(build) -> None:  # type: ignore[no-untyped-def]
    parsed = read(build("Actualités ARS", entries("ars", 3)))
    assert parsed.title == "Actualités ARS"
    assert [e.key for e in parsed.entries] == ["urn:ars:2", "urn:ars:1", "urn:ars:0"]
    first = parsed.entries[0]
    assert first.title == "ars nouvelle 2" and first.link == "https://example.org/ars/2"
    assert first.published is not None


def test_html_in_titles_and_summaries_is_plain_text() -> None:
    parsed = read(
        rss(
            "x",
            [
                Entry(
                    id="1",
                    title="Ouverture <b>d'un</b> CHRS &amp; plus",
                    link="https://example.org/1",
                    summary="<p>Un <a href='https://x'>lien</a> et <script>alert(1)</script></p>",
                )
            ],
        )
    )
    entry = parsed.entries[0]
    assert entry.title == "Ouverture d'un CHRS & plus"
    assert "<" not in entry.summary and "lien" in entry.summary


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        (b"<!doctype html><html><body>Bonjour</body></html>", "text/html", Problem.NOT_A_FEED),
        (b"<html><head><title>x</title></head></html>", "", Problem.NOT_A_FEED),
        (b"Just some text, no markup at all", "text/plain", Problem.NOT_A_FEED),
        (
            b"<?xml version='1.0'?><rss version='2.0'><channel><title>C</title><item><title>x",
            "application/rss+xml",
            Problem.MALFORMED,
        ),
        (b"<?xml version='1.0'?><note><to>x</to></note>", "application/xml", Problem.MALFORMED),
    ],
)
def test_what_is_not_a_feed(body: bytes, content_type: str, problem: Problem) -> None:
    with pytest.raises(ReadError) as caught:
        read(body, content_type)
    assert caught.value.problem == problem


def test_entries_without_ids_are_keyed_by_link_then_by_content() -> None:
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        b"<item><title>A</title><link>https://example.org/a</link></item>"
        b"<item><title>B</title><description>sans lien</description></item>"
        b"</channel></rss>"
    )
    first, second = read(body).entries
    assert first.key == "https://example.org/a"
    assert len(second.key) == 32 and second.link == ""


def test_the_first_poll_posts_nothing() -> None:
    parsed = read(rss("t", entries("a", 4)))
    news = rules.novelty(parsed.entries, set(), set(), first=True)
    assert news.to_post == [] and len(news.to_record) == 4


def test_new_entries_are_posted_at_most_five_at_a_time() -> None:
    old = read(rss("t", entries("a", 2))).entries
    keys, prints = {e.key for e in old}, {e.fingerprint for e in old}
    fresh = read(rss("t", entries("a", 9, start=2) + entries("a", 2))).entries
    news = rules.novelty(fresh, keys, prints, first=False)
    assert [e.key for e in news.to_post] == [f"urn:a:{i}" for i in (10, 9, 8, 7, 6)]
    assert {e.key for e in news.to_record} == {"urn:a:5", "urn:a:4", "urn:a:3", "urn:a:2"}
    assert not news.ids_changed


def test_a_feed_that_changes_every_id_is_recognised() -> None:
    def same_items(turn: int) -> list[Entry]:
        return [
            Entry(
                id=f"urn:{turn}:{i}", title=f"Même nouvelle {i}", link=f"https://x.org/{i}?s={turn}"
            )
            for i in range(5)
        ]

    first = read(rss("t", same_items(0))).entries
    keys, prints = {e.key for e in first}, {e.fingerprint for e in first}
    again = read(rss("t", same_items(1))).entries
    news = rules.novelty(again, keys, prints, first=False)
    assert news.to_post == [] and len(news.to_record) == 5
    assert news.ids_changed


def test_polling_backs_off_then_goes_rare_and_reports_once() -> None:
    assert rules.next_poll(NOW, 0) == NOW + rules.POLL_INTERVAL
    waits = [rules.next_poll(NOW, n) - NOW for n in range(1, 8)]
    assert waits[:4] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=4),
        timedelta(hours=6),
    ]
    assert waits[4:] == [rules.RARE_INTERVAL] * 3
    assert [rules.should_report(n, False) for n in range(1, 7)] == [False] * 4 + [True] * 2
    assert not rules.should_report(9, True)


async def test_the_reader_parses_in_its_worker_process_and_says_why_not() -> None:
    reader = FeedReader()
    try:
        raw = await reader.read(atom("Atom", entries("w", 2)), "application/atom+xml")
        assert [e.id for e in raw.entries] == ["urn:w:1", "urn:w:0"]
        with pytest.raises(ReadError) as caught:  # the worker's refusal crosses the process
            await reader.read(b"<!doctype html><p>x</p>", "text/html")
        assert caught.value.problem == "not_a_feed"
        assert reader._pool is not None
        [worker] = reader._pool._processes.values()
        assert worker.pid != os.getpid()
    finally:
        reader.close()
