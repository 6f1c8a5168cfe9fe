"""manage.py import_layer: each format in, reprojection, GCJ-02, broken files refused."""

import zipfile

import pytest
from django.contrib.gis.geos import Point
from pyproj import Transformer
from shapely.geometry import LineString
from shapely.geometry import Point as ShapelyPoint

from apps.core.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from apps.facilities.models import Facility
from apps.regions.models import Grid
from tests.dataio.helpers import frame, refused_import, run_import, square

pytestmark = pytest.mark.django_db


def grid_frame(community, n=3):
    rows = [
        {"code": f"G-{i}", "name": f"第{i}网格", "community_code": community.code} for i in range(n)
    ]
    geometries = [square(112.601 + 0.002 * i, 27.601) for i in range(n)]
    return frame(rows, geometries)


@pytest.mark.parametrize(
    ("suffix", "driver"),
    [(".gpkg", "GPKG"), (".geojson", "GeoJSON"), (".kml", "LIBKML")],
)
def test_grids_are_created_from_a_gis_file(tmp_path, community, suffix, driver):
    path = tmp_path / f"grids{suffix}"
    grid_frame(community).to_file(path, driver=driver)

    out, _err = run_import("grids", path)

    grids = Grid.objects.filter(community=community).order_by("code")
    assert [(g.code, g.name) for g in grids] == [
        ("G-0", "第0网格"),
        ("G-1", "第1网格"),
        ("G-2", "第2网格"),
    ]
    assert grids[0].boundary.extent == pytest.approx((112.601, 27.601, 112.602, 27.602))
    assert "3 were created" in out


def test_a_zipped_shapefile_in_another_crs_is_reprojected_to_wgs84(tmp_path, community):
    # UTM zone 49N (EPSG:32649) covers Changsha; pyproj puts the squares there first.
    to_utm = Transformer.from_crs(4326, 32649, always_xy=True)
    data = grid_frame(community).drop(columns="community_code").to_crs(32649)
    folder = tmp_path / "shp"
    folder.mkdir()
    data.to_file(folder / "grids.shp")
    path = tmp_path / "grids.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)

    out, _err = run_import("grids", path, "--community", community.code)

    grid = Grid.objects.get(community=community, code="G-1")
    xmin, ymin, xmax, ymax = grid.boundary.extent
    assert (xmin, ymin, xmax, ymax) == pytest.approx((112.603, 27.601, 112.604, 27.602), abs=1e-8)
    assert "reprojected" in out and to_utm.transform(112.603, 27.601)[0] > 100_000


def test_a_csv_with_longitude_and_latitude_columns_makes_points(tmp_path, community):
    path = tmp_path / "toilets.csv"
    path.write_text(
        "名称,种类,经度,纬度,社区\n"
        f"公厕一,public_toilet,112.6012,27.6013,{community.code}\n"
        f"公厕二,public_toilet,112.6034,27.6035,{community.code}\n",
        encoding="utf-8-sig",
    )

    run_import(
        "facilities",
        path,
        "--map",
        "名称=name",
        "--map",
        "种类=kind",
        "--map",
        "社区=community_code",
    )

    toilets = Facility.objects.filter(community=community).order_by("name")
    assert [(f.name, f.geom.coords) for f in toilets] == [
        ("公厕一", (112.6012, 27.6013)),
        ("公厕二", (112.6034, 27.6035)),
    ]


def test_csv_columns_can_be_named_with_lon_and_lat(tmp_path, community):
    path = tmp_path / "points.csv"
    path.write_text("name,kind,E,N\n站,service_station,112.605,27.605\n", encoding="utf-8")
    run_import("facilities", path, "--lon", "E", "--lat", "N", "--community", community.code)
    assert Facility.objects.get(community=community).geom.coords == (112.605, 27.605)


def test_rows_without_a_community_get_the_one_they_lie_in(tmp_path, community):
    path = tmp_path / "grids.geojson"
    data = grid_frame(community, n=1).drop(columns="community_code")
    data.to_file(path, driver="GeoJSON")
    run_import("grids", path)
    assert Grid.objects.get(code="G-0").community == community


def test_from_gcj02_converts_amap_coordinates_to_wgs84(tmp_path, community):
    wgs = (112.6055, 27.6055)
    gcj = wgs84_to_gcj02(*wgs)  # where AMap shows that place, ~650 m away
    path = tmp_path / "station.geojson"
    frame([{"name": "驿站", "kind": "service_station"}], [ShapelyPoint(*gcj)]).to_file(path)

    run_import("facilities", path, "--from-gcj02", "--community", community.code)

    stored = Facility.objects.get(community=community).geom
    assert stored.coords == pytest.approx(wgs, abs=1e-9)
    assert stored.coords == pytest.approx(gcj02_to_wgs84(*gcj), abs=1e-12)
    assert stored.distance(Point(*gcj)) > 0.005  # degrees: the shift was really undone


def test_a_truncated_geopackage_is_refused_and_changes_nothing(tmp_path, community):
    path = tmp_path / "grids.gpkg"
    grid_frame(community).to_file(path, driver="GPKG")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])

    message, _err = refused_import("grids", path)

    assert "could not be read" in message and "grids.gpkg" in message
    assert not Grid.objects.filter(community=community).exists()


def test_a_zip_without_a_shapefile_is_refused_saying_what_it_holds(tmp_path, community):
    path = tmp_path / "grids.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("grids.dbf", b"not really")
        archive.writestr("readme.txt", b"hello")
    message, _err = refused_import("grids", path)
    assert "no Shapefile (.shp)" in message and "readme.txt" in message


def test_a_csv_with_a_non_numeric_longitude_refuses_the_row_and_imports_nothing(
    tmp_path, community
):
    path = tmp_path / "points.csv"
    path.write_text(
        "name,kind,lon,lat\n"
        "好的,service_station,112.605,27.605\n"
        "坏的,service_station,东经112度,27.606\n",
        encoding="utf-8",
    )
    message, err = refused_import("facilities", path, "--community", community.code)
    assert "1 row(s) refused; nothing was imported" in message
    assert "row 2: lon “东经112度” is not a number" in err
    assert not Facility.objects.filter(community=community).exists()


def test_a_kml_polygon_with_an_unclosed_ring_is_refused_on_its_row(tmp_path, community):
    ring_open = "112.601,27.601 112.602,27.601 112.602,27.602 112.601,27.602"
    ring_closed = ring_open + " 112.601,27.601"
    placemarks = "".join(
        f"<Placemark><name>G-{i}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{ring}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        for i, ring in enumerate([ring_closed, ring_open])
    )
    path = tmp_path / "grids.kml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document>{placemarks}</Document></kml>",
        encoding="utf-8",
    )
    message, err = refused_import(
        "grids", path, "--map", "Name=code", "--community", community.code
    )
    assert "row 2: the geometry could not be read" in err and "unclosed" in err
    assert "row 1" not in err
    assert not Grid.objects.filter(community=community).exists()


def test_a_line_for_a_point_only_kind_is_refused_by_the_models_own_validation(tmp_path, community):
    path = tmp_path / "stations.geojson"
    frame(
        [{"name": "驿站", "kind": "service_station"}],
        [LineString([(112.601, 27.601), (112.602, 27.602)])],
    ).to_file(path)
    _message, err = refused_import("facilities", path, "--community", community.code)
    assert "row 1: geom:" in err and "Point" in err
