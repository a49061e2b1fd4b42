"""Configuration, profiles and the directory's SQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import to_ts
from bot.reference import places
from bot.reference.practice import FIELD_BITS, LANGUAGE_BITS, to_mask
from cogs.reseau.consent import (
    PairingStatus,
    RequestStatus,
)
from cogs.reseau.service import (
    MOVING_THERE,
    OPEN_TO_BITS,
    PAGE_SIZE,
    SAME_COUNTRY,
    SAME_PLACE,
    Profile,
    ProfileFields,
    Ranking,
)
from cogs.reseau.store.rows import (
    Counts,
    ReseauConfig,
    marks,
    profile_row,
)


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
    sql = (
        f"SELECT *, {score} AS score, COUNT(*) OVER () AS total FROM reseau_profiles"
        f" WHERE {where}"
        " ORDER BY score DESC, updated_at DESC, id ASC LIMIT ? OFFSET ?"
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
