"""Downloads of a layer's features in view: /export/<layer>?bbox=...&format=gpkg|shp|...

The same row rules as the map (the layer's rows for this user), written by the same code
as `manage.py export_layer`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from apps.maps.api.params import BadParameterError, parse_bbox
from apps.ogcapi.selectors import visible_layer, visible_layers

from .formats import EXTENSIONS, FORMAT_NAMES, MEDIA_TYPES, FileRefusedError
from .services import layer_export

# More than this in one download is a job for `manage.py export_layer`.
MAX_EXPORT_FEATURES = 50_000
FORMAT_LABELS = {
    "gpkg": gettext_lazy("GeoPackage (.gpkg)"),
    "shp": gettext_lazy("Shapefile (.zip)"),
    "geojson": gettext_lazy("GeoJSON"),
    "csv": gettext_lazy("CSV (Excel)"),
    "kml": gettext_lazy("KML (Google Earth)"),
}


def export_config() -> dict[str, Any] | None:
    """What the map page's export control needs: the URL template and the formats."""
    try:
        url = reverse("dataio:export", args=["__layer__"])
    except NoReverseMatch:
        return None
    return {"url": url, "formats": [(code, str(FORMAT_LABELS[code])) for code in FORMAT_NAMES]}


def _bad(parameter: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"parameter": parameter, "detail": message},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def download(path: Path, kind: str, stem: str) -> HttpResponse:
    response = HttpResponse(path.read_bytes(), content_type=MEDIA_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{stem}{EXTENSIONS[kind]}"'
    return response


@require_safe
def export_view(request: HttpRequest, layer: str) -> HttpResponse:
    found = visible_layer(layer, request.user)
    if found is None:
        names = ", ".join(item.name for item in visible_layers(request.user))
        return _bad(
            "layer",
            _("There is no map layer named “%(name)s”. Layers: %(names)s.")
            % {"name": layer, "names": names},
            status=404,
        )
    kind = request.GET.get("format", "gpkg").strip().lower()
    if kind not in FORMAT_NAMES:
        return _bad(
            "format",
            _("format must be one of %(formats)s; got “%(value)s”.")
            % {"formats": ", ".join(FORMAT_NAMES), "value": kind},
        )
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
    except BadParameterError as error:
        return _bad(error.parameter, error.message)
    count = found.rows(request.user, bbox=bbox).count()
    if count > MAX_EXPORT_FEATURES:
        return _bad(
            "bbox",
            _("%(count)d features are in view; at most %(max)d can be downloaded at once. "
              "Zoom in, or ask an administrator for a full export.")
            % {"count": count, "max": MAX_EXPORT_FEATURES},
        )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{found.name}{EXTENSIONS[kind]}"
        try:
            layer_export(layer_name=found.name, path=path, kind=kind, user=request.user, bbox=bbox)
        except FileRefusedError as error:  # the format cannot hold these features
            return _bad("format", str(error))
        return download(path, kind, found.name)
