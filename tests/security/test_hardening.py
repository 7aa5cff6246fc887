"""Hardening (docs/security.md): the browser security headers on every kind of page
(cached ones too), the stricter policy's promise that no template or script needs inline
code, Django's deployment check on the production settings, and security.txt."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

BASE_DIR = Path(__file__).resolve().parents[2]
CSP = "Content-Security-Policy"


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_browser_headers(response, *, framing="'none'") -> dict[str, list[str]]:
    policy = directives(response[CSP])
    for directive in ("script-src", "default-src", "base-uri", "form-action"):
        assert policy[directive][0] == "'self'", (directive, policy)
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == [framing]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == ("DENY" if framing == "'none'" else "SAMEORIGIN")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions
    return policy


@pytest.mark.django_db
def test_every_kind_of_page_carries_the_policy_and_the_browser_headers(settings, personas):
    settings.PAGE_CACHE_SECONDS = 300
    anonymous = Client()
    first, cached = anonymous.get("/"), anonymous.get("/")
    assert cached["X-Page-Cache"] == "hit"  # served before sessions and CSRF ever ran
    member = Client()
    member.force_login(personas["professional"])
    pages = [
        first,
        cached,
        anonymous.get("/accounts/login/"),
        anonymous.get("/bestaat-niet/"),  # the 404 page
        member.get("/reizen/"),
        member.get("/verhalen/vertellen/"),
    ]
    for response in pages:
        policy = assert_browser_headers(response)
        # The public site: nothing inline, nothing evaluated, nothing from elsewhere.
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert "'unsafe-inline'" not in response[CSP] and "'unsafe-eval'" not in response[CSP]
        assert policy["connect-src"] == ["'self'"]  # the same host's ws: and wss: too

    # The admins have inline code of their own: a policy that allows it, on their
    # addresses only, still with every script from the platform's origin.
    staff = Client()
    staff.force_login(personas["beheerder"])
    for url in ("/cms/", "/django-admin/"):
        response = staff.get(url)
        assert response.status_code == 200, url
        policy = directives(response[CSP])
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]


TEMPLATE_EXCEPTIONS = {
    # Rendered to PDF by WeasyPrint, never served to a browser.
    "templates/journeys/reports/pdf.html",
}
INLINE_IN_TEMPLATES = [
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "an inline event handler"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on (htmx evaluates it)"),
    (re.compile(r"\shx-(vals|vars)\s*=\s*[\"']\s*js:", re.I), "js: in hx-vals (evaluated)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]
INLINE_IN_SCRIPTS = [
    (re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(|setTimeout\(\s*[\"']"), "eval"),
    (re.compile(r"setAttribute\(\s*[\"']style[\"']|\.cssText\s*="), "an inline style"),
    (re.compile(r"<style|\sstyle=|createElement\(\s*[\"']style"), "an inline style"),
]


def test_no_template_or_script_of_the_platform_needs_inline_code():
    """What the policy refuses, caught before a browser sees it: the browser suite then
    confirms the pages it drives report no violation (tests/e2e/conftest.py)."""
    found = []
    for path in sorted((BASE_DIR / "templates").rglob("*.html")):
        name = str(path.relative_to(BASE_DIR))
        if name in TEMPLATE_EXCEPTIONS:
            continue
        text = path.read_text(encoding="utf-8")
        found += [
            f"{name}: {what}" for pattern, what in INLINE_IN_TEMPLATES if pattern.search(text)
        ]
    for path in sorted((BASE_DIR / "static/js").rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        found += [
            f"{path.name}: {what}" for pattern, what in INLINE_IN_SCRIPTS if pattern.search(text)
        ]
    assert not found, found
    base = (BASE_DIR / "templates/base.html").read_text(encoding="utf-8")
    # htmx would otherwise add a <style> element and evaluate hx-on and js: values.
    assert '"includeIndicatorStyles": false, "allowEval": false' in base


def test_the_deployment_check_is_clean_on_the_production_settings(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "leren.example.nl",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    for name in ("DEBUG", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_security_txt_names_a_contact_a_policy_and_expires_within_a_year(settings):
    settings.BASE_URL = "https://leren.example.nl"
    settings.DEFAULT_FROM_EMAIL = "noreply@leren.example.nl"
    settings.SECURITY_CONTACT = ""
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields == {
        "Contact": "mailto:noreply@leren.example.nl",
        "Expires": fields["Expires"],
        "Preferred-Languages": "nl, en",
        "Canonical": "https://leren.example.nl/.well-known/security.txt",
        "Policy": "https://leren.example.nl/.well-known/security-policy.txt",
    }
    expires = timezone.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%S%z")
    assert timedelta(days=364) < expires - timezone.now() <= timedelta(days=365)

    settings.SECURITY_CONTACT = "security@gemeente.example.nl"
    text = Client().get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:security@gemeente.example.nl\n" in text
    settings.SECURITY_CONTACT = "https://gemeente.example.nl/kwetsbaarheid-melden"
    text = Client().get("/.well-known/security.txt").content.decode()
    assert "Contact: https://gemeente.example.nl/kwetsbaarheid-melden\n" in text

    policy = Client().get("/.well-known/security-policy.txt")
    assert policy.status_code == 200 and policy["Content-Type"].startswith("text/plain")
    assert "https://gemeente.example.nl/kwetsbaarheid-melden" in policy.content.decode()
    assert "Coordinated Vulnerability Disclosure" in policy.content.decode()
    assert Client().post("/.well-known/security.txt").status_code == 405


def test_the_cms_api_refuses_a_password_sent_without_signing_in(personas):
    # HTTP Basic would skip the sign-in's rate limits and the staff two-factor rule.
    from base64 import b64encode

    from tests.conftest import PASSWORD

    staff = personas["beheerder"]
    credentials = b64encode(f"{staff.email}:{PASSWORD}".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=f"Basic {credentials}")
    for address in ("/cms/api/main/documents/", "/cms/api/main/images/"):
        response = client.get(address)
        assert response.status_code in (302, 401, 403), address
        assert b'"items"' not in response.content
