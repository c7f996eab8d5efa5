from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "portal.home"
    label = "home"
    verbose_name = "Home and pages"

    def ready(self):
        from . import signals  # noqa: F401
