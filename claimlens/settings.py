"""ClaimLens settings: one module, every value from the environment.

With nothing set, ClaimLens runs locally: SQLite under ``var/``, Celery tasks eager in-process,
e-mail to the console. ``CLAIMLENS_ENV=production`` is the one switch to production mode: it
turns DEBUG off, requires ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``FIELD_ENCRYPTION_KEYS``, a
PostgreSQL ``DATABASE_URL`` and ``CELERY_BROKER_URL`` (a missing one stops the process with its
name), and turns on HTTPS-only cookies, HSTS and SSL redirects. The README lists every variable.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CLAIMLENS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; "1", "true", "yes" and "on" are true."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated variable into a list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_required(name: str) -> str:
    """Read a variable that production cannot run without, failing with its name."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when CLAIMLENS_ENV=production")
    return value


# ---------------------------------------------------------------------------------------------
# Mode
# ---------------------------------------------------------------------------------------------
CLAIMLENS_ENV = os.environ.get("CLAIMLENS_ENV", "development").strip().lower()
PRODUCTION = CLAIMLENS_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [env_required("ALLOWED_HOSTS")]
    # Patient identifiers are encrypted with these keys; never derive them from SECRET_KEY here.
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [
        env_required("FIELD_ENCRYPTION_KEYS")
    ]
else:
    # A fixed key is acceptable only because it never leaves a development machine.
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "dev-insecure-" + "claimlens-local-only-key-0123456789"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
    # Derived from SECRET_KEY so a development database stays readable between runs.
    FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"claimlens-field-encryption:" + SECRET_KEY.encode()).digest()
        ).decode()
    ]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# ---------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "claimlens",
    "accounts",
    "billing",
    "extraction",
    "inquiries",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so its process_exception sees a view's database error first: 503, not 500.
    "claimlens.errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "claimlens.urls"
WSGI_APPLICATION = "claimlens.wsgi.application"
ASGI_APPLICATION = "claimlens.asgi.application"

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
                "accounts.context_processors.current_organization",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------
# Database: SQLite under var/ unless DATABASE_URL is given (postgres://user@host:5432/name).
# Production requires PostgreSQL. https://github.com/jazzband/dj-database-url
# ---------------------------------------------------------------------------------------------
DATABASE_URL = env_required("DATABASE_URL") if PRODUCTION else os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'claimlens.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if PRODUCTION:
        # One file and one writer at a time: not a database for several processes.
        raise ImproperlyConfigured(
            "DATABASE_URL must point at PostgreSQL when CLAIMLENS_ENV=production, not SQLite"
        )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The test database is a file, not memory, so a Celery worker that a test starts in another
    # process can open it too (inquiries/tests/test_worker.py).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-claimlens.sqlite3")}
    # Wait for a writer rather than failing at once: runserver handles requests in threads.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that does not answer (a failover, a dropped route) fails the request in seconds,
    # as a 503, instead of holding a web worker until gunicorn kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )

# Connection pooling (docs/deploy.md). Empty: each process keeps one persistent connection
# (DATABASE_CONN_MAX_AGE, checked before reuse), right for gunicorn's sync workers.
# "psycopg": a pool inside each process, for threaded workers; Django 5.2 requires
# CONN_MAX_AGE 0 with it. https://docs.djangoproject.com/en/5.2/ref/databases/#connection-pool
# "pgbouncer": DATABASE_URL points at PgBouncer in transaction mode, which cannot keep a
# server-side cursor open across transactions.
# https://docs.djangoproject.com/en/5.2/ref/databases/#transaction-pooling-server-side-cursors
DATABASE_POOL = os.environ.get("DATABASE_POOL", "").strip().lower()
if DATABASE_POOL not in {"", "psycopg", "pgbouncer"}:
    raise ImproperlyConfigured("DATABASE_POOL must be empty, 'psycopg' or 'pgbouncer'")
