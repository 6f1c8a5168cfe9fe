"""Helpers of the import/export tests."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import geopandas as gpd
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from shapely.geometry import Polygon


def square(x: float, y: float, size: float = 0.001) -> Polygon:
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)])


def frame(
    rows: list[dict[str, Any]], geometries: list[Any], crs: str = "EPSG:4326"
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geometries, crs=crs)


def run_import(layer: str, path: Path, *args: str) -> tuple[str, str]:
    """import_layer's (stdout, stderr), in English; raises CommandError as the command line
    shows it."""
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import_layer", layer, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_import(layer: str, path: Path, *args: str) -> tuple[str, str]:
    """Run an import that must fail: (error message, stderr with the refused rows)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("import_layer", layer, str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return str(error), err.getvalue()
    raise AssertionError(f"the import was not refused: {out.getvalue()}")


def run_export(layer: str, path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("export_layer", layer, str(path), *args, stdout=out)
    return out.getvalue()
