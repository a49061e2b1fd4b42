"""The web side of the bot process: calendar feeds, the public agenda page, health, metrics.

Started with the bot when WEB_PORT is set (`bot.client`), bound to WEB_HOST; links use
PUBLIC_BASE_URL. See `bot.web.app` for the routes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from aiohttp import web

    from bot.web.app import WebContext

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 2.0  # seconds given to requests in flight when the bot stops

__all__ = ["WebContext", "WebServer", "WebStartError", "feed_urls", "page_url"]


def __getattr__(name: str) -> Any:
    # The server side (aiohttp.web, the routes, icalendar: about 0.1 s to import) is imported
    # when the web side starts (WEB_PORT set), not by every start nor by the features that only
    # make links (`feed_urls`, `page_url`, `bot.web.store`).
    if name == "WebContext":
        from bot.web.app import WebContext  # noqa: PLC0415

        return WebContext
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class WebStartError(RuntimeError):
    """The web side could not listen (port taken, address not on this machine…)."""


class WebServer:
    def __init__(self, ctx: WebContext, *, host: str, port: int) -> None:
        self.ctx = ctx
        self.host = host
        self.requested_port = port
        self.port: int | None = None  # the bound port (WEB_PORT=0 picks a free one)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        from aiohttp import web  # noqa: PLC0415 - see __getattr__ above

        from bot.web.app import build_app  # noqa: PLC0415
        from bot.web.security import AccessLogger, access_log  # noqa: PLC0415

        runner = web.AppRunner(
            build_app(self.ctx),
            handle_signals=False,
            access_log_class=AccessLogger,
            access_log=access_log,
        )
        await runner.setup()
        site = web.TCPSite(
            runner, self.host, self.requested_port, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise WebStartError(
                f"WEB_HOST/WEB_PORT : impossible d'écouter sur {self.host}:{self.requested_port}"
                f" ({error.strerror or error}) ; choisissez un autre port ou arrêtez ce qui "
                f"l'occupe. / cannot listen on {self.host}:{self.requested_port}"
                f" ({error.strerror or error}); choose another port or stop what uses it."
            ) from None
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        sockets = getattr(site._server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.requested_port
        log.info("web side listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.ctx.reads.cancel()

    @property
    def url(self) -> str:
        """Where this process serves (for tests, benches and `python -m bot health`)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"


def feed_urls(base: str, token: str) -> tuple[str, str]:
    """(https://…/feed/<token>.ics, webcal://…/feed/<token>.ics) under PUBLIC_BASE_URL."""
    https = f"{base.rstrip('/')}/feed/{token}.ics"
    parts = urlsplit(https)
    return https, urlunsplit(("webcal", *parts[1:]))


def page_url(base: str, guild_id: int) -> str:
    return f"{base.rstrip('/')}/agenda/{guild_id}"
