"""WGS 84 ↔ GCJ-02 against published reference pairs, and its round trip and bounds.

Reference pairs (WGS 84 → GCJ-02), each quoted from a widely used open-source
implementation's own tests or documentation:

- googollee/eviltransform, go/transform_test.go: Shanghai, Shenzhen and Beijing, given to
  14–15 significant digits (that suite compares them at 5 decimals; its exact inverse must
  come back within 0.5 m).
- wandergis/coordtransform, test/app.js: wgs84togcj02(116.404, 39.915) printed in full.
- hujiulong/gcoord, test/unit/crs/WGS84.spec.ts and GCJ02.spec.js: [123, 45] both ways,
  checked there with toBeCloseTo(…, 5), i.e. within 5e-6°; and [183, 45], outside China,
  unchanged.
"""

import math

import numpy as np
import pytest
from pyproj import Geod

from apps.core.gcj02 import gcj02_to_wgs84, out_of_china, wgs84_to_gcj02

WGS84 = Geod(ellps="WGS84")

# (name, WGS 84 lon, lat, GCJ-02 lon, lat)
EVILTRANSFORM = [
    ("shanghai", 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    ("shenzhen", 113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    ("beijing", 116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
]
COORDTRANSFORM = ("tiananmen", 116.404, 39.915, 116.41024449916938, 39.91640428150164)


def metres(lon1, lat1, lon2, lat2):
    return WGS84.inv(lon1, lat1, lon2, lat2)[2]


@pytest.mark.parametrize(("name", "lon", "lat", "g_lon", "g_lat"), [*EVILTRANSFORM, COORDTRANSFORM])
def test_wgs84_to_gcj02_matches_the_published_pairs(name, lon, lat, g_lon, g_lat):
    got = wgs84_to_gcj02(lon, lat)
    # The same formula in IEEE doubles: equal to the last few digits (1e-9° is ~0.1 mm).
    assert got == pytest.approx((g_lon, g_lat), abs=1e-9)


@pytest.mark.parametrize(("name", "lon", "lat", "g_lon", "g_lat"), EVILTRANSFORM)
def test_gcj02_to_wgs84_finds_the_published_wgs84_point_within_a_centimetre(
    name, lon, lat, g_lon, g_lat
):
    back = gcj02_to_wgs84(g_lon, g_lat)
    assert metres(*back, lon, lat) < 0.01  # eviltransform's own bar for its exact inverse is 0.5 m


def test_gcoord_reference_pair_at_123_45_both_ways():
    assert wgs84_to_gcj02(123.0, 45.0) == pytest.approx((123.00607541, 45.00197815), abs=5e-6)
    assert gcj02_to_wgs84(123.0, 45.0) == pytest.approx((122.99395597, 44.99804071), abs=5e-6)


def test_points_outside_china_are_left_as_they_are():
    for lon, lat in [(183.0, 45.0), (2.3522, 48.8566), (-74.006, 40.7128), (139.6917, 35.6895)]:
        assert out_of_china(lon, lat)
        assert wgs84_to_gcj02(lon, lat) == (lon, lat)
        assert gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_the_offset_in_china_is_hundreds_of_metres():
    # Over a grid of mainland points, the shift is of the order the datum is known for:
    # from under 100 m in the far west to about 650 m in the east.
    lons, lats = np.meshgrid(np.arange(75.0, 135.0, 2.5), np.arange(20.0, 50.0, 2.5))
    g_lon, g_lat = wgs84_to_gcj02(lons.ravel(), lats.ravel())
    shift = WGS84.inv(lons.ravel(), lats.ravel(), g_lon, g_lat)[2]
    assert shift.min() > 50 and shift.max() < 1000
    # In Changsha, the case's city, AMap is drawn about 2/3 km off GPS (665 m here).
    changsha = metres(112.98, 28.19, *wgs84_to_gcj02(112.98, 28.19))
    assert 600 < changsha < 700


def test_round_trip_inside_china_is_well_under_a_metre():
    rng = np.random.default_rng(7)
    lons = rng.uniform(73.0, 135.0, 2000)
    lats = rng.uniform(18.0, 53.0, 2000)
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lons, lats))
    error = WGS84.inv(lons, lats, back_lon, back_lat)[2]
    assert error.max() < 0.001  # 1 mm; the brief asks for < 1 m


def test_scalars_give_floats_and_arrays_give_arrays():
    lon, lat = wgs84_to_gcj02(112.98, 28.19)
    assert isinstance(lon, float) and isinstance(lat, float)
    lons, lats = wgs84_to_gcj02(np.array([112.98, 2.35]), np.array([28.19, 48.85]))
    assert lons.shape == (2,) and lons[1] == 2.35 and lats[1] == 48.85
    assert not math.isnan(lons[0])
