"""The station desk through /api/v1/: the staff's lists, booking and loan steps, logging
parcels and handing them over with the pick-up code; a resident's own parcels."""

from __future__ import annotations

import pytest

from apps.station.models import BookingEvent, Parcel, ParcelEvent, SlotBooking
from apps.station.services import booking_create, parcel_log
from tests.station.conftest import StationWorld, build_world, tomorrow_at

pytestmark = pytest.mark.django_db

DESKS = "/api/v1/station-desks/"


@pytest.fixture
def world() -> StationWorld:
    return build_world()


def _parcel(world: StationWorld, phone: str = "13800001234") -> Parcel:
    return parcel_log(facility=world.courier, actor=world.staff, recipient_name="张三", phone=phone)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 403),  # session auth first: DRF answers 403, not 401
        ("resident", 403),
        ("grid_worker", 403),
        ("other_community_admin", 403),
        ("property_staff", 200),
        ("community_admin", 200),
    ],
)
def test_only_the_communitys_desk_staff_see_the_waiting_parcels(api, openapi, world, who, expected):
    _parcel(world)
    user = world.people()[who]
    if user is not None:
        api.force_authenticate(user)
    path = f"{DESKS}{world.courier.pk}/parcels/"
    response = api.get(path)
    openapi.check("get", path, response)
    assert response.status_code == expected
    if expected == 200:
        [row] = response.json()
        assert row["recipient_name_masked"] == "张*" and "pickup_code" not in row


def test_the_desk_lists_only_the_stations_its_user_staffs(api, openapi, world):
    build_world()  # another community's stations
    api.force_authenticate(world.staff)
    response = api.get(DESKS)
    openapi.check("get", DESKS, response)
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world.station.pk, world.courier.pk}


def test_logging_a_parcel_shows_its_code_to_staff_and_records_it(api, openapi, world):
    api.force_authenticate(world.staff)
    path = f"{DESKS}{world.courier.pk}/parcels/"
    response = api.post(
        path, {"recipient_name": "李四", "phone": "139 0000 5678", "shelf": "A3"}, format="json"
    )
    openapi.check("post", path, response)
    assert response.status_code == 201
    body = response.json()
    parcel = Parcel.objects.get(pk=body["id"])
    assert body["pickup_code"] == parcel.pickup_code and len(body["pickup_code"]) == 6
    assert (body["phone_last4"], body["recipient_name_masked"]) == ("5678", "李*")
    assert ParcelEvent.objects.filter(parcel=parcel, action="create", actor=world.staff).exists()


def test_a_parcel_without_a_phone_is_refused_and_nothing_is_logged(api, openapi, world):
    api.force_authenticate(world.staff)
    path = f"{DESKS}{world.courier.pk}/parcels/"
    response = api.post(path, {"recipient_name": "李四", "phone": "12"}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 400
    assert "last 4 digits" in response.json()["detail"]
    assert not Parcel.objects.filter(facility=world.courier).exists()


def test_a_wrong_pick_up_code_is_refused_saying_how_many_attempts_are_left(api, openapi, world):
    parcel = _parcel(world)
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    api.force_authenticate(world.staff)
    path = f"/api/v1/desk-parcels/{parcel.pk}/hand-over/"
    response = api.post(path, {"code": wrong}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 400
    assert "4 attempts left" in response.json()["detail"]
    assert response.json()["errors"]["code"]
    parcel.refresh_from_db()
    assert (parcel.status, parcel.failed_attempts) == ("stored", 1)


def test_the_right_code_hands_the_parcel_over(api, openapi, world):
    parcel = _parcel(world)
    api.force_authenticate(world.admin)
    path = f"/api/v1/desk-parcels/{parcel.pk}/hand-over/"
    response = api.post(path, {"code": parcel.pickup_code}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 200 and response.json()["status"] == "picked_up"
    assert ParcelEvent.objects.filter(parcel=parcel, action="pick_up").exists()


def test_another_communitys_admin_cannot_hand_a_parcel_over(api, world):
    parcel = _parcel(world)
    api.force_authenticate(world.other_admin)
    response = api.post(
        f"/api/v1/desk-parcels/{parcel.pk}/hand-over/", {"code": parcel.pickup_code}
    )
    assert response.status_code == 404
    assert Parcel.objects.get(pk=parcel.pk).status == "stored"


def test_staff_confirm_a_booking_and_the_step_is_recorded(api, openapi, world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    api.force_authenticate(world.staff)
    path = f"/api/v1/desk-bookings/{booking.pk}/transitions/"
    response = api.post(path, {"action": "confirm"}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert BookingEvent.objects.filter(booking=booking, action="confirm", actor=world.staff)


def test_confirming_a_confirmed_booking_again_is_a_conflict(api, openapi, world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    api.force_authenticate(world.staff)
    path = f"/api/v1/desk-bookings/{booking.pk}/transitions/"
    api.post(path, {"action": "confirm"}, format="json")
    response = api.post(path, {"action": "confirm"}, format="json")
    openapi.check("post", path, response)
    assert response.status_code == 409 and response.json()["detail"]
    assert SlotBooking.objects.get(pk=booking.pk).status == "confirmed"


def test_the_days_bookings_list_takes_a_fixed_number_of_queries(
    api, openapi, world, django_assert_max_num_queries
):
    for hour in (9, 11, 13):
        booking_create(
            bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(hour)
        )
    day = tomorrow_at(9).date().isoformat()
    path = f"{DESKS}{world.station.pk}/bookings/?date={day}"
    api.force_authenticate(world.staff)
    with django_assert_max_num_queries(8):
        response = api.get(path)
    openapi.check("get", path, response)
    assert [row["status"] for row in response.json()] == ["requested"] * 3


def test_a_resident_sees_their_own_parcel_with_its_code(api, openapi, world):
    world.resident.phone = "13800001234"
    world.resident.save(update_fields=["phone"])
    parcel = _parcel(world, phone="13800001234")
    _parcel(world, phone="13911112222")  # someone else's
    api.force_authenticate(world.resident)
    response = api.get("/api/v1/my-parcels/")
    openapi.check("get", "/api/v1/my-parcels/", response)
    [row] = response.json()["results"]
    assert (row["id"], row["pickup_code"]) == (parcel.pk, parcel.pickup_code)
