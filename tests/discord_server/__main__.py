"""The loopback Discord as its own process, for tests and benchmarks with several bot processes.

    cd tests && python -m discord_server [--seed guilds.json] [--time-scale 1]
        [--recommended-shards N] [--privileged-intents N] [--port 0]

Prints one JSON line (api_base, gateway_url, token, application_id, control, guilds) then
serves until SIGTERM or SIGINT. `--seed` (a file) or `--seed-json` is a JSON list of guild
specs (`seed.seed_from_spec`). Drive it through `process.ServerProcess` (`spawn_server`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from pathlib import Path
from typing import Any

from .control import info
from .seed import seed_from_spec
from .server import DiscordServer


async def serve(args: argparse.Namespace, specs: list[dict[str, Any]]) -> None:
    server = DiscordServer(time_scale=args.time_scale, control=True)
    server.world.privileged_intents = args.privileged_intents
    server.gateway.recommended_shards = args.recommended_shards
    guilds = [seed_from_spec(server.world, spec) for spec in specs]
    await server.start(port=args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps({**info(server), "guilds": guilds}), flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m discord_server", description=__doc__)
    parser.add_argument("--seed", help="JSON file: a list of guild specs")
    parser.add_argument("--seed-json", help="the same list, inline")
    parser.add_argument("--time-scale", type=float, default=1.0)
    parser.add_argument("--recommended-shards", type=int, default=None)
    parser.add_argument("--privileged-intents", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    specs = json.loads(Path(args.seed).read_text(encoding="utf-8")) if args.seed else []
    specs += json.loads(args.seed_json) if args.seed_json else []
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args, specs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
