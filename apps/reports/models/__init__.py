"""Models of resident reports. Split by topic; import them from here.

Joint meetings (联席会议) and Open311 API keys are added as further modules of this package.
"""

from .activity import (
    Notification,
    ReportPhoto,
    ReportReminder,
    ReportTransition,
    SubmissionAttempt,
)
from .categories import Category, DispatchHint
from .reports import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MeToo,
    Report,
    location_geography,
    new_tracking_code,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DESCRIPTION_MAX_LENGTH",
    "Category",
    "DispatchHint",
    "MeToo",
    "Notification",
    "Report",
    "ReportPhoto",
    "ReportReminder",
    "ReportTransition",
    "SubmissionAttempt",
    "location_geography",
    "new_tracking_code",
]
