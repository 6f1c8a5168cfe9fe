from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "apps.patrols"
    label = "patrols"
    verbose_name = _("Patrols")

    def ready(self) -> None:
        from .layers import register_patrol_layer

        register_patrol_layer()
