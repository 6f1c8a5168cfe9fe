"""import_layer's rules: upsert by natural key, dry run, all or nothing, safe repairs."""

import pytest
from shapely.geometry import Polygon

from apps.regions.models import Building, Grid
from tests.dataio.helpers import frame, refused_import, run_import, square
from tests.factories import make_compound, make_grid

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, geometries, name="grids.geojson"):
    path = tmp_path / name
    frame(rows, geometries).to_file(path)
    return path


def test_rows_with_an_existing_natural_key_are_updated_not_duplicated(tmp_path, community):
    existing = make_grid(community, code="G-1", name="旧名", boundary=square(112.601, 27.601).wkt)
    path = write(
        tmp_path,
        [{"code": "G-1", "name": "新名", "community_code": community.code},
         {"code": "G-2", "name": "第二", "community_code": community.code}],
        [square(112.601, 27.601), square(112.603, 27.601)],
    )  # fmt: skip

    out, _err = run_import("grids", path)

    assert "1 were created, 1 were updated" in out
    existing.refresh_from_db()
    assert existing.name == "新名"
    assert Grid.objects.filter(community=community).count() == 2


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, community):
    path = write(
        tmp_path,
        [{"code": "G-1", "name": "一", "community_code": community.code}],
        [square(112.601, 27.601)],
    )
    run_import("grids", path)
    out, _err = run_import("grids", path)
    assert "0 were created, 0 were updated, 1 unchanged" in out


def test_a_dry_run_reports_what_would_happen_and_saves_nothing(tmp_path, community):
    path = write(
        tmp_path,
        [{"code": "G-1", "name": "一", "community_code": community.code}],
        [square(112.601, 27.601)],
    )
    out, _err = run_import("grids", path, "--dry-run")
    assert "1 would be created" in out and "dry run: nothing saved" in out
    assert not Grid.objects.filter(community=community).exists()


def test_one_bad_row_refuses_the_whole_file_and_names_every_bad_row(tmp_path, community):
    path = write(
        tmp_path,
        [{"code": "G-1", "community_code": community.code},
         {"code": "G-2", "community_code": "NO-SUCH"},
         {"code": "G-1", "community_code": community.code}],
        [square(112.601, 27.601), square(112.603, 27.601), square(112.605, 27.601)],
    )  # fmt: skip

    message, err = refused_import("grids", path)

    assert "2 row(s) refused; nothing was imported" in message
    assert "row 2: no community with code “NO-SUCH”" in err
    assert "row 3: same key as row 1" in err
    assert not Grid.objects.filter(community=community).exists()


def test_skip_invalid_imports_the_good_rows_and_lists_the_others(tmp_path, community):
    path = write(
        tmp_path,
        [{"code": "G-1", "community_code": community.code},
         {"code": "G-2", "community_code": "NO-SUCH"}],
        [square(112.601, 27.601), square(112.603, 27.601)],
    )  # fmt: skip
    out, err = run_import("grids", path, "--skip-invalid")
    assert "1 were created" in out and "1 refused" in out and "row 2:" in err
    assert list(Grid.objects.filter(community=community).values_list("code", flat=True)) == ["G-1"]


def test_a_spike_on_a_ring_is_repaired_because_shape_and_area_stay_the_same(tmp_path, community):
    # A 0.001° square with a zero-width spike out of its top edge: invalid (the ring
    # touches itself), and make_valid drops the spike without changing the area.
    spiked = Polygon([(112.601, 27.601), (112.602, 27.601), (112.602, 27.602),
                      (112.6015, 27.602), (112.6015, 27.603), (112.6015, 27.602),
                      (112.601, 27.602), (112.601, 27.601)])  # fmt: skip
    assert not spiked.is_valid
    path = write(tmp_path, [{"code": "G-1", "community_code": community.code}], [spiked])

    out, _err = run_import("grids", path)

    assert "row 1: invalid geometry repaired" in out
    grid = Grid.objects.get(community=community, code="G-1")
    assert grid.boundary.valid
    assert grid.boundary.extent == pytest.approx((112.601, 27.601, 112.602, 27.602))


def test_a_bow_tie_is_refused_rather_than_guessed_at(tmp_path, community):
    bowtie = Polygon([(112.601, 27.601), (112.602, 27.602), (112.602, 27.601),
                      (112.601, 27.602), (112.601, 27.601)])  # fmt: skip
    path = write(tmp_path, [{"code": "G-1", "community_code": community.code}], [bowtie])
    _message, err = refused_import("grids", path)
    assert "row 1: the geometry is invalid (Self-intersection" in err and "redraw" in err


def test_a_single_part_multipolygon_is_taken_as_a_polygon(tmp_path, community):
    from shapely.geometry import MultiPolygon

    path = write(
        tmp_path,
        [{"code": "G-1", "community_code": community.code}],
        [MultiPolygon([square(112.601, 27.601)])],
    )
    run_import("grids", path)
    assert Grid.objects.get(community=community).boundary.geom_type == "Polygon"


def test_buildings_find_their_compound_by_name_within_their_community(tmp_path, community):
    compound = make_compound(community, name="金色家园")
    code = community.code
    path = write(
        tmp_path,
        [{"number": "1栋", "floors": 18, "compound_name": "金色家园", "community_code": code},
         {"number": "2栋", "floors": 6.0, "compound_name": "", "community_code": code}],
        [square(112.6021, 27.6021, 0.0002), square(112.6025, 27.6021, 0.0002)],
        name="buildings.geojson",
    )  # fmt: skip
    run_import("buildings", path)
    one, two = Building.objects.filter(community=community).order_by("number")
    assert (one.compound, one.floors) == (compound, 18)
    assert (two.compound, two.floors) == (None, 6)


def test_a_missing_column_for_a_mapping_is_refused_with_the_columns_there_are(tmp_path, community):
    path = write(tmp_path, [{"code": "G-1"}], [square(112.601, 27.601)])
    message, _err = refused_import("grids", path, "--map", "BH=code")
    assert "no column “BH”" in message and "code" in message
