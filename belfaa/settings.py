"""The one settings module: everything comes from environment variables with safe
local defaults (see the configuration table in README.md). A bad value stops the
start with a message that names the variable."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    import dj_database_url

    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not understood: expected "
            "postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:////absolute/path.sqlite3 "
            "(leave it unset for a local SQLite file under var/)."
        )
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} is not understood: {error}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database after the host.")
    return config


def redis_url(url: str, name: str = "REDIS_URL") -> str:
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname or not database.isdigit():
        raise ImproperlyConfigured(
            f"{name}={url!r} is not understood: expected redis://HOST:PORT/DB "
            "(leave it unset to run tasks in-process with a local-memory cache)."
        )
    return url


def cache_url(broker: str, explicit: str) -> str:
    """The cache's Redis: CACHE_URL, else the broker's server with the next database,
    so that clearing the cache (FLUSHDB) never drops queued tasks."""
    if explicit:
        url = redis_url(explicit, "CACHE_URL")
    else:
        parts = urlsplit(broker)
        database = int(parts.path.strip("/") or "0") + 1
        if database > 15:
            raise ImproperlyConfigured(
                f"REDIS_URL={broker!r} uses the last Redis database, so the cache has none "
                "of its own after it: set CACHE_URL=redis://HOST:PORT/DB to another one."
            )
        url = parts._replace(path=f"/{database}").geturl()

    def where(address: str) -> tuple[str | None, int | None, str]:
        parts = urlsplit(address)
        return parts.hostname, parts.port or 6379, parts.path.strip("/") or "0"

    if where(url) == where(broker):
        raise ImproperlyConfigured(
            f"CACHE_URL={explicit!r} is the broker's database (REDIS_URL): clearing the "
            "cache would drop queued tasks. Give the cache a database of its own."
        )
    return url


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG only)
# Previous keys, still accepted (sessions, signed links, two-step verification secrets)
# while they are rotated out: see "Rotating SECRET_KEY" in README.md.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
HTTPS = env_bool("HTTPS", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its tabs patch the forms.
    "modeltranslation",
    "belfaa",
    # Our apps in their dependency order: each may import only those above it here.
    "programs",
    "partners",
    "participants",
    "events",
    "portal",
    # Django's admin, on a site that guards the registry's sensitive part in every admin.
    "participants.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "import_export",
    "django_countries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "belfaa.middleware.SessionIdleMiddleware",
    "belfaa.middleware.StaffTwoStepMiddleware",
]

ROOT_URLCONF = "belfaa.urls"
WSGI_APPLICATION = "belfaa.wsgi.application"
AUTH_USER_MODEL = "belfaa.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "belfaa.sqlite3",
            # Wait for a writer instead of failing at once with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            "CONN_MAX_AGE": 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The PostgreSQL role the web and worker processes connect as in production: it owns no
# table, so it can neither alter one nor disable the access log's triggers. When set,
# `migrate` (run as the owner) gives it its rights after every run (belfaa/dbrole.py).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "").strip()
if DATABASE_APP_ROLE:
    from belfaa.dbrole import ROLE_NAME

    if not ROLE_NAME.fullmatch(DATABASE_APP_ROLE):
        raise ImproperlyConfigured(
            f"DATABASE_APP_ROLE={DATABASE_APP_ROLE!r} is not a PostgreSQL role name this "
            "platform accepts: lower-case letters, digits and _, e.g. belfaa_app."
        )
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_APP_ROLE={DATABASE_APP_ROLE!r} needs a PostgreSQL DATABASE_URL "
            "(SQLite has no roles): unset it, or set DATABASE_URL=postgres://..."
        )

# --- Cache and tasks ------------------------------------------------------
# REDIS_URL is the Celery broker and result backend; the cache is CACHE_URL, by default
# the same server's next database. A cache that does not answer is a miss
# (belfaa/cache.py), so the timeouts are short: a dead Redis must not hold up a page.
REDIS_URL = redis_url(os.environ["REDIS_URL"]) if os.environ.get("REDIS_URL") else ""
if REDIS_URL:
    CACHE_URL = cache_url(REDIS_URL, os.environ.get("CACHE_URL", ""))
    CACHES = {
        "default": {
            "BACKEND": "belfaa.cache.DegradingRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "belfaa",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    if os.environ.get("CACHE_URL"):
        raise ImproperlyConfigured(
            "CACHE_URL is set but REDIS_URL is not: set both (or neither, for a "
            "local-memory cache and tasks run in-process)."
        )
    CACHE_URL = ""
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # No broker: tasks run in-process, at once, as a local demo needs.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

# A sign-up whose message cannot be queued is stored all the same (the outbox sweep
# queues it later): give up publishing quickly rather than hold up the answer.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Africa/Casablanca"
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 30
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # A heartbeat the health page and operators can read: proves beat and a worker run.
    "heartbeat": {"task": "belfaa.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    # Messages still pending a few minutes after they were written (their task never
    # reached the broker, or was lost) are queued again; sending twice is harmless.
    "outbox-sweep": {"task": "events.tasks.outbox_sweep", "schedule": crontab(minute="*/5")},
    # Every hour, for activities starting within a day; each person gets one reminder.
    "event-reminders": {"task": "events.tasks.reminders_send", "schedule": crontab(minute=5)},
    "registrations-anonymise": {
        "task": "events.tasks.registrations_anonymise",
        "schedule": crontab(hour=3, minute=30),
    },
    # Daily, after midnight: agreements and commitments move with their dates, reports
    # fall due and their reminders go out once (partners.tasks.daily_run).
    "partners-daily": {"task": "partners.tasks.daily_run", "schedule": crontab(hour=1, minute=15)},
    "participants-retention": {
        "task": "participants.tasks.retention_apply",
        "schedule": crontab(hour=4, minute=0),
    },
}

# --- Activities -----------------------------------------------------------
# The public address of the site, for links in messages (cancel link, calendar).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} is not an address like https://example.org")
# Names and contacts of public sign-ups are wiped this many days after the activity.
EVENTS_ANONYMISE_AFTER_DAYS = env_int("EVENTS_ANONYMISE_AFTER_DAYS", 180, minimum=1)
# At most this many sign-ups from one address in the window (seconds).
EVENTS_SIGNUP_RATE_LIMIT = env_int("EVENTS_SIGNUP_RATE_LIMIT", 10, minimum=1)
EVENTS_SIGNUP_RATE_WINDOW = env_int("EVENTS_SIGNUP_RATE_WINDOW", 600, minimum=1)

# --- Figures shown to partners ------------------------------------------
# Counts from 1 to SMALL_CELL_K - 1 are hidden (programs/suppression.py); below 3,
# "< k" would give the count away.
SMALL_CELL_K = env_int("SMALL_CELL_K", 5, minimum=3)

# --- Registry of participants ---------------------------------------------
# References carry no personal data: PREFIX-YEAR-NUMBER, e.g. BLF-2026-00042.
PARTICIPANT_REFERENCE_PREFIX = os.environ.get("PARTICIPANT_REFERENCE_PREFIX", "BLF")
# People with no activity for this many years are anonymised; Coordinators are told
# PARTICIPANTS_RETENTION_NOTICE_DAYS before.
PARTICIPANTS_RETENTION_YEARS = env_int("PARTICIPANTS_RETENTION_YEARS", 5, minimum=1)
PARTICIPANTS_RETENTION_NOTICE_DAYS = env_int("PARTICIPANTS_RETENTION_NOTICE_DAYS", 30, minimum=1)
# Largest spreadsheet staff may import.
PARTICIPANTS_IMPORT_MAX_BYTES = env_int("PARTICIPANTS_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
# Country names follow the page's language; the country list comes from django-countries.
COUNTRIES_FIRST = ["MA", "SN", "CI", "GN", "ML", "SD", "CM", "NG", "BE", "FR", "ES"]
COUNTRIES_FIRST_REPEAT = True

# --- Partners and uploads ------------------------------------------------
# Largest document (agreement, amendment, report attachment) anyone may upload.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# A progress report is due this many days after the end of the period it covers.
PARTNERS_REPORT_DUE_DAYS = env_int("PARTNERS_REPORT_DUE_DAYS", 30, minimum=0)

# --- Auth and accounts ----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "belfaa.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# Brute force: after 5 failed logins for one account in 15 minutes that account is
# locked for the rest of the window, and one address may fail at most 20 times.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/15m/ip,5/15m/key"}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Belfaa")
# Stores the TOTP key and recovery-codes seed encrypted (belfaa/mfa.py).
MFA_ADAPTER = "belfaa.adapters.MFAAdapter"
# Staff without an authenticator app are sent to set one up before any admin or staff
# page; off under DEBUG so the demo accounts of `make run` sign in with a password only.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", not DEBUG)
# A signed-in session (staff or partner) unused for this long is signed out
# (belfaa.middleware.SessionIdleMiddleware); SESSION_COOKIE_AGE still caps a whole day.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# A portal invitation's link works once, for this many days (portal/invitations.py).
PORTAL_INVITATION_DAYS = env_int("PORTAL_INVITATION_DAYS", 7, minimum=1)

# --- Languages and time ---------------------------------------------------
# The one list of languages: a fourth (Amazigh in Tifinagh, "zgh") is added here,
# in locale/, and by `makemigrations` for the translated columns.
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("en", _("English")),
]
# Ours first, then the Arabic for strings Django and the packages leave untranslated
# (kept apart so that makemessages, which only writes locale/, never drops them).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_packages"]
FORMAT_MODULE_PATH = ["belfaa.formats"]
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# A text missing in one language shows in another rather than as a blank.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "ar", "en")}
# The tabbed admin must not load jQuery UI from a CDN (no internet, and our CSP).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- Static and media -----------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Mail -----------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Belfaa <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": env_int("SMTP_PORT", 587, minimum=1),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_STARTTLS", True),
                "timeout": 20,
            },
        }
    }
else:
    # Without a relay, mail is written to files a developer can read.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": VAR_DIR / "mail"},
        }
    }

# --- Security -------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
if HTTPS:
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
if TRUSTED_PROXY_COUNT:
    # Only behind a reverse proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS: list[str] = []

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every step of a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- PAC report -------------------------------------------------------------
# Generated report files are kept this many days in STORAGES, then deleted daily.
PAC_REPORT_KEEP_DAYS = env_int("PAC_REPORT_KEEP_DAYS", 30, minimum=1)
CELERY_BEAT_SCHEDULE["pac-reports-cleanup"] = {
    "task": "programs.tasks.report_files_cleanup",
    "schedule": crontab(hour=4, minute=30),
}
