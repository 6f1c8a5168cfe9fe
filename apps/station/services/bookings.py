"""Booking time slots of a service (a housekeeping visit, the community room)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import roles_on, station_roles
from ..errors import (
    AlreadyBookedError,
    NotAMemberError,
    NotBookableError,
    SlotFullError,
    TooLateError,
)
from ..models import BOOKING_TRANSITIONS, BookableService, BookingEvent, SlotBooking
from ..models.bookings import OWNER
from ..slots import bookable_days, find_slot, station_tz
from .common import CODE_ATTEMPTS, confirmation_code, record, violated_constraint


def _check_slot(bookable: BookableService, starts_at: datetime.datetime) -> datetime.datetime:
    """The slot's end; raises NotBookableError if `starts_at` is not a bookable slot now."""
    if not bookable.is_active or not bookable.service.is_active:
        raise NotBookableError(_("This service is not taking bookings at the moment."))
    slot = find_slot(bookable, starts_at)
    if slot is None:
        raise NotBookableError(_("There is no slot at that time. Pick one of the listed times."))
    if slot.starts_at <= timezone.now():
        raise NotBookableError(_("That slot has already begun. Pick a later one."))
    if slot.starts_at.astimezone(station_tz()).date() not in bookable_days(bookable):
        raise NotBookableError(
            _("Bookings open %(days)s days ahead. Pick an earlier day.")
            % {"days": bookable.days_ahead}
        )
    return slot.ends_at


@transaction.atomic
def booking_create(
    *,
    bookable: BookableService,
    resident: Any,
    starts_at: datetime.datetime,
    note: str = "",
) -> SlotBooking:
    """Book a place in the slot of `bookable` starting at `starts_at` for `resident`.

    Takes the lowest free place (seat). The database refuses a second active booking of a
    place, so when two people race for the last one, one insert waits for the other's
    transaction and then fails: that person gets SlotFullError. Raises NotAMemberError (403),
    NotBookableError (400), AlreadyBookedError or SlotFullError (409).
    """
    if not station_roles(resident, bookable.community_id):
        raise NotAMemberError(_("Only people of this community can book here."))
    ends_at = _check_slot(bookable, starts_at)
    active = SlotBooking.objects.filter(
        bookable=bookable, starts_at=starts_at, status__in=SlotBooking.ACTIVE
    )
    if active.filter(resident=resident).exists():
        raise AlreadyBookedError(_("You have already booked this slot."))
    taken = set(active.values_list("seat", flat=True))
    for seat in range(1, bookable.capacity + 1):
        if seat in taken:
            continue
        booking = _insert(bookable, resident, starts_at, ends_at, seat, note)
        if booking is not None:
            record(
                BookingEvent,
                "booking",
                booking,
                action="create",
                from_status="",
                to_status=booking.status,
                actor=resident,
                actor_role=OWNER,
            )
            return booking
    raise SlotFullError(_("Sorry, this slot has just been fully booked. Pick another time."))


def _insert(
    bookable: BookableService,
    resident: Any,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    seat: int,
    note: str,
) -> SlotBooking | None:
    """Insert in a savepoint; None when someone else took the seat first."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return SlotBooking.objects.create(
                    community_id=bookable.community_id,
                    bookable=bookable,
                    resident=resident,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    seat=seat,
                    code=confirmation_code("B"),
                    note=note.strip()[:200],
                )
        except IntegrityError as error:
            name = violated_constraint(error)
            if name == "booking_once_per_resident":
                raise AlreadyBookedError(_("You have already booked this slot.")) from None
            if name == "booking_seat_free":
                return None
            if "code" not in name:
                raise
            # A confirmation code collided (about 1 in 27 billion): draw another.
    raise IntegrityError("Could not draw a unique confirmation code.")


@transaction.atomic
def booking_transition(
    *, booking: SlotBooking, action: str, actor: Any, note: str = ""
) -> SlotBooking:
    """Apply `action` from BOOKING_TRANSITIONS (confirm, attend, no_show, cancel) and record it.

    Time rules: a resident may cancel until `cancel_notice_hours` before the slot (staff at
    any time); a no-show is marked only once the slot has begun.
    """
    locked = SlotBooking.objects.select_for_update().select_related("bookable").get(pk=booking.pk)
    roles = roles_on(actor, locked, "resident")
    move, role = BOOKING_TRANSITIONS.check(action=action, status=locked.status, roles=roles)
    now = timezone.now()
    if action == "cancel" and role == OWNER:
        deadline = locked.starts_at - datetime.timedelta(hours=locked.bookable.cancel_notice_hours)
        if now > deadline:
            raise TooLateError(
                _(
                    "Bookings can be cancelled online until %(hours)s hours before. "
                    "Please call the station."
                )
                % {"hours": locked.bookable.cancel_notice_hours}
            )
    if action == "no_show" and now < locked.starts_at:
        raise TooLateError(_("A no-show can only be marked once the slot has begun."))
    previous = locked.status
    locked.status = move.target
    locked.save(update_fields=["status", "updated_at"])
    record(
        BookingEvent,
        "booking",
        locked,
        action=action,
        from_status=previous,
        to_status=locked.status,
        actor=actor,
        actor_role=role,
        note=note.strip(),
    )
    return locked
