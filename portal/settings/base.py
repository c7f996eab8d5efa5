"""Settings shared by every environment.

The environment is read here, once; an integration turns on when its key is present.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = os.environ
SECRET_KEY = env.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = [h.strip() for h in env.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
DATABASE_URL = env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
ELASTICSEARCH_URL = env.get("ELASTICSEARCH_URL", "")
REDIS_URL = env.get("REDIS_URL", "")
TASKS_BACKEND = env.get("TASKS_BACKEND", "immediate")  # "immediate" (in-process) or "database"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
PRIVATE_MEDIA_ROOT = Path(env.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STATIC_ROOT = Path(env.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
S3_BUCKET = env.get("AWS_STORAGE_BUCKET_NAME", "")
S3_PRIVATE_BUCKET = env.get("AWS_PRIVATE_BUCKET_NAME", S3_BUCKET)
S3_ENDPOINT_URL = env.get("AWS_S3_ENDPOINT_URL", "")
BASE_URL = env.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "CAU portal <noreply@localhost>")
PORTAL_MAX_UPLOAD_MB = int(env.get("PORTAL_MAX_UPLOAD_MB", "200"))

INSTALLED_APPS = [
    "portal.access",
    "portal.taxonomy",
    "portal.documents",
    "portal.images",
    "portal.home",
    "bibliography",
    "publications",
    "trainings",
    "workplans",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
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
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.access.middleware.UploadLimitMiddleware",
    "portal.access.middleware.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.access.middleware.PrivateCacheMiddleware",
    "portal.access.middleware.CurrentRequestMiddleware",
    "portal.access.middleware.AdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.home.redirects.GuardedRedirectMiddleware",  # Wagtail's, never to a page hidden from the reader
    "axes.middleware.AxesMiddleware",
    # Innermost, so every middleware above still adds its headers (CSP, X-Frame-Options…) to a cached page.
    "portal.home.page_cache.PageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # One writer at a time without "database is locked" surprises when a worker and the web write together.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
if IS_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"

if S3_BUCKET:
    _s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"endpoint_url": S3_ENDPOINT_URL or None}}
    STORAGES = {
        "default": {**_s3, "OPTIONS": {**_s3["OPTIONS"], "bucket_name": S3_BUCKET}},
        "private": {
            **_s3,
            "OPTIONS": {
                **_s3["OPTIONS"],
                "bucket_name": S3_PRIVATE_BUCKET,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            # No base_url: private files are reachable only through the portal's serve views.
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": env.get("ELASTICSEARCH_INDEX_PREFIX", "cauportal_"),
            "TIMEOUT": 10,
        }
    }
else:
    # SQLite FTS5, or PostgreSQL full text when the database is PostgreSQL.
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # One process (runserver, the tests). Page parts are cached per reader: room for more than the default 300.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}
    }

if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Wagtail checks that page models list Page's own search field objects; ours list their segmenting twins
# (search.index.segmented) so titles in Thai, Khmer, Lao, Burmese and Chinese are found. tests/search checks them.
SILENCED_SYSTEM_CHECKS = ["wagtailsearch.W001"]

WAGTAIL_SITE_NAME = "SOM CAU Portal"
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILDOCS_DOCUMENT_MODEL = "documents.PortalDocument"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.documents.forms.PortalDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "pptx", "odt", "ods", "csv", "txt", "zip"]
WAGTAILIMAGES_IMAGE_MODEL = "images.PortalImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.images.forms.PortalImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_HITS_MAX_AGE = 14
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "access/locked_out.html"
OTP_TOTP_ISSUER = "CAU portal"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff e-mail hashes sent out, and no third-party images under the CSP

EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# A strict policy for the public site: every asset is served by the portal itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
