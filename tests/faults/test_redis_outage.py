"""Redis stopped under the production serving set-up (gunicorn for pages, uvicorn for
websockets), then started again: pages keep working, the live thread says
"Verbinding verbroken" and recovers, and every reply posted meanwhile is kept."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.urls import reverse

from community import services
from community.models import ForumCategory
from community.services import forum
from tests.faults.conftest import CHROMIUM, csrf_token, signed_in

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Proef-wachtwoord-2026"
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
DISCONNECTED = "Verbinding verbroken"


def member(email: str, first_name: str):
    return services.register_member(
        None, email=email, password=PASSWORD, email_verified=True, first_name=first_name
    )


def serious_axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [v["id"] for v in results["violations"] if v["impact"] in {"serious", "critical"}]


def test_redis_stopped_pages_work_live_thread_says_so_and_recovers_and_no_reply_is_lost(
    redis_process, served_database, platform
):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (scripts/ensure-chromium installs it)")
    from playwright.sync_api import expect, sync_playwright

    ans, bram = member("ans@example.org", "Ans"), member("bram@example.org", "Bram")
    category = ForumCategory.objects.create(name="Wat werkt", slug="wat-werkt")
    thread = forum.start_thread(
        ans, title="Buurtkamers die werken", body="Wie heeft ervaring?", category=category
    )
    path = reverse("community:plein_thread", args=[thread.pk])
    writer, reader_cookie = signed_in(ans), signed_in(bram).cookies
    database = served_database()
    env = {"DATABASE_URL": database.url, "REDIS_URL": redis_process.url, "REALTIME_FANOUT": "false"}
    web = platform("wsgi", env)
    realtime = platform("asgi", env)

    def reply(body: str) -> None:
        token = csrf_token(writer, web.url + path)
        response = writer.post(
            web.url + path,
            data={"body": body, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, (body, response.status_code)

    def pages_answer() -> None:
        for url in ("/", "/zoeken/?q=buurtkamers", "/accounts/login/"):
            assert writer.get(web.url + url, timeout=30).status_code == 200, url
        assert "Buurtkamers die werken" in writer.get(web.url + path, timeout=30).text

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        # bypass_csp: only so that axe-core can be added to the page.
        context = browser.new_context(locale="nl-NL", bypass_csp=True)
        context.add_cookies(
            [{"name": c.name, "value": c.value, "url": realtime.url} for c in reader_cookie]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(realtime.url + path)
        posts = page.locator("#berichten > li[data-post-id]")
        expect(page.locator("#berichten")).to_have_attribute("data-ws-state", "open")
        reply("Voor de storing")
        expect(posts).to_have_count(2)

        redis_process.stop()
        notice = page.locator("[data-live-connection]")
        expect(notice).to_contain_text(DISCONNECTED)
        expect(notice).to_have_attribute("role", "status")
        assert not serious_axe_violations(page)
        pages_answer()
        health = writer.get(web.url + "/health/", timeout=30)
        assert health.status_code == 503
        assert set(health.json()["failing"]) == {"cache", "channel_layer"}
        during = [f"Tijdens de storing {n}" for n in range(1, 4)]
        for body in during:
            reply(body)
        assert page.locator("#berichten").get_attribute("data-ws-state") == "closed"

        redis_process.start()
        started = time.monotonic()
        # The client retries after 1, 2, 5 and then every 10 seconds.
        expect(notice).to_have_count(0, timeout=20_000)
        expect(page.locator("#berichten")).to_have_attribute("data-ws-state", "open")
        reconnected_after = time.monotonic() - started
        reply("Na de storing")
        expect(posts.last).to_contain_text("Na de storing", timeout=15_000)
        browser.close()

    # Nothing posted is lost: all five replies are stored and shown on the thread page.
    bodies = [
        row[0]
        for row in database.rows(
            "SELECT body FROM community_post WHERE thread_id = %s ORDER BY number", (thread.pk,)
        )
    ]
    assert bodies == ["Wie heeft ervaring?", "Voor de storing", *during, "Na de storing"]
    shown = writer.get(web.url + path + "?pagina=1", timeout=30).text
    for body in bodies:
        assert body in shown
    assert reconnected_after < 20
    assert writer.get(web.url + "/health/", timeout=30).json()["status"] == "ok"
