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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, CSRF and auth: a cached anonymous page costs one cache read.
    "config.page_cache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "community.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
# allauth's rate limits (login, sign-up, password reset, ...) stay on with its defaults.

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PLATFORM_NAME
# Staff must set up two-factor before they can use the platform (production turns it on).
REQUIRE_STAFF_TWO_FACTOR = env.bool("REQUIRE_STAFF_TWO_FACTOR", default=False)

SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True

# --- Wagtail ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = PLATFORM_NAME
WAGTAILADMIN_BASE_URL = BASE_URL
# The CMS signs in through allauth, so verification, rate limits and two-factor apply
# (community.views.cms_sign_in passes visitors on to the allauth login).
WAGTAILADMIN_LOGIN_URL = "cms_sign_in"
# No Gravatar: it would send a hash of every editor's email address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CSRF_FAILURE_VIEW = "community.views.csrf_failure"  # the refusal in the page shell
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's page preview frames the site itself.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
