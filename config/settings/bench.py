"""Benchmarks (`make bench`): production-like on one machine, served on loopback.

DEBUG off, PostgreSQL with the pool from DATABASE_URL, Redis cache and channel layer from
REDIS_URL, as in production; what production takes from a proxy or a mail server is left
out (no HTTPS redirect, console mail, immediate tasks), so the numbers are the
application's own. ROOT_URLCONF adds the hello-world floor at /bench/hello/ beside the site.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="bench-only-insecure-key-never-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

# As production: staff without two-factor are stopped (it costs one check per request).
REQUIRE_STAFF_TWO_FACTOR = env.bool("REQUIRE_STAFF_TWO_FACTOR", default=True)
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The write path posts replies far faster than a person (one member, every few hundred ms):
# its limit is raised, the others stay as in production, so their cost is measured too.
RATE_LIMITS = {**RATE_LIMITS, "post": env.str("RATE_LIMIT_POST", default="100000/m")}  # noqa: F405
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Request logging would measure the terminal, not the platform.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# The bench measures the websocket fan-out layer (opt-in in production, REALTIME_FANOUT;
# docs/realtime.md); REALTIME_FANOUT=false measures the stock channels-redis layer.
CHANNEL_LAYERS = components.channel_layers(  # noqa: F405
    REDIS_URL,  # noqa: F405
    max_connections=env.int("REDIS_MAX_CONNECTIONS", default=1000),
    fanout=env.bool("REALTIME_FANOUT", default=True),
)
