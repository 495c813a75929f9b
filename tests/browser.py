"""Drive Debian's Chromium (``/usr/bin/chromium``) headless from tests, through Playwright.

Never ``playwright install``: the browser is the system package. Every session gets a fresh
user-data-dir, records each request, console error and page error, and refuses (aborts) every
request that would leave the local machine, so a page that needs the internet fails visibly
instead of quietly working on a connected laptop.

    from tests.browser import chromium_page, requires_chromium

    @requires_chromium
    def test_page(server_url):
        with chromium_page() as session:
            session.page.goto(server_url + "/map")
            assert not session.console_errors
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def chromium_available() -> bool:
    return CHROMIUM.is_file() and shutil.which(str(CHROMIUM)) is not None


requires_chromium = pytest.mark.skipif(
    not chromium_available(),
    reason=f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests",
)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class BrowserSession:
    """One page plus everything it asked for and complained about."""

    page: object  # playwright.sync_api.Page (kept untyped so importing this module needs no Playwright)
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def external_requests(self) -> list[str]:
        return [u for u in self.requests if not is_local(u)]

    @property
    def errors(self) -> list[str]:
        return self.console_errors + self.page_errors


@contextmanager
def chromium_page(width: int = 1280, height: int = 860, timeout_ms: int = 60_000) -> Iterator[BrowserSession]:
    """A fresh headless Chromium with one page; closed (and its profile removed) on exit."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="dvcbot-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": width, "height": height},
                locale="vi-VN",
                timeout=timeout_ms,
            )
            try:
                context.set_default_timeout(timeout_ms)
                page = context.pages[0] if context.pages else context.new_page()
                session = BrowserSession(page=page)

                def guard(route) -> None:
                    url = route.request.url
                    session.requests.append(url)
                    if is_local(url):
                        route.continue_()
                    else:
                        route.abort("internetdisconnected")

                context.route("**/*", guard)

                def on_console(message) -> None:
                    if message.type == "error":
                        where = (message.location or {}).get("url") or ""
                        session.console_errors.append(f"{message.text} [{where}]" if where else message.text)

                page.on("console", on_console)
                page.on("pageerror", lambda exc: session.page_errors.append(str(exc)))
                yield session
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
