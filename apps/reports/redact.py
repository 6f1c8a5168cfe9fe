"""Hide contact details in text shown to people other than staff (nearby-report excerpts)."""

from __future__ import annotations

import re

# Seven or more digits, allowing spaces and dashes between them: phone numbers, ID numbers.
_DIGITS = re.compile(r"(?:\+?\d[\s-]?){7,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact_contacts(text: str) -> str:
    """`text` with phone-like numbers and e-mail addresses replaced by "***"."""
    return _EMAIL.sub("***", _DIGITS.sub("***", text or ""))
