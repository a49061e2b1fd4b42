"""Soak: the real Passerelle process under a steady mixed load, and what it holds over time.

Members click « Je viens » / « Je me retire » on a few meet-ups, list them (`/rencontre liste`),
read their data (`/mes-donnees`); on a one-seat meet-up the attendee keeps withdrawing and coming
back, so the next one is promoted and told by DM; a moderator schedules an announcement every
few seconds. Every `sample` seconds: the process's resident memory, threads and open files, the
SQLite WAL's size, and what the bot says it holds (its `health:` line: asyncio tasks, views,
pending redraws, DMs on their lane), with the interactions answered and their p99.

Goal: flat after warm-up (the second half's growth printed per 10 minutes), nothing lost.
Full: 20 minutes; --quick: about a minute.
Run: .venv/bin/python bench/soak.py [--quick] [--minutes 20]
"""

from __future__ import annotations

import asyncio
import random
import re
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _loopback import COMMAND, COMPONENT, Bench, args, machine_note, percentile
from discord_server import permissions as P
from discord_server.interactions import command_data
from discord_server.world import User

RATE = 20.0  # member interactions a second
MEMBERS = 200
MEETUPS = 4
ANNOUNCE_EVERY = 5.0  # seconds
ANNOUNCE_AHEAD = 5.0  # each is due this many seconds after it is scheduled
PROMOTE_EVERY = 3.0  # seconds: one promotion DM each time (the DM lane does 1 a second)
MAX_IN_FLIGHT = 200  # member actions awaiting an answer; beyond, the next is skipped (counted)
CLICKS, LISTS = 0.7, 0.15  # shares of member actions; the rest: /mes-donnees
HEALTH_KEYS = ("tasks", "views", "view_items", "modals", "redraws", "thread_adds", "dm_lane")
HEALTH = re.compile(r"health: (.*)$")


