"""WGS 84 ↔ GCJ-02 ("Mars coordinates", 火星坐标), the datum of AMap/Gaode and other maps
published in mainland China.

GCJ-02 is WGS 84 plus a smooth, deterministic offset of a few hundred metres, defined inside
a rough bounding box of China and absent outside it. gridmap stores WGS 84 only: GCJ-02 is
a display concern (an AMap basemap, see apps/maps/static/maps/gcj02.js, a port of this
module) and an import concern (`import_layer --from-gcj02`).

The forward formula is the widely published one (Krasovsky 1940 ellipsoid, polynomial and
sine terms in the offset from 105°E, 35°N). It has no closed-form inverse, so
`gcj02_to_wgs84` solves `wgs84_to_gcj02(w) = g` by fixed-point iteration: the offset changes
by well under 1 % per degree, so each step gains several digits and a handful of steps
reach 1e-10° (~0.01 mm).

Both functions take scalars or NumPy arrays (vectorised: shapely.transform hands whole
coordinate arrays to them during imports) and return the same shape.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

# Krasovsky 1940: semi-major axis (m) and first eccentricity squared, as the formula uses them.
SEMI_MAJOR_AXIS = 6378245.0
ECCENTRICITY_SQUARED = 0.00669342162296594323

# Outside this box (lon 72.004–137.8347, lat 0.8293–55.8271) GCJ-02 is WGS 84 itself.
CHINA_LON = (72.004, 137.8347)
CHINA_LAT = (0.8293, 55.8271)

# Convergence of the inverse: 1e-10° is ~0.01 mm, far below any survey's precision.
INVERSE_TOLERANCE_DEG = 1e-10
INVERSE_MAX_STEPS = 30

FloatArray = NDArray[np.float64]


def out_of_china(lon: Any, lat: Any) -> Any:
    """True where the point lies outside the box in which GCJ-02 differs from WGS 84."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon < CHINA_LON[0]) | (lon > CHINA_LON[1]) | (lat < CHINA_LAT[0]) | (lat > CHINA_LAT[1])


def _raw_offsets(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The formula's offsets (latitude, longitude) in its own units, for x = lon − 105 and
    y = lat − 35. Shared sine terms first, then each axis's polynomial and long waves."""
    pi = np.pi
    ripple = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    d_lat += ripple
    d_lat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    d_lon += ripple
    d_lon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    return d_lat, d_lon


def _offset_degrees(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 minus WGS 84 at a WGS 84 point, in degrees (dlon, dlat); 0 outside China."""
    d_lat, d_lon = _raw_offsets(lon - 105.0, lat - 35.0)
    # The raw offsets are metres-ish on the Krasovsky ellipsoid: scale them to degrees with
    # the meridian and parallel radii of curvature at this latitude.
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - ECCENTRICITY_SQUARED * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    meridian = SEMI_MAJOR_AXIS * (1.0 - ECCENTRICITY_SQUARED) / (magic * sqrt_magic)
    parallel = SEMI_MAJOR_AXIS / sqrt_magic * np.cos(rad_lat)
    d_lat = d_lat * 180.0 / (meridian * np.pi)
    d_lon = d_lon * 180.0 / (parallel * np.pi)
    outside = out_of_china(lon, lat)
    return np.where(outside, 0.0, d_lon), np.where(outside, 0.0, d_lat)


@overload
def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def wgs84_to_gcj02(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]: ...
def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """WGS 84 lon/lat → GCJ-02 lon/lat (identity outside China)."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    d_lon, d_lat = _offset_degrees(lon_a, lat_a)
    return _like(lon, lon_a + d_lon), _like(lat, lat_a + d_lat)


@overload
def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def gcj02_to_wgs84(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]: ...
def gcj02_to_wgs84(lon: Any, lat: Any) -> tuple[Any, Any]:
    """GCJ-02 lon/lat → WGS 84 lon/lat, the exact inverse of `wgs84_to_gcj02` (iterated
    to 1e-10°); identity outside China."""
    g_lon = np.asarray(lon, dtype=float)
    g_lat = np.asarray(lat, dtype=float)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _step in range(INVERSE_MAX_STEPS):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = f_lon - g_lon, f_lat - g_lat
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
        if max(np.max(np.abs(e_lon), initial=0.0), np.max(np.abs(e_lat), initial=0.0)) < (
            INVERSE_TOLERANCE_DEG
        ):
            break
    return _like(lon, w_lon), _like(lat, w_lat)


def _like(template: Any, value: FloatArray) -> Any:
    """A Python float for scalar input, an array for array input."""
    return float(value) if np.ndim(template) == 0 else value
