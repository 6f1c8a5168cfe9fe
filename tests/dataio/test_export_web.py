"""Exports from the browser: /export/<layer> (the map's features in view) and the admin."""

import io
import json
import zipfile

import pyogrio
import pytest
from django.contrib.gis.geos import Polygon

from apps.regions.models import Grid
from tests.factories import make_grid, make_member, make_superuser

pytestmark = pytest.mark.django_db
BBOX = "113.02,28.185,113.03,28.195"


def test_the_features_in_view_download_as_a_geopackage(client, tmp_path):
    response = client.get("/export/grids", {"bbox": BBOX, "format": "gpkg"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="grids.gpkg"'
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    path = tmp_path / "grids.gpkg"
    path.write_bytes(response.content)
    in_view = Grid.objects.filter(
        boundary__intersects=Polygon.from_bbox(map(float, BBOX.split(",")))
    )
    frame = pyogrio.read_dataframe(path)
    assert sorted(frame["code"]) == sorted(in_view.values_list("code", flat=True))
    assert 0 < len(frame) < Grid.objects.count()


def is_collection(body):
    return json.loads(body)["type"] == "FeatureCollection"


def is_excel_csv(body):
    return body.startswith("\ufeffid,code".encode())  # with a BOM, for Excel


def is_kml(body):
    return b"<kml" in body[:200]


def is_zipped_shapefile(body):
    return "grids.shp" in zipfile.ZipFile(io.BytesIO(body)).namelist()


@pytest.mark.parametrize(
    ("fmt", "content_type", "check"),
    [
        ("geojson", "application/geo+json", is_collection),
        ("csv", "text/csv; charset=utf-8", is_excel_csv),
        ("kml", "application/vnd.google-earth.kml+xml", is_kml),
        ("shp", "application/zip", is_zipped_shapefile),
    ],
)
def test_every_format_downloads(client, fmt, content_type, check):
    response = client.get("/export/grids", {"bbox": BBOX, "format": fmt})
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert check(response.content)


def test_an_export_is_two_queries_a_count_and_the_features(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/export/grids", {"bbox": BBOX, "format": "geojson"}).status_code == 200


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"format": "dwg"}, "format"), ({"bbox": "1,2"}, "bbox"), ({"bbox": "113,28,112,29"}, "bbox")],
)
def test_bad_export_parameters_are_a_400_naming_the_parameter(client, params, parameter):
    response = client.get("/export/grids", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert json.loads(response.content)["parameter"] == parameter


def test_a_layer_the_visitor_may_not_see_is_a_404(client, members_export_layer):
    response = client.get(f"/export/{members_export_layer.name}")
    assert response.status_code == 404
    assert "grids" in json.loads(response.content)["detail"]


def test_members_export_only_their_communitys_rows(client, community, members_export_layer):
    mine = make_grid(community, code="MINE")
    client.force_login(make_member(community).user)
    response = client.get(f"/export/{members_export_layer.name}", {"format": "geojson"})
    assert [f["properties"]["code"] for f in json.loads(response.content)["features"]] == [
        mine.code
    ]


def test_the_admin_exports_the_selected_rows(client, community, tmp_path):
    first = make_grid(community, code="A-1")
    make_grid(community, code="A-2")
    client.force_login(make_superuser())
    response = client.post(
        "/admin/regions/grid/",
        {"action": "export_gpkg", "_selected_action": [first.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="grids.gpkg"'
    path = tmp_path / "grids.gpkg"
    path.write_bytes(response.content)
    assert list(pyogrio.read_dataframe(path)["code"]) == ["A-1"]


def test_the_admin_offers_exports_in_every_format(client):
    client.force_login(make_superuser())
    html = client.get("/admin/regions/grid/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for label in ("GeoPackage (.gpkg)", "Shapefile (.zip)", "GeoJSON", "CSV (Excel)", "KML"):
        assert f"Export selected as {label}" in html
