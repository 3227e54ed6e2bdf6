"""Browser fixtures for the end-to-end tests: one headless Debian chromium for the
package, a fresh context (cookies, storage) per test, and a log of what each page
reported (console errors, uncaught exceptions, Content-Security-Policy violations).

Playwright cannot download its own browser here, so these tests drive
/usr/bin/chromium. Without it they are skipped, unless REQUIRE_SERVICES=1 (CI),
where a missing browser is a failure.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
PHONE_VIEWPORT = {"width": 360, "height": 740}
TIMEOUT_MS = 15_000

# Reported to Python from the page itself, so a violation is seen even when the
# browser does not print it to the console. Playwright injects this outside the
# page's CSP, and the exposed binding survives navigation.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__belfaaCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class ConsoleEntry:
    kind: str
    text: str
    url: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.text} (at {self.url})"


@dataclass
class PageLog:
    """What the pages of one test reported, for `assert_clean()` at the end."""

    console: list[ConsoleEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, Any]] = field(default_factory=list)

    def console_errors(self) -> list[ConsoleEntry]:
        return [entry for entry in self.console if entry.kind in {"error", "warning"}]

    def problems(self) -> list[str]:
        found = [f"console: {entry}" for entry in self.console_errors()]
        found += [f"page error: {text}" for text in self.errors]
        found += [f"CSP violation: {violation}" for violation in self.csp_violations]
        return found

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the browser reported:\n" + "\n".join(problems)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = "Debian's chromium is not installed: apt-get install chromium"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason} (expected {CHROMIUM})", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One chromium for the e2e package.

    Package-scoped rather than session-scoped on purpose: Playwright's sync API leaves
    its event loop marked as running in this thread while it lives, which breaks
    async_to_sync and asyncio.run in any later test. Django refuses ORM calls in such a
    thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set, so it is set exactly as long as the
    browser lives (the test database is flushed after each test, inside that time).
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield launched
            finally:
                launched.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def new_page(browser: Any, page_log: PageLog) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context; keyword arguments go to `browser.new_context`."""
    contexts = []

    def open_page(**context_options: Any) -> Any:
        options = {"viewport": DESKTOP_VIEWPORT, **context_options}
        context = browser.new_context(**options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.expose_function(
            "__belfaaCspViolation", lambda report: page_log.csp_violations.append(report)
        )
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on(
            "console",
            lambda message: page_log.console.append(
                ConsoleEntry(message.type, message.text, message.location.get("url") or page.url)
            ),
        )
        page.on("pageerror", lambda error: page_log.errors.append(f"{error} (at {page.url})"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page in its own context."""
    return new_page()


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """Save a full-page PNG under $E2E_SCREENSHOT_DIR when set (never in the repository)."""
    directory = os.environ.get("E2E_SCREENSHOT_DIR")

    def take(page: Any, name: str) -> None:
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    """A phone-sized page (360x740, touch, mobile viewport meta honoured)."""
    return new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, device_scale_factor=2)


def signed_in(page: Any, live_server: Any, user: Any) -> Any:
    """The page's browser signed in as `user` (a session made by Django's test client)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page