if DATABASE_POOL and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_POOL needs a PostgreSQL DATABASE_URL")
if DATABASE_POOL == "psycopg":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
        # Seconds a request waits for a free connection before an OperationalError (503).
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
    }
elif DATABASE_POOL == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------------------------
# Authentication: e-mail login, verification and multi-factor through django-allauth.
# https://docs.allauth.org/en/latest/account/configuration.html
# ---------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ClaimLens"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGIN_URL = "account_login"

# ---------------------------------------------------------------------------------------------
# REST API
# ---------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claimlens.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Per-minute limits for endpoints that do not count against the monthly quota.
    "DEFAULT_THROTTLE_RATES": {"scrub": os.environ.get("SCRUB_RATE_LIMIT", "120/min")},
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "ClaimLens API",
    "DESCRIPTION": "Clinical notes in, billing codes out. Authenticate with "
    "`Authorization: Bearer cl_live_...`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Endpoints answer with and without a trailing slash; document the canonical form only.
    "PREPROCESSING_HOOKS": ["claimlens.api.schema_without_trailing_slashes"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claimlens.api.schema_with_error_responses",
    ],
    # No request leaves the site: no online validator badge.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
}

# ---------------------------------------------------------------------------------------------
# Extraction engines. With ANTHROPIC_API_KEY set, Claude is the default engine; the built-in
# rules engine works offline and checks every model answer.
# https://docs.claude.com/en/api/messages
# ---------------------------------------------------------------------------------------------
ANTHROPIC_API_KEY = os.environ.get("ANTHROPIC_API_KEY", "")
ANTHROPIC_BASE_URL = os.environ.get("ANTHROPIC_BASE_URL", "")
ANTHROPIC_MODEL = os.environ.get("ANTHROPIC_MODEL", "claude-sonnet-4-6")
ANTHROPIC_TIMEOUT_SECONDS = float(os.environ.get("ANTHROPIC_TIMEOUT_SECONDS", "30"))
# The SDK retries 408/409/429/5xx itself; keep it to one retry on the request path.
ANTHROPIC_MAX_RETRIES = int(os.environ.get("ANTHROPIC_MAX_RETRIES", "1"))
ANTHROPIC_MAX_TOKENS = int(os.environ.get("ANTHROPIC_MAX_TOKENS", "4096"))
CLAIMLENS_ENGINE = os.environ.get("CLAIMLENS_ENGINE") or (
    "claude" if ANTHROPIC_API_KEY else "rules"
)
if CLAIMLENS_ENGINE not in {"rules", "claude"}:
    raise ImproperlyConfigured("CLAIMLENS_ENGINE must be 'rules' or 'claude'")
# API keys touch last_used_at at most this often, so each request is not a write.
API_KEY_LAST_USED_RESOLUTION_SECONDS = int(os.environ.get("API_KEY_LAST_USED_RESOLUTION", "300"))

# ---------------------------------------------------------------------------------------------
# Celery: eager in-process unless CELERY_BROKER_URL is given (redis://127.0.0.1:6379/0).
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# ---------------------------------------------------------------------------------------------
# Production needs a real broker: eager tasks would run provider calls on the request path.
CELERY_BROKER_URL = (
    env_required("CELERY_BROKER_URL") if PRODUCTION else os.environ.get("CELERY_BROKER_URL", "")
)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Eager tasks behave as they do on a worker: a failure is logged, not raised into the request
# that queued it, and self.retry() re-runs the task (Celery only re-applies an eager retry when
# errors do not propagate). Tests assert on the stored outcome.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task while the broker is down must fail fast, not hang: a short
# connect timeout and a bounded publish retry (about a second in all), then the caller logs it
# and the reconciler queues the work later (inquiries.services.inquiry_reconcile).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TIMEZONE = "UTC"

