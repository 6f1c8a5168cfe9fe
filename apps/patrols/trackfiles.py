"""Reading uploaded tracks: GPX 1.0/1.1 and GeoJSON (LineString / MultiLineString).

Parsing happens before anything is saved: a file either yields its positions or raises
TrackFileError with a message saying what is wrong, so a bad file leaves nothing behind.
XML is read with defusedxml (no entity expansion, no external entities).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from apps.core.geo import LAT_RANGE, LON_RANGE

MAX_TRACK_BYTES = 5 * 1024 * 1024
MAX_TRACK_POINTS = 50_000
GPX_NAMESPACES = ("http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0")


class TrackFileError(ValueError):
    """A track file that cannot be used; the message says why, for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Position:
    lon: float
    lat: float
    segment: int = 0
    recorded_at: dt.datetime | None = None


def parse_track(filename: str, content: bytes) -> tuple[str, list[Position]]:
    """("gpx" | "geojson", positions) of an uploaded file; TrackFileError when unusable.

    The format is taken from the file name's extension, or sniffed from the content.
    """
    if not content:
        raise TrackFileError(_("The file is empty."))
    if len(content) > MAX_TRACK_BYTES:
        raise TrackFileError(
            _("The file is larger than %(mb)d MB; split the track or simplify it.")
            % {"mb": MAX_TRACK_BYTES // (1024 * 1024)}
        )
    name = filename.lower()
    if name.endswith(".gpx"):
        kind = "gpx"
    elif name.endswith((".geojson", ".json")):
        kind = "geojson"
    else:
        kind = "gpx" if content.lstrip()[:1] == b"<" else "geojson"
    positions = parse_gpx(content) if kind == "gpx" else parse_geojson(content)
    if len(positions) > MAX_TRACK_POINTS:
        raise TrackFileError(
            _("The track has %(count)d points; at most %(max)d are accepted.")
            % {"count": len(positions), "max": MAX_TRACK_POINTS}
        )
    return kind, positions


def check_position(lon: Any, lat: Any, where: str) -> tuple[float, float]:
    """(lon, lat) as floats within WGS 84 range, else TrackFileError naming `where`."""
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError):
        raise TrackFileError(
            _("%(where)s: the coordinates are not numbers.") % {"where": where}
        ) from None
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        raise TrackFileError(_("%(where)s: the coordinates are not numbers.") % {"where": where})
    if not (LON_RANGE[0] <= lon_f <= LON_RANGE[1] and LAT_RANGE[0] <= lat_f <= LAT_RANGE[1]):
        raise TrackFileError(
            _(
                "%(where)s: coordinates out of range (longitude %(lon)s, latitude %(lat)s); "
                "longitude must be within ±180 and latitude within ±90."
            )
            % {"where": where, "lon": f"{lon_f:g}", "lat": f"{lat_f:g}"}
        )
    return lon_f, lat_f


def parse_gpx(content: bytes) -> list[Position]:
    try:
        root = SafeElementTree.fromstring(content)
    except DefusedXmlException:
        raise TrackFileError(
            _("The GPX file declares XML entities, which are not accepted.")
        ) from None
    except SafeElementTree.ParseError as error:
        raise TrackFileError(
            _("The file is not readable XML (%(error)s). Export the track again as GPX.")
            % {"error": error}
        ) from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if root.tag.rsplit("}", 1)[-1] != "gpx":
        raise TrackFileError(_("The file is XML but not GPX (its root is not <gpx>)."))
    ns = f"{{{namespace}}}" if namespace else ""
    positions: list[Position] = []
    segment = 0
    for track in root.iter(f"{ns}trk"):
        for trkseg in track.iter(f"{ns}trkseg"):
            points = trkseg.findall(f"{ns}trkpt")
            for point in points:
                where = _("track point %(n)d") % {"n": len(positions) + 1}
                if point.get("lon") is None or point.get("lat") is None:
                    raise TrackFileError(
                        _("%(where)s has no lat/lon attributes.") % {"where": where}
                    )
                lon, lat = check_position(point.get("lon"), point.get("lat"), where)
                positions.append(Position(lon, lat, segment, _gpx_time(point, ns, where)))
            if points:
                segment += 1
    if not positions:
        raise TrackFileError(
            _("The GPX file has no track points (<trkpt>): export a track, not waypoints.")
        )
    return positions


def _gpx_time(point: Any, ns: str, where: str) -> dt.datetime | None:
    element = point.find(f"{ns}time")
    if element is None or not (element.text or "").strip():
        return None
    text = element.text.strip()
    try:
        value = parse_datetime(text.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise TrackFileError(
            _("%(where)s: the time “%(time)s” is not an ISO 8601 time with a zone.")
            % {"where": where, "time": text[:40]}
        )
    return value


def parse_geojson(content: bytes) -> list[Position]:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise TrackFileError(
            _("The file is neither GPX nor readable GeoJSON (it is not valid JSON).")
        ) from None
    lines = _geojson_lines(data)
    positions: list[Position] = []
    for segment, line in enumerate(lines):
        if not isinstance(line, list):
            raise TrackFileError(_("A line's coordinates must be a list of positions."))
        for coords in line:
            where = _("position %(n)d") % {"n": len(positions) + 1}
            if not isinstance(coords, list) or len(coords) < 2:
                raise TrackFileError(
                    _("%(where)s must be [longitude, latitude].") % {"where": where}
                )
            lon, lat = check_position(coords[0], coords[1], where)
            positions.append(Position(lon, lat, segment))
    if not positions:
        raise TrackFileError(_("The GeoJSON track has no positions."))
    return positions


def _geojson_lines(data: Any) -> list[Any]:
    """The coordinate lists of every line in a GeoJSON object (LineString-based only)."""
    if not isinstance(data, dict) or "type" not in data:
        raise TrackFileError(_("The file is JSON but not GeoJSON (no “type”)."))
    kind = data["type"]
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise TrackFileError(_("The FeatureCollection has no “features” list."))
        return [line for feature in features for line in _geojson_lines(feature)]
    if kind == "Feature":
        geometry = data.get("geometry")
        if geometry is None:
            raise TrackFileError(_("A feature has no geometry."))
        return _geojson_lines(geometry)
    coordinates = data.get("coordinates")
    if kind == "LineString":
        return [coordinates]
    if kind == "MultiLineString":
        if not isinstance(coordinates, list):
            raise TrackFileError(_("A line's coordinates must be a list of positions."))
        return list(coordinates)
    raise TrackFileError(
        _("A track must be a LineString or MultiLineString, not a %(type)s.")
        % {"type": str(kind)[:40]}
    )
