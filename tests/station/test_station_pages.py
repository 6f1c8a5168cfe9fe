"""Station pages: what everyone sees, what residents and the desk may do (permission matrix)."""

import json

import pytest

from apps.station.models import SlotBooking, ToolLoan
from apps.station.services import booking_create, parcel_log

from .conftest import client_for, tomorrow_at

PEOPLE = [
    "anonymous",
    "resident",
    "property_staff",
    "community_admin",
    "other_community_admin",
    "grid_worker",
]


def urls(world):
    return {
        "index": "/station/",
        "station": f"/station/{world.station.pk}/",
        "courier": f"/station/{world.courier.pk}/",
        "bookable": f"/station/{world.station.pk}/book/{world.bookable.pk}/",
        "tool": f"/station/{world.station.pk}/tools/{world.tool.pk}/",
    }


@pytest.mark.parametrize("who", PEOPLE)
def test_stations_their_slots_and_tools_are_open_to_everyone(world, who):
    client = client_for(world.people()[who])
    for name, url in urls(world).items():
        assert client.get(url).status_code == 200, name


def test_the_station_page_lists_services_with_their_hours(world):
    html = client_for(None, language="en").get(f"/station/{world.station.pk}/").content.decode()
    assert "Housekeeping booking" in html and "09:00–17:00" in html
    assert "家政上门保洁" in html
    assert "电钻" in html and "2 of 2 free today" in html


# who → status of POSTing a booking (302: booked, or sent to log in)
BOOK = {
    "anonymous": 302,
    "resident": 302,
    "property_staff": 302,
    "community_admin": 302,
    "other_community_admin": 403,
    "grid_worker": 302,
}


@pytest.mark.parametrize(("who", "status"), BOOK.items())
def test_people_of_the_community_book_slots_and_others_are_refused(world, who, status):
    person = world.people()[who]
    response = client_for(person).post(
        urls(world)["bookable"], {"starts_at": tomorrow_at(9).isoformat()}
    )
    assert response.status_code == status
    booked = SlotBooking.objects.filter(resident=person).exists() if person else False
    assert booked == (who not in ("anonymous", "other_community_admin"))
    if who == "anonymous":
        assert "/login/" in response["Location"]


@pytest.mark.parametrize(("who", "status"), BOOK.items())
def test_people_of_the_community_borrow_tools_and_others_are_refused(world, who, status):
    person = world.people()[who]
    response = client_for(person).post(
        urls(world)["tool"], {"start": tomorrow_at(9).date(), "days": 1}
    )
    assert response.status_code == status
    lent = ToolLoan.objects.filter(borrower=person).exists() if person else False
    assert lent == (who not in ("anonymous", "other_community_admin"))


def test_a_booking_redirects_to_its_page_showing_the_confirmation_code(world):
    client = client_for(world.resident)
    response = client.post(
        urls(world)["bookable"], {"starts_at": tomorrow_at(11).isoformat()}, follow=True
    )
    booking = SlotBooking.objects.get(resident=world.resident)
    assert booking.code in response.content.decode()
    assert 'data-testid="confirmation-code"' in response.content.decode()


def test_a_full_slot_is_a_409_with_a_message_and_a_bad_time_a_400(world):
    booking_create(bookable=world.bookable, resident=world.neighbour, starts_at=tomorrow_at(9))
    booking_create(bookable=world.bookable, resident=world.staff, starts_at=tomorrow_at(9))
    client = client_for(world.resident, language="en")
    full = client.post(urls(world)["bookable"], {"starts_at": tomorrow_at(9).isoformat()})
    assert full.status_code == 409
    assert "fully booked" in full.content.decode()
    bad = client.post(urls(world)["bookable"], {"starts_at": "yesterday-ish"})
    assert bad.status_code == 400
    assert "Pick one of the listed times" in bad.content.decode()
    borrow = client.post(urls(world)["tool"], {"start": "2020-01-01", "days": 1})
    assert borrow.status_code == 400


# who → (GET the resident's booking, POST "confirm" on it)
BOOKING = {
    "anonymous": (302, 302),
    "resident": (200, 403),
    "property_staff": (200, 302),
    "community_admin": (200, 302),
    "other_community_admin": (404, 404),
    "grid_worker": (404, 404),
}


@pytest.mark.parametrize(("who", "statuses"), BOOKING.items())
def test_a_booking_is_seen_by_its_resident_and_the_desk_and_confirmed_by_the_desk(
    world, who, statuses
):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    client = client_for(world.people()[who])
    assert client.get(f"/station/bookings/{booking.pk}/").status_code == statuses[0]
    response = client.post(f"/station/bookings/{booking.pk}/change/", {"action": "confirm"})
    assert response.status_code == statuses[1]
    booking.refresh_from_db()
    assert (booking.status == "confirmed") == (statuses[1] == 302 and who != "anonymous")