# Cache: the rate limits (scrub per organization, failed logins). They must count across every
# process, so production keeps them in Redis: CACHE_URL, else the Celery broker when it is
# Redis. Without either, each process counts alone in its memory (development, tests).
# claimlens.cache fails open: a Redis outage lifts the limits, it does not fail requests.
CACHE_URL = os.environ.get("CACHE_URL", "") or (
    CELERY_BROKER_URL if PRODUCTION and CELERY_BROKER_URL.startswith(("redis:", "rediss:")) else ""
)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "claimlens.cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "claimlens",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
# For `celery -A claimlens beat` (or run the same work from cron with its management command).
CELERY_BEAT_SCHEDULE = {
    # manage.py reconcile_inquiries: re-queue inquiries whose task was lost.
    "inquiries-reconcile": {"task": "inquiries.tasks.inquiry_reconcile", "schedule": 300.0},
    # Open inquiries past their requested completion date (+ grace) end FAILED.
    "inquiries-fail-overdue": {"task": "inquiries.tasks.inquiry_fail_overdue", "schedule": 3600.0},
    # Stored notes past each organization's retention period are purged.
    "extraction-purge-notes": {"task": "extraction.tasks.purge_expired_notes", "schedule": 3600.0},
    # 80% and 100% usage e-mails, once a month each.
    "billing-usage-alerts": {"task": "billing.tasks.send_usage_alerts", "schedule": 900.0},
}

# ---------------------------------------------------------------------------------------------
# Field encryption: patient identifiers are stored as Fernet tokens (claimlens/crypto.py).
# FIELD_ENCRYPTION_KEYS is set in the Mode section above: comma-separated Fernet keys, the first
# encrypts, all decrypt (rotation). https://cryptography.io/en/latest/fernet/#using-multifernet
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Benefits inquiries (docs/inquiries.md): who fulfils an inquiry, retries and callbacks.
# A provider is chosen per organization (admin) or here: sandbox, manual, x12 or healthharbor.
# ---------------------------------------------------------------------------------------------
INQUIRY_PROVIDER = os.environ.get("INQUIRY_PROVIDER", "sandbox").strip().lower()
# Provider failures (payer or upstream unreachable) are retried with exponential backoff:
# base * 2**attempt seconds, capped at an hour, then the inquiry ends FAILED.
INQUIRY_MAX_RETRIES = int(os.environ.get("INQUIRY_MAX_RETRIES", "5"))
# Days after the requested completion date before an unanswered inquiry is failed.
INQUIRY_OVERDUE_GRACE_DAYS = int(os.environ.get("INQUIRY_OVERDUE_GRACE_DAYS", "2"))
INQUIRY_RETRY_BACKOFF_SECONDS = int(os.environ.get("INQUIRY_RETRY_BACKOFF_SECONDS", "30"))
# Asynchronous upstreams (Health Harbor) are polled until final: interval * 2**n, capped at an
# hour, at most this many times; a webhook can still finish the inquiry after that.
INQUIRY_POLL_INTERVAL_SECONDS = int(os.environ.get("INQUIRY_POLL_INTERVAL_SECONDS", "300"))
INQUIRY_POLL_MAX_ATTEMPTS = int(os.environ.get("INQUIRY_POLL_MAX_ATTEMPTS", "60"))
# Completion callbacks to an organization's URL, signed "ClaimLens-Signature: t=...,v1=...".
INQUIRY_CALLBACK_MAX_ATTEMPTS = int(os.environ.get("INQUIRY_CALLBACK_MAX_ATTEMPTS", "6"))
INQUIRY_CALLBACK_TIMEOUT_SECONDS = float(os.environ.get("INQUIRY_CALLBACK_TIMEOUT", "10"))
# Callbacks go to public internet addresses only (inquiries.public_http): on in production;
# off elsewhere so a developer can receive them on localhost.
INQUIRY_CALLBACKS_PUBLIC_ONLY = env_bool("INQUIRY_CALLBACKS_PUBLIC_ONLY", PRODUCTION)

