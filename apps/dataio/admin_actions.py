""" "Export selected as …" actions in the admin, for every model that has a map layer.

Added from DataIoConfig.ready() (apps.dataio is last in INSTALLED_APPS, so every app has
registered its layers and its admin by then): no app's admin.py needs to know about them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.functional import lazy
from django.utils.translation import gettext

from apps.core.layers import Layer, registry

from .formats import EXTENSIONS, FileRefusedError
from .services import layer_export
from .views import FORMAT_LABELS, download

ADMIN_EXPORT_FORMATS = ("gpkg", "shp", "geojson", "csv", "kml")


def export_action(layer: Layer, kind: str) -> Callable[..., HttpResponse | None]:
    def action(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
    ) -> HttpResponse | None:
        # The admin's own queryset (already scoped to the user's communities), within the
        # layer's row rules, with the layer's public fields.
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{layer.name}{EXTENSIONS[kind]}"
            try:
                layer_export(
                    layer_name=layer.name, path=path, kind=kind, user=request.user, rows=queryset
                )
            except FileRefusedError as error:
                modeladmin.message_user(request, str(error), level=messages.ERROR)
                return None
            return download(path, kind, layer.name)

    action.__name__ = f"export_{kind}"
    action.allowed_permissions = ("view",)  # type: ignore[attr-defined]
    action.short_description = describe(kind)  # type: ignore[attr-defined]
    return action


def _describe(kind: str) -> str:
    # Translated when the admin shows it, in the reader's language.
    return gettext("Export selected as %(format)s") % {"format": FORMAT_LABELS[kind]}


describe = lazy(_describe, str)


def add_export_actions(site: admin.AdminSite | None = None) -> None:
    """Give the ModelAdmin of each layer's model the export actions (once)."""
    site = site or admin.site
    for layer in registry:
        model_admin: Any = site._registry.get(layer.model)
        if model_admin is None or getattr(model_admin, "_gridmap_export", False):
            continue
        actions = [export_action(layer, kind) for kind in ADMIN_EXPORT_FORMATS]
        model_admin.actions = [*(model_admin.actions or []), *actions]
        model_admin._gridmap_export = True
