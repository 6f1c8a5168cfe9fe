"""Business rules of the service station. Views call these; models stay thin."""

from .bookings import booking_create, booking_transition
from .loans import free_items, loan_create, loan_is_overdue, loan_transition
from .parcels import mask_name, parcel_log, parcel_pick_up, parcel_transition

__all__ = [
    "booking_create",
    "booking_transition",
    "free_items",
    "loan_create",
    "loan_is_overdue",
    "loan_transition",
    "mask_name",
    "parcel_log",
    "parcel_pick_up",
    "parcel_transition",
]