def proc_figures(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024  # type: ignore[index]
    threads = int(re.search(r"Threads:\s+(\d+)", status)[1])  # type: ignore[index]
    fds = len(list(Path(f"/proc/{pid}/fd").iterdir()))
    return {"rss": rss, "threads": threads, "fds": fds}


class Soak:
    def __init__(self, bench: Bench, db_path: Path, seconds: float, sample: float) -> None:
        self.bench, self.db_path, self.seconds, self.sample = bench, db_path, seconds, sample
        self.latencies: list[float] = []
        self.window: list[float] = []
        self.sent = 0
        self.failed = 0
        self.announced = 0
        self.promotions = 0
        self.unanswered_setup = 0  # announcements and promotions not answered within 30 s
        self.shed = 0  # member actions skipped while MAX_IN_FLIGHT were waiting
        self.rows: list[dict[str, object]] = []
        self.going: dict[tuple[int, int], bool] = {}
        self.meetups: list[object] = []

    async def publish(self, title: str, **options: object) -> object:
        bench = self.bench
        preview = await bench.slash(
            bench.owner,
            "rencontre creer",
            titre=title,
            quand="demain 18h",
            format="presentiel",
            lieu="Lyon",
            **options,
        )
        assert preview.message is not None and preview.message.components, preview.message.text
        data = bench.click_data(preview.message, "Publier")
        inter, sent = bench.send(COMPONENT, bench.owner, bench.channel, data, preview.message)
        await bench.answered(inter, sent)
        await bench.until(lambda: any(title in m.text for m in bench.channel.messages))
        return next(m for m in bench.channel.messages if title in m.text)

    async def act(self, coro_send: tuple[object, float]) -> None:
        inter, sent = coro_send
        try:
            latency = await self.bench.answered(inter, sent, within=30)  # type: ignore[arg-type]
        except TimeoutError:
            self.failed += 1
            return
        self.latencies.append(latency)
        self.window.append(latency)

    def member_action(self, users: list[User], meetups: list[object]) -> tuple[object, float]:
        bench = self.bench
        user = random.choice(users)
        roll = random.random()
        if roll < CLICKS:
            message = random.choice(meetups)
            key = (user.id, message.id)  # type: ignore[attr-defined]
            label = "Je me retire" if self.going.get(key) else "Je viens"
            self.going[key] = not self.going.get(key)
            data = bench.click_data(message, label)  # type: ignore[arg-type]
            return bench.send(COMPONENT, user, bench.channel, data, message)  # type: ignore[arg-type]
        path = "rencontre liste" if roll < CLICKS + LISTS else "mes-donnees"
        data = command_data(bench.state, bench.guild.id, path, {})
        return bench.send(COMMAND, user, bench.channel, data)

    async def announce(self, annonces: object) -> None:
        due = datetime.now(UTC) + timedelta(seconds=ANNOUNCE_AHEAD)
        when = due.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        self.announced += 1
        try:
            await self.bench.slash(
                self.bench.owner,
                "annonce programmer",
                salon=annonces,
                quand=when,
                texte=f"Annonce {self.announced}",
            )
        except TimeoutError:
            self.unanswered_setup += 1

    async def promote(self, one_seat: object, holders: list[User]) -> None:
        """An attendee of the two-seat meet-up withdraws and queues again: the first waiting is
        promoted (a DM through the engine)."""
        bench = self.bench
        if not holders:  # the previous promotions are still waiting for their answers
            return
        holder = holders.pop(0)
        try:
            for label in ("Je me retire", "Je viens"):
                data = bench.click_data(one_seat, label)  # type: ignore[arg-type]
                inter, sent = bench.send(COMPONENT, holder, bench.channel, data, one_seat)  # type: ignore[arg-type]
                await bench.answered(inter, sent)
        except TimeoutError:
            self.unanswered_setup += 1
            return  # this holder's state is unknown: left out of the rotation
        holders.append(holder)
        self.promotions += 1

    async def restart(self, annonces: object) -> str:
        """Start again on the same database: ready, no announcement posted twice, and the
        meet-ups' buttons answer (bound to ids, they work after a restart)."""
        try:
            return await self._restart(annonces, self.meetups)
        except Exception as error:  # the soak's figures are printed all the same
            return f"FAILED: {error!r}"

    async def _restart(self, annonces: object, meetups: list[object]) -> str:
        bench = self.bench
        before = [m.content for m in annonces.messages]  # type: ignore[attr-defined]
        ready = await bench.start_passerelle(self.db_path)
        await asyncio.sleep(ANNOUNCE_AHEAD + 3)  # anything wrongly left due would be sent now
        after = [m.content for m in annonces.messages]  # type: ignore[attr-defined]
        user = bench.add_members(1, prefix="après")[0]
        data = bench.click_data(meetups[0], "Je viens")  # type: ignore[arg-type]
        inter, sent = bench.send(COMPONENT, user, bench.channel, data, meetups[0])  # type: ignore[arg-type]
        latency = await bench.answered(inter, sent)
        errors = [line for line in bench.log if "ERROR" in line or "Traceback" in line]
        code = await bench.stop_bot()
        return (
            f"ready in {ready:.1f} s, announcements {len(before)} → {len(after)} "
            f"(none sent again: {after == before}), a click answered in {latency * 1e3:.0f} ms, "
            f"errors logged {len(errors)}, exit code {code}"
        )

    def snapshot(self, started: float) -> dict[str, object]:
        assert self.bench.proc is not None
        row: dict[str, object] = {"t": time.monotonic() - started}
        row |= proc_figures(self.bench.proc.pid)
        wal = self.db_path.with_name(self.db_path.name + "-wal")
        row["wal_kb"] = wal.stat().st_size / 1024 if wal.exists() else 0
        row |= dict.fromkeys(HEALTH_KEYS, "-")  # until the bot's first health line
        for line in reversed(self.bench.log):
            found = HEALTH.search(line)
            if found:
                row |= {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", found[1])}
                break
        row["answered"] = len(self.latencies)
        row["p99_ms"] = percentile(self.window, 99) * 1e3 if self.window else float("nan")
        self.window = []
        return row

    async def run(self) -> None:
        bench = self.bench
        users = bench.add_members(MEMBERS)
        annonces = next(c for c in bench.state.channels.values() if c.name == "annonces")
        meetups = [await self.publish(f"Rencontre {i}") for i in range(MEETUPS)]
        self.meetups = meetups
        one_seat = await self.publish("Deux places", places=2)
        holders = users[:6]
        for holder in holders:  # two attendees and four waiting
            data = bench.click_data(one_seat, "Je viens")  # type: ignore[arg-type]
            inter, sent = bench.send(COMPONENT, holder, bench.channel, data, one_seat)  # type: ignore[arg-type]
            await bench.answered(inter, sent)
        crowd = users[6:]
        started = time.monotonic()
        next_sample = started
        next_announce = started
        next_promote = started
        pending: set[asyncio.Task[None]] = set()
        i = 0
        header = False
        while (now := time.monotonic()) < started + self.seconds:
            if now >= next_sample:
                row = self.snapshot(started)
                self.rows.append(row)
                if not header:
                    print("  ".join(f"{k:>10}" for k in row))
                    header = True
                print(
                    "  ".join(
                        f"{v:>10.1f}" if isinstance(v, float) else f"{v!s:>10}"
                        for v in row.values()
                    ),
                    flush=True,
                )
                next_sample += self.sample
            if now >= next_announce:
                next_announce += ANNOUNCE_EVERY
                pending.add(asyncio.ensure_future(self.announce(annonces)))
            if now >= next_promote:
                next_promote += PROMOTE_EVERY
                pending.add(asyncio.ensure_future(self.promote(one_seat, holders)))
            pending = {t for t in pending if not t.done()}
            if len(pending) < MAX_IN_FLIGHT:
                pending.add(asyncio.ensure_future(self.act(self.member_action(crowd, meetups))))
            else:  # the bot is not keeping up (a starved machine): say so rather than pile on
                self.shed += 1
            i += 1
            await asyncio.sleep(max(0.0, started + i / RATE - time.monotonic()))
        await asyncio.gather(*pending)
        self.rows.append(self.snapshot(started))


def growth(rows: list[dict[str, object]], key: str) -> float:
    """Growth of `key` per 10 minutes over the second half (after warm-up)."""
    half = rows[len(rows) // 2 :]
    if len(half) < 2 or key not in half[0] or key not in half[-1]:  # noqa: PLR2004 - two points
        return float("nan")
    try:
        span = float(half[-1]["t"]) - float(half[0]["t"])  # type: ignore[arg-type]
        delta = float(half[-1][key]) - float(half[0][key])  # type: ignore[arg-type]
    except ValueError:  # no figure yet (« - »)
        return float("nan")
    return delta / span * 600 if span else float("nan")


async def main() -> None:
    options = args(__doc__, minutes=20.0)
    seconds = 60.0 if options.quick else options.minutes * 60
    sample = 5.0 if options.quick else 30.0
    print(machine_note())
    print(
        f"soak: {seconds / 60:.1f} min, {RATE:g} member interactions/s, sample every {sample:g} s"
    )
    random.seed(8)
    bench = Bench()
    role = bench.state.add_role(bench.guild, "Passerelle", P.BOT_DEFAULT)
    bench.guild.members[bench.state.bot_user.id].role_ids.append(role.id)
    bench.state.add_channel(bench.guild, "annonces")
    await bench.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "soak.db"
            await bench.start_passerelle(db_path, health=sample)
            await bench.settled()
            soak = Soak(bench, db_path, seconds, sample)
            await soak.run()
            await asyncio.sleep(ANNOUNCE_AHEAD + 3)  # the last announcements fall due
            annonces = next(c for c in bench.state.channels.values() if c.name == "annonces")
            posts = [m.content for m in annonces.messages if m.content.startswith("Annonce ")]
            promoted_dms = sum(len(u.dms) for u in bench.state.users.values())
            errors = [line for line in bench.log if "ERROR" in line or "Traceback" in line]
            t0 = time.monotonic()
            code = await bench.stop_bot()
            stop = time.monotonic() - t0
            rows = soak.rows
            log = bench.log
            last_health = next((line for line in reversed(log) if "health:" in line), "")
            restart = await soak.restart(annonces)
    finally:
        await bench.stop()
    print(
        f"\ninteractions answered {len(soak.latencies)} (timed out {soak.failed}, "
        f"skipped while {MAX_IN_FLIGHT} waited {soak.shed}; setup steps unanswered "
        f"{soak.unanswered_setup}); "
        f"p99 {percentile(soak.latencies, 99) * 1e3:.0f} ms; announcements posted {len(posts)} "
        f"(distinct {len(set(posts))}) of {soak.announced}; "
        f"promotion DMs {promoted_dms}/{soak.promotions}; "
        f"429: {bench.too_many()}; errors logged: {len(errors)}; "
        f"SIGTERM → exit code {code} in {stop:.1f} s"
    )
    print(f"  restart on the same database: {restart}")
    print("  last", last_health[last_health.find("health:") :])
    if errors:
        first = log.index(errors[0])
        print("\n".join("  | " + line[:200] for line in log[first : first + 25]))
    for key in ("rss", "tasks", "views", "view_items", "fds", "threads", "wal_kb"):
        first = rows[len(rows) // 2].get(key, float("nan"))
        last = rows[-1].get(key, float("nan"))
        print(f"  {key:<10} second half: {first} → {last}; per 10 min {growth(rows, key):+.1f}")


if __name__ == "__main__":
    asyncio.run(main())
