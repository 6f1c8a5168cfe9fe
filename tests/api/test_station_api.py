"""The service station through /api/v1/: the public catalogue, availability, and a
resident's bookings and loans (through apps.station.services, with their refusals)."""

from __future__ import annotations

import datetime

import pytest

from apps.station.models import BookingEvent, LoanEvent, SlotBooking, ToolLoan
from apps.station.services import booking_create, loan_create
from apps.station.slots import local_today
from tests.station.conftest import StationWorld, build_world, tomorrow_at

pytestmark = pytest.mark.django_db

STATIONS = "/api/v1/stations/"
BOOKABLES = "/api/v1/station-bookables/"
TOOLS = "/api/v1/station-tools/"
MY_BOOKINGS = "/api/v1/my-bookings/"
MY_LOANS = "/api/v1/my-loans/"


@pytest.fixture
def world() -> StationWorld:
    return build_world()


def _tomorrow() -> datetime.date:
    return local_today() + datetime.timedelta(days=1)


def test_anyone_sees_the_stations_with_their_services(api, openapi, world):
    response = api.get(STATIONS)
    openapi.check("get", STATIONS, response)
    station = next(r for r in response.json()["results"] if r["id"] == world.station.pk)
    assert {service["kind"] for service in station["services"]} == {
        "housekeeping",
        "tool_lending",
    }


def test_the_station_list_takes_a_fixed_number_of_queries(
    api, world, django_assert_max_num_queries
):
    build_world()
    with django_assert_max_num_queries(4):
        assert api.get(STATIONS).status_code == 200


def test_bookable_services_and_tools_are_listed_per_station(api, openapi, world):
    build_world()  # another station's, which the filter leaves out
    bookables = api.get(f"{BOOKABLES}?station={world.station.pk}")
    openapi.check("get", BOOKABLES, bookables)
    assert [b["name"] for b in bookables.json()["results"]] == ["家政上门保洁"]
    tools = api.get(f"{TOOLS}?station={world.station.pk}")
    openapi.check("get", TOOLS, tools)
    [drill] = tools.json()["results"]
    assert (drill["name"], drill["pieces"]) == ("电钻", 2)


def test_a_station_filter_that_is_not_a_number_is_refused(api, openapi, world):
    response = api.get(f"{TOOLS}?station=east")
    openapi.check("get", TOOLS, response)
    assert response.status_code == 400 and "station" in response.json()["errors"]


def test_catalogue_lists_take_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    build_world()
    for path in (BOOKABLES, TOOLS):
        with django_assert_max_num_queries(3):
            assert api.get(path).status_code == 200


def test_availability_shows_the_free_places_of_each_slot(api, openapi, world):
    booking_create(bookable=world.bookable, resident=world.neighbour, starts_at=tomorrow_at(9))
    path = f"{BOOKABLES}{world.bookable.pk}/availability/?date={_tomorrow().isoformat()}"
    response = api.get(path)
    openapi.check("get", path, response)
    free = [slot["free"] for slot in response.json()]
    # 09:00–17:00 in two-hour slots of two places; one place at 09:00 is taken.
    assert free == [1, 2, 2, 2]


def test_availability_needs_a_date(api, openapi, world):
    path = f"{BOOKABLES}{world.bookable.pk}/availability/"
    response = api.get(path)
    openapi.check("get", path, response)
    assert response.status_code == 400 and "date" in response.json()["errors"]


def test_tool_availability_counts_free_pieces_per_day(api, openapi, world):
    loan_create(tool=world.tool, borrower=world.neighbour, start=_tomorrow(), days=1)
    path = f"{TOOLS}{world.tool.pk}/availability/"
    response = api.get(path)
    openapi.check("get", path, response)
    days = {row["day"]: row["free"] for row in response.json()}
    assert days[local_today().isoformat()] == 2
    assert days[_tomorrow().isoformat()] == 1


