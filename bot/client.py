"""The bot: wires the database, the scheduler, the reminder engine, the cogs and the sync."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import importlib.util
import json
import logging
import pkgutil
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands
from discord.ext import commands

from bot import health, health_log, offload
from bot.agenda import AgendaRegistry
from bot.approval import Approvals
from bot.clock import Clock, SystemClock
from bot.db import Database, meta
from bot.db.buckets import SharedBucket
from bot.discord_text import SAFE_MENTIONS
from bot.errors import answer_error
from bot.guild_settings import SettingsStore
from bot.guild_settings.store import MemberPreferencesData
from bot.i18n.commands import CatalogTranslator
from bot.logs import silence_payload_loggers
from bot.metrics import Metrics, Outcome
from bot.notices import Notices
from bot.pacing import DiscordLimits, LocalBucket, RouteLimits, budget_trace
from bot.personal_data import PersonalDataRegistry
from bot.redraw import Redraws, ThreadMembers
from bot.reminders import ReminderEngine
from bot.secrecy import load_rules as load_secrecy_rules
from bot.secrecy import model as secrecy_model
from bot.settings import Settings
from bot.web import WebServer
from bot.web.store import WebStore

log = logging.getLogger(__name__)

# Passerelle never joins voice: the voice libraries' start-up warnings are noise.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class PasserelleTree(app_commands.CommandTree["Passerelle"]):
    async def on_error(
        self, interaction: discord.Interaction[Passerelle], error: app_commands.AppCommandError
    ) -> None:
        await answer_error(interaction, error)


FEATURES_PACKAGE = "cogs"
# At shutdown, how long pending redraws may take to show their last state.
REDRAWS_SETTLE_SECONDS = 2.0
# The guard's model loads once nobody has clicked for GUARD_MODEL_QUIET seconds and no reminder
# is due within GUARD_MODEL_AHEAD (about how long the load takes on a busy 2-core machine), and
# at the latest GUARD_MODEL_LATEST seconds after ready.
GUARD_MODEL_QUIET = 2.0
GUARD_MODEL_AHEAD = 15.0
GUARD_MODEL_LATEST = 60.0


def feature_packages() -> list[str]:
    """Every feature package under `cogs/`, in a stable order.

    Found by name at run time, like discord.py extensions: the core never imports a feature.
    """
    spec = importlib.util.find_spec(FEATURES_PACKAGE)
    paths = list(spec.submodule_search_locations or []) if spec else []
    return sorted(m.name for m in pkgutil.iter_modules(paths) if m.ispkg)


class Passerelle(commands.Bot):
    db: Database
    settings_store: SettingsStore
    reminders: ReminderEngine
    notices: Notices
    approvals: Approvals
    web_store: WebStore
    _health: asyncio.Task[None] | None = None
    _secrecy_rules = False  # the guard's rules loaded (after the first ready)
    _guard_loader: asyncio.Task[None] | None = None
    _last_interaction = float("-inf")  # the event loop's time of the last interaction

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        limits: DiscordLimits | None = None,
        redraw_interval: float | None = None,
        **options: Any,
    ) -> None:
        # One request budget for every request the bot sends (bot.pacing): discord.py's HTTP
        # client takes a token in the hook before each request to the API. `redraw_interval`
        # (seconds between two redraws of one message) overrides the one in `limits`.
        self.limits = limits or DiscordLimits()
        if redraw_interval is not None:
            self.limits = dataclasses.replace(self.limits, redraw_interval=redraw_interval)
        self.budget = self.limits.global_pacer()
        self.routes = RouteLimits()  # each route's limit on each channel, from Discord's headers
        self.metrics = Metrics()
        intents = discord.Intents.default()
        intents.message_content = False  # slash commands only: no privileged intents needed
        intents.presences = False
        intents.members = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            tree_cls=PasserelleTree,
            allowed_mentions=SAFE_MENTIONS,
            chunk_guilds_at_startup=False,
            # discord.py waits this long after the last GUILD_CREATE before "ready" (default 2 s);
            # nothing here waits for ready, and late guilds still arrive as guild_available.
            guild_ready_timeout=options.pop("guild_ready_timeout", 0.5),
            # The budget before each request; the metrics count Discord's answers (429s too).
            http_trace=self.metrics.http_trace(
                budget_trace(self.budget, lambda: discord.http.Route.BASE, routes=self.routes)
            ),
            **options,
        )
        self.settings = settings
        silence_payload_loggers()
        self.clock: Clock = clock or SystemClock()
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.failed_cogs: dict[str, BaseException] = {}
        self.personal_data = PersonalDataRegistry()
        # Messages that follow a changing state (counts, tallies): few edits, the last state shown.
        self.redraws = Redraws(interval=self.limits.redraw_interval)
        self.thread_members = ThreadMembers(self.http.add_user_to_thread)
        self.agenda = AgendaRegistry()
        self.gateway_state = health.GatewayState()
        self.web: WebServer | None = None

    # -- which servers are this process's (bot/shards.py) ---------------------------------------
    @property
    def primary(self) -> bool:
        """Whether this process does the cluster-wide work (unsharded: always)."""
        return self.settings.shards is None or self.settings.shards.primary

    def owns(self, guild_id: int | None) -> bool:
        """Whether this process serves the server (None: what belongs to no server)."""
        return self.settings.shards is None or self.settings.shards.owns(guild_id)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # Discord lets a bot IDENTIFY once per 5 s (per max_concurrency bucket).
        if not initial and self.settings.identify_interval > 0:
            await asyncio.sleep(self.settings.identify_interval)

    # -- start-up -------------------------------------------------------------------------------
    async def prepare(self) -> None:
        """Everything but the network: database, translator, cogs. Used by `run` and `check`."""
        self.db = await Database.open(self.settings.database)
        self.db.observer = self.metrics.database_call
        if self.db.dialect == "postgresql":
            # Discord's global limit is the bot's, not a process's: the request budget takes
            # its tokens from one bucket in the database that every process shares.
            local = self.budget.source
            assert isinstance(local, LocalBucket)
            self.budget.source = SharedBucket(
                self.db, "discord_global", rate=local.rate, burst=local.burst
            )
        self.web_store = WebStore(self.db)
        self.settings_store = SettingsStore(
            self.db,
            default_locale=self.settings.default_locale,
            default_timezone=self.settings.default_timezone,
        )
        await self.settings_store.load()
        self.personal_data.register("preferences", MemberPreferencesData(self.settings_store))
        self.reminders = ReminderEngine(
            self,
            db=self.db,
            scheduler=self.scheduler,
            clock=self.clock,
            settings=self.settings_store,
            sharding=self.settings.shards,
            dm_pacer=self.limits.dm_pacer(),
            metrics=self.metrics,
        )
        self.notices = Notices(self.db)
        await self.notices.load()
        self.personal_data.register("notices", self.notices)
        self.approvals = Approvals(
            self,
            db=self.db,
            settings=self.settings_store,
            reminders=self.reminders,
            notices=self.notices,
            clock=self.clock,
        )
        self.add_dynamic_items(*self.approvals.items)
        self.personal_data.register("approvals", self.approvals)
        # The secrecy guard's model: a missing one is said here, once; loading waits for ready.
        self.guard_model = secrecy_model.configure(self.settings.guard_model)
        await self.tree.set_translator(CatalogTranslator())
        for name in feature_packages():
            try:
                await self.load_extension(f"{FEATURES_PACKAGE}.{name}")
            except Exception as error:  # one broken feature must not take the others down
                self.failed_cogs[name] = error
                log.exception("could not load cog %s", name)

    async def setup_hook(self) -> None:
        await self.prepare()
        self.scheduler.start()
        await self.reminders.start()
        await self.start_web()
        if self.primary:  # once for the whole cluster
            await self.sync_commands()
        if self.settings.health_log_seconds > 0:
            self._health = asyncio.get_running_loop().create_task(
                health_log.report(self, self.settings.health_log_seconds), name="health report"
            )

    # -- the web side ---------------------------------------------------------------------------
    async def start_web(self) -> None:
        """Calendars, the public page, /healthz and /metrics, when WEB_PORT is set."""
        if self.settings.web_port is None:
            return
        from bot.web.app import WebContext  # noqa: PLC0415 - heavy, only with WEB_PORT (bot.web)

        ctx = WebContext(
            store=self.web_store,
            agenda=self.agenda,
            clock=self.clock,
            metrics=self.metrics,
            lang_of=self.settings_store.lang_of,
            health=self.health,
            refresh_metrics=self.refresh_metrics,
            metrics_token=self.settings.metrics_token,
            trusted_proxies=frozenset(self.settings.web_trusted_proxies),
        )
        self.web = WebServer(ctx, host=self.settings.web_host, port=self.settings.web_port)
        await self.web.start()

    async def health(self) -> health.Health:
        return await health.check(
            db=self.db, gateway=self.gateway_state, engine=self.reminders, clock=self.clock
        )

    async def refresh_metrics(self) -> None:
        """The gauges read at scrape time."""
        self.metrics.engine(await self.reminders.queue_length(), await self.reminders.lag())
        self.metrics.gateway_connected.set(1 if self.gateway_state.connected else 0)

    # -- gateway and interactions, for /healthz and /metrics ------------------------------------
    async def on_connect(self) -> None:
        self.gateway_state.up(self.clock.now())

    async def on_resumed(self) -> None:
        self.gateway_state.up(self.clock.now())

    async def on_disconnect(self) -> None:
        self.gateway_state.down(self.clock.now())

    async def on_app_command_completion(
        self, interaction: discord.Interaction[Passerelle], command: Any
    ) -> None:
        self.metrics.interaction(f"/{command.qualified_name}", Outcome.OK)
        # Notes that could not reach the member by DM (bot.notices), after their command.
        await self.notices.deliver(interaction)

    async def command_payload(self, guild: discord.abc.Snowflake | None = None) -> list[dict]:
        """The application-command payload exactly as `CommandTree.sync` sends it."""
        translator = self.tree.translator
        # _get_all_commands is what sync() itself uses: the same list, the same order.
        all_commands = self.tree._get_all_commands(guild=guild)
        if translator is None:
            return [c.to_dict(self.tree) for c in all_commands]
        return [await c.get_translated_payload(self.tree, translator) for c in all_commands]

    async def sync_commands(self) -> None:
        scopes: list[discord.Object | None] = [
            discord.Object(id=g) for g in self.settings.dev_guild_ids
        ] or [None]
        for guild in scopes:
            if guild is not None:
                self.tree.copy_global_to(guild=guild)
            payload = await self.command_payload(guild)
            digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
            # Per application: a new token (another bot) on the same database must sync again.
            key = f"sync_hash:{self.application_id}:{guild.id if guild else 'global'}"
            if await meta.get(self.db, key) == digest:
                log.info("commands unchanged since the last sync (%s): not syncing", key)
                continue
            await self.tree.sync(guild=guild)
            await meta.put(self.db, key, digest)
            log.info("synced %d commands (%s)", len(payload), key)

    async def on_ready(self) -> None:
        # One line operators (and the start-up benchmark) can wait for.
        log.info("Passerelle ready: %d servers", len(self.guilds))
        # Only now the guard's rules (about 0.15 s of CPU) and its model (a few seconds) load,
        # off the loop, one after the other: start-up is not slowed, and a post made before they
        # are ready waits for them briefly (bot/secrecy/guard.py). Once (ready comes again after
        # a reconnection).
        if not self._secrecy_rules:
            self._secrecy_rules = True
            await offload.build(load_secrecy_rules)
            self._guard_loader = asyncio.get_running_loop().create_task(
                self._load_guard_model_when_quiet(), name="guard model"
            )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self._last_interaction = asyncio.get_running_loop().time()

    async def _load_guard_model_when_quiet(self) -> None:
        """The model takes seconds of CPU to load (bot/secrecy/model.py): not while members click
        or reminders are due — right after a restart, late reminders and the members who
        noticed the bot was away come first — but at the first quiet moment, and at the latest
        `GUARD_MODEL_LATEST` seconds after ready. A post that comes first starts it itself."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        while loop.time() - began < GUARD_MODEL_LATEST:
            if self.guard_model.state is not secrecy_model.ModelState.IDLE:
                return
            quiet = loop.time() - self._last_interaction >= GUARD_MODEL_QUIET
            if quiet and not self.reminders.busy_within(GUARD_MODEL_AHEAD):
                break
            await asyncio.sleep(GUARD_MODEL_QUIET / 4)
        self.guard_model.start()

    # -- shutdown -------------------------------------------------------------------------------
    async def close(self) -> None:
        if self._health is not None:
            self._health.cancel()
        if self._guard_loader is not None:
            self._guard_loader.cancel()
        if self.web is not None:
            await self.web.stop()
            self.web = None
        # Messages being redrawn get their last state if that is quick; then nothing waits.
        try:
            async with asyncio.timeout(REDRAWS_SETTLE_SECONDS):
                await self.redraws.settled()
        except TimeoutError:
            log.info("redraws still pending at shutdown: left as they are")
        await self.redraws.close()
        await self.thread_members.close()
        if getattr(self, "reminders", None) is not None:
            await self.reminders.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await super().close()
        if getattr(self, "db", None) is not None:
            await self.db.close()


class ShardedPasserelle(Passerelle, commands.AutoShardedBot):
    """The same bot over some shards of a cluster (`SHARD_COUNT` with `SHARD_IDS` or
    `CLUSTER_ID`/`CLUSTER_COUNT`): discord.py's AutoShardedBot runs them in this process."""


def make_bot(settings: Settings, *, clock: Clock | None = None, **options: Any) -> Passerelle:
    """The bot the settings describe: unsharded (the default), or over this process's shards."""
    if settings.shards is None:
        return Passerelle(settings, clock=clock, **options)
    return ShardedPasserelle(
        settings,
        clock=clock,
        shard_count=settings.shards.count,
        shard_ids=list(settings.shards.ids),
        **options,
    )
