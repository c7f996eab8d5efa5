from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, STATIC_ROOT, STORAGES

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-som-cau-portal"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