def test_a_resident_cancels_their_booking_from_its_page(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    response = client_for(world.resident).post(
        f"/station/bookings/{booking.pk}/change/", {"action": "cancel"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


# who → status of the desk page (and of the parcel form)
DESK = {
    "anonymous": 302,
    "resident": 403,
    "property_staff": 200,
    "community_admin": 200,
    "other_community_admin": 403,
    "grid_worker": 403,
}


@pytest.mark.parametrize(("who", "status"), DESK.items())
def test_the_desk_and_the_parcel_form_are_for_the_communitys_staff(world, who, status):
    client = client_for(world.people()[who])
    assert client.get(f"/station/{world.station.pk}/desk/").status_code == status
    assert client.get(f"/station/{world.courier.pk}/parcels/new/").status_code == status


def test_staff_log_a_parcel_and_land_on_its_page_with_the_masked_name(world):
    response = client_for(world.staff).post(
        f"/station/{world.courier.pk}/parcels/new/",
        {"recipient_name": "张三", "phone": "13912345678", "unit": "1203", "carrier": "顺丰"},
        follow=True,
    )
    html = response.content.decode()
    assert "张*" in html and "···5678" in html
    assert "张三" not in html and "13912345678" not in html


def test_a_parcel_form_with_a_short_phone_is_a_400_saying_what_to_fix(world):
    response = client_for(world.staff, language="en").post(
        f"/station/{world.courier.pk}/parcels/new/", {"recipient_name": "张三", "phone": "12"}
    )
    assert response.status_code == 400
    assert "last 4 digits" in response.content.decode()


# who → (GET the resident's parcel, POST its right code)
PARCEL = {
    "anonymous": (302, 302),
    "resident": (200, 403),
    "property_staff": (200, 302),
    "community_admin": (200, 302),
    "other_community_admin": (404, 404),
    "grid_worker": (404, 404),
}


@pytest.mark.parametrize(("who", "statuses"), PARCEL.items())
def test_a_parcel_is_seen_by_its_resident_and_handed_over_by_the_desk(world, who, statuses):
    parcel = parcel_log(
        facility=world.courier, actor=world.staff, recipient_name="李雯", phone="0421"
    )
    parcel.recipient = world.resident
    parcel.save()
    client = client_for(world.people()[who])
    assert client.get(f"/station/parcels/{parcel.pk}/").status_code == statuses[0]
    response = client.post(f"/station/parcels/{parcel.pk}/pick-up/", {"code": parcel.pickup_code})
    assert response.status_code == statuses[1]


def test_the_counter_sees_a_wrong_code_as_a_400_with_attempts_left(world):
    parcel = parcel_log(
        facility=world.courier, actor=world.staff, recipient_name="李雯", phone="0421"
    )
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    response = client_for(world.staff, language="en").post(
        f"/station/parcels/{parcel.pk}/pick-up/", {"code": wrong}
    )
    assert response.status_code == 400
    assert "Wrong pick-up code. 4 attempts left" in response.content.decode()
    malformed = client_for(world.staff, language="en").post(
        f"/station/parcels/{parcel.pk}/pick-up/", {"code": "12"}
    )
    assert malformed.status_code == 400
    assert "6 digits" in malformed.content.decode()
    parcel.refresh_from_db()
    assert parcel.failed_attempts == 1  # a malformed code is not an attempt


def test_a_resident_sees_their_parcel_code_and_a_neighbour_does_not(world):
    parcel = parcel_log(
        facility=world.courier, actor=world.staff, recipient_name="李雯", phone="0421"
    )
    parcel.recipient = world.resident
    parcel.save()
    assert parcel.pickup_code in client_for(world.resident).get("/station/my/").content.decode()
    assert (
        parcel.pickup_code not in client_for(world.neighbour).get("/station/my/").content.decode()
    )


def test_no_personal_data_of_parcels_appears_on_public_pages(world):
    parcel_log(
        facility=world.courier, actor=world.staff, recipient_name="李雯", phone="13800000421"
    )
    for url in urls(world).values():
        html = client_for(None).get(url).content.decode()
        assert "李*" not in html and "0421" not in html, url


def test_the_desk_flags_overdue_loans_and_uncollected_parcels(world):
    import datetime

    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
    from django.utils import timezone

    from apps.station.models import Parcel
    from apps.station.services import loan_create, loan_transition
    from apps.station.slots import local_today

    loan = loan_create(tool=world.tool, borrower=world.resident, start=local_today(), days=1)
    loan_transition(loan=loan, action="pick_up", actor=world.staff)
    past = timezone.now() - datetime.timedelta(days=3)
    ToolLoan.objects.filter(pk=loan.pk).update(
        period=DateTimeTZRange(past, past + datetime.timedelta(days=1), "[)")
    )
    parcel = parcel_log(
        facility=world.courier, actor=world.staff, recipient_name="王五", phone="1234"
    )
    Parcel.objects.filter(pk=parcel.pk).update(logged_at=past)
    desk = client_for(world.staff, language="en")
    station_desk = desk.get(f"/station/{world.station.pk}/desk/").content.decode()
    assert "1 overdue" in station_desk and "Overdue" in station_desk
    courier_desk = desk.get(f"/station/{world.courier.pk}/desk/").content.decode()
    assert "Uncollected" in courier_desk and "1 for 3+ days" in courier_desk


def test_the_desk_opens_a_booking_by_its_code(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    client = client_for(world.staff)
    found = client.get(f"/station/{world.station.pk}/desk/find/?code={booking.code.lower()}")
    assert found.status_code == 302 and found["Location"] == f"/station/bookings/{booking.pk}/"
    missing = client.get(f"/station/{world.station.pk}/desk/find/?code=NOPE")
    assert missing.status_code == 404


def test_services_of_facilities_come_as_json_for_the_map_popups(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client_for(None).get(
            f"/station/services.json?ids={world.station.pk},{world.courier.pk},999999"
        )
    data = json.loads(response.content)["facilities"]
    assert set(data) == {str(world.station.pk), str(world.courier.pk)}
    kinds = [s["kind"] for s in data[str(world.station.pk)]]
    assert kinds == ["housekeeping", "tool_lending"]
    assert data[str(world.station.pk)][0]["opening_hours"] == "09:00–17:00"
    assert client_for(None).get("/station/services.json?ids=a,b").status_code == 400


def test_the_station_list_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client_for(None).get("/station/").status_code == 200


def test_the_my_page_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for hour in (9, 11, 13, 15):
        booking_create(
            bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(hour)
        )
    client = client_for(world.resident)
    with django_assert_max_num_queries(8):
        assert client.get("/station/my/").status_code == 200


# who → (GET the resident's loan, POST "pick_up" on it)
LOAN = {
    "anonymous": (302, 302),
    "resident": (200, 403),
    "property_staff": (200, 302),
    "community_admin": (200, 302),
    "other_community_admin": (404, 404),
    "grid_worker": (404, 404),
}


@pytest.mark.parametrize(("who", "statuses"), LOAN.items())
def test_a_loan_is_seen_by_its_borrower_and_the_desk_and_handed_out_by_the_desk(
    world, who, statuses
):
    from apps.station.services import loan_create
    from apps.station.slots import local_today

    loan = loan_create(tool=world.tool, borrower=world.resident, start=local_today(), days=1)
    client = client_for(world.people()[who])
    assert client.get(f"/station/loans/{loan.pk}/").status_code == statuses[0]
    response = client.post(f"/station/loans/{loan.pk}/change/", {"action": "pick_up"})
    assert response.status_code == statuses[1]
    loan.refresh_from_db()
    assert (loan.status == "picked_up") == (who in ("property_staff", "community_admin"))


# who → status of POSTing "return" (to the courier, with a note) on a waiting parcel
PARCEL_RETURN = {
    "anonymous": 302,
    "resident": 403,
    "property_staff": 302,
    "community_admin": 302,
    "other_community_admin": 404,
    "grid_worker": 404,
}


@pytest.mark.parametrize(("who", "status"), PARCEL_RETURN.items())
def test_only_the_desk_returns_a_parcel_to_the_courier(world, who, status):
    parcel = parcel_log(
        facility=world.courier, actor=world.staff, recipient_name="李雯", phone="0421"
    )
    parcel.recipient = world.resident
    parcel.save()
    response = client_for(world.people()[who]).post(
        f"/station/parcels/{parcel.pk}/change/", {"action": "return", "note": "超过7天未取"}
    )
    assert response.status_code == status
    parcel.refresh_from_db()
    assert (parcel.status == "returned") == (who in ("property_staff", "community_admin"))


def test_a_parcel_cannot_be_handed_over_by_the_bare_button_without_a_code(world):
    parcel = parcel_log(
        facility=world.courier, actor=world.staff, recipient_name="李雯", phone="0421"
    )
    response = client_for(world.staff, language="en").post(
        f"/station/parcels/{parcel.pk}/change/", {"action": "pick_up"}
    )
    assert response.status_code == 400
    assert "Enter the pick-up code" in response.content.decode()
