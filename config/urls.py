from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community.views import cms_sign_in
from config.health import health
from config.security import views as security_views

# allauth answers its rate limits (login, sign-up, password reset) with this 429.
handler429 = "community.limits.account_rate_limited"

# The Django admin signs in through allauth too (verification, rate limits, two-factor).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("health/", health, name="health"),
    path(".well-known/security.txt", security_views.security_txt, name="security_txt"),
    path(
        ".well-known/security-policy.txt",
        security_views.disclosure_policy,
        name="security_policy",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("community.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    # Wagtail's own sign-in forms (the CMS's and the one for private pages) would sign in
    # with a password alone, around allauth's verification, rate limits and two-factor:
    # they send to allauth's door instead.
    path("cms/login/", cms_sign_in, name="cms_login"),
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="page_login",
    ),
    path("cms/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    # The forums (/plein/, /reizen/<slug>/forum/) and /meldingen/, before the journeys.
    path("", include("community.urls")),
    path("", include("journeys.stories.urls")),  # /verhalen/ and /reizen/<slug>/verhalen/
    # Lesson progress (/leren/voortgang/...), site-wide search (/zoeken/) and the
    # leervragen (/leervragen/, /reizen/<slug>/leervragen/), before the journeys.
    path("", include("learning.urls")),
    path("reizen/", include("journeys.urls")),
]

if settings.DEBUG:
    # As the proxy does in production (docker/Caddyfile): only the CMS's public images.
    # Forum attachments, board images and story media live in MEDIA_ROOT too, but only
    # views that check permission and the stored type hand them out.
    for public in ("images/", "original_images/"):
        urlpatterns += static(
            settings.MEDIA_URL + public, document_root=f"{settings.MEDIA_ROOT}/{public}"
        )

# Wagtail serves the page tree last, so every app route above wins.
urlpatterns += [path("", include(wagtail_urls))]
