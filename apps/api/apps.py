from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (DRF) over every domain app's selectors and services."""

    name = "apps.api"
    label = "api"
    verbose_name = _("REST API")
