"""GIS files in and out: GeoPackage, zipped Shapefile, GeoJSON, KML and CSV (pyogrio).

Reading returns a plain `SourceTable` (column values plus one shapely geometry per row,
None where a row's geometry could not be read) rather than a GeoDataFrame, so that one
broken feature — an unclosed ring, a non-numeric longitude — is refused on its own row
instead of failing the whole file. Every source CRS is reprojected to EPSG:4326 here.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import shapely
from django.utils.translation import gettext as _
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS, Transformer

FORMATS = {
    ".gpkg": "gpkg",
    ".zip": "shp",
    ".shp": "shp",
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".csv": "csv",
}
FORMAT_NAMES = ("gpkg", "shp", "geojson", "kml", "csv")
MEDIA_TYPES = {
    "gpkg": "application/geopackage+sqlite3",
    "shp": "application/zip",
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv; charset=utf-8",
}
EXTENSIONS = {"gpkg": ".gpkg", "shp": ".zip", "geojson": ".geojson", "kml": ".kml", "csv": ".csv"}
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom")
# Columns the KML driver adds to every placemark; they carry nothing of ours.
KML_NOISE = {
    "id",
    "description",
    "timestamp",
    "begin",
    "end",
    "altitudemode",
    "tessellate",
    "extrude",
    "visibility",
    "draworder",
    "icon",
    "snippet",
}


WGS84 = CRS.from_epsg(4326)


class FileRefusedError(ValueError):
    """The file as a whole cannot be used (unreadable, wrong format, no layer)."""


@dataclass
class SourceTable:
    """What a file holds: columns of values, geometries (None = unreadable) and where each
    row came from (for reports), plus notes for the person importing."""

    columns: dict[str, list[Any]]
    geometries: list[Any]
    labels: list[str]
    problems: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.geometries)


def format_of(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMAT_NAMES:
            raise FileRefusedError(
                _("Unknown format “%(format)s”: use one of %(formats)s.")
                % {"format": explicit, "formats": ", ".join(FORMAT_NAMES)}
            )
        return explicit
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise FileRefusedError(
            _(
                "Cannot tell the format of “%(name)s” from its extension: use .gpkg, .zip "
                "(Shapefile), .geojson, .kml or .csv."
            )
            % {"name": path.name}
        )
    return kind


def read_table(
    path: Path,
    *,
    kind: str,
    lon: str | None = None,
    lat: str | None = None,
    layer: str | None = None,
) -> SourceTable:
    """Read a file into a SourceTable in EPSG:4326 (2D)."""
    if not path.exists():
        raise FileRefusedError(_("There is no file “%(path)s”.") % {"path": path})
    if kind == "csv":
        return _read_csv(path, lon=lon, lat=lat)
    if kind == "shp":
        return _read_shapefiles(path)
    return _read_ogr(str(path), label=path.name, layer=layer, kml=kind == "kml")


def _read_ogr(
    source: str, *, label: str, layer: str | None = None, kml: bool = False
) -> SourceTable:
    try:
        layers = pyogrio.list_layers(source)
        if layer is None and len(layers) > 1:
            # KML folders and multi-layer GeoPackages: take the first layer that has rows.
            layer = next((str(name) for name, _type in layers if _count(source, name)), None)
        with warnings.catch_warnings():
            # GDAL warns of unclosed rings; such rows are refused on their own below.
            warnings.filterwarnings("ignore", "Non closed ring", RuntimeWarning)
            meta, _fids, wkb, values = pyogrio.raw.read(source, layer=layer)
    except (DataSourceError, DataLayerError, OSError, RuntimeError) as error:
        raise FileRefusedError(
            _(
                "“%(name)s” could not be read as a GIS file (%(reason)s). Is it complete, and "
                "in one of the formats offered?"
            )
            % {"name": label, "reason": _short(error)}
        ) from None
    columns = {}
    for name, column in zip(meta["fields"], values, strict=True):
        if kml and str(name).lower() in KML_NOISE:
            continue
        columns[str(name)] = [_plain(value) for value in column]
    size = len(wkb) if wkb is not None else 0
    geometries, problems = _parse_wkb(wkb if wkb is not None else [None] * size)
    table = SourceTable(columns, geometries, [str(i + 1) for i in range(size)], problems)
    _to_wgs84(table, meta.get("crs"), label)
    return table


def _count(source: str, name: str) -> int:
    return int(pyogrio.read_info(source, layer=name).get("features") or 0)


def _read_shapefiles(path: Path) -> SourceTable:
    """A zip with one or more .shp (with .dbf and .shx beside each), or a bare .shp."""
    if path.suffix.lower() == ".shp":
        return _read_ogr(str(path), label=path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise FileRefusedError(
            _("“%(name)s” is not a readable zip file.") % {"name": path.name}
        ) from None
    shapefiles = sorted(name for name in names if name.lower().endswith(".shp"))
    if not shapefiles:
        found = ", ".join(names[:8]) or _("nothing")
        raise FileRefusedError(
            _("The zip “%(name)s” holds no Shapefile (.shp); it holds: %(found)s.")
            % {"name": path.name, "found": found}
        )
    lowered = {name.lower() for name in names}
    for shp in shapefiles:
        stem = shp[:-4].lower()
        missing = [ext for ext in (".dbf", ".shx") if stem + ext not in lowered]
        if missing:
            raise FileRefusedError(
                _("The Shapefile “%(shp)s” in the zip lacks its %(missing)s file.")
                % {"shp": shp, "missing": " and ".join(missing)}
            )
    tables = [_read_ogr(f"/vsizip/{path}/{shp}", label=shp) for shp in shapefiles]
    if len(tables) == 1:
        return tables[0]
    # Several files (a mixed layer exported as points, lines and polygons): one table.
    merged = SourceTable({}, [], [])
    for shp, table in zip(shapefiles, tables, strict=True):
        offset = len(merged)
        for name in {*merged.columns, *table.columns}:
            merged.columns.setdefault(name, [None] * offset).extend(
                table.columns.get(name, [None] * len(table))
            )
        merged.geometries.extend(table.geometries)
        merged.labels.extend(f"{shp} {label}" for label in table.labels)
        merged.problems.update({offset + i: reason for i, reason in table.problems.items()})
        merged.notes.extend(table.notes)
    return merged


def _read_csv(path: Path, *, lon: str | None, lat: str | None) -> SourceTable:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves GB18030 by default
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefusedError(
            _("“%(name)s” is neither UTF-8 nor GB18030 text.") % {"name": path.name}
        )
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise FileRefusedError(
            _("“%(name)s” could not be read as CSV (%(reason)s).")
            % {"name": path.name, "reason": _short(error)}
        ) from None
    columns = {
        str(name): [value if value != "" else None for value in frame[name]] for name in frame
    }
    lowered = {name.lower(): name for name in columns}
    size = len(frame)
    labels = [str(i + 1) for i in range(size)]
    wkt_column = next((lowered[n] for n in WKT_NAMES if n in lowered), None)
    lon_column = lon or next((lowered[n] for n in LON_NAMES if n in lowered), None)
    lat_column = lat or next((lowered[n] for n in LAT_NAMES if n in lowered), None)
    if lon or lat or wkt_column is None:
        for given, wanted in ((lon_column, "--lon"), (lat_column, "--lat")):
            if given is None or given not in columns:
                raise FileRefusedError(
                    _(
                        "The CSV has no %(option)s column%(given)s; its columns are: %(columns)s. "
                        "Name the longitude and latitude columns with --lon and --lat."
                    )
                    % {
                        "option": wanted,
                        "given": f" “{given}”" if given else "",
                        "columns": ", ".join(columns),
                    }
                )
        table = SourceTable(columns, [None] * size, labels)
        _points_from_columns(table, lon_column, lat_column)  # type: ignore[arg-type]
        for name in (lon_column, lat_column):
            table.columns.pop(name, None)  # type: ignore[arg-type]
        return table
    texts = columns.pop(wkt_column)
    geometries = shapely.from_wkt(np.array(texts, dtype=object), on_invalid="ignore")
    problems = {
        i: _("the geometry text could not be read as WKT")
        for i, (text, geometry) in enumerate(zip(texts, geometries, strict=True))
        if text is not None and geometry is None
    }
    return SourceTable(columns, list(geometries), labels, problems)


def _points_from_columns(table: SourceTable, lon_column: str, lat_column: str) -> None:
    lons = pd.to_numeric(pd.Series(table.columns[lon_column], dtype=object), errors="coerce")
    lats = pd.to_numeric(pd.Series(table.columns[lat_column], dtype=object), errors="coerce")
    for i, (raw_lon, raw_lat, x, y) in enumerate(
        zip(table.columns[lon_column], table.columns[lat_column], lons, lats, strict=True)
    ):
        if math.isnan(x) or math.isnan(y):
            column, value = (lon_column, raw_lon) if math.isnan(x) else (lat_column, raw_lat)
            table.problems[i] = _("%(column)s “%(value)s” is not a number") % {
                "column": column,
                "value": "" if value is None else value,
            }
    valid = ~(lons.isna() | lats.isna())
    points = shapely.points(lons.fillna(0).to_numpy(), lats.fillna(0).to_numpy())
    table.geometries = [point if ok else None for point, ok in zip(points, valid, strict=True)]


def _parse_wkb(wkb: Iterable[Any]) -> tuple[list[Any], dict[int, str]]:
    blobs = np.array(list(wkb), dtype=object)
    geometries = shapely.from_wkb(blobs, on_invalid="ignore") if len(blobs) else np.array([])
    problems = {
        i: _("the geometry could not be read (an unclosed polygon ring or too few points?)")
        for i, (blob, geometry) in enumerate(zip(blobs, geometries, strict=True))
        if blob is not None and geometry is None
    }
    return list(geometries), problems


def _to_wgs84(table: SourceTable, crs: str | None, label: str) -> None:
    geometries = np.array(table.geometries, dtype=object)
    present = np.array([g is not None for g in table.geometries], dtype=bool)
    if present.any():
        geometries[present] = shapely.force_2d(geometries[present])
    if crs is None:
        table.notes.append(
            _("%(name)s states no coordinate system: read as WGS 84 longitude/latitude.")
            % {"name": label}
        )
    elif present.any() and not CRS.from_user_input(crs).equals(WGS84, ignore_axis_order=True):
        transformer = Transformer.from_crs(crs, 4326, always_xy=True)
        geometries[present] = shapely.transform(
            geometries[present],
            lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])),
        )
        table.notes.append(
            _("%(name)s was reprojected from %(crs)s to WGS 84.") % {"name": label, "crs": crs}
        )
    table.geometries = list(geometries)


def _plain(value: Any) -> Any:
    """NumPy scalars as Python values; NaN and NaT as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    return value


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]
