"""Jinlin's one settings module, read from the environment with small typed helpers.

A fresh checkout runs with no variable set: SQLite under ./var, DEBUG on, a demo secret.
Production sets DATABASE_URL, SECRET_KEY (or SECRET_KEY_FILE), DEBUG=0 and ALLOWED_HOSTS.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("JINLIN_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("JINLIN_VAR", str(BASE_DIR / "var")))

# JINLIN_PROFILE=production turns on everything `jinlin check --deploy` asks for (HTTPS only,
# HSTS, secure cookies) and refuses to start with the demo secret key.
PROFILE = env_str("JINLIN_PROFILE", "development")
if PROFILE not in {"development", "production"}:
    raise ImproperlyConfigured("JINLIN_PROFILE must be development or production")
IS_PRODUCTION = PROFILE == "production"

DEMO_SECRET_KEY = "demo-only-insecure-key-change-me-for-any-real-use-0123456789"
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", DEMO_SECRET_KEY)
if IS_PRODUCTION and (SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "JINLIN_PROFILE=production needs its own SECRET_KEY (or SECRET_KEY_FILE), 50+ characters"
    )
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("JINLIN_PROFILE=production cannot run with DEBUG=1")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "ninja",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "jinlin.core",
    "jinlin.places",
    "jinlin.people",
    "jinlin.party",
    "jinlin.fieldwork",
    "jinlin.woodpecker",
    "jinlin.chain",
    "jinlin.door",
    "jinlin.reminders",
    "jinlin.overview",
    "jinlin.ledgers",
    "jinlin.demo",
    "jinlin.console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jinlin.core.middleware.RollingSessionMiddleware",
    "jinlin.core.replica.WriteStampMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jinlin.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jinlin.core.errors.RefuseUndecodableInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "jinlin.core.middleware.PrivateResponseMiddleware",
    # django-axes turns a flagged login attempt into the lockout page; it must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jinlin.urls"
CSRF_FAILURE_VIEW = "jinlin.core.errors.csrf_failure"
WSGI_APPLICATION = "jinlin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jinlin.places.context.product",
            ],
            "builtins": ["jinlin.core.templatetags.jinlin"],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jinlin.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each server thread keeps its connection (and its 64 MB page cache) for 10 minutes:
    # opening one per request ran the PRAGMAs and read every page cold again (bench/web_path.py:
    # /healthz 276 → 2,278 requests/s). A restore writes into the same file under its lock.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("JINLIN_SQLITE_CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue instead of failing with "database is locked".
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": None}

# A PostgreSQL streaming replica for the reads of chosen read-only pages (core/replica.py,
# docs/deployment.md); a user who wrote in the last JINLIN_REPLICA_PIN_SECONDS reads the primary.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""), conn_max_age=60
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["jinlin.core.replica.ReplicaRouter"]
JINLIN_REPLICA_PIN_SECONDS = env_int("JINLIN_REPLICA_PIN_SECONDS", 10)


def planner_cost_options(database: Any, random_page_cost: str) -> None:  # a DATABASES entry
    """PostgreSQL's planner told that a random page read costs little more than a sequential
    one (`random_page_cost`, 4 by default, priced for spinning disks): on SSDs or a database
    held in memory, the default picked hash joins that scanned every building for each list of
    20 concerns (1 ms of the database's CPU a query, 0.15 ms with nested loops; 今日 under load,
    docs/performance.md). Sent as a startup option of every connection, so it costs no query;
    an empty value leaves the server's own setting (a pooler that refuses startup options)."""
    if random_page_cost == "" or not database["ENGINE"].endswith("postgresql"):
        return
    try:
        cost = float(random_page_cost)
    except ValueError:
        cost = -1.0
    if not 0 < cost < 1000:
        raise ImproperlyConfigured(
            f"JINLIN_PG_RANDOM_PAGE_COST must be a positive number, not {random_page_cost!r}"
        )
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c random_page_cost={cost:g}".strip()


