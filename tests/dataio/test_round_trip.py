"""Export then import gives the same features, in every format; and export's own rules."""

import datetime as dt
import json
import zipfile

import pyogrio
import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString, Point

from apps.core.layers import registry
from apps.dataio.importers import IMPORTERS
from apps.dataio.services import export_columns
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Grid
from tests.dataio.helpers import run_export, run_import, square
from tests.factories import make_compound, make_facility, make_grid

pytestmark = pytest.mark.django_db
FORMATS = [".gpkg", ".zip", ".geojson", ".kml", ".csv"]
BBOX = "112.60,27.60,112.61,27.61"  # the test community's square


@pytest.fixture
def grids(community):
    # One drawn clockwise, one counter-clockwise: orientation must not count as a change.
    clockwise = GEOSGeometry(square(112.601, 27.601).reverse().wkt, srid=4326)
    make_grid(community, code="G-1", name="第一网格", name_en="Grid 1", boundary=clockwise)
    make_grid(community, code="G-2", name="第二网格", boundary=square(112.6035, 27.601).wkt)
    return community


@pytest.fixture
def facilities(community):
    make_facility(community, kind=FacilityKind.SERVICE_STATION, name="驿站",
                  geom=Point(112.6051234567, 27.6052345678, srid=4326), opening_hours="08:30–22:00",
                  capacity=12)  # fmt: skip
    make_facility(community, kind=FacilityKind.CULTURE_CORRIDOR, name="文化长廊",
                  geom=LineString((112.602, 27.607), (112.606, 27.607), srid=4326),
                  completed_on=dt.date(2024, 6, 28))  # fmt: skip
    make_facility(community, kind=FacilityKind.FITNESS_COURT, name="健身场",
                  geom=GEOSGeometry(square(112.607, 27.607).wkt, srid=4326),
                  status=Facility.Status.UNDER_CONSTRUCTION)  # fmt: skip
    return community


def snapshot(layer_name, community):
    """The community's rows of a layer as {natural key: (columns, normalised geometry)}."""
    importer = IMPORTERS[layer_name]
    layer = registry.get(layer_name)
    columns = [name for name in importer.columns if name in layer.fields]
    rows = {}
    for row in importer.model_class().objects.filter(community=community):
        key = tuple(getattr(row, name) for name in importer.key)
        geometry = getattr(row, importer.geometry_field).clone()
        geometry.normalize()
        rows[key] = ({name: getattr(row, name) for name in columns}, geometry)
    return rows


def assert_same(before, after):
    assert before.keys() == after.keys()
    for key, (columns, geometry) in before.items():
        assert after[key][0] == columns, key
        assert after[key][1].equals_exact(geometry, 1e-9), key  # ~0.1 mm


@pytest.mark.parametrize("suffix", FORMATS)
def test_grids_exported_and_imported_again_are_the_same_grids(tmp_path, grids, suffix):
    before = snapshot("grids", grids)
    path = tmp_path / f"grids{suffix}"
    assert "2 features written" in run_export("grids", path, "--bbox", BBOX)

    out, _err = run_import("grids", path)
    assert "0 were created, 0 were updated, 2 unchanged" in out  # into the same database

    Grid.objects.filter(community=grids).delete()
    out, _err = run_import("grids", path)  # into a database without them
    assert "2 were created" in out
    assert_same(before, snapshot("grids", grids))


@pytest.mark.parametrize("suffix", FORMATS)
def test_facilities_of_mixed_geometry_types_survive_a_round_trip(tmp_path, facilities, suffix):
    before = snapshot("facilities", facilities)
    path = tmp_path / f"facilities{suffix}"
    run_export("facilities", path, "--bbox", BBOX)
    Facility.objects.filter(community=facilities).delete()

    run_import("facilities", path)

    assert_same(before, snapshot("facilities", facilities))


def test_buildings_keep_their_compound_through_a_shapefile(tmp_path, community):
    compound = make_compound(
        community, name="金色家园", boundary=square(112.601, 27.601, 0.003).wkt
    )
    from tests.factories import make_building

    make_building(community, number="1栋", compound=compound, floors=18,
                  footprint=square(112.6015, 27.6015, 0.0003).wkt)  # fmt: skip
    before = snapshot("buildings", community)
    path = tmp_path / "buildings.zip"
    run_export("buildings", path, "--bbox", BBOX)
    compound.buildings.all().delete()
    run_import("buildings", path)
    assert_same(before, snapshot("buildings", community))
    assert compound.buildings.get().number == "1栋"


def test_a_shapefile_export_of_a_mixed_layer_holds_one_file_per_geometry_type(tmp_path, facilities):
    path = tmp_path / "facilities.zip"
    run_export("facilities", path, "--bbox", BBOX)
    names = zipfile.ZipFile(path).namelist()
    assert {name for name in names if name.endswith(".shp")} == {
        "facilities_points.shp", "facilities_lines.shp", "facilities_polygons.shp",
    }  # fmt: skip
    info = pyogrio.read_info(f"/vsizip/{path}/facilities_points.shp")
    assert all(len(field) <= 10 for field in info["fields"])
    assert info["encoding"] == "UTF-8"


def test_an_export_has_the_layers_public_fields_and_the_keys_to_find_references(tmp_path, grids):
    path = tmp_path / "grids.gpkg"
    run_export("grids", path, "--bbox", BBOX)
    info = pyogrio.read_info(path)
    assert list(info["fields"]) == ["id", *export_columns(registry.get("grids"))]
    assert "community_code" in info["fields"] and info["crs"] == "EPSG:4326"
    assert info["features"] == 2


def test_a_geojson_export_is_rfc7946_with_fine_coordinates(tmp_path, facilities):
    path = tmp_path / "facilities.geojson"
    run_export("facilities", path, "--bbox", BBOX)
    data = json.loads(path.read_text(encoding="utf-8"))
    station = next(f for f in data["features"] if f["properties"]["name"] == "驿站")
    assert station["geometry"]["coordinates"] == [112.605123457, 27.605234568]  # 9 decimals


def test_public_exports_follow_an_anonymous_visitors_row_rules(
    tmp_path, grids, members_export_layer
):
    path = tmp_path / "private.geojson"
    run_export(members_export_layer.name, path, "--public")
    assert json.loads(path.read_text())["features"] == []
    run_export(members_export_layer.name, path)  # the operator: every row
    assert len(json.loads(path.read_text())["features"]) == Grid.objects.count()


def test_a_community_is_found_by_its_code_and_its_subdistrict_by_code(tmp_path, community):
    path = tmp_path / "communities.gpkg"
    run_export("communities", path, "--bbox", "112.601,27.601,112.609,27.609")
    name = community.name
    community.name = "改过的名字"
    community.save()

    out, _err = run_import("communities", path)

    assert "1 were updated" in out
    community.refresh_from_db()
    assert community.name == name
