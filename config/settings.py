"""Gefyra settings: one module, driven by the environment.

Production is the default: with DJANGO_DEBUG unset the app refuses to start without DJANGO_SECRET_KEY, and
also reads DJANGO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL). Development sets DJANGO_DEBUG=1 (the README's
first command does; the tests set it in pyproject.toml) and then needs nothing else: SQLite beside the code.
"""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# Demo data (known passwords) only where DEBUG was asked for: the test runner turns DEBUG off while it runs.
DEVELOPMENT = DEBUG

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-8f2c1e7a9b"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    # Refuse to start a production instance with a guessable key.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production, the default). "
        "For development on this machine, set DJANGO_DEBUG=1."
    )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    # The admin theme must come before django.contrib.admin to override its templates.
    "admin_interface",
    "colorfield",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "csp",
    "import_export",
    "viewflow",
    "viewflow.workflow",
    "axes",
    "cases",
    "workflows",
    "imports",
    "exports",
    "privacy",
    "auditlog",
    "audit",
    "workday",  # after workflows: its start page replaces the admin's index
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",  # after django_otp: its admin replaces theirs
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.GreekUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: the change log takes the actor and address from the request.
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitMiddleware",  # after messages: it says why it signed someone out
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before checking the password
    "django.contrib.auth.backends.ModelBackend",
]
# Guessing is stopped per account and per address: GEFYRA_LOGIN_FAILURE_LIMIT wrong passwords for one username
# (from any number of addresses) lock that username, and as many from one address lock that address, for
# GEFYRA_LOGIN_COOLOFF_MINUTES. The lock ends on time even if the guessing goes on, so nobody can keep a colleague
# out for longer; a supervisor can lift it at once (Axes › access attempts, or `manage.py axes_reset_username`).
AXES_FAILURE_LIMIT = int(os.environ.get("GEFYRA_LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("GEFYRA_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.clients.client_address"
# Reverse proxies in front of the app (each appends to X-Forwarded-For): 0 when clients connect directly.
GEFYRA_TRUSTED_PROXIES = int(os.environ.get("GEFYRA_TRUSTED_PROXIES", 0))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Before the apps' templates: our 403/404/500 pages replace the ones viewflow ships.
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. IMMEDIATE takes the write lock when a transaction begins, so a second writer
    # waits its turn there instead of failing with "database is locked" when its reads turn into a write; the
    # timeout (seconds) is how long it waits: longer than a 10,000-row import takes (benchmarks/imports.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 30})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost is high, and a scoped list's is:
    # compiling took 580 of a query's 940 ms at 100,000 cases (benchmarks/README.md). Pages run short queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.GuessabilityValidator"},
]

# Greek first: the centre's staff work in Greek; English for colleagues who don't.
LANGUAGE_CODE = "el"
LANGUAGES = [("el", _("Greek")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
TIME_ZONE = "Europe/Athens"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded spreadsheets hold personal data: keep them outside any public media root.
PRIVATE_ROOT = Path(os.environ.get("GEFYRA_PRIVATE_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": PRIVATE_ROOT / "files"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "import_export": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": PRIVATE_ROOT / "import_export"}},
}

# How far a long import has got, for the page waiting on it. On disk, so that any worker process of the
# machine can answer the page's polls; with several app servers PRIVATE_ROOT is shared storage anyway
# (previewed uploads wait there for their confirmation).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": PRIVATE_ROOT / "progress"},
}

# django-admin-interface renders the admin in a frame for its related-object modals.
X_FRAME_OPTIONS = "SAMEORIGIN"
# Content-Security-Policy (django-csp): scripts only from our own static files, never inline. Styles may be
# inline: the admin theme writes its colours in a <style> element and style attributes. The two inline event
# handlers the theme and django-import-export write are refused by it and bound by accounts/static/accounts/
# inline-handlers.js instead.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "frame-src": [csp.SELF],
        "frame-ancestors": [csp.SELF],
        "form-action": [csp.SELF],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    },
}
# Nothing in Gefyra needs the camera, microphone, location, payments or USB devices (django-permissions-policy).
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
)}
SECURE_REFERRER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Any staff user could import or export without these: personal data needs a permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# Formula cells are neutralised by our resources (common.spreadsheets): the built-in escaping strips one "=",
# leaves "+", "-" and "@", and turns every XLSX cell into text.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True  # a control character in a note must not fail an XLSX export
# Partner files larger than this are refused while they stream in (imports.uploads), before any is parsed.
GEFYRA_IMPORT_MAX_BYTES = int(os.environ.get("GEFYRA_IMPORT_MAX_MB", "20")) * 1024 * 1024
GEFYRA_IMPORT_MAX_ROWS = int(os.environ.get("GEFYRA_IMPORT_MAX_ROWS", "50000"))
FILE_UPLOAD_HANDLERS = [
    "imports.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Retention (python manage.py apply_retention). A partner's refused rows and previewed files are kept this many days.
GEFYRA_IMPORT_RETENTION_DAYS = int(os.environ.get("GEFYRA_IMPORT_RETENTION_DAYS", "30"))
# Days after a case closes before its person is anonymised, per outcome ("default" for the rest), e.g.
# GEFYRA_RETENTION_DAYS="declined=365,default=1825". Five years by default: ESF+ operations keep their
# participants' records for the programme's audits; a declined referral was never a participant.
GEFYRA_RETENTION_DAYS = {"default": 1825, "declined": 365} | {
    outcome.strip(): int(days)
    for outcome, days in (pair.split("=") for pair in os.environ.get("GEFYRA_RETENTION_DAYS", "").split(",") if pair.strip())
}
# A person entered but never referred (no case at all) is anonymised this many days after being entered.
GEFYRA_RETENTION_DAYS_WITHOUT_CASE = int(os.environ.get("GEFYRA_RETENTION_DAYS_WITHOUT_CASE", "365"))

# Phone numbers without a country code are Greek.
PHONENUMBER_DEFAULT_REGION = "GR"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Who must sign in with a second factor (accounts.two_factor): "privileged" (whoever sees every file or reads
# the audit: supervisors, the data-protection officer, superusers), "everyone", or "off" (development only).
GEFYRA_TWO_FACTOR = os.environ.get("GEFYRA_TWO_FACTOR", "privileged")
if GEFYRA_TWO_FACTOR not in {"privileged", "everyone", "off"} or (GEFYRA_TWO_FACTOR == "off" and not DEVELOPMENT):
    raise ImproperlyConfigured('GEFYRA_TWO_FACTOR must be "privileged" or "everyone" ("off" only with DJANGO_DEBUG=1).')
OTP_TOTP_ISSUER = "Gefyra"

# Signed out after this long without a request, and this long after signing in whatever happens
# (accounts.sessions); the pages warn before either. The cookie lives as long as the longer limit.
GEFYRA_SESSION_IDLE_MINUTES = int(os.environ.get("GEFYRA_SESSION_IDLE_MINUTES", 30))
GEFYRA_SESSION_MAX_HOURS = int(os.environ.get("GEFYRA_SESSION_MAX_HOURS", 10))
SESSION_COOKIE_AGE = GEFYRA_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The change log keeps old and new values as JSON, not as their text.
AUDITLOG_STORE_JSON_CHANGES = True