def test_a_resident_books_a_slot_and_gets_a_confirmation_code(api, openapi, world):
    api.force_authenticate(world.resident)
    path = f"{BOOKABLES}{world.bookable.pk}/book/"
    response = api.post(path, {"starts_at": tomorrow_at(11).isoformat()}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 201
    booking = SlotBooking.objects.get(code=response.json()["code"])
    assert booking.resident == world.resident and booking.status == "requested"
    assert BookingEvent.objects.filter(booking=booking, action="create").exists()


def test_a_full_slot_is_refused_with_409_and_the_services_message(api, openapi, world):
    for person in (world.neighbour, world.staff):
        booking_create(bookable=world.bookable, resident=person, starts_at=tomorrow_at(9))
    api.force_authenticate(world.resident)
    path = f"{BOOKABLES}{world.bookable.pk}/book/"
    response = api.post(path, {"starts_at": tomorrow_at(9).isoformat()}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409
    assert "fully booked" in response.json()["detail"]
    assert not SlotBooking.objects.filter(resident=world.resident).exists()


@pytest.mark.parametrize(("who", "status"), [("anonymous", (401, 403)), ("other", (403,))])
def test_only_people_of_the_community_may_book(api, openapi, world, who, status):
    if who == "other":
        api.force_authenticate(world.other_admin)
    path = f"{BOOKABLES}{world.bookable.pk}/book/"
    response = api.post(path, {"starts_at": tomorrow_at(11).isoformat()}, format="json")
    openapi.check("post", path, response)
    assert response.status_code in status
    assert not SlotBooking.objects.filter(bookable=world.bookable).exists()


def test_a_resident_borrows_a_tool_and_gets_a_confirmation_code(api, openapi, world):
    api.force_authenticate(world.resident)
    path = f"{TOOLS}{world.tool.pk}/borrow/"
    response = api.post(path, {"start": _tomorrow().isoformat(), "days": 2}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 201
    loan = ToolLoan.objects.get(code=response.json()["code"])
    assert loan.borrower == world.resident
    assert response.json()["last_day"] == (_tomorrow() + datetime.timedelta(days=1)).isoformat()
    assert LoanEvent.objects.filter(loan=loan, action="create").exists()


def test_a_tool_with_no_free_piece_is_refused_with_409(api, openapi, world):
    for person in (world.neighbour, world.staff):
        loan_create(tool=world.tool, borrower=person, start=_tomorrow(), days=1)
    api.force_authenticate(world.resident)
    path = f"{TOOLS}{world.tool.pk}/borrow/"
    response = api.post(path, {"start": _tomorrow().isoformat(), "days": 1}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409
    assert "no 电钻 is free" in response.json()["detail"]


def test_residents_see_only_their_own_bookings_and_loans(api, openapi, world):
    mine = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    booking_create(bookable=world.bookable, resident=world.neighbour, starts_at=tomorrow_at(9))
    loan = loan_create(tool=world.tool, borrower=world.resident, start=_tomorrow(), days=1)
    loan_create(tool=world.tool, borrower=world.neighbour, start=_tomorrow(), days=1)
    api.force_authenticate(world.resident)
    bookings = api.get(MY_BOOKINGS)
    openapi.check("get", MY_BOOKINGS, bookings)
    assert [b["code"] for b in bookings.json()["results"]] == [mine.code]
    loans = api.get(MY_LOANS)
    openapi.check("get", MY_LOANS, loans)
    assert [row["code"] for row in loans.json()["results"]] == [loan.code]


@pytest.mark.parametrize("path", [MY_BOOKINGS, MY_LOANS])
def test_anonymous_callers_have_no_bookings_or_loans(api, openapi, path):
    response = api.get(path)
    openapi.check("get", path, response)
    assert response.status_code in (401, 403)


def test_my_lists_take_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    for hour in (9, 11, 13):
        booking_create(
            bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(hour)
        )
    for days in (1, 2):
        loan_create(tool=world.tool, borrower=world.resident, start=_tomorrow(), days=days)
    api.force_authenticate(world.resident)
    for path, count in ((MY_BOOKINGS, 3), (MY_LOANS, 2)):
        with django_assert_max_num_queries(5):
            assert len(api.get(path).json()["results"]) == count


def test_a_resident_cancels_a_booking_and_the_change_is_recorded(api, openapi, world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(15)
    )
    api.force_authenticate(world.resident)
    path = f"{MY_BOOKINGS}{booking.pk}/cancel/"
    response = api.post(path, {"note": "有事"}, format="json")
    openapi.check("post", path, response)
    assert response.json()["status"] == "cancelled"
    event = BookingEvent.objects.get(booking=booking, action="cancel")
    assert event.actor == world.resident and event.note == "有事"


def test_cancelling_a_cancelled_booking_is_refused_with_409(api, openapi, world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(15)
    )
    api.force_authenticate(world.resident)
    path = f"{MY_BOOKINGS}{booking.pk}/cancel/"
    api.post(path, format="json")
    response = api.post(path, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409
    assert BookingEvent.objects.filter(booking=booking, action="cancel").count() == 1


def test_nobody_cancels_someone_elses_booking(api, openapi, world):
    booking = booking_create(
        bookable=world.bookable, resident=world.neighbour, starts_at=tomorrow_at(15)
    )
    api.force_authenticate(world.resident)
    path = f"{MY_BOOKINGS}{booking.pk}/cancel/"
    response = api.post(path, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == "requested"


def test_a_resident_cancels_a_loan_and_the_change_is_recorded(api, openapi, world):
    loan = loan_create(tool=world.tool, borrower=world.resident, start=_tomorrow(), days=1)
    api.force_authenticate(world.resident)
    path = f"{MY_LOANS}{loan.pk}/cancel/"
    response = api.post(path, format="json")
    openapi.check("post", path, response)
    assert response.json()["status"] == "cancelled"
    assert LoanEvent.objects.filter(loan=loan, action="cancel", actor=world.resident).exists()
