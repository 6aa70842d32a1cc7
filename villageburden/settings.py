"""Settings for the Village Burden Registry.

Everything comes from the environment (django-environ) and fails fast on bad
values. With no variables at all the product runs on its embedded default:
SQLite in ``var/``, Celery tasks run in-process, console e-mail, DEBUG on.
Set ``DJANGO_ENV=production`` for a deployment: then ``SECRET_KEY``,
``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL`` are required.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, production or test")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    # Production secrets have no default: a missing one stops the process.
    SECRET_KEY = env.str("SECRET_KEY")
    # --- Secret key strength (MLPS 2.0): refuse to start, not just warn -------
    # The same bar as Django's deploy check (security.W009): at least 50
    # characters, 5 distinct, and not a generated development key.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or "insecure" in SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for production: use at least 50 random characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))")'
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS may not contain '*' in production")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
# Personal data (resident ID numbers of certificate applicants): the key for
# their keyed hash and their encryption. Production: required, its own secret.
if PRODUCTION:
    PERSONAL_DATA_KEY = env.str("PERSONAL_DATA_KEY")
else:
    PERSONAL_DATA_KEY = env.str("PERSONAL_DATA_KEY", default="insecure-development-personal-data-key")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets the registry's own Chinese 403 page, not Django's bare one.
CSRF_FAILURE_VIEW = "villageburden.errors.csrf_failure"
# The survey's one-time codes go out through this sender (assessments/sms.py); the embedded
# default writes them to the console. Production names its SMS gateway's adapter.
ASSESSMENTS_SMS_SENDER = env.str("ASSESSMENTS_SMS_SENDER", default="assessments.sms.ConsoleSender")

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "django_celery_beat",
    "simple_history",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "import_export",  # the admin's bulk import and export of organisations and accounts
    "spreadsheets",  # the checked spreadsheet import every app uses
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Domain apps
    "audit",
    "notifications",
    "documents",
    "divisions",
    "organisations",
    "institutions",
    "listchanges",  # dynamic management of lists (the catalogue, the assessment items list)
    "catalogs",
    "certificates",
    "signage",
    "formsplan",
    "workgroups",
    "seals",
    "gate",
    "monitoring",
    "burden",
    "reports",
    "assessments",
    "events",
    "workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "villageburden.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "villageburden.errors.FriendlyErrorsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "villageburden.db_router.ReplicaReadMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.RequestAuditMiddleware",
    "organisations.middleware.IdleTimeoutMiddleware",
    "organisations.middleware.TwoFactorMiddleware",
    # Anonymous pages and downloads are throttled like the API (villageburden/throttle.py).
    "villageburden.throttle.PublicThrottleMiddleware",
    # Last, so that it sees every failed login the views produced.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "villageburden.urls"
WSGI_APPLICATION = "villageburden.wsgi.application"

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
            # {{ x|cite }}: policy documents by their titles (villageburden.sources), in every template.
            "builtins": ["villageburden.templatetags.sources"],
        },
    },
]

# --- Database --------------------------------------------------------------
# Embedded default: SQLite in var/. Production: PostgreSQL via DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'villageburden.sqlite3'}")}
if PRODUCTION and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("production needs DATABASE_URL pointing at PostgreSQL")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the in-process Celery work and the web read concurrently.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Persistent connections, checked before each request reuses them: after a
    # database restart the first request reconnects instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable database fails a request within seconds (503), never hangs it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )

# --- Read replicas (villageburden/db_router.py) -------------------------------
# With REPLICA_DATABASE_URL set, public pages and dashboards read from it.
# Tests add the alias as a mirror of default (conftest.py): same database, second connection.
REPLICA_READ_URL_NAMES = ("public", "dashboard")
REPLICA_ALIAS: str | None = None
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db_url("REPLICA_DATABASE_URL")
    DATABASES["replica"].setdefault("TEST", {"MIRROR": "default"})
    REPLICA_ALIAS = "replica"
DATABASE_ROUTERS = ["villageburden.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # 三员分立: each administrator role's model permissions (organisations/duties.py).
    "organisations.duties.DutyBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # MLPS 2.0 level 3: three of the four character classes (organisations/passwords.py).
    {"NAME": "organisations.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "login"

# --- Second factor (organisations/twofactor.py) -----------------------------
# Approvers, provincial admins, auditors, the administrators and superusers
# enter a TOTP code after their password. Always on in production; off only
# where a developer says so (TWO_FACTOR_REQUIRED=false), never by default.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
if PRODUCTION and not TWO_FACTOR_REQUIRED:
    raise ImproperlyConfigured("TWO_FACTOR_REQUIRED may not be turned off in production")
OTP_TOTP_ISSUER = "村级减负登记系统"
OTP_TOTP_THROTTLE_FACTOR = 1

# Sessions end after SESSION_IDLE_MINUTES without a request (IdleTimeoutMiddleware).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True

# django-axes: lock a username+IP after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Spreadsheet imports (spreadsheets/limits.py; README, "Spreadsheets"): a file past a limit is refused
# with a message naming the limit (and the row and column), before anything is written.
SPREADSHEET_MAX_UPLOAD_MB = env.int("SPREADSHEET_MAX_UPLOAD_MB", default=50)
SPREADSHEET_MAX_ROWS = env.int("SPREADSHEET_MAX_ROWS", default=200_000)
SPREADSHEET_MAX_COLUMNS = env.int("SPREADSHEET_MAX_COLUMNS", default=100)
SPREADSHEET_MAX_CELL_CHARS = env.int("SPREADSHEET_MAX_CELL_CHARS", default=32_767)
SPREADSHEET_MAX_STRINGS_MB = env.int("SPREADSHEET_MAX_STRINGS_MB", default=64)
SPREADSHEET_MAX_SHEET_MB = env.int("SPREADSHEET_MAX_SHEET_MB", default=512)

# --- Internationalisation: Chinese by default, English available ----------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: every asset is local (government intranets are offline) -
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
# Without collectstatic (the embedded default, DEBUG off or on) WhiteNoise serves
# straight from the app and project static folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Celery ----------------------------------------------------------------
# No REDIS_URL: tasks run in-process (eager), so the product needs no broker.
REDIS_URL = env.str("REDIS_URL", default="")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("production needs REDIS_URL for the Celery broker")
# --- Cache and throttling ----------------------------------------------------
# Throttle counters (API and public pages) live in the cache: Redis when set,
# falling back to local memory while it is down (villageburden/cache.py).
CACHES = {
    "default": {"BACKEND": "villageburden.cache.FallbackRedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if REDIS_URL:
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
# Anonymous requests per address and minute: pages, and downloads (exports).
PUBLIC_THROTTLE_RATES = {
    "page": env.int("PUBLIC_PAGES_PER_MINUTE", default=120),
    "download": env.int("PUBLIC_DOWNLOADS_PER_MINUTE", default=20),
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Publishing must not hang a web request when Redis is down: one quick try,
# then the caller logs it and the outbox sweeper resends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# visibility_timeout: a message a worker took but never acknowledged (the
# whole worker died) is delivered again after this long; longer than the
# longest task (a 100,000-row import takes under a minute).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_TASK_PUBLISH_RETRY = False
# Queues: imports and reports apart from notifications, so a 100,000-row import
# never delays an e-mail. Workers: `celery -A villageburden worker -Q imports,reports`
# and `-Q notifications,celery` (celery: everything unrouted).
CELERY_TASK_ROUTES = {
    "catalogs.import_*": {"queue": "imports"},
    "certificates.import_*": {"queue": "imports"},
    "formsplan.import_*": {"queue": "imports"},
    "workgroups.import_*": {"queue": "imports"},
    "signage.import_*": {"queue": "imports"},
    "reports.import_*": {"queue": "imports"},
    "*.report*": {"queue": "reports"},
    "gate.tasks.send_notification_emails": {"queue": "notifications"},
    "notifications.tasks.send_notification_emails": {"queue": "notifications"},
}
# A task is acknowledged when it ends, not when it starts, and a task whose
# worker process was killed (OOM, SIGKILL, a host restart) goes back to the
# queue: every task runs again after a crash, so every task is idempotent
# (tests/test_faults_worker.py kills a real worker mid-task to prove it).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")

# --- Webhooks (events/) ----------------------------------------------------
# https:// only in production; private, loopback and link-local addresses are
# refused after DNS unless WEBHOOKS_ALLOW_PRIVATE (closed networks, tests).
WEBHOOKS_REQUIRE_HTTPS = env.bool("WEBHOOKS_REQUIRE_HTTPS", default=PRODUCTION)
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
WEBHOOKS_TIMEOUT_SECONDS = env.int("WEBHOOKS_TIMEOUT_SECONDS", default=5)
WEBHOOKS_MAX_RESPONSE_BYTES = 64 * 1024
WEBHOOKS_RETRY_FOR = timedelta(days=1)
# Prefix of the object URLs in a delivery (deliveries have no request to take it from).
WEBHOOKS_BASE_URL = env.str("WEBHOOKS_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- E-mail ----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="registry@villageburden.local")

# --- REST API --------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organisations.oauth.PortalOAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["villageburden.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "villageburden.pagination.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min"},
    "EXCEPTION_HANDLER": "villageburden.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Village Burden Registry API",
    "DESCRIPTION": "村级减负登记系统: published lists, the access gate, divisions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: intranets have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose field names collide with other apps' ("kind") or repeat ("ground/text colour").
    "ENUM_NAME_OVERRIDES": {
        "PlaqueColourEnum": "signage.choices.Colour",
        "FormFieldKindEnum": "formsplan.choices.FieldKind",
        "WorkChannelKindEnum": "workgroups.choices.ChannelKind",
        "CleanupOutcomeEnum": "workgroups.choices.CleanupOutcome",
        "OutcomeEnum": "gate.choices.Outcome",
        "PlaqueKindEnum": "signage.choices.SignKind",
        "MechanismKindEnum": "signage.choices.MechanismKind",
        "ViolationKindEnum": "signage.choices.ViolationKind",
        "BurdenFindingEnum": "monitoring.choices.Finding",
        "PlanStatusEnum": "reports.choices.PlanStatus",
        "ReportKindEnum": "reports.choices.ReportKind",
        "AssessmentFrequencyEnum": "assessments.choices.Frequency",
        "FrequencyEnum": "gate.choices.Frequency",
        "BurdenReportStatusEnum": "monitoring.choices.ReportStatus",
        "FormsPlanStatusEnum": "formsplan.choices.PlanStatus",
        "PlanFormStatusEnum": "formsplan.choices.FormStatus",
        "WorkChannelStatusEnum": "workgroups.choices.ChannelStatus",
        "IntegratedAssessmentStatusEnum": "assessments.choices.PlanStatus",
        "SurveyStatusEnum": "assessments.choices.SurveyStatus",
        "ListItemStatusEnum": "seals.choices.ItemStatus",
        "ListChangeProposalStatusEnum": "listchanges.choices.ProposalStatus",
    },
}
OAUTH2_PROVIDER: dict[str, Any] = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "SCOPES": {
        "read": "Read published lists and divisions",
        "screen": "Screen a task against a county's lists",
        "submit": "File and follow access requests",
        "webhooks": "Register webhook endpoints and read their deliveries",
    },
    "DEFAULT_SCOPES": ["read"],
    "SCOPES_BACKEND_CLASS": "organisations.oauth.PortalScopes",
    "PKCE_REQUIRED": True,
    # OAuth 2.0 Security BCP (RFC 9700): no implicit or password grants, S256
    # only, tokens never in URLs and stored hashed, https redirects only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy: everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Production hardening (passes `manage.py check --deploy`) --------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # In-process (eager) Celery would log a line per task at INFO.
        "celery.app.trace": {"level": "WARNING"},
        # The in-process memory:// broker has no hostname; kombu warns about it.
        "kombu.connection": {"level": "ERROR"},
    },
}
AXES_VERBOSE = False
