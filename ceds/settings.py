"""CeDS settings: one file, configured only by environment variables.

A fresh checkout runs with no variables set (SQLite, DEBUG on). Every variable is read
through a small typed helper that fails loudly on a value it cannot parse, so a typo in a
deployment stops the process instead of silently falling back to a default.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ceds.accounts import sso as _sso

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)
# Under pytest: fast password hashing, no rate limits. Never true in a deployment.
TESTING = env_bool("CEDS_TESTING", "pytest" in sys.modules)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 — refused when DEBUG is off
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and not TESTING and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ceds.core",
    "ceds.accounts",
    "ceds.cities",
    "ceds.frameworks",
    "ceds.assessments",
    "ceds.solutions",
    "ceds.benchmarks",
    "ceds.reports",
    "ceds.indices",
    "ceds.api",
    "ceds.audit",
    "ceds.content",
    "ceds.privacy",
    "ceds.demo",
]

MIDDLEWARE = [
    # First, so every later log line of the request carries its id (ceds/core/requestid.py).
    "ceds.core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed on the way out (the map's inline SVG shrinks to a third): on a slow
    # connection that is most of a page's time (bench/slow_network.py). CSRF tokens are
    # masked anew in every response, which defeats BREACH-style guessing of them.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ceds.accounts.middleware.UserLanguageMiddleware",
    "ceds.accounts.middleware.RequireTwoFactorMiddleware",
    "ceds.accounts.middleware.SignInProviderFormActionMiddleware",
    # Axes last, as its documentation asks, so it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ceds.urls"
WSGI_APPLICATION = "ceds.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ceds.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: each transaction takes the write lock when it begins (IMMEDIATE)
    # and waits up to the busy timeout for the one before, instead of failing with "database
    # is locked" when a read turns into a write; WAL lets readers go on during a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("CEDS_SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the API rate limits (per token) and allauth's sign-in throttles; django-axes
# counts failed sign-ins in the database. With several app servers, REDIS_URL gives them one
# cache (Django's own Redis backend), so a limit counts every server's requests, and sessions are
# kept in Redis in front of the database (cached_db: a Redis restart signs nobody out).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CEDS_CACHE_KEY_PREFIX", "ceds"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The task queue (ceds/celery.py). No broker (the embedded default): tasks run eagerly in the
# calling process, so `make run` and the tests need no worker. With a broker, e.g.
# CEDS_BROKER_URL=redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//, validation
# returns at once and a worker issues the report; `celery -A ceds beat` runs the schedule below.
CELERY_BROKER_URL = env_str("CEDS_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The worker logs through LOGGING below (JSON lines with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged when it has finished, and handed to another worker when its worker dies
# mid-task (SIGKILL, out of memory): every task is idempotent, so running one twice is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged task after this many seconds: longer than our longest task.
# Kombu looks for such tasks only every `interval x throttle` seconds (10 x 10 by default, whatever
# the timeout), so a killed worker's task would wait up to 100 s more; one cheap scan per worker
# every few seconds makes the timeout the delay.
_VISIBILITY_TIMEOUT = env_int("CEDS_BROKER_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, _VISIBILITY_TIMEOUT // 3)),
    "unacked_restore_throttle": 1,
}
# Several deployments (or test runs) can share one Redis database under different key prefixes.
if env_str("CEDS_BROKER_KEY_PREFIX", ""):
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env_str("CEDS_BROKER_KEY_PREFIX", "")
CELERY_TASK_IGNORE_RESULT = True  # callers read results from the database, never from the queue
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
# Reports and PDFs are slow, audits slower: their own queues keep reminders and imports moving.
# Benchmarks have one queue so that a deployment can run it with one worker (--concurrency=1);
# recompute() also takes its own lock per framework version and period.
CELERY_TASK_ROUTES = {
    "ceds.reports.tasks.*": {"queue": "reports"},
    "ceds.benchmarks.tasks.*": {"queue": "benchmarks"},
    "ceds.audit.tasks.*": {"queue": "audit"},
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "ceds.assessments.tasks.send_due_reminders",
        "schedule": env_int("CEDS_REMINDER_EVERY_HOURS", 24) * 3600,
    },
    "re-audit-portals": {
        "task": "ceds.audit.tasks.reaudit_due_portals",
        "schedule": 3600,  # hourly check; each city is audited again after CEDS_REAUDIT_DAYS
    },
}
# The scheduled re-audit: a city's portal is audited again this many days after its last audit
# (0: no scheduled re-audit).
CEDS_REAUDIT_DAYS = env_int("CEDS_REAUDIT_DAYS", 30)
# A workbook with more answer rows than this is applied by a worker (when there is a broker).
CEDS_WORKBOOK_QUEUE_ROWS = env_int("CEDS_WORKBOOK_QUEUE_ROWS", 200)

# Email: console in development; EMAIL_URL=smtp://user:pass@host:587 in production.
EMAIL_URL = env_str("EMAIL_URL", "console:" if DEBUG else "")
if EMAIL_URL.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL.startswith(("smtp://", "smtps://")):
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or ""
    EMAIL_PORT = _mail.port or (465 if _mail.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_USE_TLS = _mail.scheme == "smtp"
elif EMAIL_URL:
    raise ImproperlyConfigured(f"EMAIL_URL must start with console:, smtp:// or smtps://, not {EMAIL_URL!r}")
else:
    raise ImproperlyConfigured("EMAIL_URL must be set when DEBUG is off")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CeDS <noreply@ceds.local>")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ceds.accounts.backends.CedsAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; nobody signs up on their own, people are invited.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "ceds.accounts.adapter.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# allauth's limits, but sign-ins per address configurable (default 30 a minute, allauth's): a city
# hall's staff often reach us from one address, and a load test signs everyone in from one.
ACCOUNT_RATE_LIMITS = False if TESTING else {"login": env_str("CEDS_SIGNIN_RATE", "30/m/ip")}
# Single sign-on (ceds/accounts/sso.py): OpenID Connect providers of organisations, from
# CEDS_OIDC_PROVIDERS (a JSON list) or added by the secretariat as social applications in the
# admin. E-mail matching is done by our adapter under the organisation rules, not by allauth.
SOCIALACCOUNT_ADAPTER = "ceds.accounts.adapter.OrganisationSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the provider's button posts a form: no sign-in by a crafted link
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": _sso.providers_from_env(env_str("CEDS_OIDC_PROVIDERS", "")),
    }
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CeDS"
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring 30-second window: phone clocks drift
# When on, secretariat and regional staff must set up TOTP before anything else.
CEDS_REQUIRE_MFA_FOR_STAFF = env_bool("CEDS_REQUIRE_MFA_FOR_STAFF", not DEBUG)

# django-axes (ceds/accounts/lockout.py): an account is locked after AXES_FAILURE_LIMIT
# failures, from any address; an address after CEDS_ADDRESS_FAILURE_LIMIT failures (spraying).
# Both for AXES_COOLOFF_TIME, even against the right password.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
CEDS_ADDRESS_FAILURE_LIMIT = env_int("CEDS_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "ceds.accounts.lockout.AccountAndAddressHandler"
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "ceds.accounts.lockout.username_from"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
# Overridable only for a local load test over plain HTTP (bench/load.sh); check --deploy warns.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# HAProxy probes the app servers over plain HTTP on the private side (deploy/haproxy.cfg).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Behind the proxy, rate limits and lockouts key on the address it forwards (ceds/core/proxy.py),
# not on the proxy's own address, which every request would share.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
AXES_CLIENT_IP_CALLABLE = "ceds.core.proxy.client_ip"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No inline script or eval anywhere: htmx is a static file and its behaviour lives in
# attributes; charts are server-made SVG. Inline styles are allowed for SVG attributes only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ko", "한국어"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
    ("ar", "العربية"),
    ("fr", "Français"),
]
# Content files use short codes; map Django's language codes onto them.
CONTENT_LANGUAGE = {"zh-hans": "zh"}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
BACKUP_ROOT = Path(env_str("CEDS_BACKUP_ROOT", str(BASE_DIR / "backups")))
# Uploaded files (evidence, practice attachments, audit screenshots), rendered PDF batches and
# backups: the local disk by default; an S3-compatible object store (django-storages) with
# CEDS_STORAGE_URL=s3://BUCKET[/PREFIX][?endpoint_url=...&region_name=...&addressing_style=path],
# credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them. Files are never
# linked to directly: every download streams through a view that checks the reader's role
# (ceds/core/downloads.py, docs/operations.md), so the bucket stays private.
STORAGE_URL = env_str("CEDS_STORAGE_URL", "")
_S3_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version"}


def _storage(location: str) -> dict:
    """One storage alias: a folder of the local disk, or a prefix of the bucket."""
    if not STORAGE_URL:
        # The media storage follows MEDIA_ROOT itself (tests point it at a temporary folder).
        options = {} if location == "media" else {"location": str(BACKUP_ROOT)}
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": options}
    from urllib.parse import parse_qsl, urlsplit

    url = urlsplit(STORAGE_URL)
    if url.scheme != "s3" or not url.hostname:
        raise ImproperlyConfigured(f"CEDS_STORAGE_URL must look like s3://bucket/prefix, not {STORAGE_URL!r}")
    options = dict(parse_qsl(url.query))
    unknown = set(options) - _S3_OPTIONS
    if unknown:
        raise ImproperlyConfigured(
            f"CEDS_STORAGE_URL: unknown option(s) {sorted(unknown)}; known: {sorted(_S3_OPTIONS)}"
        )
    prefix = url.path.strip("/")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": url.netloc,
            "location": f"{prefix}/{location}" if prefix else location,
            "default_acl": None,  # the bucket's own (private) policy
            "file_overwrite": False,  # a name in use gets a suffix, as on the local disk
            "querystring_auth": True,  # a .url() would be signed and short-lived, never public
            **options,
        },
    }


STORAGES = {
    "default": _storage("media"),
    "backups": _storage("backups"),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Evidence uploads: size limit per file; types are checked by content (assessments/uploads.py).
EVIDENCE_MAX_BYTES = env_int("CEDS_EVIDENCE_MAX_MB", 20) * 1024 * 1024
# Zips (Office and OpenDocument files) are inspected before any parse (ceds/core/zipguard.py):
# members, each member's inflated size and compression ratio, and the total inflated size.
ZIP_MAX_MEMBERS = env_int("CEDS_ZIP_MAX_MEMBERS", 5000)
ZIP_MAX_MEMBER_BYTES = env_int("CEDS_ZIP_MAX_MEMBER_MB", 100) * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = env_int("CEDS_ZIP_MAX_TOTAL_MB", 250) * 1024 * 1024
ZIP_MAX_RATIO = env_int("CEDS_ZIP_MAX_RATIO", 200)
# Offline workbook imports: file size, inflated size of each part and in total, data rows.
# openpyxl holds some parts whole (the shared strings: ~7 bytes of memory per byte), hence
# the part limit; a filled CeDS workbook is well under 1 MB in all.
WORKBOOK_MAX_BYTES = env_int("CEDS_WORKBOOK_MAX_MB", 5) * 1024 * 1024
WORKBOOK_MAX_PART_BYTES = env_int("CEDS_WORKBOOK_MAX_PART_MB", 4) * 1024 * 1024
WORKBOOK_MAX_INFLATED_BYTES = env_int("CEDS_WORKBOOK_MAX_INFLATED_MB", 20) * 1024 * 1024
WORKBOOK_MAX_ROWS = env_int("CEDS_WORKBOOK_MAX_ROWS", 2000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Retention (`manage.py apply_retention`, docs/security.md): days kept; 0 keeps for ever.
# Evidence of closed cycles counts from its upload; audit events from when they happened.
CEDS_EVIDENCE_RETENTION_DAYS = env_int("CEDS_EVIDENCE_RETENTION_DAYS", 10 * 365)
CEDS_AUDIT_RETENTION_DAYS = env_int("CEDS_AUDIT_RETENTION_DAYS", 7 * 365)
# Reminders: `manage.py send_reminders` covers sections due within this many days.
REMINDER_DAYS = env_int("CEDS_REMINDER_DAYS", 3)
# How long an invitation link stays valid; an expired one can be sent again from the invitation page.
CEDS_INVITATION_DAYS = env_int("CEDS_INVITATION_DAYS", 14)

CONTENT_DIR = Path(env_str("CEDS_CONTENT_DIR", str(BASE_DIR / "content")))

# The portal audit (ceds/audit): the browser it drives and how it introduces itself to portals.
CEDS_CHROMIUM = env_str("CEDS_CHROMIUM", "/usr/bin/chromium")
CEDS_AUDIT_USER_AGENT = env_str(
    "CEDS_AUDIT_USER_AGENT", "CeDS-PortalAudit/1.0 (e-government self-assessment; run at the city's request)"
)
# Loopback portals (the tests' fixture sites) may be audited from the page only in tests.
CEDS_AUDIT_ALLOW_LOOPBACK = TESTING and env_bool("CEDS_AUDIT_ALLOW_LOOPBACK", False)
# Overrides of the audit's limits (ceds/audit/crawler.py Limits), e.g. {"max_pages": 30}.
CEDS_AUDIT_LIMITS: dict = {}

# The REST API (ceds/api): tokens or the session, problem-details errors, paginated lists.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ceds.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ceds.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["ceds.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("CEDS_API_RATE", "10000/hour" if TESTING else "1200/hour")},
    "EXCEPTION_HANDLER": "ceds.api.errors.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CeDS API",
    "DESCRIPTION": "City e-Government Diagnostic & Solution: frameworks, assessments, results, plans and open data. "
    "Authenticate with a personal token from your profile page: `Authorization: Bearer ceds_…`.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Names for the answer union's discriminators and choices (else generated clients get hashes).
    "ENUM_NAME_OVERRIDES": {
        **{f"{kind.title()}KindEnum": [kind] for kind in ("level", "scale", "binary", "number", "text", "service")},
        "NaOrDontKnowEnum": ["na", "dont_know"],
        "NaEnum": ["na"],
        "LevelChoiceEnum": ["na", "dont_know", "clear"],
        "NaOrClearEnum": ["na", "clear"],
        "ClearEnum": ["clear"],
        "ServiceStatusEnum": ["absent", "planned", "developing", "operating", "na"],
        "CityKindEnum": "ceds.cities.models.City.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ceds.api.schema.document_problems",
    ],
}

# LOG_FORMAT=json (as `make prod` runs) writes JSON lines; every record carries the request id.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ceds.core.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ceds.core.jsonlog.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},  # it logs every layout step at INFO
        "fontTools": {"level": "WARNING"},
        # One line per request from ceds.core.requestid; only with JSON logs (development has runserver's).
        "ceds.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        # Django's own request logger repeats every 4xx/5xx that ceds.request already logged.
        "django.request": {"level": "ERROR"},
    },
}

SITE_NAME = _("CeDS — City e-Government Diagnostic & Solution")
