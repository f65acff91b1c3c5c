"""Settings for the Fuyang enterprise-service portal.

Every value that differs between a laptop and production comes from the environment:
DATABASE_URL, REDIS_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, FIELD_ENCRYPTION_KEY and the HTTPS switches.
Without DATABASE_URL the portal runs on a SQLite file; without REDIS_URL Celery tasks run in-process
and the cache is local memory.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("ALLOW_INSECURE_DEV_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-fuyang-portal-0123456789abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "fuyang_portal",
    "enterprises",
    "specialists",
    "subsidies",
    "relief",
    "labour",
    "programmes",
    "leaderboard",
    "bench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "fuyang_portal.third_party.AxesConfig",  # django-axes, under a translated name
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

MIDDLEWARE = [
    # Outermost: every answer carries X-Request-ID and every log line of the request names it.
    "fuyang_portal.request_id.RequestIdMiddleware",
    # Request metrics (django-prometheus): the first times the whole stack, the one before axes times the view.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "fuyang_portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "fuyang_portal.middleware.AuditContextMiddleware",
    "fuyang_portal.passwords.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fuyang_portal.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "fuyang_portal.middleware.BadInputMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so that a locked-out sign-in answers with our own page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fuyang_portal.urls"
WSGI_APPLICATION = "fuyang_portal.wsgi.application"

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
                "fuyang_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
# Each request is one transaction: a request that fails half-way saves nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A kept connection the server has dropped (a restart, a failover) is replaced at the next request, not failed on.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in -------------------------------------------------------------------------
AUTH_USER_MODEL = "fuyang_portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "fuyang_portal.duties.DutiesBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "fuyang_portal.passwords.ComplexityValidator", "OPTIONS": {"min_length": 10, "min_classes": 3}},
    {"NAME": "fuyang_portal.passwords.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "fuyang_portal.passwords.HistoryValidator", "OPTIONS": {"count": 5}},
]
# Passwords expire after this many days (等保 2.0); 0 turns expiry off (OWASP ASVS advises against forced rotation).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The second factor's issuer, as the authenticator app names the account.
OTP_TOTP_ISSUER = "富阳区服务企业平台"
# Wrong codes are counted by the sign-in lockout (django-axes, below), one rule for both factors.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Five failed sign-ins lock the account for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
# The account is the unit of lockout: a township office shares one public IP, and locking the IP
# would lock out its colleagues too.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Languages and time ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# The demo's story stands at one moment (an ISO datetime, Beijing time): `make run` sets it, production never
# does. Every business "now" reads it through fuyang_portal.clock; pages show a banner while it is set.
DEMO_CLOCK = os.environ.get("DEMO_CLOCK", "")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "fuyang_portal" / "static"]
# Front-end packages come from the npm registry (package.json) and are served by the portal itself.
for prefix, folder in [("vendor/bootstrap", "node_modules/bootstrap/dist"), ("vendor/echarts", "node_modules/echarts/dist")]:
    if (BASE_DIR / folder).is_dir():
        STATICFILES_DIRS.append((prefix, BASE_DIR / folder))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collected files (development, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_ROOT.is_dir()

# Uploads (plans, invoices, attachments) live outside the web root and are served only through
# views that apply visibility; see fuyang_portal/uploads.py. Every web node and worker must see the same files:
#   PRIVATE_STORAGE_BACKEND=filesystem (default)  a folder, PRIVATE_MEDIA_ROOT: local disk for one node, a shared
#                                                 mount (NFS...) for several
#   PRIVATE_STORAGE_BACKEND=s3                    an S3-compatible bucket through django-storages: AWS_STORAGE_BUCKET_NAME,
#       AWS_S3_ENDPOINT_URL (MinIO, a cloud's object storage), AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID,
#       AWS_SECRET_ACCESS_KEY, AWS_LOCATION (a prefix, default "private"), AWS_S3_ADDRESSING_STYLE (path/virtual).
#       Objects are private; the portal streams them after its visibility check and never hands out their address.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
PRIVATE_STORAGE_BACKEND = os.environ.get("PRIVATE_STORAGE_BACKEND", "filesystem").strip().lower()
if PRIVATE_STORAGE_BACKEND == "filesystem":
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    }
elif PRIVATE_STORAGE_BACKEND == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("PRIVATE_STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AWS_LOCATION", "private"),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured("PRIVATE_STORAGE_BACKEND must be filesystem or s3.")
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Resident ID numbers are encrypted at rest with this key and looked up by a keyed hash.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEY and not DEBUG and not env_bool("ALLOW_INSECURE_DEV_KEY", False):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")
# The cipher new values are written with: "fernet" (AES + HMAC-SHA256) or "sm4" (SM4-CBC + HMAC-SM3, for 密评
# GB/T 39786). Each ciphertext names its cipher and key version, so rows written before a change stay readable
# and `manage.py rotate_field_keys` rewrites them (fuyang_portal/identity.py, docs/backup.md).
FIELD_ENCRYPTION_CIPHER = os.environ.get("FIELD_ENCRYPTION_CIPHER", "fernet").strip().lower()
if FIELD_ENCRYPTION_CIPHER not in {"fernet", "sm4"}:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_CIPHER must be fernet or sm4.")
FIELD_ENCRYPTION_KEY_VERSION = int(os.environ.get("FIELD_ENCRYPTION_KEY_VERSION", "1"))
# Earlier keys still needed to read rows not rotated yet: "1:old-key,2:newer-key" (version:key, comma-separated).
FIELD_ENCRYPTION_OLD_KEYS = {}
for _pair in env_list("FIELD_ENCRYPTION_OLD_KEYS"):
    _version, _sep, _key = _pair.partition(":")
    if not _sep or not _version.strip().isdigit() or not _key.strip():
        raise ImproperlyConfigured("FIELD_ENCRYPTION_OLD_KEYS is a comma-separated list of version:key pairs.")
    FIELD_ENCRYPTION_OLD_KEYS[int(_version)] = _key.strip()
if FIELD_ENCRYPTION_KEY_VERSION in FIELD_ENCRYPTION_OLD_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_OLD_KEYS must not name the current FIELD_ENCRYPTION_KEY_VERSION.")
# The key of the lookup hashes (id_number_hash), which key rotation leaves alone. Empty: the encryption key, as
# before there were versions; set it to the first key's value before FIELD_ENCRYPTION_KEY is ever changed.
FIELD_LOOKUP_KEY = os.environ.get("FIELD_LOOKUP_KEY", "")

# Backups (fuyang_portal/backup.py, `make backup`, the beat entry below): where, how many generations, when.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))
# A crontab line in Beijing time (minute hour day month weekday); the interval is the recovery point objective.
BACKUP_SCHEDULE = os.environ.get("BACKUP_SCHEDULE", "30 2 * * *")
if len(BACKUP_SCHEDULE.split()) != 5:
    raise ImproperlyConfigured("BACKUP_SCHEDULE is a crontab line: minute hour day month weekday.")
# Parallel jobs of pg_restore (`make restore`).
BACKUP_RESTORE_JOBS = int(os.environ.get("BACKUP_RESTORE_JOBS", "2"))

# --- Cache, Celery --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "fuyang_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fuyang",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# A task is acknowledged only once it has finished, and handed back if its worker dies, so a lost
# worker never loses work. Tasks are therefore written to be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60
CELERY_RESULT_EXPIRES = 24 * 3600
# A broker outage must not hold a request: tasks are fire-and-forget (no result is stored unless a task asks
# for one), a publish tries once with a short connect timeout, and what it could not queue the outbox sweep
# sends later (fuyang_portal/queue.py). The worker itself reconnects for as long as the broker is away.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the 12-minute task limit; a task of a worker that died is handed to another after this long.
    "visibility_timeout": 900,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "health_check_interval": 10,
    "max_retries": 0,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_RETRY_ON_TIMEOUT = False
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_RESULT_BACKEND_ALWAYS_RETRY = False
CELERY_RESULT_BACKEND_MAX_RETRIES = 0
# Readiness (/health/ready, fuyang_portal/health.py) fails when the newest worker heartbeat in Redis is older.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE_SECONDS", "180"))
# The worker's log lines name the request that queued the task (fuyang_portal/request_id.py, logs.py).
CELERY_WORKER_LOG_FORMAT = "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(message)s"
CELERY_WORKER_TASK_LOG_FORMAT = "[%(asctime)s: %(levelname)s/%(processName)s] %(task_name)s[%(task_id)s] [%(request_id)s]: %(message)s"
CELERY_BEAT_SCHEDULE = {
    "dispatch-notification-outbox": {
        "task": "fuyang_portal.tasks.dispatch_outbox",
        "schedule": crontab(minute="*"),
    },
    "purge-retired-rows": {
        "task": "fuyang_portal.tasks.purge_retired_rows",
        "schedule": crontab(minute=15),
    },
    "seal-audit-log": {
        "task": "fuyang_portal.tasks.seal_audit_log",
        "schedule": crontab(minute="*"),
    },
    "purge-old-audit-events": {
        "task": "fuyang_portal.tasks.purge_audit_log",
        "schedule": crontab(hour=3, minute=30),
    },
    # Passes whose validity has ended are marked expired each night.
    "enterprises-expire-lapsed-passes": {
        "task": "enterprises.tasks.expire_lapsed_passes",
        "schedule": crontab(minute=10, hour=0),
    },
    "retry-unsent-sms": {
        "task": "fuyang_portal.tasks.send_pending_sms",
        "schedule": crontab(minute="*/5"),
    },
    # The weekly contest: last week's drafts for the three levels, Mondays 01:00 Beijing time.
    "leaderboard-weekly-draft": {
        "task": "leaderboard.tasks.compute_last_week",
        "schedule": crontab(minute=0, hour=1, day_of_week="mon"),
    },
    # Then the people answerable for units with too little data to be ranked are told what is missing, 08:00.
    "leaderboard-insufficient-data": {
        "task": "leaderboard.tasks.notify_insufficient_data",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    # Problems assigned to agencies: flag overdue ones, remind the day before and on the day (08:00 Beijing time).
    "specialists-overdue-sweep": {
        "task": "specialists.tasks.sweep_overdue",
        "schedule": crontab(minute=0, hour=8),
    },
    # 免申即享: firms whose reports, resumption or tags changed since the last sweep meet the published rules (06:00).
    "relief-match-all-policies": {
        "task": "relief.tasks.match_all_policies",
        "schedule": crontab(minute=0, hour=6),
    },
    # Database and private uploads dumped, verified and kept BACKUP_KEEP generations (fuyang_portal/backup.py).
    "backup-database-and-uploads": {
        "task": "fuyang_portal.tasks.backup_database",
        "schedule": crontab(**dict(zip(["minute", "hour", "day_of_month", "month_of_year", "day_of_week"], BACKUP_SCHEDULE.split()))),
    },
}

# How long a client is asked to wait (Retry-After) when the database cannot be reached.
RETRY_AFTER_SECONDS = int(os.environ.get("RETRY_AFTER_SECONDS", "5"))

# An Idempotency-Key's first answer is kept this long (fuyang_portal/idempotency.py).
IDEMPOTENCY_KEEP_HOURS = int(os.environ.get("IDEMPOTENCY_KEEP_HOURS", "48"))

# --- Notifications --------------------------------------------------------------------------------
# The outbox backend stores each SMS in a table the admin can read; a gateway backend implements
# the same interface (fuyang_portal/sms.py).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "fuyang_portal.sms.OutboxBackend")

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies; an action that receives a file reads multipart instead (ScopedViewSetMixin.upload_actions).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "fuyang_portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "fuyang_portal.api.exceptions.exception_handler",
}
# The API lives under /api/v1/; the unversioned paths of its first release redirect there until this date.
API_SUNSET = os.environ.get("API_SUNSET", "Wed, 30 Jun 2027 00:00:00 GMT")

# Bulk exports of lists holding personal data: an approved request may be downloaded once within these hours.
EXPORT_APPROVAL_HOURS = int(os.environ.get("EXPORT_APPROVAL_HOURS", "24"))

SPECTACULAR_SETTINGS = {
    "TITLE": "富阳区服务企业平台 API / Fuyang enterprise-service portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Choice sets that share a field name across apps get names of their own in the generated clients.
    "ENUM_NAME_OVERRIDES": {
        "WorkItemCategoryEnum": "programmes.models.Category",
        "WorkItemStatusEnum": "programmes.models.WorkItem.Status",
        "ProblemCategoryEnum": "specialists.models.Category",
        "ReliefPolicyModeEnum": "relief.models.Mode",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
# A select's blank option reads 请选择, not "---------": django-filter's setting, and the forms' renderer reads it too.
FILTERS_EMPTY_CHOICE_LABEL = _("Please choose")
FORM_RENDERER = "fuyang_portal.renderers.PortalFormRenderer"

# --- Security -------------------------------------------------------------------------------------
# With DEBUG off the portal is HTTPS-only unless told otherwise (docs/security.md): http is redirected to https,
# the session and CSRF cookies are Secure, and browsers are told by HSTS (one year, subdomains included) never to
# use http again. With DEBUG on (`make run`) all of it is off, so the development server answers over http.
#   BEHIND_TLS_PROXY=1       a proxy (nginx) terminates TLS, redirects http itself and sends X-Forwarded-Proto:
#                            the portal trusts that header and leaves the redirect to the proxy
#   SECURE_SSL_REDIRECT=0/1  the portal's own redirect of http to https, either way
#   SECURE_COOKIES=0/1       the Secure flag of the session and CSRF cookies
#   SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS=0/1, SECURE_HSTS_PRELOAD=0/1   the HSTS header (0 s: none)
https_by_default = not DEBUG
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", https_by_default and not BEHIND_TLS_PROXY)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", https_by_default)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if https_by_default else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", https_by_default)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The probes and the metrics answer over plain http too: a load balancer or scraper on the node's own address
# (127.0.0.1:8000) cannot follow a redirect to https there. /metrics stays closed to all but METRICS_ALLOWED_IPS.
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)$", r"^metrics$"]
# Browsers' HSTS preload list takes a registrable domain (fuyang.gov.cn), whose owner submits it, not the
# portal's host name; SECURE_HSTS_PRELOAD=1 adds the directive where that owner has done so.
SILENCED_SYSTEM_CHECKS += ["security.W021"]
if BEHIND_TLS_PROXY and not SECURE_SSL_REDIRECT:
    # The proxy redirects http to https: the deploy check cannot see that.
    SILENCED_SYSTEM_CHECKS += ["security.W008"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy: scripts only from the portal's own static files, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Bootstrap and ECharts set style attributes from their scripts.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Audit events (sign-ins, unmasked ID views, exports, transitions) are kept at least this long.
AUDIT_RETENTION_DAYS = 180

# Log lines name their request (X-Request-ID, fuyang_portal/request_id.py). LOG_FORMAT=json: one JSON object per
# line for a log collector (fuyang_portal/logs.py); the default "text" stays readable in a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "fuyang_portal.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "fuyang_portal.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Operations: probes and metrics (docs/reliability.md, "Operating the nodes") ---------------------------
# /metrics answers these addresses or networks (comma-separated), and a request with
# "Authorization: Bearer <METRICS_TOKEN>" from anywhere (send it over https only); everyone else gets 404.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# A Celery worker's main process serves its task metrics on 127.0.0.1:<port> when set (0: not served).
WORKER_METRICS_PORT = int(os.environ.get("WORKER_METRICS_PORT", "0"))

PORTAL_NAME = _("Fuyang Enterprise Service Portal")
# The header's unread count, cached per user this many seconds (0: counted on every page). A new notice and a
# notice read drop the user's entry at once (fuyang_portal.notify), so this bounds only changes made elsewhere.
UNREAD_COUNT_SECONDS = int(os.environ.get("UNREAD_COUNT_SECONDS", "30"))
# Townships, villages, communities, agencies and firm tags, kept per process for the lists' filters this many seconds
# at most; a change through the portal or the admin is seen on the next page anyway (fuyang_portal.reference).
REFERENCE_LIST_SECONDS = int(os.environ.get("REFERENCE_LIST_SECONDS", "300"))