for _database in DATABASES.values():
    planner_cost_options(_database, env_str("JINLIN_PG_RANDOM_PAGE_COST", "1.1"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # Refuses locked-out accounts and clients before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "jinlin.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "jinlin.core.passwords.NotUsernameValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# A form takes at most 9 photos (JINLIN_PHOTOS_PER_FINDING) and one sheet; a request with more
# files than this is refused (400) before any is read.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Uploaded photos and staged import sheets go through the default storage, never a path: on
# local disk under ./var/media for the embedded default, in an S3-compatible bucket when
# JINLIN_S3_BUCKET is set (several app servers share it; docs/deployment.md). Photos are served
# only by access-checked views that stream them from the storage; the bucket stays private.
S3_BUCKET = env_str("JINLIN_S3_BUCKET")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # MinIO, Ceph, a cloud's S3-compatible service; empty: AWS itself.
            "endpoint_url": env_str("JINLIN_S3_ENDPOINT_URL") or None,
            "region_name": env_str("JINLIN_S3_REGION") or env_str("AWS_DEFAULT_REGION") or None,
            # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY come from the environment (or the
            # machine's role) through boto3; nothing secret is copied into settings.
            "location": env_str("JINLIN_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_str("JINLIN_S3_ADDRESSING_STYLE") or None,
        },
    }
WHITENOISE_USE_FINDERS = True

# Sessions end after JINLIN_SESSION_MINUTES without a request (the expiry moves on with use,
# written at most once a minute: core.middleware.RollingSessionMiddleware), and when the
# password changes (Django checks a hash of it on each request).
SESSION_COOKIE_AGE = env_int("JINLIN_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Pages send the token in a header from the template (base.html); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
HTTPS = env_bool("HTTPS", IS_PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS and not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("JINLIN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("JINLIN_HSTS_SECONDS", 365 * 24 * 3600)
    # Subdomains and preload bind the domain owner's other sites: opt in explicitly.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("JINLIN_HSTS_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("JINLIN_HSTS_PRELOAD", False)
    if env_bool("JINLIN_PROXY_SSL_HEADER", IS_PRODUCTION):
        # gunicorn listens on loopback behind the TLS proxy, which sets this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    check
    for check, chosen in (
        ("security.W005", env_bool("JINLIN_HSTS_SUBDOMAINS", False)),
        ("security.W021", env_bool("JINLIN_HSTS_PRELOAD", False)),
    )
    if not chosen
]

# Content-Security-Policy (django-csp): scripts and styles only from our own origin, no inline
# script or style anywhere; Django's admin and the API docs (Swagger UI from django-ninja's own
# static files) work under it unchanged (tests/browser/test_security_browser.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Login lockout (django-axes): an account is locked after AXES_FAILURE_LIMIT failures, a client
# address after JINLIN["LOGIN_CLIENT_FAILURE_LIMIT"] (a committee office shares one address);
# either lock lasts JINLIN_LOGIN_LOCKOUT_MINUTES from the failure that set it.
AXES_FAILURE_LIMIT = env_int("JINLIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("JINLIN_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "jinlin.core.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "jinlin.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in our own audit log
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "jinlin.core.audit.client_ip"  # honours JINLIN_TRUSTED_PROXIES

# Second factor (django-otp TOTP) for the roles that may unmask or export.
OTP_TOTP_ISSUER = "近邻 Jinlin"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The task queue (Huey): SQLite storage under ./var for the embedded default (nothing to
# install), Redis when REDIS_URL is set (deployments). `jinlin serve` starts a consumer beside the
# web server; `jinlin run_huey` runs one alone. JINLIN_QUEUE_IMMEDIATE=1 runs tasks in the
# calling process (tests that do not test the queue itself).
REDIS_URL = env_str("REDIS_URL")
HUEY: dict[str, Any] = {
    "name": env_str("JINLIN_QUEUE_NAME", "jinlin"),
    "immediate": env_bool("JINLIN_QUEUE_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": env_int("JINLIN_QUEUE_WORKERS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update(
        {
            "huey_class": "huey.SqliteHuey",
            "filename": env_str("JINLIN_QUEUE_FILE", str(VAR_DIR / "queue.sqlite3")),
        }
    )

# Outgoing mail (digests): Django's SMTP backend with these settings; without EMAIL_HOST, mail
# is written to the console log's place: nowhere (a fresh checkout sends nothing).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jinlin@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.dummy.EmailBackend"
)

# The cache: Django's Redis cache when REDIS_URL is set, so that every app server sees one
# cache (the queue shares the server; JINLIN_CACHE_URL may name another database or server, and
# the cache's keys carry their own prefix either way); the process's memory otherwise (one
# server). Nothing that must hold across processes is kept in the cache alone: login lockouts
# (django-axes), rate limits (core/throttle.py) and second-factor throttling are rows in the
# database; the cache only saves work (docs/deployment.md, More than one app server).
CACHE_URL = env_str("JINLIN_CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("JINLIN_CACHE_PREFIX", "jinlin-cache"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are rows in the database (Django's default engine, chosen on purpose): every app
# server reads the same table, a session outlives a Redis restart, and signing out everywhere
# (a changed password) needs nothing else. cached_db would save one indexed read a request but
# not the write: SESSION_SAVE_EVERY_REQUEST moves the expiry on every request anyway.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Domain settings (SPEC): thresholds of derived groups, masking, demo marking.
JINLIN: dict[str, Any] = {
    "ELDERLY_AGE": env_int("JINLIN_ELDERLY_AGE", 60),
    "VETERAN_PARTY_YEARS": env_int("JINLIN_VETERAN_PARTY_YEARS", 50),
    "GROUP_THRESHOLD": env_int("JINLIN_GROUP_THRESHOLD", 3),
    "COUNT_PROBATIONARY": env_bool("JINLIN_COUNT_PROBATIONARY", False),
    "AREA_OPENING_HOURS": env_int("JINLIN_AREA_OPENING_HOURS", 4),
    "PHOTOS_PER_FINDING": env_int("JINLIN_PHOTOS_PER_FINDING", 9),
    # How long an invitation link (a member's, a 楼组长's first sign-in) stays usable.
    "INVITATION_HOURS": env_int("JINLIN_INVITATION_HOURS", 72),
    # A member's household not contacted for this many days is marked on its page /me/.
    "CONTACT_STALE_DAYS": env_int("JINLIN_CONTACT_STALE_DAYS", 30),
    # Security (docs/security.md).
    "LOGIN_CLIENT_FAILURE_LIMIT": env_int("JINLIN_LOGIN_CLIENT_FAILURE_LIMIT", 20),
    "TRUSTED_PROXIES": env_int("JINLIN_TRUSTED_PROXIES", 0),
    "SECOND_FACTOR_REQUIRED": env_bool("JINLIN_2FA_REQUIRED", False),
    "AUDIT_RETENTION_DAYS": env_int("JINLIN_AUDIT_RETENTION_DAYS", 180),
    # A writer told this many times in a day that an ID number is taken may set no new one.
    "ID_NUMBER_CLASHES_PER_DAY": env_int("JINLIN_ID_NUMBER_CLASHES_PER_DAY", 20),
    # Uploads (docs/security.md, Uploads): a zip's directory is checked before it is parsed.
    "UPLOAD_MAX_UNZIPPED_MB": env_int("JINLIN_UPLOAD_MAX_UNZIPPED_MB", 100),
    "UPLOAD_MAX_RATIO": env_int("JINLIN_UPLOAD_MAX_RATIO", 100),
    "UPLOAD_MAX_ENTRIES": env_int("JINLIN_UPLOAD_MAX_ENTRIES", 1000),
    "IMPORT_MAX_ROWS": env_int("JINLIN_IMPORT_MAX_ROWS", 200_000),
    # A checked sheet of more rows than this is imported by the task queue, not in the request.
    "IMPORT_JOB_ROWS": env_int("JINLIN_IMPORT_JOB_ROWS", 2_000),
    # A large sheet (from 512 KB) read and cleaned in a second process while the first writes
    # (people.sheetreading): off by default, it pays off only where a second core is free
    # (docs/performance.md, the import).
    "IMPORT_SECOND_PROCESS": env_bool("JINLIN_IMPORT_SECOND_PROCESS", True),
    "PHOTO_MAX_PIXELS": env_int("JINLIN_PHOTO_MAX_PIXELS", 40_000_000),
    # The residents' door: the address printed in the placards' QR codes (https://jinlin.example.cn);
    # empty: the address the placard was printed from.
    "PUBLIC_BASE_URL": env_str("JINLIN_PUBLIC_BASE_URL", "").rstrip("/"),
    # Reminders (jinlin.reminders): an open case action overdue by this many working days goes
    # to the area's secretary, then after this many more to the subdistrict (0: never).
    "ESCALATE_AFTER_WORKING_DAYS": env_int("JINLIN_ESCALATE_AFTER_WORKING_DAYS", 2),
    "ESCALATE_TO_SUBDISTRICT_WORKING_DAYS": env_int(
        "JINLIN_ESCALATE_TO_SUBDISTRICT_WORKING_DAYS", 3
    ),
    # A WeCom group-robot webhook must be https://qyapi.weixin.qq.com/…; tests and a local
    # trial may allow http://127.0.0.1 (always allowed when DEBUG).
    "WECOM_ALLOW_LOCAL": env_bool("JINLIN_WECOM_ALLOW_LOCAL", False),
}
AUDIT_RETENTION_MINIMUM_DAYS = 180
if JINLIN["AUDIT_RETENTION_DAYS"] < AUDIT_RETENTION_MINIMUM_DAYS:
    raise ImproperlyConfigured(
        f"JINLIN_AUDIT_RETENTION_DAYS must be {AUDIT_RETENTION_MINIMUM_DAYS} or more"
    )

# The woodpecker programme (纠错有奖): defaults in jinlin/woodpecker/conf.py; each variable
# below, when set, overrides one of them. A round copies its award settings when it is created.
WOODPECKER: dict[str, object] = {}
if os.environ.get("JINLIN_WOODPECKER_POINTS"):
    _points = [int(part) for part in env_list("JINLIN_WOODPECKER_POINTS")]
    if len(_points) != 3 or min(_points) < 0:
        raise ImproperlyConfigured(
            "JINLIN_WOODPECKER_POINTS is three numbers for minor,moderate,major, e.g. 1,2,3"
        )
    WOODPECKER["POINTS"] = dict(zip(("minor", "moderate", "major"), _points, strict=True))
for _name, _key in (
    ("JINLIN_WOODPECKER_EXCELLENT", "EXCELLENT_COUNT"),
    ("JINLIN_WOODPECKER_CASH_YUAN", "CASH_YUAN"),
    ("JINLIN_WOODPECKER_DEADLINE_DAY", "DEADLINE_DAY"),
):
    if os.environ.get(_name):
        WOODPECKER[_key] = env_int(_name, 0)
if os.environ.get("JINLIN_WOODPECKER_SOUVENIR"):
    WOODPECKER["SOUVENIR"] = env_str("JINLIN_WOODPECKER_SOUVENIR")
if os.environ.get("JINLIN_WOODPECKER_REPORTS_PER_HOUR"):
    # Only the report limit; throttle.hit takes the other kinds from the defaults.
    WOODPECKER["RATE_LIMITS"] = {
        "report": (env_int("JINLIN_WOODPECKER_REPORTS_PER_HOUR", 10), 3600)
    }
