"""Civsam settings: one module, driven by environment variables.

DJANGO_DEBUG=1 gives a development site on SQLite (`make test` sets it, `make run DEBUG=1` asks for
it). Without it the settings are production's and need at least DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and CIVSAM_BASE_URL, and usually DATABASE_URL; docs/operations.md lists every
variable. `make run` serves the demo that way, debug off, over plain HTTP on this machine.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CIVSAM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_secret_key(path: Path) -> str:
    """A random key made once per checkout and kept under var/, so that a development site has no
    key written in the code and its sessions survive a restart. Never used with debug off."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):  # another process may be writing it right now
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise ImproperlyConfigured(f"{path} is empty; delete it to have a new development key made.") from None
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w") as file:
        file.write(key)
    return key


def checked_base_url(value: str, *, debug: bool) -> str:
    """CIVSAM_BASE_URL, the public address in e-mails, feeds and PDFs: an absolute http(s) URL,
    https unless debugging. Checked at start so that a typo does not reach people's inboxes."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"CIVSAM_BASE_URL must be an absolute http(s) URL such as https://civsam.example.se, not {value!r}."
        )
    if not debug and parts.scheme != "https":
        raise ImproperlyConfigured(f"CIVSAM_BASE_URL must use https when DJANGO_DEBUG is off, not {value!r}.")
    return value.rstrip("/")


# Safe by default: debug only when asked for (`make run`, `make test` and pytest ask for it).
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off: give it a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))'). "
            "For development, set DJANGO_DEBUG=1 instead (make test does)."
        )
    SECRET_KEY = development_secret_key(VAR_DIR / "development-secret-key")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django.contrib.postgres",
    "axes",
    # Sign-up, login, e-mail, password, second factor and sessions (ADR 0080).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "civsam.core",
    "civsam.accounts",
    "civsam.privacy",
    "civsam.plan",
    "civsam.registry",
    "civsam.impact",
    "civsam.meetings",
    "civsam.funding",
    "civsam.agreements",
    "civsam.market",
    "civsam.stats",
    "civsam.site",
]

MIDDLEWARE = [
    "civsam.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the input guard, so that its refusals carry the policy too.
    "civsam.core.middleware.ContentSecurityPolicyMiddleware",
    "civsam.core.input_guard.InputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civsam.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After messages: logs out idle staff sessions and sends staff without a second factor to set
    # one up (ADR 0080).
    "civsam.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "civsam.core.middleware.RateLimitMiddleware",
    # Pages and files with personal data (views marked @personal_data) are never stored by a cache.
    "civsam.core.privacy.PersonalDataMiddleware",
]

ROOT_URLCONF = "civsam.urls"
# The REST API, named by its dotted path (as ROOT_URLCONF is) so that core's `export_openapi`
# reads it without importing the project modules above core (docs/architecture.md, layers).
CIVSAM_API = "civsam.api.api"
WSGI_APPLICATION = "civsam.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:dashboard"
LOGOUT_REDIRECT_URL = "site:home"

# Every form renders its fields through templates/components/field.html (core/forms.py).
FORM_RENDERER = "civsam.core.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "civsam" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civsam.core.context_processors.site",
                "civsam.accounts.context_processors.account",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "civsam.sqlite3")),
            # Tests use a file, not memory, so that threads in concurrency tests get real
            # connections with SQLite's normal locking; one file per test process.
            "TEST": {"NAME": str(VAR_DIR / f"test-civsam-{os.getpid()}.sqlite3")},
            "OPTIONS": {
                # WAL lets readers and the one writer proceed together; IMMEDIATE avoids
                # "database is locked" upgrades in write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # A 64 MB page cache instead of the default 2 MB: at 300,000 organisations the
                # indexes no longer fit in 2 MB and bulk imports slow down (docs/performance.md).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA cache_size=-65536;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks (docs/adr/0049-*): queued in the database, run by `manage.py db_worker`
# (`make run` starts one beside the development server). CIVSAM_TASKS_BACKEND can name another
# django-tasks backend, e.g. django_tasks.backends.immediate.ImmediateBackend to run tasks in the
# request.
TASKS = {
    "default": {"BACKEND": os.environ.get("CIVSAM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")},
}
# /health/ready fails (503) when the oldest task has waited longer than this many seconds (0: never).
CIVSAM_HEALTH_QUEUE_MAX_AGE = int(os.environ.get("CIVSAM_HEALTH_QUEUE_MAX_AGE", "900"))

# The social-value calculations' limits and worker processes (docs/adr/0075-*): every key and its
# default is in civsam/impact/limits.py; a key here overrides one, e.g. {"MAX_OUTCOMES": 300}.
CIVSAM_CALCULATION_LIMITS: dict[str, object] = {
    key: int(os.environ[f"CIVSAM_CALCULATION_{key}"])
    for key in ("WORKERS", "QUEUE")
    if os.environ.get(f"CIVSAM_CALCULATION_{key}")
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Username or e-mail address with a password (django-allauth, ADR 0080).
    "allauth.account.auth_backends.AuthenticationBackend",
    # What the e-ID login names when it logs a person in (accounts/eid/views.py).
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed-login lockout (django-axes): five failures lock the combination of the name typed and the
# client's address, never the name alone, so a stranger cannot lock someone else out. The address
# is core.ratelimit's: behind the documented TLS proxy (DJANGO_BEHIND_PROXY) the one the proxy
# appended to X-Forwarded-For, otherwise REMOTE_ADDR and the header is ignored (ADR 0080).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "civsam.accounts.adapter.client_ip"
AXES_USERNAME_CALLABLE = "civsam.accounts.adapter.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# django-allauth (ADR 0080): log in with the username or the e-mail address; sign up with an e-mail
# address that must be verified before the account can log in; one address per account, changed
# only once the new one is verified; people are told by e-mail when their password or address
# changes. Civsam's own pages (templates/account, mfa, usersessions) and Swedish paths
# (accounts/urls.py).
ACCOUNT_ADAPTER = "civsam.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "civsam.accounts.forms.LoginForm", "signup": "civsam.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a button, so that a mail scanner following links confirms nothing
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, as before; no "remember me" box
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Civsam: "
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrator", "civsam", "region", "root", "system"]
# Every limit counts per client address as core.ratelimit sees it (AccountAdapter.get_client_ip),
# and a refusal is Civsam's Swedish 429 page (handler429 in civsam/urls.py). The "key" of failed
# logins is the name typed together with the client (AccountAdapter), never the name alone, which
# would let a stranger keep the owner out; django-axes locks that pair first, at five. For a
# second-factor code the key is the account, reached only with its password.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,10/5m/key",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Changing the e-mail address or a second factor asks for the password (or a code) again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")  # no codes by mail: the mailbox may be what is lost
# The second factor: TOTP or a security key, with recovery codes (ADR 0080, 0114). Staff roles must have it.
MFA_ADAPTER = "civsam.accounts.adapter.MfaAdapter"
MFA_FORMS = {
    "authenticate": "civsam.accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "civsam.accounts.forms.MfaReauthenticateForm",
    "activate_totp": "civsam.accounts.forms.ActivateTotpForm",
    "add_webauthn": "civsam.accounts.forms.AddWebAuthnForm",
    "edit_webauthn": "civsam.accounts.forms.EditWebAuthnForm",
}
# A security key (WebAuthn: a USB/NFC key, Windows Hello, Touch ID, a phone) beside the app, as a
# second factor only: no passkey login or sign-up without a password (ADR 0114).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# allauth would refuse a new address on an account with a second factor, and a factor on an account
# with an unverified address (an unverified sign-up could then keep the owner out). Here an account
# cannot log in before its address is verified, and a new address replaces the old only once
# verified (ACCOUNT_CHANGE_EMAIL), so staff with an authenticator app can change their address.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "Civsam"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either way, for phones whose clocks drift
MFA_RATE_LIMITS = {"mfa_authenticate": "10/m/ip", "mfa_reauthenticate": "10/m/user"}
USERSESSIONS_TRACK_ACTIVITY = False  # a session is recorded at login (accounts/apps.py), not on every request
# Staff (region administrators, municipal officers, reviewers) must have a second factor before any
# page but those that set it up; with DEBUG on they are only reminded, by a notice on every page.
# Their sessions end after CIVSAM_STAFF_IDLE_MINUTES without a request; others keep SESSION_COOKIE_AGE.
CIVSAM_STAFF_MFA = True
# The demo (`make run`, debug off) reminds staff as DEBUG does rather than sending them to set up an
# authenticator app for the demo logins. Never set it in production.
CIVSAM_STAFF_MFA_REMIND_ONLY = env_bool("CIVSAM_STAFF_MFA_REMIND_ONLY", False)
CIVSAM_STAFF_IDLE_MINUTES = int(os.environ.get("CIVSAM_STAFF_IDLE_MINUTES", "30"))

# Internationalisation: Swedish first, English as translation.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "civsam" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded and rendered files: the local MEDIA_ROOT by default; S3-compatible object storage
# (django-storages) when CIVSAM_S3_BUCKET is set, e.g. with several machines (docs/operations.md).
# Files are then downloaded through presigned URLs valid CIVSAM_SIGNED_URL_SECONDS.
CIVSAM_SIGNED_URL_SECONDS = int(os.environ.get("CIVSAM_SIGNED_URL_SECONDS", "60"))
if os.environ.get("CIVSAM_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["CIVSAM_S3_BUCKET"],
            "endpoint_url": os.environ.get("CIVSAM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CIVSAM_S3_REGION") or None,
            # Without keys, boto3's own chain applies (AWS_* variables, an instance role).
            "access_key": os.environ.get("CIVSAM_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("CIVSAM_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("CIVSAM_S3_PREFIX", ""),
            # Most S3-compatible services outside AWS want the bucket in the path.
            "addressing_style": os.environ.get(
                "CIVSAM_S3_ADDRESSING_STYLE", "path" if os.environ.get("CIVSAM_S3_ENDPOINT_URL") else "auto"
            ),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own (private) policy; nothing is public
            "querystring_auth": True,
            "querystring_expire": CIVSAM_SIGNED_URL_SECONDS,
            "file_overwrite": False,  # a new name for a new file, as on the local file system
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 50 * 1024 * 1024

# Security: secure by default, relaxed only for local development over plain HTTP.
SECURE_HTTPS = env_bool("DJANGO_SECURE_HTTPS", not DEBUG)
if CIVSAM_STAFF_MFA_REMIND_ONLY and SECURE_HTTPS:
    raise ImproperlyConfigured(
        "CIVSAM_STAFF_MFA_REMIND_ONLY is for the local demo over plain HTTP (make run) only: in production "
        "staff must log in with a second factor. Unset it."
    )
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
# Behind the documented TLS proxy, its X-Forwarded-Proto and X-Request-ID are trusted; without it
# they are whatever a client chose to send.
CIVSAM_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if CIVSAM_BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "civsam@localhost")
# SMTP, when DJANGO_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend. Mail is sent
# after commit from the request (registrations, requests) or the worker: a timeout keeps a hung
# mail server from holding a request thread for ever.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))

# Logs: one line per record on standard error, with the request's id (civsam.core.logs); JSON
# lines by default in production, readable text in development. CIVSAM_LOG_FORMAT=json|text.
CIVSAM_LOG_FORMAT = os.environ.get("CIVSAM_LOG_FORMAT", "text" if DEBUG else "json")
if CIVSAM_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"CIVSAM_LOG_FORMAT must be json or text, not {CIVSAM_LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "civsam.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "civsam.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": CIVSAM_LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The public address of the site, for links in e-mails, calendar feeds and PDFs. Without it,
# development uses the local server and production the first name in DJANGO_ALLOWED_HOSTS.
_public_hosts = [host for host in ALLOWED_HOSTS if host not in ("*", "testserver") and not host.startswith(".")]
if os.environ.get("CIVSAM_BASE_URL"):
    # Plain http only where the site itself runs without HTTPS (debug, or the local demo).
    CIVSAM_BASE_URL = checked_base_url(os.environ["CIVSAM_BASE_URL"], debug=DEBUG or not SECURE_HTTPS)
elif DEBUG:
    CIVSAM_BASE_URL = "http://127.0.0.1:8000"
elif _public_hosts:
    CIVSAM_BASE_URL = checked_base_url(f"https://{_public_hosts[0]}", debug=DEBUG)
else:
    raise ImproperlyConfigured("CIVSAM_BASE_URL must be set when DJANGO_DEBUG is off, e.g. https://civsam.example.se.")

# Log in with a Swedish e-ID through an OpenID Connect broker (civsam/accounts/eid, ADR 0060); off
# unless CIVSAM_EID_ISSUER is set. The client's RSA private key (PEM, for private_key_jwt) is given
# as text or as a file's path; the personal identity number is kept only as an HMAC under PNR_HASH_KEY.
CIVSAM_EID = {
    "ISSUER": os.environ.get("CIVSAM_EID_ISSUER", "").rstrip("/"),
    "CLIENT_ID": os.environ.get("CIVSAM_EID_CLIENT_ID", ""),
    "PRIVATE_KEY": os.environ.get("CIVSAM_EID_PRIVATE_KEY", ""),
    "PRIVATE_KEY_FILE": os.environ.get("CIVSAM_EID_PRIVATE_KEY_FILE", ""),
    "PNR_HASH_KEY": os.environ.get("CIVSAM_EID_PNR_HASH_KEY", ""),
}
if CIVSAM_EID["ISSUER"]:
    _eid_missing = [
        name
        for name, present in (
            ("CIVSAM_EID_CLIENT_ID", CIVSAM_EID["CLIENT_ID"]),
            (
                "CIVSAM_EID_PRIVATE_KEY or CIVSAM_EID_PRIVATE_KEY_FILE",
                CIVSAM_EID["PRIVATE_KEY"] or CIVSAM_EID["PRIVATE_KEY_FILE"],
            ),
            ("CIVSAM_EID_PNR_HASH_KEY", len(CIVSAM_EID["PNR_HASH_KEY"]) >= 32),
        )
        if not present
    ]
    if _eid_missing:
        raise ImproperlyConfigured(
            "CIVSAM_EID_ISSUER is set, so e-ID login also needs: "
            + ", ".join(_eid_missing)
            + " (the hash key at least 32 characters; docs/architecture.md, e-ID)."
        )

CIVSAM = {
    "SITE_NAME": "Civsam",
    "REGION_NAME": "Region Örebro län",
    "COUNTY_CODE": "18",
    "DEMO": env_bool("CIVSAM_DEMO", DEBUG),
}

# OCDS (ADR 0135): the prefix of every contracting process identifier (ocid) in the procurement
# export. OCDS asks each publisher to register its own prefix with the Open Contracting Partnership;
# set it here once the Region has one. The default marks the data as not yet registered.
CIVSAM_OCID_PREFIX = os.environ.get("CIVSAM_OCID_PREFIX", "ocds-civsam")

# Data protection (ADR 0085): the data protection officer's address on the privacy notice
# (/integritet/); unset, the notice points to the Region's registry office instead.
CIVSAM_DPO_EMAIL = os.environ.get("CIVSAM_DPO_EMAIL", "")
