"""Writing a layer's features to GeoPackage, zipped Shapefile, GeoJSON, KML or CSV.

The features arrive as an RFC 7946 FeatureCollection built by PostGIS
(apps.core.geojson.feature_collection); GeoJSON is written as it came, the other formats go
through a GeoDataFrame and pyogrio.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

# GDAL says "Created N records" for every file it writes: not news for the person exporting.
logging.getLogger("pyogrio").setLevel(logging.WARNING)

# Shapefile (dBASE) field names hold at most 10 characters.
SHAPEFILE_NAME_LENGTH = 10
GEOMETRY_FAMILIES = {
    "Point": "points",
    "MultiPoint": "multipoints",  # a point Shapefile cannot hold multipoints
    "LineString": "lines",
    "MultiLineString": "lines",
    "Polygon": "polygons",
    "MultiPolygon": "polygons",
}


def shapefile_names(names: list[str]) -> dict[str, str]:
    """Field name → its ≤10-character Shapefile name, unique and deterministic, so that
    an import can map the short names back with the same function."""
    short: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        candidate = name[:SHAPEFILE_NAME_LENGTH]
        number = 1
        while candidate.lower() in used:
            suffix = f"_{number}"
            candidate = name[: SHAPEFILE_NAME_LENGTH - len(suffix)] + suffix
            number += 1
        used.add(candidate.lower())
        short[name] = candidate
    return short


def frame_from_collection(collection: dict[str, Any], columns: list[str]) -> gpd.GeoDataFrame:
    features = collection["features"]
    texts = [json.dumps(feature["geometry"]) for feature in features]
    geometries = list(shapely.from_geojson(texts)) if texts else []
    records = [{"id": feature["id"], **feature["properties"]} for feature in features]
    table = pd.DataFrame.from_records(records, columns=["id", *columns]).astype(object)
    for name in table.columns:
        table[name] = _typed(table[name])
    return gpd.GeoDataFrame(table, geometry=geometries, crs="EPSG:4326")


def _typed(column: pd.Series) -> pd.Series:
    """Nullable integer, float or boolean columns where the JSON values are all of that kind,
    so that a missing capacity stays missing and 12 does not become 12.0."""
    values = [value for value in column if value is not None]
    if not values:
        return column
    if all(isinstance(value, bool) for value in values):
        return column.astype("boolean")
    if all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return column.astype("Int64")
    if all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return column.astype("Float64")
    return column


def write_features(
    text: str, path: Path, *, kind: str, layer_name: str, columns: list[str]
) -> None:
    """Write the FeatureCollection `text` to `path` in the format `kind`."""
    if kind == "geojson":
        path.write_text(text, encoding="utf-8")
        return
    frame = frame_from_collection(json.loads(text), columns)
    if kind == "gpkg":
        frame.to_file(path, driver="GPKG", layer=layer_name, engine="pyogrio")
    elif kind == "kml":
        frame.to_file(path, driver="LIBKML", layer=layer_name, engine="pyogrio")
    elif kind == "csv":
        _write_csv(frame, path)
    elif kind == "shp":
        _write_shapefiles(frame, path, layer_name)
    else:  # pragma: no cover - callers check the format first
        raise ValueError(kind)


def _write_csv(frame: gpd.GeoDataFrame, path: Path) -> None:
    table = pd.DataFrame(frame.drop(columns="geometry"))
    geometries = frame.geometry.to_numpy()
    if len(frame) and all(geometry.geom_type == "Point" for geometry in geometries):
        table["lon"] = shapely.get_x(geometries)
        table["lat"] = shapely.get_y(geometries)
    table["wkt"] = shapely.to_wkt(geometries, rounding_precision=-1) if len(frame) else []
    # A byte-order mark, so that Excel opens the UTF-8 Chinese text correctly.
    table.to_csv(path, index=False, encoding="utf-8-sig")


def _write_shapefiles(frame: gpd.GeoDataFrame, path: Path, layer_name: str) -> None:
    """One .shp per geometry family (a Shapefile holds one type), zipped together."""
    names = shapefile_names([str(column) for column in frame.columns if column != "geometry"])
    renamed = frame.rename(columns=names)
    families = renamed.geometry.geom_type.map(GEOMETRY_FAMILIES).fillna("other")
    parts = sorted(set(families)) or ["polygons"]
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(path, "w") as archive:
        for family in parts:
            part = renamed[families == family] if len(renamed) else renamed
            stem = layer_name if len(parts) == 1 else f"{layer_name}_{family}"
            target = Path(folder) / f"{stem}.shp"
            part.to_file(target, driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8")
            for written in sorted(Path(folder).glob(f"{stem}.*")):
                archive.write(written, written.name)
