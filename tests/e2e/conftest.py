"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

They run in their own pytest process (`make test` does that): the sync Playwright API
and pytest-asyncio cannot share one.
"""

from __future__ import annotations

import json
import os
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
    page.add_script_tag(path=str(AXE_SCRIPT))
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


@pytest.fixture
def accessible():
    return assert_accessible


@pytest.fixture(autouse=True)
def _fail_fast(page):
    # Pages here answer in well under a second; wait 10 s, not Playwright's 30 s.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)


from tests.e2e.asgi_server import asgi_site  # noqa: E402, F401
