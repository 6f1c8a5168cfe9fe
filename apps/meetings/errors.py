"""Errors of the meeting services; views answer them with 409."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import MeetingStatus


class MeetingStateError(Exception):
    """The meeting's status does not allow this (a transition or an edit): 409."""

    def __init__(self, *, status: str, message: str | None = None) -> None:
        self.status = status
        self.message = message or _(
            "This meeting is “%(status)s”: that cannot be done now. Reload the page to see "
            "what changed."
        ) % {"status": MeetingStatus(status).label}
        super().__init__(self.message)
