"""Typed settings, read once from `.env` (python-dotenv) and then the environment."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.shards import Sharding

SUPPORTED_LOCALES = ("fr", "en")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_PORT = 65535
METRICS_TOKEN_MIN_LENGTH = 24  # a secret, not a password: long enough not to be guessed


class SettingsError(Exception):
    """A missing or invalid setting; the message names the variable and the fix (fr, then en)."""


@dataclass(frozen=True)
class Settings:
    discord_token: str = field(repr=False)  # never printed, never logged
    database_path: Path = Path("data/passerelle.db")
    # PostgreSQL instead of the SQLite file (several processes, one database); may hold a password.
    database_url: str = field(default="", repr=False)
    default_timezone: str = "Europe/Paris"
    default_locale: str = "fr"
    dev_guild_ids: tuple[int, ...] = ()
    log_level: str = "INFO"
    # Only for a REST proxy or the project's test server; Discord itself by default.
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    # The web side (calendars, public agenda page, /healthz, /metrics): off unless web_port is
    # set; 0 picks a free port (tests). Bound to web_host; links use public_base_url.
    web_port: int | None = None
    web_host: str = "127.0.0.1"
    public_base_url: str | None = None
    metrics_token: str | None = field(default=None, repr=False)
    # Reverse proxies whose X-Forwarded-For is believed (rate limits per real visitor).
    web_trusted_proxies: tuple[str, ...] = ()
    # The spaCy pipeline of the professional-secrecy guard (bot/secrecy). A model that cannot be
    # loaded is reported at start-up and the guard keeps its rules (never no guard).
    guard_model: str = "fr_core_news_sm"
    # Several processes sharing the shards (bot/shards.py); None: one process, unsharded.
    shards: Sharding | None = None
    # Seconds between two IDENTIFYs of this process's shards (Discord: 5 s per
    # max_concurrency bucket); 0 only against the project's test server.
    identify_interval: float = 5.0
    # Every this many seconds, one log line with what the process holds (tasks, views, redraws,
    # DMs waiting): for operators watching memory, and the soak benchmark. 0: never.
    health_log_seconds: float = 0.0
    # Fetching feeds (bot.net): never read from .env or the environment. Only tests set them,
    # to fetch from a feed server they run on 127.0.0.1 (those ports only) without waiting.
    fetch_loopback_ports: frozenset[int] = frozenset()
    fetch_min_interval: float = 2.0
    fetch_timeout: float = 20.0

    @property
    def database(self) -> Path | str:
        """What `Database.open` takes: the PostgreSQL URL if there is one, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def database_label(self) -> str:
        """The database for messages: the file, or the URL without its password."""
        if not self.database_url:
            return str(self.database_path)
        parts = urlsplit(self.database_url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
        return f"{parts.scheme}://{user}{host}{port}{parts.path}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)


def _fail(var: str, fr: str, en: str) -> SettingsError:
    return SettingsError(f"{var} : {fr} / {var}: {en}")


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    env_file: Path | None = Path(".env"),
    require_token: bool = True,
) -> Settings:
    """Build settings from `.env` overlaid by the environment (the environment wins).

    `check` and `commands` never connect, so they may run without a token.
    """
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        # python-dotenv compiles its grammar when imported (~15 ms): only when there is a file.
        from dotenv import dotenv_values  # noqa: PLC0415

        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if env is None else env)

    token = values.get("DISCORD_TOKEN", "").strip()
    if not token and require_token:
        where = "portail développeurs Discord › Bot › Reset Token"
        where_en = "Discord developer portal › Bot › Reset Token"
        if env_file is not None and env_file.is_file():
            raise _fail(
                "DISCORD_TOKEN",
                f"vide ; collez le jeton du bot après DISCORD_TOKEN= dans {env_file} ({where}), "
                "puis relancez.",
                f"empty; paste the bot token after DISCORD_TOKEN= in {env_file} ({where_en}), "
                "then start again.",
            )
        raise _fail(
            "DISCORD_TOKEN",
            f"manquant ; copiez .env.example vers .env et collez-y le jeton du bot ({where}), "
            "ou définissez la variable d'environnement.",
            f"missing; copy .env.example to .env and paste the bot token ({where_en}), "
            "or set the environment variable.",
        )

    db_path = Path(values.get("DATABASE_PATH", "").strip() or "data/passerelle.db")
    db_url = values.get("DATABASE_URL", "").strip()
    if db_url and not db_url.startswith(POSTGRES_SCHEMES):
        raise _fail(
            "DATABASE_URL",
            "doit commencer par postgresql:// (laissez-la vide pour le fichier SQLite "
            "DATABASE_PATH).",
            "must start with postgresql:// (leave it empty for the SQLite file DATABASE_PATH).",
        )

    tz = values.get("DEFAULT_TIMEZONE", "").strip() or "Europe/Paris"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(
            "DEFAULT_TIMEZONE",
            f"« {tz} » n'est pas un fuseau IANA ; exemple : Europe/Paris ou America/Montreal.",
            f"'{tz}' is not an IANA zone; e.g. Europe/Paris or America/Montreal.",
        ) from None

    locale = (values.get("DEFAULT_LOCALE", "").strip() or "fr").lower()
    if locale not in SUPPORTED_LOCALES:
        raise _fail(
            "DEFAULT_LOCALE",
            f"« {locale} » n'est pas pris en charge ; choisissez fr ou en.",
            f"'{locale}' is not supported; choose fr or en.",
        )

    raw_ids = values.get("DEV_GUILD_IDS", "").strip()
    try:
        guild_ids = tuple(int(p) for p in raw_ids.replace(" ", "").split(",") if p)
    except ValueError:
        raise _fail(
            "DEV_GUILD_IDS",
            "doit être une liste d'identifiants de serveurs séparés par des virgules.",
            "must be a comma-separated list of server ids.",
        ) from None

    level = (values.get("LOG_LEVEL", "").strip() or "INFO").upper()
    if level not in LOG_LEVELS:
        raise _fail(
            "LOG_LEVEL",
            f"« {level} » inconnu ; choisissez parmi {', '.join(LOG_LEVELS)}.",
            f"unknown '{level}'; choose one of {', '.join(LOG_LEVELS)}.",
        )

    api_base = values.get("DISCORD_API_BASE", "").strip() or Settings.discord_api_base
    gateway = values.get("DISCORD_GATEWAY_URL", "").strip() or Settings.discord_gateway_url
    if not api_base.startswith(("http://", "https://")) or not gateway.startswith(
        ("ws://", "wss://")
    ):
        raise _fail(
            "DISCORD_API_BASE / DISCORD_GATEWAY_URL",
            "adresses invalides ; laissez-les vides pour utiliser Discord.",
            "invalid addresses; leave them empty to use Discord.",
        )

    web = _web_settings(values)
    guard_model = values.get("GUARD_MODEL", "").strip() or Settings.guard_model
    shards = _sharding(values)
    if shards is not None and not shards.whole and not db_url:
        raise _fail(
            "DATABASE_URL",
            f"requise pour ne lancer qu'une partie des shards ({shards}) : les autres processus "
            "partagent la même base PostgreSQL (un fichier SQLite n'a qu'un processus).",
            f"needed to run only some shards ({shards}): the other processes share one "
            "PostgreSQL database (an SQLite file has one process).",
        )
    try:
        identify_interval = float(values.get("IDENTIFY_INTERVAL", "").strip() or 5.0)
    except ValueError:
        raise _fail(
            "IDENTIFY_INTERVAL",
            "doit être un nombre de secondes.",
            "must be a number of seconds.",
        ) from None

    raw_health = values.get("HEALTH_LOG_SECONDS", "").strip() or "0"
    try:
        health = float(raw_health)
        if health < 0:
            raise ValueError(raw_health)
    except ValueError:
        raise _fail(
            "HEALTH_LOG_SECONDS",
            f"« {raw_health} » n'est pas un nombre de secondes (0 : jamais).",
            f"'{raw_health}' is not a number of seconds (0: never).",
        ) from None

    return Settings(
        **web,
        guard_model=guard_model,
        health_log_seconds=health,
        discord_api_base=api_base,
        discord_gateway_url=gateway,
        discord_token=token,
        database_path=db_path,
        database_url=db_url,
        default_timezone=tz,
        default_locale=locale,
        dev_guild_ids=guild_ids,
        log_level=level,
        shards=shards,
        identify_interval=identify_interval,
    )


