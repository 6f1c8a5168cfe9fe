"""Patrol models, split by concern; import them from here."""

from .people import DutyShift, GridAssignmentChange, PatrolSettings, Weekday
from .plans import Checkpoint, PatrolPlan, PatrolTeamMember, Recurrence
from .runs import (
    CheckIn,
    PatrolFinding,
    PatrolInstance,
    PatrolTrackPoint,
    PatrolTrackUpload,
    PatrolTransition,
)

__all__ = [
    "CheckIn",
    "Checkpoint",
    "DutyShift",
    "GridAssignmentChange",
    "PatrolFinding",
    "PatrolInstance",
    "PatrolPlan",
    "PatrolSettings",
    "PatrolTeamMember",
    "PatrolTrackPoint",
    "PatrolTrackUpload",
    "PatrolTransition",
    "Recurrence",
    "Weekday",
]
