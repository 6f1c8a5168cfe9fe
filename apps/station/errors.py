"""Refusals of the service station, each with the HTTP status a view answers with."""

from __future__ import annotations

from apps.ledger.workflow import ActionForbiddenError, TransitionNotAllowedError, WorkflowError

__all__ = [
    "ActionForbiddenError",
    "AlreadyBookedError",
    "NoItemFreeError",
    "NotBookableError",
    "NotAMemberError",
    "ParcelLockedError",
    "SlotFullError",
    "TooLateError",
    "TransitionNotAllowedError",
    "WorkflowError",
    "WrongCodeError",
]


class SlotFullError(WorkflowError):
    """Every place of the slot is taken (409)."""


class AlreadyBookedError(WorkflowError):
    """The resident already holds a place in this slot (409)."""


class NoItemFreeError(WorkflowError):
    """No piece of the tool is free for the whole period (409)."""


class TooLateError(WorkflowError):
    """A time rule refuses the action, e.g. cancelling less than N hours before (409)."""


class NotBookableError(WorkflowError):
    """The requested slot or period is not one that can be booked (400)."""

    status = 400


class NotAMemberError(WorkflowError):
    """Only people of the station's community may book there (403)."""

    status = 403


class WrongCodeError(WorkflowError):
    """The pick-up code does not match (400); `attempts_left` says how many remain."""

    status = 400

    def __init__(self, message: object, *, attempts_left: int) -> None:
        super().__init__(str(message))
        self.attempts_left = attempts_left


class ParcelLockedError(WorkflowError):
    """Too many wrong codes: the parcel waits for staff to check identity (409)."""
