"""Pieces shared by the station's services: codes, history rows, unique-violation names."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError

# No 0/O, 1/I/L: codes are read aloud at the counter and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_ATTEMPTS = 5


def confirmation_code(prefix: str) -> str:
    """`prefix` and 7 random characters, e.g. "B7KQ2MXA" for a booking."""
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


def pickup_code() -> str:
    """Six random digits, e.g. "048213"."""
    return f"{secrets.randbelow(1_000_000):06d}"


def violated_constraint(error: IntegrityError) -> str:
    """Name of the constraint PostgreSQL reported (unique, exclusion...), or ""."""
    cause: Any = error.__cause__
    diag = getattr(cause, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def record(event_model: Any, subject_field: str, subject: Any, **values: Any) -> Any:
    """Write one history row for `subject` (a booking, loan or parcel)."""
    return event_model.objects.create(
        community_id=subject.community_id, **{subject_field: subject}, **values
    )
