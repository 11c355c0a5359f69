"""Ficshelf settings: every value comes from the environment, with safe SQLite defaults.

`.env.example` lists every variable read here. A `.env` file beside `manage.py` is read too,
so an archive runner can keep settings out of the shell.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FICSHELF_VAR_DIR", BASE_DIR / "var"))


def _read_dotenv(path: Path) -> None:
    """Load KEY=value lines from .env without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_read_dotenv(BASE_DIR / ".env")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("FICSHELF_DEBUG", False)


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("FICSHELF_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("FICSHELF_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("FICSHELF_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("FICSHELF_SITE_NAME", "Ficshelf")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Optional two-factor login (accounts.two_factor): authenticator apps and backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ficshelf.archive",
    "ficshelf.accounts",
    "ficshelf.tags",
    "ficshelf.works",
    "ficshelf.feedback",
    "ficshelf.inbox",
    "ficshelf.stats",
    "ficshelf.search",
    "ficshelf.downloads",
    "ficshelf.series",
    "ficshelf.bookmarks",
    "ficshelf.shelf",
    "ficshelf.imports",
    "ficshelf.betareader",
    "ficshelf.api",
    "ficshelf.moderation",
    "ficshelf.news",
]

MIDDLEWARE = [
    # First: every later step (rate limits, guests' kudos) sees the reader's own address.
    "ficshelf.archive.proxies.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the guest page cache and sessions, so a refused request costs no query.
    "ficshelf.archive.request_limits.RequestLimitMiddleware",
    # After WhiteNoise, which answers static files itself (pre-compressed), and before the rest,
    # so it compresses the finished body. Its random padding mitigates BREACH, and the pages
    # shared between guests carry no CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "ficshelf.archive.replicas.ReadYourWritesMiddleware",
    # A guest's cached reading page or list is answered here, without the middleware below.
    "ficshelf.archive.guest_pages.GuestPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Proxies whose X-Forwarded-For names the reader's address (ficshelf.archive.proxies): addresses
# or networks, comma-separated. The default trusts a proxy on this host only.
TRUSTED_PROXIES = os.environ.get("FICSHELF_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
# Site-wide request limits (archive.request_limits): requests a minute, (per guest address, per
# account), past which the answer is 429. FICSHELF_REQUEST_LIMITS=off turns them off and
# FICSHELF_REQUEST_LIMITS_SCALE multiplies them (load tests); requests from the addresses or
# networks in FICSHELF_REQUEST_LIMITS_EXEMPT (default: this machine) are never counted.
REQUEST_LIMITS = {
    "ENABLED": env_bool("FICSHELF_REQUEST_LIMITS", True),
    "SCALE": float(os.environ.get("FICSHELF_REQUEST_LIMITS_SCALE", "1")),
    "EXEMPT": env_list("FICSHELF_REQUEST_LIMITS_EXEMPT", "127.0.0.1,::1"),
    "PER_MINUTE": {
        "pages": (300, 600),
        "posts": (60, 60),
        "search": (30, 60),
        "downloads": (20, 40),
        "feeds": (60, 120),
        "checks": (10, 150),
        # Per address only: the API's own limits per token (api.access) come first.
        "api": (600, 600),
    },
}

ROOT_URLCONF = "ficshelf.urls"
WSGI_APPLICATION = "ficshelf.wsgi.application"

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
                "csp.context_processors.nonce",
                "ficshelf.archive.context_processors.site",
                "ficshelf.inbox.context_processors.inbox",
                "ficshelf.shelf.context_processors.reading_settings",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL=postgres://… selects PostgreSQL (production).
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ficshelf.sqlite3'}"
# A worker keeps its database connection this many seconds (0: one connection a request),
# checked before its first use in each request, so a restarted server costs no failed page.
DATABASE_CONN_MAX_AGE = int(os.environ.get("FICSHELF_CONN_MAX_AGE", "60"))
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not DATABASES["default"]["NAME"].startswith(":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Kept open like PostgreSQL's (FICSHELF_CONN_MAX_AGE): opening the file and running the
    # PRAGMAs below cost about 1.8 ms, a third of a cached page. Each thread has its own
    # connection (Django's are thread-local), and runserver closes its thread's at the end of
    # each request. In autocommit each read sees the last committed write, so nothing is stale.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; synchronous=FULL means an
        # acknowledged write survives a power cut. IMMEDIATE takes the write lock at BEGIN,
        # so concurrent writers wait (busy timeout) instead of failing mid-transaction.
        "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file too (not shared-cache memory), so a test with two connections locks
    # the way the archive does. One file per test process.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# PostgreSQL read replicas, comma-separated URLs (aliases replica1, replica2, …). Web pages read
# from them; writes, the task worker and a browser that has just written use the primary.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    _replica = dj_database_url.parse(
        _url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True
    )
    # A replica that does not answer is skipped, so it must not keep a page waiting long.
    _replica["OPTIONS"] = {"connect_timeout": 2, **_replica.get("OPTIONS", {})}
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["ficshelf.archive.replicas.ReplicaRouter"]
# After a browser's successful POST (or other write), it reads from the primary this long.
READ_PRIMARY_AFTER_WRITE = float(os.environ.get("FICSHELF_READ_PRIMARY_AFTER_WRITE", "10"))
# A replica that refused a connection is not tried again for this long.
REPLICA_RETRY_AFTER = float(os.environ.get("FICSHELF_REPLICA_RETRY_AFTER", "30"))
# A replica further behind the primary than this (seconds) is skipped; 0 turns the check off.
REPLICA_MAX_LAG = float(os.environ.get("FICSHELF_REPLICA_MAX_LAG", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    # Shared by every app server (cached pieces, sessions, rate-limit counters). A Redis that is
    # down or full costs misses, not pages: errors are logged and read as misses.
    CACHES = {
        "default": {
            "BACKEND": "ficshelf.archive.cache.TolerantRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# After a Redis error, this process reads misses without asking Redis for this many seconds.
CACHE_RETRY_AFTER = float(os.environ.get("FICSHELF_CACHE_RETRY_AFTER", "5"))
# Guests' cached pages are keyed by the release (a digest of the code and templates, computed at
# start-up) and by this prefix: set it to keep archives that share one cache apart, or change it
# to drop every cached page at once.
PAGE_CACHE_PREFIX = os.environ.get("FICSHELF_CACHE_PREFIX", "")

# --- Sessions ---------------------------------------------------------------------------------
# In the database by default. With Redis, read through the shared cache and written to both:
# the database keeps them durable, so a Redis restart, eviction or outage logs nobody out.
# (A process-local cache would let each worker keep its own stale copy: database only then.)
if CACHE_URL.startswith(("redis://", "rediss://")):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background work ----------------------------------------------------------------------------
# Django's task API. "database" (default) queues tasks in the database for `manage.py db_worker`,
# which `make run` starts beside the web server; "immediate" runs each task at once, in the
# process that enqueues it (the tests, or an archive run without a worker); or a dotted path.
_task_backend = os.environ.get("FICSHELF_TASK_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(_task_backend, _task_backend),
        "QUEUES": ["default"],
    }
}

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "archive:home"
LOGOUT_REDIRECT_URL = "archive:home"
# Who may make an account (accounts.signups): "open" (anyone), "invite" (with an invitation
# code), "approval" (an admin approves each request) or "closed". Logging in works in every mode.
SIGNUP_MODE = os.environ.get("FICSHELF_SIGNUP_MODE", "open").strip().lower()
if SIGNUP_MODE not in {"open", "invite", "approval", "closed"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("FICSHELF_SIGNUP_MODE is open, invite, approval or closed")
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The name authenticator apps show beside the account (accounts.two_factor).
OTP_TOTP_ISSUER = SITE_NAME
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email --------------------------------------------------------------------------------------
# Console by default; FICSHELF_EMAIL_BACKEND=file writes each message under var/mail/.
_email_backend = os.environ.get("FICSHELF_EMAIL_BACKEND", "console")
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}.get(_email_backend, _email_backend)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("FICSHELF_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FICSHELF_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FICSHELF_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FICSHELF_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FICSHELF_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("FICSHELF_DEFAULT_FROM_EMAIL", "ficshelf@localhost")
# Links in emails and feeds, which have no request to take the host from.
SITE_URL = os.environ.get("FICSHELF_SITE_URL", "http://127.0.0.1:8000")

# --- Internationalization ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("FICSHELF_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing.


def _collected(static_root: Path, sources: list[Path]) -> bool:
    """Whether collectstatic has run since the last change to one of the project's own static
    files: its manifest is there, newer than each of them."""
    manifest = static_root / "staticfiles.json"
    if not manifest.is_file():
        return False
    collected_at = manifest.stat().st_mtime
    return all(
        path.stat().st_mtime <= collected_at
        for folder in sources
        for path in folder.rglob("*")
        if path.is_file()
    )


# In production (DEBUG off, after collectstatic, as `make serve` and the systemd unit run it)
# WhiteNoise serves the collected files: named by a hash of their content (browsers keep them
# for ever), with gzip and Brotli copies made once (archive/staticfiles.py). In development,
# before collectstatic and after a static file changed, the files are served as they are.
STATIC_COLLECTED = not DEBUG and _collected(STATIC_ROOT, STATICFILES_DIRS)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG
        else "ficshelf.archive.staticfiles.CollectedStaticStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG

# --- Uploads ------------------------------------------------------------------------------------
# Files the archive stores (FileSystemStorage, the "default" storage above).
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
# A posted form must reach the form's own length checks, which keep the text and say what is
# wrong: a 510,000-character chapter is up to 6 MB form-encoded (4 UTF-8 bytes a character,
# percent-escaping triples each), plus notes and summary. Over this, Django answers 400 first.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# Uploaded files larger than this are spooled to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# Error pages and emails also hide DATABASE_URL, CACHE_URL and any password inside a URL.
DEFAULT_EXCEPTION_REPORTER_FILTER = "ficshelf.archive.error_reports.SafeExceptionReporterFilter"

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FICSHELF_SECURE_COOKIES", False)
# robots.txt turns crawlers that gather text for AI away unless the archive says otherwise.
FICSHELF_AI_CRAWLERS_ALLOWED = env_bool("FICSHELF_AI_CRAWLERS_ALLOWED", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Lax: the cookies go with a link followed from another site, never with its forms or frames.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind a TLS proxy (docs/running.md): the header it sets on HTTPS requests, as
# "HTTP_X_FORWARDED_PROTO,https", so that request.is_secure() is true and links in emails (the
# password reset) are https://. Set it only when the proxy always sets or strips that header.
_proxy_ssl_header = env_list("FICSHELF_PROXY_SSL_HEADER", "")
if len(_proxy_ssl_header) == 2:
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header[0], _proxy_ssl_header[1])
elif _proxy_ssl_header:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "FICSHELF_PROXY_SSL_HEADER is a header and a value, as HTTP_X_FORWARDED_PROTO,https"
    )
SECURE_SSL_REDIRECT = env_bool("FICSHELF_SSL_REDIRECT", False)
# Strict-Transport-Security: browsers use HTTPS only, for this many seconds (0: not sent).
# Start low (300), then a year (31536000) once HTTPS works everywhere on the site.
SECURE_HSTS_SECONDS = int(os.environ.get("FICSHELF_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FICSHELF_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("FICSHELF_HSTS_PRELOAD", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        # Creators may embed images hosted elsewhere, as on AO3.
        "img-src": ["'self'", "https:", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FICSHELF_LOG_LEVEL", "INFO")},
}

# --- Demo ------------------------------------------------------------------------------------
# The founding story, imported by `make run` (manage.py load_demo) as the demo work.
SEED_PATH = Path(
    os.environ.get("FICSHELF_SEED_PATH")
    or BASE_DIR.parent / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
)
