"""Settings for the e-government capability portal, read from the environment.

Every setting a deployment changes comes from an environment variable; the README's
configuration table lists them all.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from egov_portal.email_url import parse_email_url, portal_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, or set "
            "DJANGO_DEBUG=1 for local development (see .env.example)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The Django admin's path, without the leading slash (egov_portal/urls.py). A deployment may
# move it away from the /admin/ that every scanner tries first.
ADMIN_URL = (os.environ.get("DJANGO_ADMIN_URL", "").strip().strip("/") or "admin") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    # The project's own apps, ground first: each imports only those above it in this list.
    "opds",
    "assessments",
    "masterplan",
    "reports",
    "egov_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "egov_portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "egov_portal.middleware.LanguageMiddleware",
    "egov_portal.middleware.ApiPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "egov_portal.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that the lockout page it answers with is in the language the user chose.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov_portal.urls"
# The API's clients read JSON: a refused CSRF check under /api/ answers like the API.
CSRF_FAILURE_VIEW = "egov_portal.views.csrf_failure"

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
                "opds.context_processors.membership",
                "reports.context_processors.menu",
                "egov_portal.context_processors.notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "egov_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # People save at the same moment: a writer takes the lock when its transaction begins and
    # others wait for it (up to the timeout) instead of failing with "database is locked";
    # write-ahead logging lets readers go on while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache, where the API's rate limits are counted. Unset, each process keeps its own
# in memory, which is right for one process. Several gunicorn workers or machines share one
# Redis (DJANGO_CACHE_URL=redis://host:6379/1), so a limit holds for the whole portal. Redis
# that is down fails a request within seconds instead of holding it.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "").strip()
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }

# Axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, with the user's membership read in the same query.
    "opds.backends.MembershipBackend",
]
# Argon2 for every password set from now on; the others still read older hashes, which are
# re-hashed with Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "opds:home"
LOGOUT_REDIRECT_URL = "login"

# A session lasts a working day from sign-in, and ends earlier when the browser is closed:
# many offices share computers.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)


def lockout_parameters(value: str) -> list:
    """Axes' lockout parameters from ``username+ip_address,ip_address`` (any one of the
    comma-separated groups locks; ``+`` joins what must match together)."""
    groups = []
    for group in value.split(","):
        names = [name.strip() for name in group.split("+") if name.strip()]
        unknown = set(names) - {"username", "ip_address"}
        if not names or unknown:
            raise ImproperlyConfigured(
                f"LOGIN_LOCKOUT_BY={value!r}: use username, ip_address or username+ip_address, "
                "separated by commas."
            )
        groups.append(names[0] if len(names) == 1 else names)
    return groups


# Repeated failed sign-ins (login page, API token, Django admin) lock that username from that
# address for a while. Keyed on both by default, so nobody can lock a colleague out from
# elsewhere by guessing at their username.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = lockout_parameters(
    os.environ.get("LOGIN_LOCKOUT_BY", "username+ip_address")
)
AXES_RESET_ON_SUCCESS = True
# Attempts made while locked out are refused without being counted, so the time the user is
# told to come back stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "egov_portal.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# The address a failure is counted against is the connection's own, unless the deployment
# names the header its reverse proxy sets: a client must not choose its own address.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip()
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    (CLIENT_IP_HEADER, "REMOTE_ADDR") if CLIENT_IP_HEADER else ("REMOTE_ADDR",)
)
if CLIENT_IP_HEADER:
    proxy_count = int(os.environ.get("DJANGO_PROXY_COUNT", 1))
    if proxy_count < 1:
        raise ImproperlyConfigured("DJANGO_PROXY_COUNT counts the proxies in front: 1 or more.")
    # Each proxy appends the address it received the request from: the client is that many
    # entries from the right, whatever a client wrote further left.
    AXES_IPWARE_PROXY_COUNT = proxy_count - 1
    IPWARE_STRICT = False

LANGUAGE_CODE = "id"
# Each language is named in itself, so a reader finds their own in the switcher.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in one format on every page, per language (egov_portal/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["egov_portal.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))


def storage_options(value: str) -> dict:
    """The options of the default storage backend, a JSON object (``{}`` when empty)."""
    try:
        options = json.loads(value or "{}")
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"DJANGO_STORAGE_OPTIONS is not valid JSON: {error}") from None
    if not isinstance(options, dict):
        raise ImproperlyConfigured("DJANGO_STORAGE_OPTIONS must be a JSON object: {...}.")
    return options


# Evidence, the report cache and the bundles go through Django's default storage: the folder
# MEDIA_ROOT unless a deployment names another backend, such as django-storages' S3Storage for
# object storage that several machines share (the deployment installs that package).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_STORAGE_BACKEND", "").strip()
        or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": storage_options(os.environ.get("DJANGO_STORAGE_OPTIONS", "").strip()),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Transport security and security headers ----------------------------------------------
# DJANGO_HTTPS=1: the portal is served over HTTPS by a proxy that terminates TLS and says so in
# X-Forwarded-Proto (the proxy must set that header itself, never pass on a client's). Plain
# HTTP is redirected, browsers are told to use HTTPS only, and cookies travel only over HTTPS.
# Off by default, so `make run` and a deployment without TLS keep working.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# A load balancer checks health over plain HTTP on the private network; a redirect would read
# as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading binds the whole registrable domain (often the government's shared domain) for
# months and is hard to undo, so it is the domain owner's explicit choice, not a default; the
# deploy check's reminder about it (W021) is silenced for that reason.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# DJANGO_SECURE_COOKIES is the older switch for the cookies alone; DJANGO_HTTPS implies it.
SESSION_COOKIE_SECURE = HTTPS or env_bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy of every response (egov_portal.middleware), in the shape of Django
# 6.0's setting of the same name. Nothing inline runs or styles a page; Bootstrap's form
# controls draw their icons from data: URIs.
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# --- end of transport security and security headers ------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    # The token class comes first: DRF takes the first class's WWW-Authenticate header, so an
    # anonymous request is told 401 and how to authenticate instead of a bare 403. A browser's
    # session (with its CSRF check) works as before.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: an anonymous request is told how to authenticate (401 with
        # WWW-Authenticate) instead of a bare 403.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "egov_portal.api.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "egov_portal.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "egov_portal.api.exception_handler",
    # Counted in Django's cache: without DJANGO_CACHE_URL each process keeps its own count, so
    # with several gunicorn workers a client gets up to that many times the rate; with it, one
    # count in Redis holds across every worker and machine.
    "DEFAULT_THROTTLE_CLASSES": [
        "egov_portal.throttling.AnonRateThrottle",
        "egov_portal.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1000/minute"),
    },
    # Scores and budgets are JSON numbers, not strings.
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portal Kapabilitas e-Government API",
    "DESCRIPTION": (
        "Regions, OPDs and the e-government capability data of a provincial review. "
        "Authenticate with a session or with 'Authorization: Token <key>' from "
        "POST /api/v1/auth/token/."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components, without the read-only fields of responses.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Ids and years in a path are numbers within the range the converters accept.
    "PATH_CONVERTER_OVERRIDES": {
        "api_id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
        "api_year": {"type": "integer", "minimum": 2000, "maximum": 2100},
    },
    # Several models have a "status"; each set of choices gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentStatusEnum": "assessments.models.Assessment.Status",
        "ApplicationStatusEnum": "opds.models.Application.Status",
        "MasterPlanStatusEnum": "masterplan.models.MasterPlan.Status",
        "ClarificationStatusEnum": "assessments.models.Clarification.Status",
        "ClarificationSideEnum": "assessments.models.Clarification.Side",
        "CycleStageEnum": "assessments.models.Stage",
        # The kind of report a verification names (the code and the file checks alike).
        "ReportKindEnum": ["region", "province"],
    },
}
# API tokens are stored as SHA-512 digests and expire; the header keeps DRF's "Token" prefix.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", 10))),
    "AUTH_HEADER_PREFIX": "Token",
}

# Largest spreadsheet the application inventory accepts for import.
INVENTORY_IMPORT_MAX_BYTES = int(os.environ.get("INVENTORY_IMPORT_MAX_BYTES", 2 * 1024 * 1024))

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo12345")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Largest evidence file accepted, in bytes.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))

# Background tasks: eager and in-process without a broker, on Redis when one is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down or silent must fail a request within seconds (the user is told and
# may try again), not hold it for minutes: short socket timeouts and few publish retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 3}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

# --- E-mail and notifications ------------------------------------------------------------------
# Where e-mail goes (egov_portal/email_url.py): console:// (printed, not sent; the default),
# smtp://user:password@host:port?starttls=1, smtps://…, or file:///folder. An address the
# parser cannot read stops the portal from starting, with the reason.
EMAIL_URL = os.environ.get("EMAIL_URL", "").strip() or "console://"
# EMAIL_BACKEND and the EMAIL_HOST, EMAIL_PORT … settings of the backend it names.
globals().update(parse_email_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Portal e-Gov Kalteng <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as people reach it, for the links in e-mails.
PORTAL_URL = portal_url(os.environ.get("PORTAL_URL", "http://127.0.0.1:8000"))
# Attempts at sending one notification's e-mail before it is given up (send_pending_mail).
NOTIFICATION_MAIL_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAIL_MAX_ATTEMPTS", 10))
# --- end of e-mail and notifications -------------------------------------------------------------

# Seconds after which a report bundle that no worker has started is reported as stuck.
BUNDLE_STALE_AFTER = int(os.environ.get("BUNDLE_STALE_AFTER", 180))

# The issuer printed on the letterhead of PDF reports, under the province's name.
REPORT_ISSUER = os.environ.get(
    "REPORT_ISSUER", "Dinas Komunikasi, Informatika, Persandian dan Statistik"
)
REPORT_ADDRESS = os.environ.get("REPORT_ADDRESS", "")
# The PDF reports of final assessments are signed (PAdES) with this certificate (PEM: the
# signer's certificate first, then its issuers) and private key (PEM, encrypted with the
# password when one is given). Unset, reports are issued unsigned. With debug on and nothing
# configured, the demo certificate `manage.py make_demo_certificate` writes (`make run` does) is
# used when it exists: it says in its name that it is no official certificate.
DEMO_SIGNING_DIR = BASE_DIR / "var" / "demo-signing"
REPORT_SIGNING_CERT = os.environ.get("REPORT_SIGNING_CERT", "").strip()
REPORT_SIGNING_KEY = os.environ.get("REPORT_SIGNING_KEY", "").strip()
REPORT_SIGNING_KEY_PASSWORD = os.environ.get("REPORT_SIGNING_KEY_PASSWORD", "")
if (
    DEBUG
    and not (REPORT_SIGNING_CERT or REPORT_SIGNING_KEY)
    and (DEMO_SIGNING_DIR / "certificate.pem").exists()
):
    REPORT_SIGNING_CERT = str(DEMO_SIGNING_DIR / "certificate.pem")
    REPORT_SIGNING_KEY = str(DEMO_SIGNING_DIR / "key.pem")

# --- Bounded input ----------------------------------------------------------------------------
# What the portal reads from a request, an uploaded archive or a spreadsheet has a size; the
# README's "Limits" table explains each one.


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Every zip the portal opens (office documents among the evidence, XLSX imports) is checked
# against these before any library reads it: entries, bytes once inflated, and how many times
# an entry may grow when inflated.
ARCHIVE_MAX_ENTRIES = env_int("ARCHIVE_MAX_ENTRIES", 2000)
ARCHIVE_MAX_INFLATED_BYTES = env_int("ARCHIVE_MAX_INFLATED_BYTES", 50 * 1024 * 1024)
ARCHIVE_MAX_RATIO = env_int("ARCHIVE_MAX_RATIO", 100)
# Rows (after the header) and columns read from an inventory import.
INVENTORY_IMPORT_MAX_ROWS = env_int("INVENTORY_IMPORT_MAX_ROWS", 5000)
INVENTORY_IMPORT_MAX_COLUMNS = env_int("INVENTORY_IMPORT_MAX_COLUMNS", 100)
# Form fields of one request together, and any request body that is not a file upload (the
# API's JSON included); Django's own default.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# A request carrying files: the largest file the portal accepts, plus its form fields. Larger
# requests are refused from their Content-Length before anything is read.
REQUEST_MAX_UPLOAD_BYTES = (
    max(EVIDENCE_MAX_BYTES, INVENTORY_IMPORT_MAX_BYTES) + DATA_UPLOAD_MAX_MEMORY_SIZE
)
MIDDLEWARE = [*MIDDLEWARE, "egov_portal.middleware.RequestSizeMiddleware"]

# Each response says how many SQL statements it ran (egov_portal/query_count.py), for the
# benchmark in bench/; off in a deployment.
QUERY_COUNT_HEADER = env_bool("DJANGO_QUERY_COUNT_HEADER", default=False)
if QUERY_COUNT_HEADER:
    MIDDLEWARE = ["egov_portal.query_count.QueryCountMiddleware", *MIDDLEWARE]
