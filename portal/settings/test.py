import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, IS_POSTGRES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
_tmp = Path(tempfile.mkdtemp(prefix="cauportal-test-"))
MEDIA_ROOT = _tmp / "media"
PRIVATE_MEDIA_ROOT = _tmp / "private"
STATIC_ROOT = _tmp / "static"
STATIC_ROOT.mkdir()
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The test database is SQLite in shared-cache memory (or PostgreSQL): no WAL, and plain deferred transactions, so a
# live-server request still finishing never holds a write lock while a transactional test flushes the tables.
DATABASES = {**DATABASES, "default": {**DATABASES["default"], "OPTIONS": {}}} if not IS_POSTGRES else DATABASES
# The page editor pings its editing session every 10 s; browser tests need no pings writing behind their back.
WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
