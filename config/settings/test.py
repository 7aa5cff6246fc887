"""Settings for pytest. DATABASE_URL and REDIS_URL still apply, so CI runs the same suite
on the embedded defaults and on PostgreSQL + Redis."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = False
SECRET_KEY = "test-only-key"
# Real hosts, so the websocket origin check is exercised as in production.
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test set-up puts EMAIL_BACKEND on locmem; tests of the queue path set it back.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # serve static files without collectstatic
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# django-zeal's N+1 detector (tests/test_query_guards.py turns it on per request; off, it
# only watches). A relation loaded twice from one line is an N+1.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
ZEAL_NPLUSONE_THRESHOLD = 2
ZEAL_RAISE = True
