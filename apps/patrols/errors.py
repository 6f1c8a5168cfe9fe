"""Refusals services raise, each with the HTTP status a view should answer with."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class PatrolError(Exception):
    """A refused request: `message` is for the person (translated), `status` for HTTP.

    `errors` optionally maps form fields to messages, so a page can show each one beside
    its field.
    """

    status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        status: int | None = None,
        errors: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}
        if status is not None:
            self.status = status

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


class ForbiddenError(PatrolError):
    status = 403


class NotFoundError(PatrolError):
    status = 404


class ConflictError(PatrolError):
    """The thing is not in a state that allows this (a patrol not started, ended...)."""

    status = 409
