"""/.well-known/security.txt (RFC 9116) and the disclosure policy it points to."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

# RFC 9116 asks for an Expires less than a year ahead; a year from the day of the request
# keeps the file valid as long as the platform runs, without anyone editing it.
VALID_FOR = timedelta(days=365)
POLICY_PATH = "/.well-known/security-policy.txt"


def _absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def contact() -> str:
    configured = settings.SECURITY_CONTACT
    if configured:
        return configured if ":" in configured else f"mailto:{configured}"
    return f"mailto:{settings.DEFAULT_FROM_EMAIL}"


@require_GET
def security_txt(request):
    expires = (timezone.now() + VALID_FOR).replace(hour=0, minute=0, second=0, microsecond=0)
    lines = [
        f"Contact: {contact()}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {_absolute('/.well-known/security.txt')}",
        f"Policy: {settings.SECURITY_POLICY_URL or _absolute(POLICY_PATH)}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def disclosure_policy(request):
    text = render_to_string(
        "security/disclosure_policy.txt",
        {"contact": contact().removeprefix("mailto:"), "platform_name": settings.PLATFORM_NAME},
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
