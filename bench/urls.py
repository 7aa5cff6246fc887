"""The site's URLs plus the floor every page is compared with: a hello-world view on the
same server, behind the same middleware. Mounted only by config.settings.bench."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler429  # noqa: F401  (allauth answers its limits with it)
from config.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


# First: the site ends in Wagtail's catch-all page route.
urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *site_urlpatterns]
