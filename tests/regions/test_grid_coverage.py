"""Grids must tile their community: community_grid_coverage and `manage.py check_grids`."""

import json
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.management import CommandError, call_command
from pyproj import Geod

from apps.regions.models import Community
from apps.regions.services import community_grid_coverage
from tests.factories import make_community, make_grid

pytestmark = pytest.mark.django_db

DEMO_COMMUNITIES = [
    feature["properties"]["code"]
    for feature in json.loads(
        (settings.BASE_DIR / "fixtures/demo/communities.geojson").read_text(encoding="utf-8")
    )["features"]
]

# A test area east of Changsha, clear of the demo communities.
X, Y = 113.10, 28.19


def rect(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)), srid=4326)


def geodesic_area_m2(x0: float, y0: float, x1: float, y1: float) -> float:
    """The expected area worked out apart from PostGIS: pyproj.Geod on the WGS 84 ellipsoid."""
    area, _perimeter = Geod(ellps="WGS84").polygon_area_perimeter(
        [x0, x1, x1, x0], [y0, y0, y1, y1]
    )
    return abs(area)


def square_community() -> Community:
    """A 0.002° × 0.002° community with its south-west corner at (X, Y)."""
    return make_community(boundary=MultiPolygon(rect(X, Y, X + 0.002, Y + 0.002), srid=4326))


@pytest.mark.parametrize("code", DEMO_COMMUNITIES)
def test_demo_community_is_tiled_by_its_grids(code):
    coverage = community_grid_coverage(community=Community.objects.get(code=code))
    assert coverage.ok
    assert (coverage.gaps, coverage.overlaps, coverage.outside) == ([], [], [])


def test_grids_that_tile_the_community_exactly_are_ok():
    community = square_community()
    make_grid(community, code="T-01", boundary=rect(X, Y, X + 0.001, Y + 0.002))
    make_grid(community, code="T-02", boundary=rect(X + 0.001, Y, X + 0.002, Y + 0.002))
    coverage = community_grid_coverage(community=community)
    assert coverage.ok
    assert coverage.gap_area_m2 == coverage.overlap_area_m2 == 0


def test_a_gap_between_grids_is_reported_with_its_area():
    community = square_community()
    make_grid(community, code="T-01", boundary=rect(X, Y, X + 0.001, Y + 0.002))
    make_grid(community, code="T-02", boundary=rect(X + 0.001, Y, X + 0.002, Y + 0.001))
    coverage = community_grid_coverage(community=community)
    # The north-east 0.001° × 0.001° square is left uncovered: about 10 881 m² at 28.19° N.
    expected = geodesic_area_m2(X + 0.001, Y + 0.001, X + 0.002, Y + 0.002)
    assert not coverage.ok
    assert len(coverage.gaps) == 1
    assert coverage.gaps[0].area_m2 == pytest.approx(expected, rel=0.005)
    assert coverage.gap_area_m2 == pytest.approx(expected, rel=0.005)
    missing = rect(X + 0.001, Y + 0.001, X + 0.002, Y + 0.002)
    assert coverage.gaps[0].geom.sym_difference(missing).area < 1e-12  # in degrees²
    assert coverage.overlaps == []


def test_a_community_without_grids_is_one_big_gap():
    community = square_community()
    coverage = community_grid_coverage(community=community)
    # The whole 0.002° square: about 43 526 m² (pyproj.Geod).
    expected = geodesic_area_m2(X, Y, X + 0.002, Y + 0.002)
    assert coverage.gap_area_m2 == pytest.approx(expected, rel=0.005)
    assert not coverage.ok


def test_overlapping_grids_are_reported_with_both_codes_and_the_overlap_area():
    community = square_community()
    make_grid(community, code="T-01", boundary=rect(X, Y, X + 0.0012, Y + 0.002))
    make_grid(community, code="T-02", boundary=rect(X + 0.001, Y, X + 0.002, Y + 0.002))
    coverage = community_grid_coverage(community=community)
    # The shared strip is 0.0002° × 0.002°: about 4 353 m² at 28.19° N.
    expected = geodesic_area_m2(X + 0.001, Y, X + 0.0012, Y + 0.002)
    assert not coverage.ok
    assert coverage.gaps == []
    [overlap] = coverage.overlaps
    assert (overlap.grid_code_a, overlap.grid_code_b) == ("T-01", "T-02")
    assert overlap.area_m2 == pytest.approx(expected, rel=0.005)
    assert coverage.overlap_area_m2 == pytest.approx(expected, rel=0.005)


def test_a_grid_reaching_outside_its_community_is_reported():
    community = square_community()
    make_grid(community, code="T-01", boundary=rect(X, Y, X + 0.001, Y + 0.002))
    make_grid(community, code="T-02", boundary=rect(X + 0.001, Y, X + 0.0025, Y + 0.002))
    coverage = community_grid_coverage(community=community)
    # 0.0005° × 0.002° sticks out east of the community: about 10 881 m² (pyproj.Geod).
    expected = geodesic_area_m2(X + 0.002, Y, X + 0.0025, Y + 0.002)
    assert not coverage.ok
    [outside] = coverage.outside
    assert outside.grid_code == "T-02"
    assert outside.area_m2 == pytest.approx(expected, rel=0.005)


def test_check_grids_fails_naming_the_community_that_has_a_gap():
    community = square_community()
    make_grid(community, code="T-01", boundary=rect(X, Y, X + 0.001, Y + 0.002))
    out = StringIO()
    with pytest.raises(CommandError, match=community.code):
        call_command("check_grids", community=community.code, stdout=out)
    assert "gap" in out.getvalue()


def test_check_grids_says_ok_when_the_grids_tile_the_community():
    out = StringIO()
    call_command("check_grids", community="DR", stdout=out)
    assert out.getvalue().strip() == "DR 东瑞社区: OK"


def test_check_grids_passes_on_the_whole_demo():
    out = StringIO()
    call_command("check_grids", stdout=out)
    assert out.getvalue().count(": OK") == len(DEMO_COMMUNITIES)


def test_check_grids_refuses_an_unknown_community_code():
    with pytest.raises(CommandError, match="NO-SUCH"):
        call_command("check_grids", community="NO-SUCH", stdout=StringIO())
