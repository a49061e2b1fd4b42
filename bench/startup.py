"""Process start to ready: Passerelle against the bare discord.py bot, on the same loopback Discord.

Both are real processes started the way an operator starts them, with their bytecode cached
(as after a first start). Rounds alternate between the two bots; medians are compared.
Goal: Passerelle ≤ 1.5× the bare bot. Also prints each one's peak memory.

Run: .venv/bin/python bench/startup.py [--quick]
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from pathlib import Path

from _loopback import Bench, args, cpu_seconds, machine_note, peak_rss_mb, ratio


async def once(which: str, db_path: Path) -> tuple[float, float, float]:
    bench = Bench()
    await bench.start()
    try:
        if which == "bare":
            seconds = await bench.start_bare()
        else:
            seconds = await bench.start_passerelle(db_path)
        assert bench.proc is not None
        return seconds, cpu_seconds(bench.proc.pid), peak_rss_mb(bench.proc.pid)
    finally:
        await bench.stop()


async def main() -> None:
    options = args(__doc__)
    rounds = 2 if options.quick else 7
    print(machine_note())
    times: dict[str, list[float]] = {"bare": [], "passerelle": []}
    cpu: dict[str, list[float]] = {"bare": [], "passerelle": []}
    memory: dict[str, list[float]] = {"bare": [], "passerelle": []}
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        for which in times:  # warm-up: bytecode written, database created and migrated
            await once(which, db_path)
        for _ in range(rounds):
            for which, figures in times.items():
                seconds, used, mb = await once(which, db_path)
                figures.append(seconds)
                cpu[which].append(used)
                memory[which].append(mb)
    bare, ours = statistics.median(times["bare"]), statistics.median(times["passerelle"])
    for which, figures in times.items():
        print(f"{which}: " + ", ".join(f"{x:.2f}" for x in sorted(figures)) + " s")
    print(ratio("process start → ready (median)", bare, ours, "s", "≤ 1.5×"))
    bare_cpu, our_cpu = statistics.median(cpu["bare"]), statistics.median(cpu["passerelle"])
    print(ratio("CPU used until ready (median)", bare_cpu, our_cpu, "s"))
    print(ratio("peak memory", max(memory["bare"]), max(memory["passerelle"]), "MB"))


if __name__ == "__main__":
    asyncio.run(main())
