"""Le tableau's SQL (the only place it lives), portable to PostgreSQL: one store per part —
configuration and tags, posts, alerts, reports, feeds — composed in `TableauStore`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from bot.personal_data import Field, Item, Label, Records
from cogs.tableau.service import (
    PAGE_SIZE,
    Alert,
    BoardConfig,
    Post,
    PostKind,
    Rhythm,
    Search,
    Side,
    Status,
    search_words,
)
from cogs.tableau.service.feeds import ENTRIES_KEPT, Entry, Feed

IN_BATCH = 500  # ids per IN (…) list


def _ts(value: datetime | None) -> int | None:
    return None if value is None else to_ts(value)


def _dt(value: int | None) -> datetime | None:
    return None if value is None else from_ts(value)


def _split(text: str) -> frozenset[str]:
    return frozenset(p for p in text.split(",") if p)


def _join(values: Iterable[str]) -> str:
    return ",".join(sorted(values))


def _marks(n: int) -> str:
    return ", ".join("?" * n)


# -- configuration ---------------------------------------------------------------------------------
class ConfigStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, guild_id: int) -> BoardConfig:
        row = await self.db.fetchone("SELECT * FROM tableau_config WHERE guild_id = ?", (guild_id,))
        if row is None:
            return BoardConfig(guild_id)
        return BoardConfig(
            guild_id=guild_id,
            offers_forum_id=row["offers_forum_id"],
            news_forum_id=row["news_forum_id"],
            approval=bool(row["approval"]),
            digest_channel_id=row["digest_channel_id"],
            digest_weekday=row["digest_weekday"],
            digest_minute=row["digest_minute"],
            problem=row["problem"],
        )

    async def save(self, config: BoardConfig, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO tableau_config (guild_id, offers_forum_id, news_forum_id, approval,"
            " digest_channel_id, digest_weekday, digest_minute, problem, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
            " offers_forum_id = excluded.offers_forum_id, news_forum_id = excluded.news_forum_id,"
            " approval = excluded.approval, digest_channel_id = excluded.digest_channel_id,"
            " digest_weekday = excluded.digest_weekday, digest_minute = excluded.digest_minute,"
            " problem = excluded.problem, updated_at = excluded.updated_at",
            (
                config.guild_id,
                config.offers_forum_id,
                config.news_forum_id,
                int(config.approval),
                config.digest_channel_id,
                config.digest_weekday,
                config.digest_minute,
                config.problem,
                to_ts(now),
            ),
        )

    async def set_problem(self, guild_id: int, problem: str | None) -> bool:
        """Remember the problem moderators were told; True when it is a new one."""
        row = await self.db.execute_returning(
            "UPDATE tableau_config SET problem = ? WHERE guild_id = ?"
            " AND (problem IS NULL OR problem <> ?) RETURNING guild_id",
            (problem, guild_id, problem or ""),
        )
        return row is not None

    async def tags(self, forum_id: int) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT key, tag_id FROM tableau_tags WHERE forum_id = ?", (forum_id,)
        )
        return {r["key"]: r["tag_id"] for r in rows}

    async def save_tags(self, forum_id: int, tags: dict[str, int]) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM tableau_tags WHERE forum_id = ?", (forum_id,))
            await tx.executemany(
                "INSERT INTO tableau_tags (forum_id, key, tag_id) VALUES (?, ?, ?)",
                [(forum_id, key, tag_id) for key, tag_id in tags.items()],
            )

    async def guilds_with_digest(self) -> list[BoardConfig]:
        rows = await self.db.fetchall(
            "SELECT guild_id FROM tableau_config WHERE digest_channel_id IS NOT NULL"
        )
        return [await self.get(r["guild_id"]) for r in rows]


# -- posts -----------------------------------------------------------------------------------------
_POST_COLUMNS = (
    "guild_id, kind, category, status, author_id, feed_id, title, structure, city, place_code,"
    " country, side, link, description, deadline, closes_at, lang, created_at, updated_at"
)


def _post(row: Any, professions: tuple[str, ...] = ()) -> Post:
    return Post(
        id=row["id"],
        guild_id=row["guild_id"],
        kind=PostKind(row["kind"]),
        category=row["category"],
        status=Status(row["status"]),
        title=row["title"],
        structure=row["structure"],
        city=row["city"],
        place_code=row["place_code"],
        country=row["country"],
        side=Side(row["side"]) if row["side"] else None,
        link=row["link"],
        description=row["description"],
        deadline=date.fromisoformat(row["deadline"]) if row["deadline"] else None,
        closes_at=_dt(row["closes_at"]),
        professions=professions,
        author_id=row["author_id"],
        feed_id=row["feed_id"],
        lang=row["lang"],
        forum_id=row["forum_id"],
        thread_id=row["thread_id"],
        created_at=_dt(row["created_at"]),
        claimed_at=_dt(row["claimed_at"]),
        published_at=_dt(row["published_at"]),
        closed_at=_dt(row["closed_at"]),
    )


class PostStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, post: Post, now: datetime) -> Post:
        """A new post (its id assigned) with its professions, in one transaction."""
        values = (
            post.guild_id,
            post.kind,
            post.category,
            post.status,
            post.author_id,
            post.feed_id,
            post.title,
            post.structure,
            post.city,
            post.place_code,
            post.country,
            post.side,
            post.link,
            post.description,
            post.deadline.isoformat() if post.deadline else None,
            _ts(post.closes_at),
            post.lang,
            to_ts(now),
            to_ts(now),
        )
        async with self.db.transaction() as tx:
            row = await tx.execute_returning(
                f"INSERT INTO tableau_posts ({_POST_COLUMNS}) VALUES ({_marks(len(values))})"
                " RETURNING id",
                values,
            )
            assert row is not None  # INSERT … RETURNING returns its row
            post_id = int(row["id"])
            await tx.executemany(
                "INSERT INTO tableau_post_professions (post_id, code) VALUES (?, ?)",
                [(post_id, code) for code in post.professions],
            )
            await tx.executemany(
                "INSERT INTO tableau_post_words (post_id, word) VALUES (?, ?)",
                [(post_id, word) for word in sorted(search_words(post))],
            )
        return post.with_(id=post_id, created_at=now)

    async def _professions(self, ids: list[int]) -> dict[int, tuple[str, ...]]:
        found: dict[int, list[str]] = {i: [] for i in ids}
        for start in range(0, len(ids), IN_BATCH):
            chunk = ids[start : start + IN_BATCH]
            rows = await self.db.fetchall(
                "SELECT post_id, code FROM tableau_post_professions"
                f" WHERE post_id IN ({_marks(len(chunk))}) ORDER BY post_id, code",
                chunk,
            )
            for r in rows:
                found[r["post_id"]].append(r["code"])
        return {i: tuple(codes) for i, codes in found.items()}

    async def _many(self, rows: list[Any]) -> list[Post]:
        professions = await self._professions([r["id"] for r in rows])
        return [_post(r, professions[r["id"]]) for r in rows]

    async def get(self, post_id: int) -> Post | None:
        row = await self.db.fetchone("SELECT * FROM tableau_posts WHERE id = ?", (post_id,))
        return None if row is None else (await self._many([row]))[0]

    async def by_thread(self, thread_id: int) -> Post | None:
        row = await self.db.fetchone(
            "SELECT * FROM tableau_posts WHERE thread_id = ?", (thread_id,)
        )
        return None if row is None else (await self._many([row]))[0]

    async def with_status(self, status: Status, guild_id: int | None = None) -> list[Post]:
        if guild_id is None:
            rows = await self.db.fetchall(
                "SELECT * FROM tableau_posts WHERE status = ? ORDER BY id", (status,)
            )
        else:
            rows = await self.db.fetchall(
                "SELECT * FROM tableau_posts WHERE status = ? AND guild_id = ? ORDER BY id",
                (status, guild_id),
            )
        return await self._many(rows)

    async def claim(self, post_id: int, before: Iterable[Status], now: datetime) -> bool:
        """Move a post to 'publishing' from one of `before`: one caller wins."""
        states = list(before)
        row = await self.db.execute_returning(
            "UPDATE tableau_posts SET status = ?, claimed_at = ?, updated_at = ?"
            f" WHERE id = ? AND status IN ({_marks(len(states))}) RETURNING id",
            (Status.PUBLISHING, to_ts(now), to_ts(now), post_id, *states),
        )
        return row is not None

    async def set_status(
        self, post_id: int, status: Status, now: datetime, *, only_from: Status | None = None
    ) -> bool:
        closing = status in (Status.CLOSED, Status.FILLED, Status.REMOVED)
        sql = (
            "UPDATE tableau_posts SET status = ?, updated_at = ?"
            + (", closed_at = ?" if closing else "")
            + " WHERE id = ?"
            + (" AND status = ?" if only_from else "")
            + " RETURNING id"
        )
        params: list[Any] = [status, to_ts(now)]
        if closing:
            params.append(to_ts(now))
        params.append(post_id)
        if only_from:
            params.append(only_from)
        return await self.db.execute_returning(sql, params) is not None

    async def published(self, post_id: int, forum_id: int, thread_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE tableau_posts SET status = ?, forum_id = ?, thread_id = ?, published_at = ?,"
            " updated_at = ? WHERE id = ?",
            (Status.LIVE, forum_id, thread_id, to_ts(now), to_ts(now), post_id),
        )

    async def update(self, post: Post, now: datetime) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE tableau_posts SET title = ?, structure = ?, city = ?, link = ?,"
                " description = ?, deadline = ?, closes_at = ?, updated_at = ? WHERE id = ?",
                (
                    post.title,
                    post.structure,
                    post.city,
                    post.link,
                    post.description,
                    post.deadline.isoformat() if post.deadline else None,
                    _ts(post.closes_at),
                    to_ts(now),
                    post.id,
                ),
            )
            await tx.execute("DELETE FROM tableau_post_words WHERE post_id = ?", (post.id,))
            await tx.executemany(
                "INSERT INTO tableau_post_words (post_id, word) VALUES (?, ?)",
                [(post.id, word) for word in sorted(search_words(post))],
            )

    async def delete(self, post_id: int) -> None:
        await self.db.execute("DELETE FROM tableau_posts WHERE id = ?", (post_id,))

    def _filters(self, guild_id: int, search: Search) -> tuple[str, list[Any]]:
        where = ["p.guild_id = ?", "p.kind = ?", "p.status = ?"]
        params: list[Any] = [guild_id, PostKind.OFFER, Status.LIVE]
        for column, value in (
            ("p.category", search.category),
            ("p.place_code", search.place_code),
            ("p.country", search.country),
            ("p.side", search.side),
        ):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        # Professions and words: sets of ids read from their own indexes. The unary plus keeps
        # SQLite from driving the query by those ids (reading and sorting every matching row:
        # 20 ms at 2,400 matches); it walks the open offers' index in date order instead and
        # checks each id against the set (< 1 ms for a page). Plain SQL for PostgreSQL too.
        if search.professions:
            where.append(
                "+p.id IN (SELECT post_id FROM tableau_post_professions"
                f" WHERE code IN ({_marks(len(search.professions))}))"
            )
            params.extend(search.professions)
        for low, high in search.prefixes:  # every typed word begins a word of the offer
            where.append(
                "+p.id IN (SELECT post_id FROM tableau_post_words WHERE word >= ? AND word < ?)"
            )
            params.extend((low, high))
        return " AND ".join(where), params

    async def search(self, guild_id: int, search: Search, page: int) -> tuple[list[Post], int]:
        """One page of open offers matching `search`, newest first, and how many match."""
        where, params = self._filters(guild_id, search)
        count = f"SELECT COUNT(*) FROM tableau_posts p WHERE {where}"
        total = await self.db.fetchval(count, params)
        rows = await self.db.fetchall(
            f"SELECT p.* FROM tableau_posts p WHERE {where}"
            " ORDER BY p.published_at DESC, p.id DESC LIMIT ? OFFSET ?",
            [*params, PAGE_SIZE, page * PAGE_SIZE],
        )
        return await self._many(rows), int(total or 0)

    async def news_between(self, guild_id: int, start: datetime, end: datetime) -> list[Post]:
        """News published in [start, end) and not removed, for the weekly digest."""
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_posts WHERE guild_id = ? AND published_at >= ?"
            " AND published_at < ? AND kind = ? AND status <> ? ORDER BY published_at, id",
            (guild_id, to_ts(start), to_ts(end), PostKind.NEWS, Status.REMOVED),
        )
        return await self._many(rows)

    async def by_author(self, user_id: int) -> list[Post]:
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_posts WHERE author_id = ? ORDER BY id", (user_id,)
        )
        return await self._many(rows)

    async def forget_author(self, post_id: int) -> None:
        await self.db.execute("UPDATE tableau_posts SET author_id = NULL WHERE id = ?", (post_id,))


# -- alerts ----------------------------------------------------------------------------------------
def _alert(row: Any) -> Alert:
    return Alert(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        kind=PostKind(row["kind"]),
        categories=_split(row["categories"]),
        countries=_split(row["countries"]),
        places=_split(row["places"]),
        professions=_split(row["professions"]),
        rhythm=Rhythm.DAILY if row["daily"] else Rhythm.NOW,
        lang=row["lang"],
    )


class AlertStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, alert: Alert, now: datetime) -> Alert:
        row = await self.db.execute_returning(
            "INSERT INTO tableau_alerts (guild_id, user_id, kind, categories, countries, places,"
            " professions, daily, lang, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id, kind)"
            " DO UPDATE SET categories = excluded.categories, countries = excluded.countries,"
            " places = excluded.places, professions = excluded.professions,"
            " daily = excluded.daily, lang = excluded.lang, updated_at = excluded.updated_at"
            " RETURNING id",
            (
                alert.guild_id,
                alert.user_id,
                alert.kind,
                _join(alert.categories),
                _join(alert.countries),
                _join(alert.places),
                _join(alert.professions),
                int(alert.rhythm is Rhythm.DAILY),
                alert.lang,
                to_ts(now),
                to_ts(now),
            ),
        )
        assert row is not None
        return Alert(**{**alert.__dict__, "id": int(row["id"])})

    async def get(self, alert_id: int) -> Alert | None:
        row = await self.db.fetchone("SELECT * FROM tableau_alerts WHERE id = ?", (alert_id,))
        return None if row is None else _alert(row)

    async def of_member(self, guild_id: int, user_id: int) -> list[Alert]:
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_alerts WHERE guild_id = ? AND user_id = ? ORDER BY kind",
            (guild_id, user_id),
        )
        return [_alert(r) for r in rows]

    async def for_kind(self, guild_id: int, kind: PostKind) -> list[Alert]:
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_alerts WHERE guild_id = ? AND kind = ?", (guild_id, kind)
        )
        return [_alert(r) for r in rows]

    async def delete(self, alert_id: int) -> None:
        await self.db.execute("DELETE FROM tableau_alerts WHERE id = ?", (alert_id,))

    async def queue(self, alert_id: int, post_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO tableau_alert_queue (alert_id, post_id, queued_at) VALUES (?, ?, ?)"
            " ON CONFLICT (alert_id, post_id) DO NOTHING",
            (alert_id, post_id, to_ts(now)),
        )

    async def queued(self, alert_id: int, until: datetime) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT post_id FROM tableau_alert_queue WHERE alert_id = ? AND queued_at <= ?"
            " ORDER BY queued_at, post_id",
            (alert_id, to_ts(until)),
        )
        return [int(r["post_id"]) for r in rows]

    async def unqueue(self, alert_id: int, until: datetime) -> None:
        await self.db.execute(
            "DELETE FROM tableau_alert_queue WHERE alert_id = ? AND queued_at <= ?",
            (alert_id, to_ts(until)),
        )

    async def of_user(self, user_id: int) -> list[Alert]:
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_alerts WHERE user_id = ? ORDER BY id", (user_id,)
        )
        return [_alert(r) for r in rows]


# -- reports ---------------------------------------------------------------------------------------
class ReportStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, post_id: int, reporter_id: int, reason: str, now: datetime) -> bool:
        """False when this member already reported this post."""
        row = await self.db.execute_returning(
            "INSERT INTO tableau_reports (post_id, reporter_id, reason, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (post_id, reporter_id) DO NOTHING"
            " RETURNING post_id",
            (post_id, reporter_id, reason, to_ts(now)),
        )
        return row is not None

    async def by_reporter(self, user_id: int) -> list[tuple[int, str, datetime]]:
        rows = await self.db.fetchall(
            "SELECT post_id, reason, created_at FROM tableau_reports WHERE reporter_id = ?"
            " ORDER BY created_at",
            (user_id,),
        )
        return [(r["post_id"], r["reason"], from_ts(r["created_at"])) for r in rows]

    async def erase(self, user_id: int) -> int:
        cur = await self.db.execute("DELETE FROM tableau_reports WHERE reporter_id = ?", (user_id,))
        return cur.rowcount


# -- feeds -----------------------------------------------------------------------------------------
def _feed(row: Any) -> Feed:
    return Feed(
        id=row["id"],
        guild_id=row["guild_id"],
        url=row["url"],
        title=row["title"],
        place_code=row["place_code"],
        country=row["country"],
        added_by=row["added_by"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        failures=row["failures"],
        last_error=row["last_error"],
        reported=bool(row["reported"]),
        unstable_told=bool(row["unstable_told"]),
        next_poll_at=_dt(row["next_poll_at"]),
        polled_at=_dt(row["polled_at"]),
    )


class FeedStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, feed: Feed, entries: list[Entry], now: datetime) -> Feed | None:
        """A new feed with the entries it already lists (recorded as seen, never posted);
        None when the server already follows that address."""
        async with self.db.transaction() as tx:
            row = await tx.execute_returning(
                "INSERT INTO tableau_feeds (guild_id, url, title, place_code, country, added_by,"
                " etag, last_modified, next_poll_at, polled_at, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id, url) DO NOTHING RETURNING id",
                (
                    feed.guild_id,
                    feed.url,
                    feed.title,
                    feed.place_code,
                    feed.country,
                    feed.added_by,
                    feed.etag,
                    feed.last_modified,
                    _ts(feed.next_poll_at),
                    to_ts(now),
                    to_ts(now),
                ),
            )
            if row is None:
                return None
            feed_id = int(row["id"])
            await tx.executemany(
                "INSERT INTO tableau_feed_entries (feed_id, key, fingerprint, seen_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (feed_id, key) DO NOTHING",
                [(feed_id, e.key, e.fingerprint, to_ts(now)) for e in entries],
            )
        return Feed(**{**feed.__dict__, "id": feed_id})

    async def get(self, feed_id: int) -> Feed | None:
        row = await self.db.fetchone("SELECT * FROM tableau_feeds WHERE id = ?", (feed_id,))
        return None if row is None else _feed(row)

    async def of_guild(self, guild_id: int) -> list[Feed]:
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_feeds WHERE guild_id = ? ORDER BY id", (guild_id,)
        )
        return [_feed(r) for r in rows]

    async def count(self, guild_id: int) -> int:
        value = await self.db.fetchval(
            "SELECT COUNT(*) FROM tableau_feeds WHERE guild_id = ?", (guild_id,)
        )
        return int(value or 0)

    async def any(self) -> bool:
        return await self.db.fetchval("SELECT 1 FROM tableau_feeds LIMIT 1") is not None

    async def due(self, now: datetime, limit: int) -> list[Feed]:
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_feeds WHERE next_poll_at <= ? ORDER BY next_poll_at LIMIT ?",
            (to_ts(now), limit),
        )
        return [_feed(r) for r in rows]

    async def postpone(self, feed_id: int, until: datetime) -> None:
        """Taken for a poll: not due again while it runs."""
        await self.db.execute(
            "UPDATE tableau_feeds SET next_poll_at = ? WHERE id = ?", (to_ts(until), feed_id)
        )

    async def delete(self, feed_id: int) -> None:
        await self.db.execute("DELETE FROM tableau_feeds WHERE id = ?", (feed_id,))

    async def polled(
        self,
        feed_id: int,
        *,
        now: datetime,
        next_at: datetime,
        failures: int,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
        keep_validators: bool = True,
    ) -> None:
        if keep_validators:
            await self.db.execute(
                "UPDATE tableau_feeds SET polled_at = ?, next_poll_at = ?, failures = ?,"
                " last_error = ?, reported = CASE WHEN ? = 0 THEN 0 ELSE reported END"
                " WHERE id = ?",
                (to_ts(now), to_ts(next_at), failures, error, failures, feed_id),
            )
            return
        await self.db.execute(
            "UPDATE tableau_feeds SET polled_at = ?, next_poll_at = ?, failures = ?,"
            " last_error = ?, etag = ?, last_modified = ?, reported = 0 WHERE id = ?",
            (to_ts(now), to_ts(next_at), failures, error, etag, last_modified, feed_id),
        )

    async def mark(self, feed_id: int, *, unstable: bool = False) -> bool:
        """Set a « told the moderators » flag (failing, or ids changing); True when it was not
        set yet."""
        column = "unstable_told" if unstable else "reported"
        row = await self.db.execute_returning(
            f"UPDATE tableau_feeds SET {column} = 1 WHERE id = ? AND {column} = 0 RETURNING id",
            (feed_id,),
        )
        return row is not None

    async def known(self, feed_id: int) -> tuple[set[str], set[str]]:
        rows = await self.db.fetchall(
            "SELECT key, fingerprint FROM tableau_feed_entries WHERE feed_id = ?", (feed_id,)
        )
        return {r["key"] for r in rows}, {r["fingerprint"] for r in rows}

    async def record(self, feed_id: int, entries: list[Entry], now: datetime) -> None:
        async with self.db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO tableau_feed_entries (feed_id, key, fingerprint, seen_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (feed_id, key) DO NOTHING",
                [(feed_id, e.key, e.fingerprint, to_ts(now)) for e in entries],
            )

    async def claim_entry(self, feed_id: int, entry: Entry, now: datetime) -> bool:
        """Record one entry before posting it: False when it was already there (posted)."""
        row = await self.db.execute_returning(
            "INSERT INTO tableau_feed_entries (feed_id, key, fingerprint, seen_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (feed_id, key) DO NOTHING RETURNING key",
            (feed_id, entry.key, entry.fingerprint, to_ts(now)),
        )
        return row is not None

    async def link_entry(self, feed_id: int, key: str, post_id: int) -> None:
        await self.db.execute(
            "UPDATE tableau_feed_entries SET post_id = ? WHERE feed_id = ? AND key = ?",
            (post_id, feed_id, key),
        )

    async def prune(self, feed_id: int) -> None:
        """Keep the newest `ENTRIES_KEPT` keys of a feed."""
        cutoff = await self.db.fetchval(
            "SELECT seen_at FROM tableau_feed_entries WHERE feed_id = ?"
            " ORDER BY seen_at DESC LIMIT 1 OFFSET ?",
            (feed_id, ENTRIES_KEPT),
        )
        if cutoff is not None:
            await self.db.execute(
                "DELETE FROM tableau_feed_entries WHERE feed_id = ? AND seen_at < ?",
                (feed_id, cutoff),
            )

    async def by_adder(self, user_id: int) -> list[Feed]:
        rows = await self.db.fetchall(
            "SELECT * FROM tableau_feeds WHERE added_by = ? ORDER BY id", (user_id,)
        )
        return [_feed(r) for r in rows]

    async def forget_adder(self, user_id: int) -> int:
        cur = await self.db.execute(
            "UPDATE tableau_feeds SET added_by = NULL WHERE added_by = ?", (user_id,)
        )
        return cur.rowcount


class TableauStore:
    """The feature's stores, composed."""

    def __init__(self, db: Database) -> None:
        self.config = ConfigStore(db)
        self.posts = PostStore(db)
        self.alerts = AlertStore(db)
        self.reports = ReportStore(db)
        self.feeds = FeedStore(db)

    async def export(self, user_id: int) -> list[Item]:
        """What `/mes-donnees` shows: posts, alerts, reports made, feeds added."""
        posts = await self.posts.by_author(user_id)
        alerts = await self.alerts.of_user(user_id)
        reports = await self.reports.by_reporter(user_id)
        feeds = await self.feeds.by_adder(user_id)
        return [
            Records.of(
                "tableau.data.posts",
                (
                    (
                        Field("tableau.data.server", str(p.guild_id)),
                        Field("tableau.data.kind", Label(f"tableau.kind.{p.kind}")),
                        Field("tableau.data.category", Label(f"tableau.category.{p.category}")),
                        Field("tableau.data.title", p.title),
                        Field("tableau.data.structure", p.structure),
                        Field("tableau.data.state", Label(f"tableau.state.{p.status}")),
                        Field("tableau.data.created_at", p.created_at),
                    )
                    for p in posts
                ),
            ),
            Records.of(
                "tableau.data.alerts",
                (
                    (
                        Field("tableau.data.server", str(a.guild_id)),
                        Field("tableau.data.kind", Label(f"tableau.kind.{a.kind}")),
                        Field("tableau.data.categories", _join(a.categories)),
                        Field("tableau.data.countries", _join(a.countries)),
                        Field("tableau.data.places", _join(a.places)),
                        Field("tableau.data.professions", _join(a.professions)),
                        Field("tableau.data.rhythm", Label(f"tableau.rhythm.{a.rhythm}")),
                    )
                    for a in alerts
                ),
            ),
            Records.of(
                "tableau.data.reports",
                (
                    (
                        Field("tableau.data.post", post_id),
                        Field("tableau.data.reason", reason),
                        Field("tableau.data.created_at", at),
                    )
                    for post_id, reason, at in reports
                ),
            ),
            Records.of(
                "tableau.data.feeds",
                (
                    (
                        Field("tableau.data.server", str(f.guild_id)),
                        Field("tableau.data.url", f.url),
                    )
                    for f in feeds
                ),
            ),
        ]
