"""A real browser for the public page: Debian's Chromium driven by Playwright, never a download.

Chromium runs headless with a fresh profile and nothing that reaches out (no sync, no update,
no background networking, no QUIC). Screenshots go to tests/artifacts/ (not committed).
axe-core is the npm package `.ci/run` installs into .cache/node (not committed); without it the
accessibility run is skipped with the reason, never silently.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PASSERELLE_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(
    os.environ.get(
        "PASSERELLE_AXE", ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@asynccontextmanager
async def browser_page(profile: Path, **context: Any) -> AsyncIterator[Any]:
    """A page in a fresh headless Chromium profile; console errors collected on `page.errors`."""
    require_chromium()
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.async_api import async_playwright  # only where a browser test runs

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            **context,
        )
        try:
            page = browser.pages[0] if browser.pages else await browser.new_page()
            errors: list[str] = []
            page.on(
                "console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else 0
            )
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.errors = errors
            yield page
        finally:
            await browser.close()


def screenshot_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
