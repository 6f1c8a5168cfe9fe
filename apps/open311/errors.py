"""Errors of the Open311 API, answered in the spec's format: a list of {code, description}.

The HTTP status is 404 for things that do not exist, 403 for a wrong or missing api_key and
400 for any other request that cannot be served (GeoReport v2, "Errors").
"""

from __future__ import annotations


class Open311Error(Exception):
    """One or more errors of the same HTTP status; each description is meant for a person."""

    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None) -> None:
        self.status = status
        self.descriptions = [str(d) for d in descriptions]
        self.retry_after = retry_after
        super().__init__("; ".join(self.descriptions))


class BadRequestError(Open311Error):
    def __init__(self, *descriptions: str) -> None:
        super().__init__(400, *descriptions)


class ForbiddenError(Open311Error):
    def __init__(self, *descriptions: str) -> None:
        super().__init__(403, *descriptions)


class NotFoundError(Open311Error):
    def __init__(self, *descriptions: str) -> None:
        super().__init__(404, *descriptions)
