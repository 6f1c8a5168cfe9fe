"""Booking time slots: availability, codes, no double booking, cancellation rules."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from apps.station.errors import (
    ActionForbiddenError,
    AlreadyBookedError,
    NotAMemberError,
    NotBookableError,
    SlotFullError,
    TooLateError,
    TransitionNotAllowedError,
)
from apps.station.models import SlotBooking
from apps.station.selectors import slot_availability
from apps.station.services import booking_create, booking_transition
from apps.station.slots import day_slots, local_today

from .conftest import tomorrow_at


def test_a_day_has_the_slots_that_fit_in_the_opening_hours(world):
    # 09:00–17:00 in 120-minute slots: 09, 11, 13, 15 (the last ends at 17:00 sharp).
    day = local_today() + datetime.timedelta(days=1)
    starts = [slot.starts_at.strftime("%H:%M") for slot in day_slots(world.bookable, day)]
    assert starts == ["09:00", "11:00", "13:00", "15:00"]


def test_booking_a_slot_gives_a_confirmation_code_and_records_it(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    assert booking.status == "requested"
    assert len(booking.code) == 8 and booking.code.startswith("B")
    assert booking.ends_at - booking.starts_at == datetime.timedelta(hours=2)
    assert booking.events.get().action == "create"


def test_availability_counts_the_free_places_of_each_slot(world):
    booking_create(bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(11))
    slots = slot_availability(
        world.bookable, local_today() + datetime.timedelta(days=1), user=world.resident
    )
    free = {a.slot.starts_at.hour: (a.free, a.mine) for a in slots}
    assert free == {9: (2, False), 11: (1, True), 13: (2, False), 15: (2, False)}


def test_the_last_place_goes_to_one_resident_and_the_next_is_told_the_slot_is_full(world, outsider):
    booking_create(bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9))
    booking_create(bookable=world.bookable, resident=world.neighbour, starts_at=tomorrow_at(9))
    with pytest.raises(SlotFullError) as refused:
        booking_create(bookable=world.bookable, resident=world.staff, starts_at=tomorrow_at(9))
    assert refused.value.status == 409
    assert SlotBooking.objects.filter(starts_at=tomorrow_at(9)).count() == 2


def test_a_resident_cannot_take_two_places_of_one_slot(world):
    booking_create(bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9))
    with pytest.raises(AlreadyBookedError):
        booking_create(bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9))


def test_the_database_itself_refuses_a_second_active_booking_of_a_place(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    with pytest.raises(IntegrityError, match="booking_seat_free"), transaction.atomic():
        SlotBooking.objects.create(
            community=world.community,
            bookable=world.bookable,
            resident=world.neighbour,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            seat=booking.seat,
            code="BTESTAAA",
        )


def test_a_cancelled_booking_frees_its_place(world):
    first = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    booking_create(bookable=world.bookable, resident=world.neighbour, starts_at=tomorrow_at(9))
    booking_transition(booking=first, action="cancel", actor=world.resident)
    again = booking_create(bookable=world.bookable, resident=world.staff, starts_at=tomorrow_at(9))
    assert again.seat == first.seat


@pytest.mark.parametrize(
    "starts_at",
    [
        lambda: tomorrow_at(10),  # between slots
        lambda: tomorrow_at(17),  # after closing
        lambda: timezone.now() - datetime.timedelta(hours=1),  # past
        lambda: tomorrow_at(9) + datetime.timedelta(days=30),  # beyond the 14 days ahead
    ],
)
def test_a_time_that_is_not_a_bookable_slot_is_refused(world, starts_at):
    with pytest.raises(NotBookableError) as refused:
        booking_create(bookable=world.bookable, resident=world.resident, starts_at=starts_at())
    assert refused.value.status == 400


def test_people_of_other_communities_cannot_book(world, outsider):
    with pytest.raises(NotAMemberError):
        booking_create(
            bookable=world.bookable, resident=world.other_admin, starts_at=tomorrow_at(9)
        )
    with pytest.raises(NotAMemberError):
        booking_create(bookable=world.bookable, resident=outsider, starts_at=tomorrow_at(9))


def test_a_resident_cancels_until_the_notice_period_and_not_after(world):
    soon = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    booking = booking_transition(booking=soon, action="cancel", actor=world.resident)
    assert booking.status == "cancelled"
    # Move a booking to 3 hours from now: inside the 4-hour notice period.
    late = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(11)
    )
    SlotBooking.objects.filter(pk=late.pk).update(
        starts_at=timezone.now() + datetime.timedelta(hours=3),
        ends_at=timezone.now() + datetime.timedelta(hours=5),
    )
    with translation.override("en"), pytest.raises(TooLateError, match="4 hours"):
        booking_transition(booking=late, action="cancel", actor=world.resident)
    # The desk may still cancel it (the resident phoned).
    assert (
        booking_transition(booking=late, action="cancel", actor=world.staff).status == "cancelled"
    )


def test_staff_confirm_then_mark_done_and_each_step_is_recorded(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    booking_transition(booking=booking, action="confirm", actor=world.staff)
    booking = booking_transition(booking=booking, action="attend", actor=world.admin)
    assert booking.status == "attended"
    assert [(e.action, e.actor_role) for e in booking.events.all()] == [
        ("create", "owner"),
        ("confirm", "property_staff"),
        ("attend", "community_admin"),
    ]


def test_a_no_show_is_marked_only_once_the_slot_has_begun(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    with pytest.raises(TooLateError):
        booking_transition(booking=booking, action="no_show", actor=world.staff)
    SlotBooking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        ends_at=timezone.now() + datetime.timedelta(minutes=90),
    )
    assert (
        booking_transition(booking=booking, action="no_show", actor=world.staff).status == "no_show"
    )


def test_a_resident_cannot_confirm_their_own_booking(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    with pytest.raises(ActionForbiddenError):
        booking_transition(booking=booking, action="confirm", actor=world.resident)


def test_a_neighbour_cannot_cancel_someone_elses_booking(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    with pytest.raises(ActionForbiddenError):
        booking_transition(booking=booking, action="cancel", actor=world.neighbour)


def test_a_finished_booking_cannot_be_cancelled(world):
    booking = booking_create(
        bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
    )
    booking_transition(booking=booking, action="attend", actor=world.staff)
    with pytest.raises(TransitionNotAllowedError) as refused:
        booking_transition(booking=booking, action="cancel", actor=world.staff)
    assert refused.value.status == 409
