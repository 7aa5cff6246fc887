"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

They run in their own pytest process (`make test` does that): the sync Playwright API
and pytest-asyncio cannot share one.

Every test also fails when Chromium reports a Content-Security-Policy violation on any
page of any browser context it opened (`_no_csp_violations`): an inline style, an inline
script, an eval or a third-party request the policy refuses is a bug, not a warning.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls that fixtures
# make from here are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def site(live_server) -> str:
    return live_server.url


def assert_accessible(page) -> None:
    """axe-core on the page as it is now: no serious or critical WCAG 2.1 AA violation."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
    # does not govern (a <script> tag with axe inline would be refused, as it should be).
    page.evaluate(_axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    serious = [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"{page.url}:\n{json.dumps(serious, indent=2)}"


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def accessible():
    return assert_accessible


# Installed in every page before its own scripts run; reports through a Playwright binding,
# which lives as long as the context, across navigations.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


@pytest.fixture(autouse=True)
def _no_csp_violations(browser, monkeypatch):
    """Fail the test when any page of any context it opens reports a CSP violation.

    Wraps browser.new_context for the test's duration: pytest-playwright's `context` and
    `page` and the tests' own browser.new_context(...) calls all go through it."""
    violations: list[dict] = []
    new_context = browser.new_context

    def report(violation: dict) -> None:
        violations.append(violation)

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.expose_function("__cspViolation", report)
        context.add_init_script(CSP_LISTENER)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield violations
    assert not violations, "Content-Security-Policy violations:\n" + json.dumps(
        violations, indent=2
    )


@pytest.fixture(autouse=True)
def _fail_fast(_no_csp_violations, page):
    # Pages here answer in well under a second; wait 10 s, not Playwright's 30 s.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)


from tests.e2e.asgi_server import asgi_site  # noqa: E402, F401
