"""Broken and hostile GIS files: refused with a message that says what is wrong, data intact.

- `manage.py import_layer` gets every file of tests/data/bad/import/ (broken GeoPackage,
  Shapefile zips missing members, KML with XXE / entity expansion, truncated files...) and
  every bad geometry of tests/data/bad/geojson/ as a grid feature; a zip bomb is made here.
- Patrol track uploads (GPX / GeoJSON) get every file of tests/data/bad/tracks/.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from apps.patrols.trackfiles import TrackFileError, parse_track
from apps.regions.models import Grid

from .fuzzkit import changed_tables, corpus, rolled_back, row_counts

pytestmark = pytest.mark.django_db


def _import(layer: str, path: Path, language: str = "en") -> str:
    """Run import_layer; return its refusal message (it must refuse)."""
    out, err = io.StringIO(), io.StringIO()
    with translation.override(language), pytest.raises(CommandError) as refused:
        call_command("import_layer", layer, str(path), "--community", "DR", stdout=out, stderr=err)
    return f"{refused.value} {err.getvalue()}"


def _assert_refused_clearly(layer: str, path: Path) -> None:
    before = row_counts()
    with rolled_back():
        english = _import(layer, path, "en")
    with rolled_back():
        chinese = _import(layer, path, "zh-hans")
    assert len(english.strip()) > 10
    assert "Traceback" not in english
    assert english != chinese, english
    assert not changed_tables(before, row_counts())


@pytest.mark.parametrize(("path", "repaired"), corpus("import"))
def test_a_broken_gis_file_is_refused_by_import_layer(path, repaired):
    _assert_refused_clearly("grids", path)


def test_kml_entities_are_never_expanded_or_resolved(tmp_path):
    """XXE: the refusal never shows /etc/passwd, and nothing is imported."""
    bad = Path(__file__).parent.parent / "data" / "bad" / "import" / "kml_xxe.kml"
    with rolled_back():
        message = _import("grids", bad)
    assert "root:" not in message
    assert not Grid.objects.filter(name__contains="root:").exists()


def test_a_zip_bomb_shapefile_is_refused(tmp_path):
    """100 MB of zeros in a 100 KB zip: refused without unpacking it all."""
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("grids.shp", b"\x00" * (100 * 1024 * 1024))
        archive.writestr("grids.dbf", b"\x00" * 1024)
        archive.writestr("grids.shx", b"\x00" * 1024)
    assert bomb.stat().st_size < 500_000
    _assert_refused_clearly("grids", bomb)


def _grid_collection(geometry_text: str) -> str:
    return (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"code": "BAD-1", "name": "坏网格"}, "geometry": ' + geometry_text + "}]}"
    )


@pytest.mark.parametrize(("path", "repaired"), corpus("geojson"))
def test_a_bad_geometry_in_an_import_is_refused_or_repaired_with_a_note(tmp_path, path, repaired):
    text = path.read_bytes().decode("utf-8", "replace")
    source = tmp_path / f"{path.stem}.geojson"
    source.write_text(_grid_collection(text))
    before = row_counts()
    out, err = io.StringIO(), io.StringIO()
    with rolled_back(), translation.override("en"):
        try:
            call_command(
                "import_layer", "grids", str(source), "--community", "DR", stdout=out, stderr=err
            )
        except CommandError as error:
            message = f"{error} {err.getvalue()}"
            assert len(message) > 10 and "Traceback" not in message
        else:
            # Imported: only because the shape was repaired, and the report says so.
            assert "repaired" in out.getvalue(), (path.name, out.getvalue())
            grid = Grid.objects.get(code="BAD-1")
            assert grid.boundary.valid
    assert not changed_tables(before, row_counts())


# --- patrol tracks --------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "repaired"), corpus("tracks"))
def test_a_bad_track_file_is_refused_with_a_message(path, repaired):
    messages = {}
    for language in ("en", "zh-hans"):
        with translation.override(language), pytest.raises(TrackFileError) as refused:
            parse_track(path.name, path.read_bytes())
        messages[language] = str(refused.value.message)
    assert len(messages["en"]) > 10
    assert "root:" not in messages["en"]  # no XXE
    assert messages["en"] != messages["zh-hans"]


def test_a_track_of_more_points_than_allowed_is_refused():
    from apps.patrols.trackfiles import MAX_TRACK_POINTS

    points = [[113.03 + i * 1e-7, 28.19] for i in range(MAX_TRACK_POINTS + 1)]
    content = json.dumps({"type": "LineString", "coordinates": points}).encode()
    with translation.override("en"), pytest.raises(TrackFileError) as refused:
        parse_track("long.geojson", content)
    assert str(MAX_TRACK_POINTS) in str(refused.value.message).replace(",", "")
