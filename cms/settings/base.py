"""Settings shared by every environment: secure by default, integrations from the environment.

With no environment set the site runs on SQLite, local files and an in-process cache. Each
integration switches on from its own variable (documented in the README):

    DATABASE_URL              PostgreSQL (or any dj-database-url URL); default SQLite in var/
    AWS_STORAGE_BUCKET_NAME   media on S3-compatible object storage (see the AWS_* variables below)
    REDIS_URL                 cache and cached sessions on Redis
    EMAIL_HOST                SMTP; without it mail is written to the console
    TASKS_BACKEND             the django-tasks backend; default the database queue (db_worker)
    TRUSTED_PROXY_COUNT       proxies in front of the site, for the client address in rate limits
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# Never a default secret here: dev.py makes a local one, production.py requires SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "cms.demo",
    # Before allauth, so its account/ templates override allauth's own.
    "accounts",
    "courses",
    "videos",
    "quizzes",
    "certificates",
    "attendance",
    "institutions",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages replayed from memory before sessions, users and routing (cms.pagecache).
    "cms.pagecache.PageCacheMiddleware",
    "cms.layoutcache.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A clear 503 when sign-in cannot know the client's address (see TRUSTED_PROXY_COUNT).
    "accounts.middleware.ClientAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees a view's exception first: the object store down is a 503, not a 500.
    "cms.middleware.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A database host that accepts the connection but never answers (a wrong port, a wedged proxy)
# would hang every request for minutes: give up connecting after a few seconds.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker share the file: WAL lets readers and the writer work
    # at once, and IMMEDIATE transactions wait for the lock instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kompetanse"),
            "TIMEOUT": 300,
            # Seconds to connect and to wait for an answer: a Redis that does not answer makes
            # requests fail fast instead of hanging (sessions are read from it).
            "OPTIONS": {
                "socket_connect_timeout": env_int("REDIS_TIMEOUT", 2),
                "socket_timeout": env_int("REDIS_TIMEOUT", 2),
            },
        }
    }
    # Sessions read from Redis and survive a Redis flush because they are also in the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Page cache -----------------------------------------------------------------------------
# Anonymous pages are replayed from each process's memory (cms.pagecache); a shared content
# version says when they are stale. With Redis it lives there; without (the embedded default)
# in one database row, so every process of `make run` (web server and worker) reads the same
# value. Each process reads it at most once per PAGE_CACHE_VERSION_INTERVAL seconds.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_VERSION_STORE = "redis" if REDIS_URL else "database"
PAGE_CACHE_VERSION_INTERVAL = 1.0
# Each process keeps at most this many pages and bytes (least recently used go first), and
# renders a page afresh after PAGE_CACHE_MAX_AGE seconds even when the version did not move.
PAGE_CACHE_MAX_ENTRIES = env_int("PAGE_CACHE_MAX_ENTRIES", 1000)
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 64 * 1024 * 1024)
PAGE_CACHE_MAX_AGE = 300

# --- Passwords ------------------------------------------------------------------------------
# Argon2 for new and changed passwords; older hashes still verify and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's MinimumLengthValidator, with a message translated into every site language.
    {"NAME": "accounts.adapter.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
    ("sv", _("Swedish")),
    ("da", _("Danish")),
]
# makemessages writes into the first entry. The second holds hand-kept Bokmål for admin strings
# Wagtail leaves untranslated: it overrides the apps' catalogues, and the first entry wins over it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True

# --- Static files and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
# Presigned download links are short-lived: long enough to start a download, too short to share.
DOWNLOAD_URL_EXPIRY = env_int("DOWNLOAD_URL_EXPIRY", 300)

if AWS_STORAGE_BUCKET_NAME:
    # Only plain values, and no credentials: Wagtail stores these options in the task that
    # deletes a file (see cms/storage.py). The keys come from AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY in the environment (or an instance role), read where they are used.
    DEFAULT_STORAGE = {
        "BACKEND": "cms.storage.ObjectStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "location": env_str("AWS_LOCATION"),
            # SigV2 URLs are refused by AWS and by S3-compatible stores that check signatures.
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": DOWNLOAD_URL_EXPIRY,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, max-age=3600"},
            # Fail fast: a health check or page must not hang for a minute on a dead store.
            "connect_timeout": env_int("AWS_S3_CONNECT_TIMEOUT", 3),
            "read_timeout": env_int("AWS_S3_READ_TIMEOUT", 30),
            "max_attempts": 2,
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# --- Videos ---------------------------------------------------------------------------------
VIDEO_MAX_UPLOAD_SIZE = env_int("VIDEO_MAX_UPLOAD_SIZE", 2 * 1024**3)
VIDEO_MAX_DURATION = env_int("VIDEO_MAX_DURATION", 3 * 3600)
# A transcode renews its lease while it makes progress; a lease that runs out means the worker
# died, and the job is given to the next worker (videos_requeue_stale).
VIDEO_LEASE_SECONDS = env_int("VIDEO_LEASE_SECONDS", 120)
VIDEO_MAX_ATTEMPTS = env_int("VIDEO_MAX_ATTEMPTS", 3)
VIDEO_SWEEP_INTERVAL = env_int("VIDEO_SWEEP_INTERVAL", 60)
# Presigned video URLs on S3 expire within the hour.
VIDEO_URL_EXPIRY = min(env_int("VIDEO_URL_EXPIRY", 3600), 3600)
# A video counts as watched when this share of it has actually been played.
VIDEO_WATCHED_SHARE = 0.9
# Big uploads go to a temporary file, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Certificates ---------------------------------------------------------------------------
# Frozen into every certificate at issue; change it when the PDF's layout or wording changes.
CERTIFICATE_TEMPLATE_VERSION = "2026.1"
# Who issues certificates (a dotted path to a function returning the name; the site settings'
# issuer, else the programme's name) and the logo printed on them (a static file: the PDF's
# renderer fetches nothing else).
CERTIFICATE_ISSUER = "cms.selectors.certificate_issuer"
CERTIFICATE_ISSUER_LOGO = "certificates/logo.svg"
# Verification misses (unknown or malformed codes) allowed per client address and window,
# then a 429; finding a certificate is never throttled. The PDF hash check reads at most this.
CERTIFICATE_VERIFY_MISS_LIMIT = env_int("CERTIFICATE_VERIFY_MISS_LIMIT", 20)
CERTIFICATE_VERIFY_MISS_WINDOW = 600
CERTIFICATE_VERIFY_UPLOAD_MAX = 10 * 1024 * 1024
# A certificate still without its PDF this many seconds after issue (its worker died) gets a new
# render task from run_worker's sweep, at most CERTIFICATE_RENDER_ATTEMPTS times.
CERTIFICATE_RENDER_GRACE = env_int("CERTIFICATE_RENDER_GRACE", 600)
CERTIFICATE_RENDER_ATTEMPTS = 3
CERTIFICATE_SWEEP_INTERVAL = env_int("CERTIFICATE_SWEEP_INTERVAL", 300)
# --- Group sessions (attendance) ------------------------------------------------------------
# Claims close this many hours after a session ends; a session never ended stops taking claims
# (and gives no credit) this many hours after it started.
ATTENDANCE_CLAIM_WINDOW_HOURS = 48
ATTENDANCE_SESSION_MAX_HOURS = 12
# Codewords asked for per credit hour (never more than the session has chapter pauses), and how
# long a codeword still counts after its pause left the screen (someone was typing it).
ATTENDANCE_CODEWORDS_PER_HOUR = 3
ATTENDANCE_CODEWORD_GRACE_SECONDS = 30
# Wrong codewords a claimer may type per session before the claim needs approval anyway.
ATTENDANCE_CODEWORD_TRIES = 10
# Unknown join codes allowed per signed-in user and per client address (a nursing home's phones
# share one address on its Wi-Fi) in each window, then a 429.
ATTENDANCE_CODE_MISS_LIMIT = env_int("ATTENDANCE_CODE_MISS_LIMIT", 10)
ATTENDANCE_CODE_MISS_LIMIT_PER_ADDRESS = env_int("ATTENDANCE_CODE_MISS_LIMIT_PER_ADDRESS", 100)
ATTENDANCE_CODE_MISS_WINDOW = 900

# --- Institutions ----------------------------------------------------------------------------
# How long an enrolment runs unless the institution says otherwise.
INSTITUTION_ENROLMENT_YEARS = 5

# The Ed25519 key that signs the Open Badges 3.0 credentials: its 32-byte seed in base64url
# (`python -c "import secrets; print(secrets.token_urlsafe(32))"`) or a Multikey
# secretKeyMultibase ("z..."). dev.py makes a local one, production.py requires it.
OPEN_BADGES_SIGNING_KEY = env_str("OPEN_BADGES_SIGNING_KEY")

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# run_worker publishes (and unpublishes) what editors scheduled this often, in seconds.
PUBLISH_SCHEDULED_INTERVAL = env_int("PUBLISH_SCHEDULED_INTERVAL", 30)
# /healthz reports the queue as stuck when the oldest waiting task is older than this.
HEALTHZ_TASK_MAX_WAIT = env_int("HEALTHZ_TASK_MAX_WAIT", 900)
# /healthz shows anonymous callers only ok/fail per check; details (hosts, errors) go to staff,
# or to everyone with HEALTHZ_DETAILS=true (a monitor that cannot sign in, on a private network).
HEALTHZ_DETAILS = env_bool("HEALTHZ_DETAILS", default=False)

# --- Email ----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ikke-svar@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts (django-allauth; see accounts/adapter.py and accounts/forms.py) -------------
# Learners sign up and sign in on the site with an email address and a password; they have no
# username of their own (allauth fills the user's username field with one they never see).
# Staff sign in to the Wagtail admin with their username (accounts/backends.py).
# One backend for every sign-in form (allauth's, Wagtail's admin and front-end logins): it
# applies allauth's throttling, requires a confirmed address, and lets usernames in for staff.
AUTHENTICATION_BACKENDS = ["accounts.backends.AuthenticationBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"
# Private pages send visitors to the site's own sign-in page.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:my_page"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "accounts.adapter.user_display"
# The programme's name in account mail, read from the site's settings (accounts imports no cms).
ACCOUNTS_PROGRAMME_NAME = "cms.selectors.programme_name"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "set_password": "accounts.forms.SetPasswordForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
# Nobody signs in before following the link mailed to them, so every account that can earn
# credit has a confirmed address. The link opens a page with a button (a mail scanner that
# fetches links confirms nothing); confirming in the browser that signed up also signs in.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up and password reset never reveal whether an address has an account: the owner of the
# address is told by mail instead.
ACCOUNT_PREVENT_ENUMERATION = True
# One address per learner: a new address replaces the old one once it is confirmed, and the
# old address is told about the change (as it is about password changes).
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None  # the learner chooses; shared computers are common at work
# Rate limits (allauth counts in the cache: use Redis when more than one process serves).
# Staff of one nursing home often share one public IP address and sign up or sign in together
# on a training day, so the per-address limits are looser than allauth's defaults; the limit
# on failed sign-ins for one account (its email address) is what stops password guessing.
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "30/m/ip,5/5m/key",
    "signup": "30/m/ip",
    "reset_password": "30/m/ip,5/m/key",
}
# Behind a proxy, the client's address is the n-th from the right in X-Forwarded-For; leave at 0
# unless every request really passes through that many trusted proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Or the header a proxy sets to the client's address (for example X-Real-IP). Behind a proxy on a
# Unix socket the site sees no address at all, and sign-in answers 503 until one of these is set.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None

# --- Security headers (the rest is in production.py) ----------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Kompetanseprogrammet")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_DOCUMENT_MODEL = "cms.ResourceDocument"
# Editors can upload only these types; anything else is refused with a message in the admin.
WAGTAILDOCS_EXTENSIONS = env_list(
    "WAGTAILDOCS_EXTENSIONS", ["pdf", "docx", "pptx", "xlsx", "png", "jpg", "jpeg"]
)
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 50 * 1024 * 1024)
# Upload forms that give the editor an error (not a 500) when the object store is down.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.ImageForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
    ("sv", "Svenska"),
    ("da", "Dansk"),
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Content-Security-Policy for public pages (see cms/middleware.py) -----------------------
# Extra origins that public pages may load media and images from (the object store).
_STORE_ORIGIN = (
    (AWS_S3_ENDPOINT_URL or "https://*.amazonaws.com") if AWS_STORAGE_BUCKET_NAME else ""
)
CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS", [_STORE_ORIGIN] if _STORE_ORIGIN else [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "botocore": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}
