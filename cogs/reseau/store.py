"""All the SQL of Réseau (portable: `?` placeholders, ON CONFLICT, RETURNING, no SQLite-only
functions), one store class per part, composed in `ReseauStore`. The directory and mentor
matching are ranked in SQL so that a page reads five rows, not the whole server;
`service.rank` and `service.best_mentors` are the same rules in Python, and the tests compare
the two. Longer than most stores: four tables that move together (a request becomes a pairing,
an erasure touches all of them) read better side by side than split."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.db import Database, Tx
from bot.db.timestamps import from_ts, to_ts
from bot.reference import places
from bot.reference.practice import FIELD_BITS, LANGUAGE_BITS, StructureType, from_mask, to_mask
from cogs.reseau.service import (
    ANONYMOUS,
    DRAFT_TTL,
    FIELD_MATCH,
    LANGUAGE_MATCH,
    MOVING_THERE,
    OPEN_TO_BITS,
    PAGE_SIZE,
    SAME_COUNTRY,
    SAME_DESTINATION,
    SAME_PLACE,
    Counts,
    Draft,
    DraftKind,
    MentorOffer,
    MentorSearch,
    PersonalRecords,
    Profile,
    ProfileFields,
    Ranking,
    ReseauConfig,
    consent,
)
from cogs.reseau.service.consent import (
    Answer,
    Asking,
    ContactRequest,
    Outcome,
    Pairing,
    PairingStatus,
    RequestKind,
    RequestStatus,
)


# -- rows ------------------------------------------------------------------------------------
def profile_row(row: Any) -> Profile:
    return Profile(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        profession=row["profession"],
        place=row["place"],
        city=row["city"],
        target_place=row["target_place"],
        move_month=row["move_month"],
        structure=StructureType(row["structure"]) if row["structure"] else None,
        fields=frozenset(from_mask(row["fields"], FIELD_BITS)),
        languages=frozenset(from_mask(row["languages"], LANGUAGE_BITS)),
        years=row["years"],
        open_to=frozenset(from_mask(row["open_to"], OPEN_TO_BITS)),
        presentation=row["presentation"],
        visible=bool(row["visible"]),
        updated_at=from_ts(row["updated_at"]),
    )


def ts_or_none(value: int | None) -> datetime | None:
    return None if value is None else from_ts(value)


def request_row(row: Any) -> ContactRequest:
    return ContactRequest(
        id=row["id"],
        guild_id=row["guild_id"],
        requester_id=row["requester_id"],
        recipient_id=row["recipient_id"],
        kind=RequestKind(row["kind"]),
        message=row["message"],
        status=RequestStatus(row["status"]),
        created_at=from_ts(row["created_at"]),
        expires_at=from_ts(row["expires_at"]),
        answered_at=ts_or_none(row["answered_at"]),
        concluded_at=ts_or_none(row["concluded_at"]),
        reported=bool(row["reported"]),
        arrival=row["arrival"],
        thread_id=row["thread_id"],
        requester_details=row["requester_details"],
        recipient_details=row["recipient_details"],
    )


def mentor_row(row: Any) -> MentorOffer:
    return MentorOffer(
        id=row["id"],
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        place=row["place"],
        profession=row["profession"],
        capacity=row["capacity"],
        fields=frozenset(from_mask(row["fields"], FIELD_BITS)),
        languages=frozenset(from_mask(row["languages"], LANGUAGE_BITS)),
        active_pairings=row["busy"],
    )


def pairing_row(row: Any) -> Pairing:
    return Pairing(
        id=row["id"],
        guild_id=row["guild_id"],
        mentor_id=row["mentor_id"],
        mentee_id=row["mentee_id"],
        request_id=row["request_id"],
        status=PairingStatus(row["status"]),
        arrival=row["arrival"],
        started_at=from_ts(row["started_at"]),
        ended_at=ts_or_none(row["ended_at"]),
    )


def marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


# -- the directory's SQL -----------------------------------------------------------------------
def _directory_where(ranking: Ranking) -> tuple[str, list[Any]]:
    where = ["guild_id = ?", "visible = 1", "user_id <> ?"]
    params: list[Any] = [ranking.guild_id, ranking.viewer_id]
    if ranking.professions is not None:
        codes = sorted(ranking.professions)
        where.append(f"profession IN ({marks(codes)})")
        params += codes
    if ranking.countries is not None:
        countries = sorted(ranking.countries)
        where.append(f"country IN ({marks(countries)})")
        params += countries
    if ranking.place is not None:
        where.append("(place = ? OR target_place = ?)")
        params += [ranking.place, ranking.place]
    if ranking.practice is not None:
        where.append("(fields & ?) <> 0")
        params.append(1 << FIELD_BITS[ranking.practice])
    if ranking.open_to is not None:
        where.append("(open_to & ?) <> 0")
        params.append(1 << OPEN_TO_BITS[ranking.open_to])
    return " AND ".join(where), params


def directory_sql(ranking: Ranking, page: int) -> tuple[str, list[Any]]:
    """The SELECT of one page of `ranking`, with the total count of matching profiles."""
    where, params = _directory_where(ranking)
    score_parts: list[str] = []
    score_params: list[Any] = []
    by_weight: dict[int, list[str]] = {}
    for code, weight in ranking.profession_weights.items():
        by_weight.setdefault(weight, []).append(code)
    if by_weight:
        cases = []
        for weight in sorted(by_weight, reverse=True):
            codes = sorted(by_weight[weight])
            cases.append(f"WHEN profession IN ({marks(codes)}) THEN {weight:d}")
            score_params += codes
        score_parts.append(f"(CASE {' '.join(cases)} ELSE 0 END)")
    if ranking.reference_place is not None:
        score_parts.append(
            f"(CASE WHEN place = ? THEN {SAME_PLACE:d} WHEN target_place = ? THEN"
            f" {MOVING_THERE:d} WHEN country = ? THEN {SAME_COUNTRY:d} ELSE 0 END)"
        )
        score_params += [ranking.reference_place] * 2 + [ranking.reference_country]
    score = " + ".join(score_parts) or "0"
    # Ranked on narrow rows (the covering index reseau_profiles_directory), then the page's
    # five profiles are read whole: sorting whole rows, presentations included, costs 4–5×.
    sql = (
        f"WITH ranked AS (SELECT id, updated_at, {score} AS score, COUNT(*) OVER () AS total"
        f" FROM reseau_profiles WHERE {where}"
        " ORDER BY score DESC, updated_at DESC, id ASC LIMIT ? OFFSET ?)"
        " SELECT p.*, ranked.score, ranked.total FROM ranked"
        " JOIN reseau_profiles p ON p.id = ranked.id"
        " ORDER BY ranked.score DESC, ranked.updated_at DESC, ranked.id ASC"
    )
    return sql, [*score_params, *params, PAGE_SIZE, page * PAGE_SIZE]


class ProfileStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- configuration ---------------------------------------------------------------------------
    async def config(self, guild_id: int) -> ReseauConfig:
        row = await self.db.fetchone("SELECT * FROM reseau_config WHERE guild_id = ?", (guild_id,))
        if row is None:
            return ReseauConfig(guild_id)
        return ReseauConfig(guild_id, row["thread_channel_id"], row["directory_role_id"])

    async def save_config(self, config: ReseauConfig) -> None:
        await self.db.execute(
            "INSERT INTO reseau_config (guild_id, thread_channel_id, directory_role_id)"
            " VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
            " thread_channel_id = excluded.thread_channel_id,"
            " directory_role_id = excluded.directory_role_id",
            (config.guild_id, config.thread_channel_id, config.directory_role_id),
        )

    async def counts(self, guild_id: int, now: datetime) -> Counts:
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM reseau_profiles WHERE guild_id = ?) AS profiles,"
            " (SELECT COUNT(*) FROM reseau_profiles WHERE guild_id = ? AND visible = 1)"
            " AS visible,"
            " (SELECT COUNT(*) FROM reseau_requests WHERE guild_id = ? AND status <> ?"
            " AND concluded_at IS NULL) AS open_requests,"
            " (SELECT COUNT(*) FROM reseau_pairings WHERE guild_id = ? AND status = ?)"
            " AS pairings,"
            " (SELECT COUNT(*) FROM reseau_mentors WHERE guild_id = ? AND active = 1) AS mentors",
            (
                guild_id,
                guild_id,
                guild_id,
                RequestStatus.ACCEPTED,
                guild_id,
                PairingStatus.ACTIVE,
                guild_id,
            ),
        )
        assert row is not None
        return Counts(
            row["profiles"], row["visible"], row["open_requests"], row["pairings"], row["mentors"]
        )

    # -- profiles --------------------------------------------------------------------------------
    async def profile(self, guild_id: int, user_id: int) -> Profile | None:
        row = await self.db.fetchone(
            "SELECT * FROM reseau_profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return None if row is None else profile_row(row)

    async def profile_by_id(self, profile_id: int) -> Profile | None:
        row = await self.db.fetchone("SELECT * FROM reseau_profiles WHERE id = ?", (profile_id,))
        return None if row is None else profile_row(row)

    async def save_profile(
        self, guild_id: int, user_id: int, fields: ProfileFields, now: datetime
    ) -> Profile:
        """Create or replace the member's profile in this server; a new one is hidden, an
        existing one keeps its visibility."""
        place = places.get(fields.place)
        assert place is not None
        values = (
            fields.profession,
            place.country,
            fields.place,
            fields.city,
            fields.target_place,
            fields.move_month,
            fields.structure.value if fields.structure else None,
            to_mask(fields.fields, FIELD_BITS),
            to_mask(fields.languages, LANGUAGE_BITS),
            fields.years,
            to_mask(fields.open_to, OPEN_TO_BITS),
            fields.presentation,
        )
        async with self.db.transaction() as tx:
            profile_id = await tx.fetchval(
                "INSERT INTO reseau_profiles (guild_id, user_id, profession, country, place, city,"
                " target_place, move_month, structure, fields, languages, years, open_to,"
                " presentation, visible, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)"
                " ON CONFLICT (guild_id, user_id) DO UPDATE SET profession = excluded.profession,"
                " country = excluded.country, place = excluded.place, city = excluded.city,"
                " target_place = excluded.target_place, move_month = excluded.move_month,"
                " structure = excluded.structure, fields = excluded.fields,"
                " languages = excluded.languages, years = excluded.years,"
                " open_to = excluded.open_to, presentation = excluded.presentation,"
                " updated_at = excluded.updated_at RETURNING id",
                (guild_id, user_id, *values, to_ts(now), to_ts(now)),
            )
        profile = await self.profile_by_id(int(profile_id))
        assert profile is not None
        return profile

    async def update_choices(self, profile: Profile, now: datetime, **changes: Any) -> Profile:
        """Change the select-menu parts of a profile (fields, open_to, languages, structure)."""
        updated = replace(profile, **changes)
        await self.db.execute(
            "UPDATE reseau_profiles SET fields = ?, open_to = ?, languages = ?, structure = ?,"
            " updated_at = ? WHERE id = ?",
            (
                to_mask(updated.fields, FIELD_BITS),
                to_mask(updated.open_to, OPEN_TO_BITS),
                to_mask(updated.languages, LANGUAGE_BITS),
                updated.structure.value if updated.structure else None,
                to_ts(now),
                profile.id,
            ),
        )
        return replace(updated, updated_at=now)

    async def set_visible(self, guild_id: int, user_id: int, visible: bool, now: datetime) -> bool:
        cur = await self.db.execute(
            "UPDATE reseau_profiles SET visible = ?, updated_at = ? WHERE guild_id = ? AND"
            " user_id = ?",
            (int(visible), to_ts(now), guild_id, user_id),
        )
        return cur.rowcount > 0

    async def delete_profile(self, guild_id: int, user_id: int) -> bool:
        cur = await self.db.execute(
            "DELETE FROM reseau_profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return cur.rowcount > 0

    async def forget_member(self, guild_id: int, user_id: int) -> None:
        """A member left the server: their profile and mentor offer go."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "DELETE FROM reseau_profiles WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            await tx.execute(
                "DELETE FROM reseau_mentors WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )

    async def directory_page(self, ranking: Ranking, page: int) -> tuple[list[Profile], int]:
        """One page (PAGE_SIZE profiles, best first) and how many match in all."""
        sql, params = directory_sql(ranking, page)
        rows = await self.db.fetchall(sql, params)
        if rows:
            return [profile_row(r) for r in rows], int(rows[0]["total"])
        if page == 0:
            return [], 0
        where, params = _directory_where(ranking)
        total = await self.db.fetchval(
            f"SELECT COUNT(*) FROM reseau_profiles WHERE {where}", params
        )
        return [], int(total or 0)


class RequestStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- contact requests ------------------------------------------------------------------------
    async def request(self, request_id: int) -> ContactRequest | None:
        row = await self.db.fetchone("SELECT * FROM reseau_requests WHERE id = ?", (request_id,))
        return None if row is None else request_row(row)

    async def ask(
        self,
        guild_id: int,
        requester_id: int,
        recipient_id: int,
        kind: RequestKind,
        message: str,
        now: datetime,
        *,
        recipient_is_bot: bool,
        recipient_is_member: bool,
        arrival: str | None = None,
    ) -> tuple[Outcome, ContactRequest | None]:
        """Decide and record a new request in one transaction (two clicks make one request)."""
        async with self.db.transaction() as tx:
            asking = Asking(
                requester_id=requester_id,
                recipient_id=recipient_id,
                recipient_is_bot=recipient_is_bot,
                recipient_visible=await self._reachable(tx, guild_id, recipient_id, kind),
                recipient_is_member=recipient_is_member,
                blocked=await tx.fetchone(
                    "SELECT 1 FROM reseau_blocks WHERE guild_id = ? AND blocker_id = ? AND"
                    " blocked_id = ?",
                    (guild_id, recipient_id, requester_id),
                )
                is not None,
                between=[
                    request_row(r)
                    for r in await tx.fetchall(
                        "SELECT * FROM reseau_requests WHERE guild_id = ? AND requester_id = ? AND"
                        " recipient_id = ? AND kind = ?",
                        (guild_id, requester_id, recipient_id, kind),
                    )
                ],
                pending_count=int(
                    await tx.fetchval(
                        "SELECT COUNT(*) FROM reseau_requests WHERE requester_id = ? AND"
                        " guild_id = ? AND concluded_at IS NULL AND status <> ?",
                        (requester_id, guild_id, RequestStatus.ACCEPTED),
                    )
                ),
            )
            outcome = consent.decide(asking, message, now)
            if outcome is Outcome.NEUTRAL:
                return outcome, None
            draft = consent.new_request(
                0, guild_id, requester_id, recipient_id, kind, message, outcome, now, arrival
            )
            request_id = await tx.fetchval(
                "INSERT INTO reseau_requests (guild_id, requester_id, recipient_id, kind, message,"
                " status, created_at, expires_at, answered_at, arrival)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    guild_id,
                    requester_id,
                    recipient_id,
                    kind,
                    draft.message,
                    draft.status,
                    to_ts(now),
                    to_ts(draft.expires_at),
                    None if draft.answered_at is None else to_ts(draft.answered_at),
                    arrival,
                ),
            )
        return outcome, replace(draft, id=int(request_id))

    async def _reachable(self, tx: Tx, guild_id: int, user_id: int, kind: RequestKind) -> bool:
        """A visible profile (contact) or an active mentor offer with room (mentoring). The row is
        locked (FOR UPDATE): on PostgreSQL, two requests to one member are decided one after the
        other, as SQLite's write lock does (two clicks make one request, a mentor's last place
        goes once)."""
        if kind == RequestKind.MENTORING:
            row = await tx.fetchone(
                "SELECT capacity, (SELECT COUNT(*) FROM reseau_pairings p WHERE p.guild_id = ?"
                " AND p.mentor_id = ? AND p.status = ?) AS busy FROM reseau_mentors"
                " WHERE guild_id = ? AND user_id = ? AND active = 1 FOR UPDATE",
                (guild_id, user_id, PairingStatus.ACTIVE, guild_id, user_id),
            )
            return row is not None and row["busy"] < row["capacity"]
        row = await tx.fetchone(
            "SELECT 1 FROM reseau_profiles WHERE guild_id = ? AND user_id = ? AND visible = 1"
            " FOR UPDATE",
            (guild_id, user_id),
        )
        return row is not None

    async def answer(
        self, request_id: int, action: Answer, by: int, now: datetime
    ) -> ContactRequest | None:
        """Record the recipient's answer (and the block); None if the request is gone."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM reseau_requests WHERE id = ? FOR UPDATE", (request_id,)
            )
            if row is None:
                return None
            updated = consent.answer(request_row(row), action, by, now)
            await tx.execute(
                "UPDATE reseau_requests SET status = ?, answered_at = ? WHERE id = ?",
                (updated.status, to_ts(now), request_id),
            )
            if action is Answer.BLOCK:
                await tx.execute(
                    "INSERT INTO reseau_blocks (guild_id, blocker_id, blocked_id, created_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, blocker_id, blocked_id)"
                    " DO NOTHING",
                    (updated.guild_id, by, updated.requester_id, to_ts(now)),
                )
        return updated

    async def expire(
        self, request_id: int, now: datetime
    ) -> tuple[ContactRequest, ContactRequest] | None:
        """The expiry (before, after); idempotent, None if the request is gone."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM reseau_requests WHERE id = ? FOR UPDATE", (request_id,)
            )
            if row is None:
                return None
            before = request_row(row)
            after = consent.expire(before, now)
            if after != before:
                await tx.execute(
                    "UPDATE reseau_requests SET status = ?, concluded_at = ? WHERE id = ?",
                    (after.status, to_ts(now), request_id),
                )
        return before, after

    async def mark_reported(self, request_id: int) -> bool:
        """True the first time only."""
        cur = await self.db.execute(
            "UPDATE reseau_requests SET reported = 1 WHERE id = ? AND reported = 0", (request_id,)
        )
        return cur.rowcount > 0

    async def set_thread(self, request_id: int, thread_id: int) -> None:
        await self.db.execute(
            "UPDATE reseau_requests SET thread_id = ? WHERE id = ?", (thread_id, request_id)
        )

    async def set_details(self, request_id: int, user_id: int, details: str) -> bool:
        """Store the details `user_id` chose to give (either side of an accepted request)."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT * FROM reseau_requests WHERE id = ? FOR UPDATE", (request_id,)
            )
            if row is None or row["status"] != RequestStatus.ACCEPTED:
                return False
            column = {
                row["requester_id"]: "requester_details",
                row["recipient_id"]: "recipient_details",
            }.get(user_id)
            if column is None:
                return False
            await tx.execute(
                f"UPDATE reseau_requests SET {column} = ? WHERE id = ?",
                (details, request_id),
            )
        return True

    async def sent(self, guild_id: int, user_id: int) -> list[ContactRequest]:
        rows = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE guild_id = ? AND requester_id = ?"
            " ORDER BY created_at DESC, id DESC",
            (guild_id, user_id),
        )
        return [request_row(r) for r in rows]

    async def received(self, guild_id: int, user_id: int, now: datetime) -> list[ContactRequest]:
        """Requests waiting for this member's answer, then the accepted ones."""
        rows = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE guild_id = ? AND recipient_id = ? AND"
            " ((status = ? AND expires_at > ?) OR status = ?) ORDER BY status DESC,"
            " created_at DESC, id DESC",
            (guild_id, user_id, RequestStatus.PENDING, to_ts(now), RequestStatus.ACCEPTED),
        )
        return [request_row(r) for r in rows]

    async def prune(self, now: datetime) -> list[int]:
        """Delete refused, blocked and expired requests 30 days after they ended (their ids),
        after ending those whose expiry the engine could not deliver in time."""
        ended = sorted(consent.ENDED_WITHOUT_FOLLOW_UP)
        async with self.db.transaction() as tx:
            for row in await tx.fetchall(
                "SELECT * FROM reseau_requests WHERE concluded_at IS NULL AND status <> ?"
                " AND expires_at <= ?",
                (RequestStatus.ACCEPTED, to_ts(consent.overdue_before(now))),
            ):
                after = consent.expire(request_row(row), now)
                await tx.execute(
                    "UPDATE reseau_requests SET status = ?, concluded_at = ? WHERE id = ?",
                    (after.status, to_ts(now), after.id),
                )
            rows = await tx.fetchall(
                f"DELETE FROM reseau_requests WHERE concluded_at IS NOT NULL AND concluded_at <= ?"
                f" AND status IN ({marks(ended)}) RETURNING id",
                (to_ts(consent.prune_before(now)), *ended),
            )
            await tx.execute(
                "DELETE FROM reseau_drafts WHERE created_at <= ?",
                (to_ts(now) - int(DRAFT_TTL.total_seconds()),),
            )
        return [r[0] for r in rows]

    # -- drafts (a flagged text waiting for « envoyer quand même ») ------------------------------
    async def save_draft(
        self, guild_id: int, user_id: int, kind: str, payload: dict[str, Any], now: datetime
    ) -> int:
        async with self.db.transaction() as tx:
            draft_id = await tx.fetchval(
                "INSERT INTO reseau_drafts (guild_id, user_id, kind, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (guild_id, user_id, kind, json.dumps(payload), to_ts(now)),
            )
        return int(draft_id)

    async def take_draft(self, draft_id: int, user_id: int, now: datetime) -> Draft | None:
        """The draft, removed (once), if it is this member's and younger than an hour."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "DELETE FROM reseau_drafts WHERE id = ? AND user_id = ? AND created_at > ?"
                " RETURNING *",
                (draft_id, user_id, to_ts(now) - int(DRAFT_TTL.total_seconds())),
            )
        if row is None:
            return None
        return Draft(
            row["id"],
            row["guild_id"],
            row["user_id"],
            DraftKind(row["kind"]),
            json.loads(row["payload"]),
            from_ts(row["created_at"]),
        )

    async def drop_draft(self, draft_id: int, user_id: int) -> None:
        await self.db.execute(
            "DELETE FROM reseau_drafts WHERE id = ? AND user_id = ?", (draft_id, user_id)
        )


class MentoringStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- mentoring -------------------------------------------------------------------------------
    async def save_mentor(self, offer: MentorOffer, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO reseau_mentors (guild_id, user_id, place, country, profession, capacity,"
            " fields, languages, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET place = excluded.place,"
            " country = excluded.country, profession = excluded.profession,"
            " capacity = excluded.capacity, fields = excluded.fields,"
            " languages = excluded.languages, active = 1",
            (
                offer.guild_id,
                offer.user_id,
                offer.place,
                offer.country,
                offer.profession,
                offer.capacity,
                to_mask(offer.fields, FIELD_BITS),
                to_mask(offer.languages, LANGUAGE_BITS),
                to_ts(now),
            ),
        )

    async def stop_mentoring(self, guild_id: int, user_id: int) -> bool:
        cur = await self.db.execute(
            "UPDATE reseau_mentors SET active = 0 WHERE guild_id = ? AND user_id = ? AND"
            " active = 1",
            (guild_id, user_id),
        )
        return cur.rowcount > 0

    async def mentor(self, guild_id: int, user_id: int) -> MentorOffer | None:
        row = await self.db.fetchone(
            "SELECT m.*, (SELECT COUNT(*) FROM reseau_pairings p WHERE p.guild_id = m.guild_id"
            " AND p.mentor_id = m.user_id AND p.status = ?) AS busy FROM reseau_mentors m"
            " WHERE m.guild_id = ? AND m.user_id = ? AND m.active = 1",
            (PairingStatus.ACTIVE, guild_id, user_id),
        )
        return None if row is None else mentor_row(row)

    async def best_mentors(self, search: MentorSearch, limit: int) -> list[MentorOffer]:
        """The best offers for `search`, ranked in SQL as `service.best_mentors` ranks them."""
        parts = [f"(CASE WHEN place = ? THEN {SAME_DESTINATION:d} ELSE 0 END)"]
        params: list[Any] = [search.destination]
        by_weight: dict[int, list[str]] = {}
        for code, weight in search.profession_weights.items():
            by_weight.setdefault(weight, []).append(code)
        if by_weight:
            cases = []
            for weight in sorted(by_weight, reverse=True):
                codes = sorted(by_weight[weight])
                cases.append(f"WHEN profession IN ({marks(codes)}) THEN {weight:d}")
                params += codes
            parts.append(f"(CASE {' '.join(cases)} ELSE 0 END)")
        if search.practice is not None:
            parts.append(f"(CASE WHEN (fields & ?) <> 0 THEN {FIELD_MATCH:d} ELSE 0 END)")
            params.append(1 << FIELD_BITS[search.practice])
        if search.language is not None:
            parts.append(f"(CASE WHEN (languages & ?) <> 0 THEN {LANGUAGE_MATCH:d} ELSE 0 END)")
            params.append(1 << LANGUAGE_BITS[search.language])
        sql = (
            f"SELECT *, {' + '.join(parts)} AS score FROM ("
            "SELECT m.*, (SELECT COUNT(*) FROM reseau_pairings p WHERE p.guild_id = m.guild_id"
            " AND p.mentor_id = m.user_id AND p.status = ?) AS busy FROM reseau_mentors m"
            " WHERE m.guild_id = ? AND m.active = 1 AND m.country = ? AND m.user_id <> ?) offers"
            " WHERE busy < capacity ORDER BY score DESC, capacity - busy DESC, id ASC LIMIT ?"
        )
        rows = await self.db.fetchall(
            sql,
            (*params, PairingStatus.ACTIVE, search.guild_id, search.country, search.user_id, limit),
        )
        return [mentor_row(r) for r in rows]

    async def start_pairing(self, request: ContactRequest, now: datetime) -> Pairing:
        """The recipient of a mentoring request is the mentor."""
        async with self.db.transaction() as tx:
            pairing_id = await tx.fetchval(
                "INSERT INTO reseau_pairings (guild_id, mentor_id, mentee_id, request_id, status,"
                " arrival, started_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    request.guild_id,
                    request.recipient_id,
                    request.requester_id,
                    request.id,
                    PairingStatus.ACTIVE,
                    request.arrival,
                    to_ts(now),
                ),
            )
        pairing = await self.pairing(int(pairing_id))
        assert pairing is not None
        return pairing

    async def pairing(self, pairing_id: int) -> Pairing | None:
        row = await self.db.fetchone("SELECT * FROM reseau_pairings WHERE id = ?", (pairing_id,))
        return None if row is None else pairing_row(row)

    async def pairings_of(self, guild_id: int, user_id: int) -> list[Pairing]:
        """The member's active pairings, as mentor or newcomer."""
        rows = await self.db.fetchall(
            "SELECT * FROM reseau_pairings WHERE guild_id = ? AND status = ? AND"
            " (mentor_id = ? OR mentee_id = ?) ORDER BY started_at, id",
            (guild_id, PairingStatus.ACTIVE, user_id, user_id),
        )
        return [pairing_row(r) for r in rows]

    async def end_pairing(self, pairing_id: int, now: datetime) -> bool:
        """True when this call ended it (once)."""
        cur = await self.db.execute(
            "UPDATE reseau_pairings SET status = ?, ended_at = ? WHERE id = ? AND status = ?",
            (PairingStatus.ENDED, to_ts(now), pairing_id, PairingStatus.ACTIVE),
        )
        return cur.rowcount > 0


class PersonalStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- personal data ---------------------------------------------------------------------------
    async def records(self, user_id: int) -> PersonalRecords:
        """What Réseau holds about `user_id`, in every server. Blocks made against them are the
        blocker's data and are not included (they would reveal the block)."""
        profiles = await self.db.fetchall(
            "SELECT * FROM reseau_profiles WHERE user_id = ? ORDER BY guild_id", (user_id,)
        )
        sent = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE requester_id = ? ORDER BY id", (user_id,)
        )
        received = await self.db.fetchall(
            "SELECT * FROM reseau_requests WHERE recipient_id = ? ORDER BY id", (user_id,)
        )
        blocks = await self.db.fetchall(
            "SELECT guild_id, blocked_id FROM reseau_blocks WHERE blocker_id = ?"
            " ORDER BY guild_id, blocked_id",
            (user_id,),
        )
        mentors = await self.db.fetchall(
            "SELECT m.*, 0 AS busy FROM reseau_mentors m WHERE user_id = ? ORDER BY guild_id",
            (user_id,),
        )
        pairings = await self.db.fetchall(
            "SELECT * FROM reseau_pairings WHERE mentor_id = ? OR mentee_id = ? ORDER BY id",
            (user_id, user_id),
        )
        drafts = await self.db.fetchval(
            "SELECT COUNT(*) FROM reseau_drafts WHERE user_id = ?", (user_id,)
        )
        return PersonalRecords(
            profiles=[profile_row(r) for r in profiles],
            sent=[request_row(r) for r in sent],
            received=[request_row(r) for r in received],
            blocked=[(b["guild_id"], b["blocked_id"]) for b in blocks],
            mentor_offers=[mentor_row(m) for m in mentors],
            mentor_active=[bool(m["active"]) for m in mentors],
            pairings=[pairing_row(p) for p in pairings],
            drafts=int(drafts or 0),
        )

    async def erase(self, user_id: int, now: datetime) -> tuple[int, list[int], list[int]]:
        """Erase `user_id` from Réseau: (records removed or anonymised, ids of the requests whose
        expiry must be cancelled, ids of the pairings whose check-ins must be cancelled).

        Requests they received stay with their requester until the usual expiry, anonymised, so
        that the requester sees what they would have seen anyway (« pas de suite »)."""
        async with self.db.transaction() as tx:
            count = 0
            gone = [
                r[0]
                for r in await tx.fetchall(
                    "DELETE FROM reseau_requests WHERE requester_id = ? RETURNING id", (user_id,)
                )
            ]
            count += len(gone)
            accepted = [
                r[0]
                for r in await tx.fetchall(
                    "UPDATE reseau_requests SET recipient_id = ?, recipient_details = NULL"
                    " WHERE recipient_id = ? AND status = ? RETURNING id",
                    (ANONYMOUS, user_id, RequestStatus.ACCEPTED),
                )
            ]
            waiting = await tx.fetchall(
                "UPDATE reseau_requests SET recipient_id = ?, status = CASE WHEN status = ?"
                " THEN ? ELSE status END, answered_at = COALESCE(answered_at, ?)"
                " WHERE recipient_id = ? RETURNING id",
                (ANONYMOUS, RequestStatus.PENDING, RequestStatus.REFUSED, to_ts(now), user_id),
            )
            count += len(accepted) + len(waiting)
            pairings = [
                r[0]
                for r in await tx.fetchall(
                    "SELECT id FROM reseau_pairings WHERE (mentor_id = ? OR mentee_id = ?)"
                    " AND status = ?",
                    (user_id, user_id, PairingStatus.ACTIVE),
                )
            ]
            cur = await tx.execute(
                "UPDATE reseau_pairings SET status = ?, ended_at = COALESCE(ended_at, ?),"
                " mentor_id = CASE WHEN mentor_id = ? THEN ? ELSE mentor_id END,"
                " mentee_id = CASE WHEN mentee_id = ? THEN ? ELSE mentee_id END"
                " WHERE mentor_id = ? OR mentee_id = ?",
                (
                    PairingStatus.ENDED,
                    to_ts(now),
                    user_id,
                    ANONYMOUS,
                    user_id,
                    ANONYMOUS,
                    user_id,
                    user_id,
                ),
            )
            count += cur.rowcount
            for table, column in (
                ("reseau_profiles", "user_id"),
                ("reseau_mentors", "user_id"),
                ("reseau_blocks", "blocker_id"),
                ("reseau_drafts", "user_id"),
            ):
                cur = await tx.execute(
                    f"DELETE FROM {table} WHERE {column} = ?",
                    (user_id,),
                )
                count += cur.rowcount
        return count, gone, pairings


class ReseauStore:
    """The feature's stores, side by side (built once in `setup`)."""

    def __init__(self, db: Database) -> None:
        self.profiles = ProfileStore(db)
        self.requests = RequestStore(db)
        self.mentoring = MentoringStore(db)
        self.personal = PersonalStore(db)