def _int(values: Mapping[str, str], name: str) -> int | None:
    raw = values.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise _fail(name, "doit être un nombre entier.", "must be a whole number.") from None


def _sharding(values: Mapping[str, str]) -> Sharding | None:
    """SHARD_COUNT with SHARD_IDS (a list) or CLUSTER_ID/CLUSTER_COUNT (a share); or nothing."""
    count = _int(values, "SHARD_COUNT")
    raw_ids = values.get("SHARD_IDS", "").strip()
    cluster_id, clusters = _int(values, "CLUSTER_ID"), _int(values, "CLUSTER_COUNT")
    if count is None:
        if raw_ids or cluster_id is not None or clusters is not None:
            raise _fail(
                "SHARD_COUNT",
                "requis avec SHARD_IDS ou CLUSTER_ID/CLUSTER_COUNT (le nombre total de shards).",
                "needed with SHARD_IDS or CLUSTER_ID/CLUSTER_COUNT (the total number of shards).",
            )
        return None
    if count < 1:
        raise _fail("SHARD_COUNT", "au moins 1.", "at least 1.")
    if raw_ids and (cluster_id is not None or clusters is not None):
        raise _fail(
            "SHARD_IDS",
            "ou bien CLUSTER_ID/CLUSTER_COUNT, pas les deux.",
            "or CLUSTER_ID/CLUSTER_COUNT, not both.",
        )
    if raw_ids:
        try:
            ids = sorted({int(p) for p in raw_ids.replace(" ", "").split(",") if p})
        except ValueError:
            raise _fail(
                "SHARD_IDS",
                "une liste de numéros de shards séparés par des virgules (0,1,2).",
                "a comma-separated list of shard numbers (0,1,2).",
            ) from None
        if not ids or ids[0] < 0 or ids[-1] >= count:
            raise _fail(
                "SHARD_IDS",
                f"des numéros de 0 à {count - 1} (SHARD_COUNT={count}).",
                f"numbers from 0 to {count - 1} (SHARD_COUNT={count}).",
            )
        return Sharding(count, tuple(ids))
    if cluster_id is None and clusters is None:
        return Sharding(count, tuple(range(count)))
    if cluster_id is None or clusters is None or not 0 <= cluster_id < clusters <= count:
        raise _fail(
            "CLUSTER_ID / CLUSTER_COUNT",
            f"les deux, avec 0 ≤ CLUSTER_ID < CLUSTER_COUNT ≤ SHARD_COUNT ({count}).",
            f"both, with 0 ≤ CLUSTER_ID < CLUSTER_COUNT ≤ SHARD_COUNT ({count}).",
        )
    return Sharding.cluster(count, cluster_id, clusters)


