"""The Content-Security-Policy in Chromium: it is enforced (an injected inline style, a
script and a foreign image are refused) and the suite's watch (conftest.py) notices, and
the admins work under their own, looser policy without a violation."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_for(violations: list, count: int, page) -> None:
    deadline = time.monotonic() + 5
    while len(violations) < count and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright deliver the page's reports


def test_the_browser_refuses_inline_code_and_the_suite_notices(
    page, site, _no_csp_violations, accessible
):
    page.goto(site + "/")
    accessible(page)  # axe runs through the DevTools protocol, outside the policy
    assert _no_csp_violations == []

    page.evaluate(
        """() => {
        document.body.insertAdjacentHTML('beforeend',
            '<p id="rood" style="color: rgb(255, 0, 0)">x</p>'
            + '<img alt="" src="https://evil.example/pixel.png">');
        const script = document.createElement('script');
        script.textContent = 'window.ranInline = true';
        document.body.append(script);
    }"""
    )
    wait_for(_no_csp_violations, 3, page)

    assert page.evaluate("() => window.ranInline") is None
    assert page.evaluate("() => getComputedStyle(document.getElementById('rood')).color") != (
        "rgb(255, 0, 0)"
    )
    # (Chromium may report one refusal more than once.)
    directives = {v["directive"] for v in _no_csp_violations}
    assert directives == {"img-src", "script-src-elem", "style-src-attr"}, _no_csp_violations
    _no_csp_violations.clear()  # seen on purpose: the test itself stays green


def test_an_editor_works_in_the_cms_and_the_django_admin_without_a_violation(page, site, personas):
    page.goto(site + "/accounts/login/")
    page.get_by_label("E-mailadres").fill("beheerder@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    page.goto(site + "/cms/")
    expect(page.locator("#wagtail")).to_be_visible()
    page.goto(site + "/cms/pages/")
    page.locator("a[href*='/edit/']").first.click()
    expect(page.locator("form#page-edit-form")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.goto(site + "/django-admin/")
    expect(page.locator("#site-name")).to_be_visible()
