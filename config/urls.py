from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import health

# The Django admin signs in through allauth too (verification, rate limits, two-factor).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("community.account_urls")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
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
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the page tree last, so every app route above wins.
urlpatterns += [path("", include(wagtail_urls))]