def _web_settings(values: Mapping[str, str]) -> dict[str, object]:
    """WEB_PORT, WEB_HOST, PUBLIC_BASE_URL, METRICS_TOKEN, WEB_TRUSTED_PROXIES."""
    raw_port = values.get("WEB_PORT", "").strip()
    port: int | None = None
    if raw_port:
        if not raw_port.isdigit() or int(raw_port) > MAX_PORT:
            raise _fail(
                "WEB_PORT",
                f"« {raw_port} » n'est pas un port ; un nombre de 1 à 65535 (8080 par exemple), "
                "ou vide pour ne pas servir le web.",
                f"'{raw_port}' is not a port; a number from 1 to 65535 (e.g. 8080), "
                "or empty for no web side.",
            )
        port = int(raw_port)
    host = values.get("WEB_HOST", "").strip() or "127.0.0.1"

    base = values.get("PUBLIC_BASE_URL", "").strip().rstrip("/") or None
    if base is not None:
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise _fail(
                "PUBLIC_BASE_URL",
                f"« {base} » n'est pas une adresse web ; par exemple https://agenda.exemple.org "
                "(l'adresse publique du serveur web du bot, sans / final).",
                f"'{base}' is not a web address; e.g. https://agenda.example.org "
                "(the public address of the bot's web side, no trailing /).",
            )

    token = values.get("METRICS_TOKEN", "").strip() or None
    if token is not None and len(token) < METRICS_TOKEN_MIN_LENGTH:
        raise _fail(
            "METRICS_TOKEN",
            f"trop court ; au moins {METRICS_TOKEN_MIN_LENGTH} caractères "
            '(python -c "import secrets; print(secrets.token_urlsafe(32))").',
            f"too short; at least {METRICS_TOKEN_MIN_LENGTH} characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(32))").',
        )

    proxies = tuple(
        p for p in values.get("WEB_TRUSTED_PROXIES", "").replace(" ", "").split(",") if p
    )
    for proxy in proxies:
        try:
            ipaddress.ip_address(proxy)
        except ValueError:
            raise _fail(
                "WEB_TRUSTED_PROXIES",
                f"« {proxy} » n'est pas une adresse IP ; par exemple 127.0.0.1.",
                f"'{proxy}' is not an IP address; e.g. 127.0.0.1.",
            ) from None
    return {
        "web_port": port,
        "web_host": host,
        "public_base_url": base,
        "metrics_token": token,
        "web_trusted_proxies": proxies,
    }
