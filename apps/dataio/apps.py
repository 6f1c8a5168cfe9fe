from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataIoConfig(AppConfig):
    name = "apps.dataio"
    label = "dataio"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from django.core.signals import request_started

        from apps.dataio.admin_actions import add_export_actions

        add_export_actions()
        # Layers registered by apps listed after this one get their actions at the first
        # request (adding is idempotent per admin).
        request_started.connect(_add_late_export_actions, dispatch_uid="dataio-export-actions")


def _add_late_export_actions(**kwargs: object) -> None:
    from django.core.signals import request_started

    from apps.dataio.admin_actions import add_export_actions

    add_export_actions()
    request_started.disconnect(dispatch_uid="dataio-export-actions")
