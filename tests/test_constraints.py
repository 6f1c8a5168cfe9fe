"""Geometry validation and database constraints: bad shapes are refused with a clear reason.

Two layers guard the data. Model `clean()` (apps.core.geo.validate_geometry) explains the
problem to a person; the database's `*_valid` check constraints (ST_IsValid) refuse what
slips past it, e.g. a bulk import that skips validation.
"""

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Building, Compound, Grid
from tests.factories import (
    bowtie,
    line,
    make_community,
    make_facility,
    make_grid,
    point,
    square,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in English, whatever translations exist for zh-hans.
    with translation.override("en"):
        yield


@pytest.fixture
def community():
    return make_community()


def messages_of(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_self_intersecting_grid_is_refused_by_clean_with_a_message_naming_the_crossing(
    community,
):
    grid = Grid(community=community, code="T-BOWTIE", boundary=bowtie(112.9, 27.9, 0.001))
    with pytest.raises(ValidationError) as caught:
        grid.full_clean()
    message = messages_of(caught.value, "boundary")
    assert "crosses itself" in message
    # GEOS reports where the edges cross: the centre of the bow-tie.
    assert "112.9005, 27.9005" in message


def test_self_intersecting_grid_is_refused_by_the_database(community):
    with pytest.raises(IntegrityError, match="grid_boundary_valid"), transaction.atomic():
        Grid.objects.create(community=community, code="T-BOWTIE", boundary=bowtie())


def test_self_intersecting_community_boundary_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="community_boundary_valid"), transaction.atomic():
        make_community(boundary=MultiPolygon(bowtie(), srid=4326))


def test_self_intersecting_building_footprint_is_refused_by_the_database(community):
    with pytest.raises(IntegrityError, match="building_footprint_valid"), transaction.atomic():
        Building.objects.create(community=community, number="T-1", footprint=bowtie())


def test_self_intersecting_compound_is_refused_by_clean_and_by_the_database(community):
    compound = Compound(community=community, name="测试小区", boundary=bowtie())
    with pytest.raises(ValidationError) as caught:
        compound.full_clean()
    assert "crosses itself" in messages_of(caught.value, "boundary")
    with pytest.raises(IntegrityError, match="compound_boundary_valid"), transaction.atomic():
        compound.save()


def test_self_intersecting_facility_area_is_refused_by_the_database(community):
    with pytest.raises(IntegrityError, match="facility_geom_valid"), transaction.atomic():
        make_facility(community, kind=FacilityKind.FITNESS_COURT, geom=bowtie())


def test_polygon_with_a_hole_outside_its_outline_is_refused_with_a_message(community):
    shell = ((112.9, 27.9), (112.901, 27.9), (112.901, 27.901), (112.9, 27.901), (112.9, 27.9))
    hole = ((112.91, 27.91), (112.911, 27.91), (112.911, 27.911), (112.91, 27.91))
    grid = Grid(community=community, code="T-HOLE", boundary=Polygon(shell, hole, srid=4326))
    with pytest.raises(ValidationError) as caught:
        grid.full_clean()
    assert "hole lies outside" in messages_of(caught.value, "boundary")


def test_empty_grid_boundary_is_refused_with_a_message(community):
    grid = Grid(community=community, code="T-EMPTY", boundary=GEOSGeometry("POLYGON EMPTY", 4326))
    with pytest.raises(ValidationError) as caught:
        grid.full_clean()
    assert caught.value.error_dict["boundary"][0].code == "empty"
    assert "empty" in messages_of(caught.value, "boundary")


def test_coordinates_with_swapped_axes_are_refused_as_out_of_range(community):
    # Changsha is at longitude 112.98, latitude 28.19; given as (lat, lon) the latitude is 112.98.
    facility = Facility(
        community=community,
        kind=FacilityKind.PUBLIC_TOILET,
        name="公厕",
        geom=point(28.19, 112.98),
    )
    with pytest.raises(ValidationError) as caught:
        facility.full_clean()
    message = messages_of(caught.value, "geom")
    assert "out of range" in message
    assert "swapped" in message


def test_polygon_beyond_180_degrees_longitude_is_refused_as_out_of_range(community):
    grid = Grid(community=community, code="T-FAR", boundary=square(180.5, 28.0))
    with pytest.raises(ValidationError) as caught:
        grid.full_clean()
    assert caught.value.error_dict["boundary"][0].code == "out_of_range"


def test_culture_corridor_given_as_a_point_is_refused_with_a_message_naming_the_kind(community):
    corridor = Facility(
        community=community, kind=FacilityKind.CULTURE_CORRIDOR, name="文化长廊", geom=point()
    )
    with pytest.raises(ValidationError) as caught:
        corridor.full_clean()
    message = messages_of(caught.value, "geom")
    assert "Culture corridor" in message
    assert "LineString" in message
    assert "Point" in message


def test_service_station_given_as_a_line_is_refused_with_a_message_naming_the_kind(community):
    station = Facility(
        community=community, kind=FacilityKind.SERVICE_STATION, name="清风侠工作室", geom=line()
    )
    with pytest.raises(ValidationError) as caught:
        station.full_clean()
    message = messages_of(caught.value, "geom")
    assert "Service station" in message
    assert "LineString" in message


@pytest.mark.parametrize(
    ("kind", "geom"),
    [
        (FacilityKind.CULTURE_CORRIDOR, line()),
        (FacilityKind.SERVICE_STATION, point()),
        (FacilityKind.FITNESS_COURT, square()),
        (FacilityKind.FITNESS_COURT, point()),
        (FacilityKind.FENCE, line()),
    ],
    ids=["corridor-line", "station-point", "court-polygon", "court-point", "fence-line"],
)
def test_facility_with_a_geometry_type_its_kind_allows_is_accepted(community, kind, geom):
    facility = Facility(community=community, kind=kind, name="设施", geom=geom)
    facility.full_clean()
    facility.save()
    assert Facility.objects.filter(pk=facility.pk, geom__equals=geom).exists()


def test_valid_grid_is_accepted_and_stored_unchanged(community):
    boundary = square(112.901, 27.901, 0.002)
    grid = Grid(community=community, code="T-OK", boundary=boundary)
    grid.full_clean()
    grid.save()
    assert Grid.objects.get(pk=grid.pk).boundary.equals_exact(boundary, tolerance=1e-12)


def test_grid_code_is_unique_within_a_community(community):
    make_grid(community, code="T-07")
    duplicate = Grid(community=community, code="T-07", boundary=square(112.905, 27.905))
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "already has a grid with that code" in " ".join(caught.value.messages)


def test_duplicate_grid_code_in_one_community_is_refused_by_the_database(community):
    make_grid(community, code="T-07")
    with (
        pytest.raises(IntegrityError, match="grid_code_unique_in_community"),
        transaction.atomic(),
    ):
        make_grid(community, code="T-07")


def test_grid_code_may_be_reused_in_another_community(community):
    make_grid(community, code="T-07")
    other = make_community(x=112.95)
    grid = Grid(community=other, code="T-07", boundary=square(112.951, 27.901))
    grid.full_clean()
    grid.save()
    assert Grid.objects.filter(code="T-07").count() == 2
