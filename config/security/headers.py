"""The Content-Security-Policy and Permissions-Policy headers.

django-csp's middleware with two additions: the admins (/cms/, /django-admin/) get a
policy of their own (CONTENT_SECURITY_POLICY_ADMIN: Wagtail's and Django's admins still
use inline scripts and styles), and the header string is built once per policy rather
than per request. A view decorated with django-csp's decorators (csp_exempt,
csp_update, csp_replace, csp_override), a nonce or a report-only policy take django-csp's
own path. The middleware sits before the page cache, so cached pages carry the header too.
"""

from __future__ import annotations

from functools import cache

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"
# What a PDF shows in the browser's own viewer: a policy there only gets in its way.
_UNPOLICED_TYPES = ("application/pdf",)
_OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


def _is_admin(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_ADMIN_URL_PREFIXES))


@cache
def _policy(admin: bool) -> str:
    name = "CONTENT_SECURITY_POLICY_ADMIN" if admin else "CONTENT_SECURITY_POLICY"
    directives = (getattr(settings, name, None) or {}).get("DIRECTIVES")
    return build_policy(config=directives) if directives else ""


@cache
def _permissions_policy() -> str:
    policy = getattr(settings, "PERMISSIONS_POLICY", None) or {}
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


def _reset(*, setting, **kwargs) -> None:
    if setting.startswith(("CONTENT_SECURITY_POLICY", "CSP_", "PERMISSIONS_POLICY")):
        _policy.cache_clear()
        _permissions_policy.cache_clear()


setting_changed.connect(_reset)


class SecurityHeadersMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        permissions = _permissions_policy()
        if permissions and PERMISSIONS_POLICY_HEADER not in response:
            response[PERMISSIONS_POLICY_HEADER] = permissions
        if response.get("Content-Type", "").startswith(_UNPOLICED_TYPES):
            return response
        custom = (
            any(hasattr(response, name) for name in _OVERRIDES)
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (response.status_code in (404, 500) and settings.DEBUG)
        )
        if custom:
            return super().process_response(request, response)
        policy = _policy(_is_admin(request.path_info))
        if policy and HEADER not in response:
            response[HEADER] = policy
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and _is_admin(request.path_info):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts
