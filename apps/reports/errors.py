"""Errors the report services raise; views turn them into 409, 429 and 400 responses.

Permission problems are Django's PermissionDenied (403); bad input is ValidationError (400).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .states import Status


class TransitionNotAllowedError(Exception):
    """The transition table refuses this action from the report's current status (409)."""

    def __init__(self, *, action: str, status: str, message: str | None = None) -> None:
        self.action = action
        self.status = status
        # Imported here: the workflow module imports models, and models may raise these.
        from .workflow import action_label

        self.message = message or _(
            "This report is “%(status)s”: “%(action)s” cannot be done from there. Reload the "
            "page to see what changed."
        ) % {"status": Status(status).label, "action": action_label(action)}
        super().__init__(self.message)


class RateLimitedError(Exception):
    """Too many anonymous submissions from one client or phone number (429)."""

    def __init__(self, *, retry_after: int, message: str) -> None:
        self.retry_after = retry_after
        self.message = message
        super().__init__(message)
