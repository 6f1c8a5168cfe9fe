"""Patrol services: every change to patrol data goes through one of these.

Split by concern (people on grids, plans, running a patrol, tracks); import from here.
"""

from .findings import patrol_finding_record
from .people import (
    assignable_membership,
    duty_shift_create,
    duty_shift_delete,
    grid_assignment_change,
    grid_assignment_set,
    patrol_settings_set,
)
from .plans import (
    CheckpointData,
    PlanData,
    TeamSeat,
    patrol_plan_archive,
    patrol_plan_generate,
    patrol_plan_save,
)
from .runs import (
    ON_SITE_RADIUS_M,
    checkin_note_update,
    patrol_cancel,
    patrol_check_in,
    patrol_end,
    patrol_instance_transition,
    patrol_start,
    patrols_mark_missed,
)
from .tracks import patrol_track_append, patrol_track_import, patrol_track_rebuild

__all__ = [
    "ON_SITE_RADIUS_M",
    "CheckpointData",
    "PlanData",
    "TeamSeat",
    "assignable_membership",
    "checkin_note_update",
    "duty_shift_create",
    "duty_shift_delete",
    "grid_assignment_change",
    "grid_assignment_set",
    "patrol_cancel",
    "patrol_check_in",
    "patrol_end",
    "patrol_finding_record",
    "patrol_instance_transition",
    "patrol_plan_archive",
    "patrol_plan_generate",
    "patrol_plan_save",
    "patrol_settings_set",
    "patrol_start",
    "patrol_track_append",
    "patrol_track_import",
    "patrol_track_rebuild",
    "patrols_mark_missed",
]
