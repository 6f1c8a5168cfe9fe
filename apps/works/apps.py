from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "apps.works"
    label = "works"
    verbose_name = _("Programmes and works")

    def ready(self) -> None:
        from apps.works.layers import register_works_layer

        register_works_layer()
