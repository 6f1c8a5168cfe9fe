"""Opening a work to the public opens its facility: an existing one goes into service, a
new one is created from the work's site when the work builds it."""

import datetime

import pytest
from django.utils import timezone

from apps.facilities.models import Facility, FacilityKind
from apps.works.services import work_transition
from apps.works.workflow import WorkStatus
from tests.factories import make_facility, square

from .conftest import make_work

pytestmark = pytest.mark.django_db


def test_opening_puts_the_existing_facility_into_service(world):
    court = make_facility(world.here, status=Facility.Status.UNDER_CONSTRUCTION)
    work = make_work(
        world.here, status=WorkStatus.ACCEPTED, facility=court, actual_end=datetime.date(2024, 7, 1)
    )
    work_transition(work=work, action="open", by=world.planner)
    court.refresh_from_db()
    assert court.status == Facility.Status.IN_SERVICE
    assert court.completed_on == datetime.date(2024, 7, 1)


def test_opening_a_new_build_creates_its_facility_from_the_site(world):
    x, y = world.here.boundary.extent[:2]
    work = make_work(
        world.here,
        status=WorkStatus.COMPLETED,
        name="新垃圾站",
        facility_kind=FacilityKind.GARBAGE_STATION,
        geom=square(x + 0.003, y + 0.003, 0.0002),
    )
    work_transition(work=work, action="open", by=world.planner)
    work.refresh_from_db()
    station = work.facility
    assert (station.name, station.kind, station.status) == (
        "新垃圾站",
        FacilityKind.GARBAGE_STATION,
        Facility.Status.IN_SERVICE,
    )
    assert station.geom.equals(work.geom) and station.community == world.here
    assert station.completed_on == timezone.localdate()


def test_a_kind_that_is_a_point_gets_a_point_on_the_site(world):
    x, y = world.here.boundary.extent[:2]
    site = square(x + 0.003, y + 0.003, 0.0002)
    work = make_work(
        world.here,
        status=WorkStatus.COMPLETED,
        geom=site,
        facility_kind=FacilityKind.COURIER_REST_STATION,
    )
    work_transition(work=work, action="open", by=world.planner)
    work.refresh_from_db()
    assert work.facility.geom.geom_type == "Point" and site.contains(work.facility.geom)


def test_a_repair_without_a_facility_opens_without_creating_one(world):
    work = make_work(world.here, status=WorkStatus.COMPLETED)
    before = Facility.objects.count()
    work_transition(work=work, action="open", by=world.planner)
    assert Facility.objects.count() == before
