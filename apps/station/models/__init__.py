"""Models of the service station: services, bookings, tool loans and parcels."""

from .bookings import (
    BOOKING_TRANSITIONS,
    LOAN_TRANSITIONS,
    BookingEvent,
    LoanEvent,
    SlotBooking,
    ToolLoan,
)
from .catalog import STATION_KINDS, BookableService, StationService, Tool, ToolItem
from .parcels import (
    MAX_PICKUP_ATTEMPTS,
    PARCEL_TRANSITIONS,
    UNCOLLECTED_AFTER_DAYS,
    Parcel,
    ParcelEvent,
)

__all__ = [
    "BOOKING_TRANSITIONS",
    "LOAN_TRANSITIONS",
    "MAX_PICKUP_ATTEMPTS",
    "PARCEL_TRANSITIONS",
    "STATION_KINDS",
    "UNCOLLECTED_AFTER_DAYS",
    "BookableService",
    "BookingEvent",
    "LoanEvent",
    "Parcel",
    "ParcelEvent",
    "SlotBooking",
    "StationService",
    "Tool",
    "ToolItem",
    "ToolLoan",
]