# Health Harbor, the phone-call benefits upstream (docs.healthharbor.co). HTTP Basic with the
# project id and API key; its webhook is signed with X-HealthHarbor-Signature.
HEALTHHARBOR_BASE_URL = os.environ.get("HEALTHHARBOR_BASE_URL", "https://healthharbor.co").rstrip(
    "/"
)
HEALTHHARBOR_USERNAME = os.environ.get("HEALTHHARBOR_USERNAME", "")
HEALTHHARBOR_PASSWORD = os.environ.get("HEALTHHARBOR_PASSWORD", "")
HEALTHHARBOR_WEBHOOK_SECRET = os.environ.get("HEALTHHARBOR_WEBHOOK_SECRET", "")
HEALTHHARBOR_TIMEOUT_SECONDS = float(os.environ.get("HEALTHHARBOR_TIMEOUT", "15"))

# X12 270/271 eligibility through a clearinghouse endpoint that takes a raw 270 over HTTPS POST
# and answers with a 271 (ASC X12 005010X279A1).
X12_ENDPOINT_URL = os.environ.get("X12_ENDPOINT_URL", "")
X12_SUBMITTER_ID = os.environ.get("X12_SUBMITTER_ID", "CLAIMLENS")
X12_RECEIVER_ID = os.environ.get("X12_RECEIVER_ID", "CLEARINGHOUSE")
X12_TIMEOUT_SECONDS = float(os.environ.get("X12_TIMEOUT", "30"))
# ISA15: "P" production data, "T" test data.
X12_USAGE_INDICATOR = "P" if PRODUCTION else "T"

# ---------------------------------------------------------------------------------------------
# Billing: Stripe subscriptions (Checkout, Customer Portal, webhooks). Off unless the keys are set:
# then billing pages say billing is not configured, and plans are granted by admins only.
# Keys: https://docs.stripe.com/keys  Webhooks: https://docs.stripe.com/webhooks
# Setup, testing and what the test suite proves: docs/billing.md
# ---------------------------------------------------------------------------------------------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "").strip()
# The endpoint's signing secret (whsec_...); test and live endpoints have different secrets.
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "").strip()
# Recurring monthly Prices (price_...) for the paid plans of billing/plans.py.
STRIPE_PRICE_PRO = os.environ.get("STRIPE_PRICE_PRO", "").strip()
STRIPE_PRICE_PRACTICE = os.environ.get("STRIPE_PRICE_PRACTICE", "").strip()
# Point the SDK at a Stripe-compatible server (localstripe, stripe-mock); empty = api.stripe.com.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "").strip().rstrip("/")
# Requests to Stripe run on the request path: few retries, short timeout (the SDK's are 2 and 80 s).
STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "1"))
STRIPE_TIMEOUT_SECONDS = float(os.environ.get("STRIPE_TIMEOUT_SECONDS", "10"))
# A past-due subscription keeps API access this many days after the first failed payment.
BILLING_PAST_DUE_GRACE_DAYS = int(os.environ.get("BILLING_PAST_DUE_GRACE_DAYS", "7"))

# ---------------------------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ClaimLens <no-reply@claimlens.local>")

# ---------------------------------------------------------------------------------------------
# Static files: fingerprinted and compressed by WhiteNoise.
# ---------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# ---------------------------------------------------------------------------------------------
# Internationalisation
# ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------------------------
# Security. Production turns on HTTPS-only cookies, HSTS and redirects.
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
# ---------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content Security Policy: every page loads only what the site itself serves.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# ---------------------------------------------------------------------------------------------
# Logging: ids and event types only; a note or an identifier is never logged.
# ---------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # These SDKs log request bodies at DEBUG (a note, a card, a member id): never below
        # WARNING, whatever LOG_LEVEL says. tests/test_phi_never_logged.py holds this.
        "stripe": {"level": "WARNING"},
        "anthropic": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "httpcore2": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
