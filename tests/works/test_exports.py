"""The planner's exports, read back by GeoPandas: the same works as the filtered list, with
the same shapes, in CSV (WKT column) and GeoJSON."""

import datetime
from decimal import Decimal

import geopandas as gpd
import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString, Polygon
from django.test import Client
from django.urls import reverse
from shapely import wkt as shapely_wkt

from apps.works.models import WorkFunder
from apps.works.workflow import WorkStatus
from tests.factories import make_organisation

from .conftest import make_work

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def works(world):
    """Three works of "here" (a point, a line, a polygon) and one of "other"."""
    x, y = world.here.boundary.extent[:2]
    square = Polygon(
        (
            (x + 0.003, y + 0.003),
            (x + 0.004, y + 0.003),
            (x + 0.004, y + 0.004),
            (x + 0.003, y + 0.004),
            (x + 0.003, y + 0.003),
        ),
        srid=4326,
    )
    built = make_work(
        world.here,
        status=WorkStatus.UNDER_CONSTRUCTION,
        name="围墙, 东段",
        geom=LineString((x + 0.001, y + 0.001), (x + 0.002, y + 0.0015), srid=4326),
        planned_start=D(2024, 3, 1),
        planned_end=D(2024, 4, 1),
    )
    WorkFunder.objects.create(
        work=built, organisation=make_organisation(name="中交地产测试"), amount=Decimal("2000000")
    )
    return {
        "line": built,
        "polygon": make_work(
            world.here, status=WorkStatus.UNDER_CONSTRUCTION, name="广场", geom=square
        ),
        "point": make_work(world.here, status=WorkStatus.PROPOSED, name="健身角"),
        "elsewhere": make_work(world.other, status=WorkStatus.UNDER_CONSTRUCTION, name="别处"),
    }


def download(world, url_name, tmp_path, extension, **query):
    client = Client()
    client.force_login(world.planner)
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / f"works.{extension}"
    path.write_bytes(body)
    return response, path


def test_the_geojson_export_reads_back_with_the_filtered_works_and_their_shapes(
    world, works, tmp_path
):
    response, path = download(
        world, "works:export-geojson", tmp_path, "geojson", status="under_construction"
    )
    assert response["Content-Type"] == "application/geo+json"
    assert "attachment" in response["Content-Disposition"]
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["name"]) == ["围墙, 东段", "广场"]  # not the proposal, not "other"
    for _index, row in frame.iterrows():
        stored = works["line"] if row["name"] == "围墙, 东段" else works["polygon"]
        # 6 decimals in the file: equal to the stored shape within 1e-6°, about 10 cm.
        assert row.geometry.equals_exact(shapely_wkt.loads(stored.geom.wkt), 1e-6)


def test_the_csv_export_reads_back_with_the_same_features_as_the_geojson(world, works, tmp_path):
    _response, csv_path = download(world, "works:export-csv", tmp_path, "csv")
    _response, json_path = download(world, "works:export-geojson", tmp_path, "geojson")
    from_csv = gpd.read_file(csv_path).set_crs(4326)
    from_json = gpd.read_file(json_path)
    assert sorted(from_csv["name"]) == sorted(from_json["name"]) == ["健身角", "围墙, 东段", "广场"]
    by_name = from_json.set_index("name")
    for _index, row in from_csv.iterrows():
        assert row.geometry.equals_exact(by_name.loc[row["name"]].geometry, 1e-9)
        assert row["status"] == by_name.loc[row["name"]]["status"]


def test_exports_carry_funders_amounts_and_schedule_flags(world, works, tmp_path):
    _response, path = download(world, "works:export-csv", tmp_path, "csv", overdue="on")
    frame = gpd.read_file(path)
    assert list(frame["name"]) == ["围墙, 东段"]  # planned end 2024-04-01, not built
    row = frame.iloc[0]
    assert row["funded_by"] == "中交地产测试 2000000.00"
    assert Decimal(row["funded_yuan"]) == Decimal("2000000")
    assert (row["is_overdue"], row["is_at_risk"]) == ("true", "true")
    # The line's geodesic length from PostGIS, compared with the stored geometry's.
    line = GEOSGeometry(works["line"].geom.wkt, srid=4326)
    assert float(row["length_m"]) == pytest.approx(_geodesic_length(line), abs=0.1)


def _geodesic_length(line):
    from pyproj import Geod

    # Independent of PostGIS: Karney's geodesic on WGS 84 (pyproj), rounded like the export.
    return round(Geod(ellps="WGS84").line_length(*zip(*line.coords, strict=True)), 1)


def test_the_funder_filter_keeps_the_works_that_funder_pays_for(world, works, tmp_path):
    funder = WorkFunder.objects.get(work=works["line"]).organisation
    _response, path = download(world, "works:export-geojson", tmp_path, "geojson", funder=funder.pk)
    assert list(gpd.read_file(path)["name"]) == ["围墙, 东段"]


def test_a_bad_filter_is_refused_with_what_was_wrong(world, works):
    client = Client()
    client.force_login(world.planner)
    response = client.get(
        reverse("works:export-csv"), {"status": "demolished"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Status" in response.content.decode()


def test_the_geojson_export_is_one_query_for_the_rows(world, works, django_assert_max_num_queries):
    client = Client()
    client.force_login(world.planner)
    # Session and user, the scope check, then the FeatureCollection itself.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("works:export-geojson"))
    assert response.json()["numberReturned"] == 3
