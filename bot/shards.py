"""Which shards this process runs, and so which servers (and what global work) are its own.

Discord sends a server's events and interactions to the session of shard
`(guild_id >> 22) % shard_count`, and everything without a server (DMs) to shard 0. A process
runs some shards (`SHARD_IDS`, or its share `CLUSTER_ID` of `CLUSTER_COUNT`); it then sends the
scheduled messages of its own servers only, and the process that runs shard 0 — the *primary* —
also does what belongs to no server (DM-only reminders, global housekeeping) and syncs the
commands once for the whole cluster. Unsharded (the default), one process owns everything.
"""

from __future__ import annotations

from dataclasses import dataclass

# Discord's sharding formula: the snowflake's timestamp bits, modulo the number of shards.
SNOWFLAKE_SHARD_SHIFT = 22
PRIMARY_SHARD = 0  # receives DMs; its process does the cluster-wide work


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> SNOWFLAKE_SHARD_SHIFT) % shard_count


@dataclass(frozen=True)
class Sharding:
    count: int
    ids: tuple[int, ...]

    @classmethod
    def cluster(cls, count: int, cluster_id: int, cluster_count: int) -> Sharding:
        """Cluster `cluster_id`'s share of `count` shards: every `cluster_count`-th one."""
        return cls(count, tuple(s for s in range(count) if s % cluster_count == cluster_id))

    @property
    def primary(self) -> bool:
        return PRIMARY_SHARD in self.ids

    @property
    def whole(self) -> bool:
        """Every shard in this one process (then an SQLite file is enough)."""
        return set(self.ids) == set(range(self.count))

    def owns(self, guild_id: int | None) -> bool:
        if guild_id is None:
            return self.primary
        return shard_of(guild_id, self.count) in self.ids

    def __str__(self) -> str:
        return f"shards {', '.join(map(str, self.ids))} / {self.count}"
