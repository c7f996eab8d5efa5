import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# What is loaded now (Django, Wagtail, ICU, every view through the URLconf) lives as long as the process: keep it out
# of the collector's full passes, which otherwise walk ~200,000 objects (100-350 ms within a large search).
get_resolver().url_patterns  # noqa: B018 - imports every view module before the freeze
gc.freeze()
