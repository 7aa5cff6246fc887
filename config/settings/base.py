"""Settings shared by every environment. Everything that differs comes from the environment.

The embedded defaults (no environment at all) give a working platform on one machine:
SQLite under var/, the in-memory channel layer, database search, tasks run immediately,
email printed to the console. .env.example lists every variable.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from . import components

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
NODE_MODULES = BASE_DIR / "node_modules"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
PLATFORM_NAME = env.str("PLATFORM_NAME", default="Lerende infrastructuur")

INSTALLED_APPS = [
    # daphne first: its runserver serves ASGI, websockets included.
    "daphne",
    "community",
    "journeys",
    "learning",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "config.page_cache",  # full-page cache for anonymous visitors (docs/caching.md)
    "config.security",  # security headers, session timeouts, security.txt (docs/security.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy; before the page cache, so cached
    # pages carry them too.
    "config.security.headers.SecurityHeadersMiddleware",
    # Before sessions, CSRF and auth: a cached anonymous page costs one cache read.
    "config.page_cache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.security.sessions.SessionTimeoutMiddleware",  # idle and absolute timeouts
    "community.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "community.limits.RetryAfterMiddleware",  # every 429 says when to come back
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.platform",
                "community.context_processors.notifications",
            ],
        },
    },
]

# --- Real components -------------------------------------------------------------------
DATABASES = {
    "default": components.database(
        env,
        default_sqlite_path=VAR_DIR / "db.sqlite3",
        pool_max_size=env.int("DATABASE_POOL_MAX_SIZE", default=10),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="") or None
CACHES = components.cache(REDIS_URL)
# Anonymous visitors' public pages are kept this many seconds (0: off); any publish or
# change they show retires them sooner (docs/caching.md).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
CHANNEL_LAYERS = components.channel_layers(
    REDIS_URL,
    max_connections=env.int("REDIS_MAX_CONNECTIONS", default=1000),
    fanout=env.bool("REALTIME_FANOUT", default=False),
)

MEILISEARCH_URL = env.str("MEILISEARCH_URL", default="") or None
WAGTAILSEARCH_BACKENDS = components.search_backends(
    MEILISEARCH_URL, env.str("MEILISEARCH_KEY", default="")
)

TASKS = components.tasks(env.str("TASKS_BACKEND", default="immediate"))

# EMAIL_URL gives the delivery backend with its EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, ...
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND")
globals().update(_email)
# Every message is handed to the task queue, which delivers it (community/mail.py).
EMAIL_BACKEND = "community.mail.TaskQueueEmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts ------------------------------------------------------------------------
AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PLATFORM_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if BASE_URL.startswith("https") else "http"
# allauth's rate limits (docs/security.md): its defaults, except these. Sign-in per
# address allows a workshop room behind one address; a reset mail goes to one address at
# most 3 times in 15 minutes. Over the limit: 429.html (community.limits).
ACCOUNT_RATE_LIMITS = {
    action: env.str(f"ACCOUNT_RATE_LIMIT_{action.upper()}", default=rate)
    for action, rate in {
        "login": "60/m/ip",
        "login_failed": "10/m/ip,5/5m/key",
        "signup": "20/m/ip,100/h/ip",
        "reset_password": "20/m/ip,3/15m/key",
        "reset_password_from_key": "20/m/ip",
    }.items()
}

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PLATFORM_NAME
# Staff must set up two-factor before they can use the platform (production turns it on).
REQUIRE_STAFF_TWO_FACTOR = env.bool("REQUIRE_STAFF_TWO_FACTOR", default=False)

SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# A signed-in session ends after this many seconds without a request (8 hours: a working
# day, so a lunch break or a long meeting keeps it, a night or a forgotten shared computer
# does not) and, however busy, this long after signing in (24 hours: someone who uses
# the platform daily signs in once a day; a stolen session cookie is good for a day at
# most). 0 turns a timeout off. config/security/sessions.py; docs/security.md.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=8 * 60 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=24 * 60 * 60)
# The last-seen stamp is written at most this often (seconds): no session write per request.
SESSION_TOUCH_INTERVAL = env.int("SESSION_TOUCH_INTERVAL", default=5 * 60)
if SESSION_ABSOLUTE_TIMEOUT:
    SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT

# --- Browser security headers (config/security/headers.py, docs/security.md) ---------
# No inline script or style, no eval: every script and style sheet comes from /static/.
# Video blocks embed the players of YouTube (its no-cookie domain) and Vimeo.
CSP_FRAME_SRC = env.list(
    "CSP_FRAME_SRC",
    default=[
        "https://www.youtube-nocookie.com",
        "https://www.youtube.com",
        "https://player.vimeo.com",
    ],
)
_CSP_COMMON = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    # 'self' covers ws: and wss: to the same host (CSP Level 3, Chromium and Firefox).
    "connect-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "frame-src": ["'self'", *CSP_FRAME_SRC],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin (/cms/) and Django's (/django-admin/) still use inline scripts and
# styles: they get this policy, which still keeps every script on the platform's own
# origin. Only staff reach them, signed in with two-factor in production.
CSP_ADMIN_URL_PREFIXES = ["/cms/", "/django-admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "frame-ancestors": ["'self'"],  # the page preview frames the site
    }
}
# Features no page uses are off for the page and for every frame in it.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Where security researchers report (security.txt); an address or a URL. Defaults to
# DEFAULT_FROM_EMAIL. SECURITY_POLICY_URL defaults to /.well-known/security-policy.txt.
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="")
SECURITY_POLICY_URL = env.str("SECURITY_POLICY_URL", default="")

# --- Wagtail ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = PLATFORM_NAME
WAGTAILADMIN_BASE_URL = BASE_URL
# The CMS signs in through allauth, so verification, rate limits and two-factor apply
# (community.views.cms_sign_in passes visitors on to the allauth login).
WAGTAILADMIN_LOGIN_URL = "cms_sign_in"
# No Gravatar: it would send a hash of every editor's email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor an update check: it would call wagtail.io from every editor's browser (and the
# admin's Content-Security-Policy refuses it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's admin API (documents, images) would also take HTTP Basic credentials, which
# skip allauth's rate limits and the staff two-factor rule: the session only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
TAGGIT_CASE_INSENSITIVE = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Forums ----------------------------------------------------------------------------
# A member may post this many times per minute (more answers 429); attachments up to
# this size (bytes).
FORUM_POSTS_PER_MINUTE = env.int("FORUM_POSTS_PER_MINUTE", default=6)
FORUM_MAX_ATTACHMENT_BYTES = env.int("FORUM_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Live boards: cards per person per minute (anonymous cards count too) and image size.
BOARD_CARDS_PER_MINUTE = env.int("BOARD_CARDS_PER_MINUTE", default=10)
BOARD_MAX_IMAGE_BYTES = env.int("BOARD_MAX_IMAGE_BYTES", default=5 * 1024 * 1024)

# --- Privacy ---------------------------------------------------------------------------
# A member's data download (a zip in private storage) and its link work this many days;
# then the file is removed (community/services/data_export.py).
DATA_EXPORT_VALID_DAYS = env.int("DATA_EXPORT_VALID_DAYS", default=7)

# --- Abuse limits (community/limits.py, docs/security.md) -------------------------------
# Attempts per member (signed out: per address) and window, counted in the default cache;
# over the limit: 429 with Retry-After. RATE_LIMIT_<ACTION>=count/period (s, m, h, d; 5m is
# five minutes) overrides one; empty turns it off.
RATE_LIMITS = {
    action: env.str(f"RATE_LIMIT_{action.upper()}", default=rate)
    for action, rate in {
        "post": "20/m",  # forum threads, replies, edits; leervragen and their comments
        "card": "60/m",  # board cards, their edits and comments
        "story": "10/m",  # telling and editing stories
        "registration": "20/m",  # registering for events
        "search": "40/m",  # /zoeken/, the story archive and the forum searches, with ?q=
        "withdrawal_code": "10/m",  # trying story withdrawal codes (no account needed)
        "websocket": "60/m",  # messages a client sends over its live connections
    }.items()
}

# --- Language and time ---------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from npm (npm ci), never copied into the repository.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht/component-library-css/dist"),
    ("vendor/theme", NODE_MODULES / "@nl-design-system-unstable/voorbeeld-design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
    # The theme's typefaces, self-hosted: no third-party font service sees the visitors.
    ("vendor/fonts/noto-sans", NODE_MODULES / "@fontsource/noto-sans"),
    ("vendor/fonts/noto-serif", NODE_MODULES / "@fontsource/noto-serif"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Generated reports (PDF) are served only by views that check permission.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
# `manage.py backup` writes its timestamped folders here (config/backup.py, README "Backups").
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CSRF_FAILURE_VIEW = "community.views.csrf_failure"  # the refusal in the page shell
# No one frames the platform; Wagtail's page preview sets SAMEORIGIN on its own response.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
