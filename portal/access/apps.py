from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "portal.access"
    label = "access"
    verbose_name = "Access and dissemination"

    def ready(self):
        from . import attachments, signals  # noqa: F401
