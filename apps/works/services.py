"""Business rules of works: create, move through the one transition table, record progress,
open the facility a work built. Each service is atomic and leaves a record of what it did."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.photos import ProcessedPhoto
from apps.facilities.models import KIND_GEOMETRY_TYPES, Facility, FacilityKind

from . import feedback
from .access import acting_role, can_manage_work, planner_communities
from .models import Programme, Work, WorkPhoto, WorkProgress, WorkReport, WorkStatusChange
from .workflow import DONE_STATUSES, MOVES_BY_ACTION, RESUMABLE, WorkStatus

StagedPhotos = Sequence[tuple[str, ProcessedPhoto]]


class TransitionRefusedError(Exception):
    """A move the transition table does not allow from the work's current status (HTTP 409).

    `message` is translated and says what is possible instead.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_may_manage(user: Any, work: Work) -> None:
    if user is None or not can_manage_work(user, work):
        raise PermissionDenied(_("You can only change works of your own communities."))


def _attach_photos(
    work: Work,
    photos: StagedPhotos,
    *,
    progress: WorkProgress | None = None,
    change: WorkStatusChange | None = None,
) -> list[WorkPhoto]:
    saved = []
    for stage, photo in photos:
        if stage not in WorkPhoto.Stage.values:
            raise ValidationError(
                {"photos": _("Unknown photo stage “%(stage)s”.") % {"stage": stage}}
            )
        row = WorkPhoto(
            work=work,
            progress=progress,
            status_change=change,
            stage=stage,
            width=photo.width,
            height=photo.height,
            original_name=photo.original_name,
        )
        # Files are written by the storage on save(); the row is saved once both exist.
        row.image.save(str(photo.image.name), photo.image, save=False)
        row.thumbnail.save(str(photo.thumbnail.name), photo.thumbnail, save=False)
        row.save()
        saved.append(row)
    return saved


@transaction.atomic
def work_create(*, by: Any, **values: Any) -> Work:
    """Create a work (status "proposed"), validated like any form input, and record its
    creation as the first entry of its history."""
    values.pop("status", None)
    work = Work(**values)
    _check_may_manage(by, work)
    work.full_clean()
    work.save()
    work_creation_record(work=work, by=by)
    return work


def work_creation_record(*, work: Work, by: Any) -> WorkStatusChange:
    """The first entry of a work's history: who recorded it, when, in which status (the
    admin calls this for works added there)."""
    return WorkStatusChange.objects.create(
        work=work,
        from_status="",
        to_status=work.status,
        action="create",
        changed_by=by,
        role=acting_role(by, work.community_id),
        note=_("Work recorded."),
    )


# Facts of a work a planner may correct after it was recorded. Not the status (it moves only
# through work_transition) and not the community (a work does not change owner).
WORK_EDIT_FIELDS = (
    "name",
    "name_en",
    "programme",
    "facility",
    "facility_kind",
    "work_type",
    "geom",
    "contractor",
    "budget",
    "actual_cost",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "description",
)


@transaction.atomic
def work_update(*, work: Work, by: Any, **values: Any) -> Work:
    """Correct the facts of a work (WORK_EDIT_FIELDS), validated like any form input.

    Refuses someone outside the work's communities (PermissionDenied) and bad values
    (ValidationError, nothing saved). Returns the saved work; its status is untouched.
    """
    unknown = set(values) - set(WORK_EDIT_FIELDS)
    if unknown:
        raise TypeError(f"work_update() got unknown fields: {sorted(unknown)}")
    locked = Work.objects.select_for_update().get(pk=work.pk)
    _check_may_manage(by, locked)
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    locked.save()
    return locked


PROGRAMME_FIELDS = (
    "name",
    "name_en",
    "district",
    "owner",
    "target_count",
    "start_date",
    "deadline",
    "budget",
    "description",
)


def _check_may_plan_district(user: Any, district_id: int | None) -> None:
    """Programmes are a district's: planners (and community admins) of one of its
    communities may create and change them."""
    ok = (
        district_id is not None
        and planner_communities(user).filter(subdistrict__district_id=district_id).exists()
    )
    if not ok:
        raise PermissionDenied(_("You can only plan programmes of your own district."))


@transaction.atomic
def programme_create(*, by: Any, **values: Any) -> Programme:
    """A new programme of a district, validated like any form input."""
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"programme_create() got unknown fields: {sorted(unknown)}")
    programme = Programme(**{k: v.strip() if isinstance(v, str) else v for k, v in values.items()})
    _check_may_plan_district(by, programme.district_id)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by: Any, **values: Any) -> Programme:
    """Change a programme's facts; moving it to another district needs a say in both."""
    unknown = set(values) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"programme_update() got unknown fields: {sorted(unknown)}")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_may_plan_district(by, locked.district_id)
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_may_plan_district(by, locked.district_id)
    locked.full_clean()
    locked.save()
    return locked


def _resume_target(work: Work) -> str:
    """The status a suspended work was suspended from, read from its own history."""
    last = (
        work.status_changes.filter(to_status=WorkStatus.SUSPENDED)
        .order_by("-changed_at", "-pk")
        .values_list("from_status", flat=True)
        .first()
    )
    return last if last in RESUMABLE else WorkStatus.APPROVED


@transaction.atomic
def work_transition(
    *,
    work: Work,
    action: str,
    by: Any,
    note: str = "",
    on: datetime.date | None = None,
    photos: StagedPhotos = (),
) -> WorkStatusChange:
    """Apply one move of the transition table (apps.works.workflow.MOVES) to `work`.

    Refuses a move the table does not allow from the current status with
    TransitionRefusedError, and a person outside the work's communities with
    PermissionDenied. Records who, in which role, when, from/to, the note and photos.
    Side effects: "start" sets the actual start date, "complete" the actual end date and sends
    the completion note and photos to the linked resident reports, "open" opens the facility.
    """
    _check_may_manage(by, work)
    # Lock the row: two people pressing buttons at once must not both move it.
    Work.objects.select_for_update().filter(pk=work.pk).values_list("pk").get()
    work.refresh_from_db()  # the caller's instance sees the state it moves from, and to
    move = MOVES_BY_ACTION.get(action)
    if move is None:
        raise TransitionRefusedError(
            _("“%(action)s” is not something a work can do.") % {"action": action}
        )
    current = WorkStatus(work.status)
    if current not in move.sources:
        allowed = [str(m.label) for m in MOVES_BY_ACTION.values() if current in m.sources]
        raise TransitionRefusedError(
            _("A work that is “%(status)s” cannot “%(action)s”. Possible now: %(allowed)s.")
            % {
                "status": current.label,
                "action": move.label,
                "allowed": ", ".join(allowed) or _("nothing (this is final)"),
            }
        )
    target = move.target or _resume_target(work)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if action == "start" and work.actual_start is None:
        work.actual_start = day
    if action == "complete" and work.actual_end is None:
        if work.actual_start is not None and day < work.actual_start:
            raise ValidationError({"on": _("The work cannot end before it started.")})
        work.actual_end = day
    work.status = target
    work.save(update_fields=["status", "actual_start", "actual_end", "updated_at"])
    change = WorkStatusChange.objects.create(
        work=work,
        from_status=current,
        to_status=target,
        action=action,
        changed_by=by,
        role=acting_role(by, work.community_id),
        note=note.strip(),
    )
    saved_photos = _attach_photos(work, photos, change=change)
    if action == "open":
        work_open_facility(work=work, by=by, on=day)
    if action == "complete":
        feedback.completion_feedback_send(work=work, change=change, photos=saved_photos, by=by)
    return change


@transaction.atomic
def work_progress_add(
    *,
    work: Work,
    by: Any,
    on: datetime.date,
    percent: int,
    text: str = "",
    photos: StagedPhotos = (),
) -> WorkProgress:
    """Record a dated progress update with its before/during/after photos.

    Refused for a cancelled work (TransitionRefusedError), a date in the future or a percent
    outside 0–100 (ValidationError). Earlier updates are never changed.
    """
    _check_may_manage(by, work)
    if work.status == WorkStatus.CANCELLED:
        raise TransitionRefusedError(
            _("This work was cancelled: no more progress can be recorded.")
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    update = WorkProgress(work=work, on=on, percent=percent, text=text.strip(), recorded_by=by)
    update.full_clean()
    update.save()
    _attach_photos(work, photos, progress=update)
    return update


def _facility_geometry(work: Work, kind: str) -> GEOSGeometry:
    """The work's site as the facility's shape, or a point on it when the kind wants a point."""
    allowed = KIND_GEOMETRY_TYPES.get(kind, ())
    geom = work.geom
    if geom.geom_type in allowed:
        return geom
    if "Point" in allowed:
        return geom.point_on_surface
    raise ValidationError(
        {
            "geom": _("A %(kind)s cannot be drawn as %(type)s: redraw the site.")
            % {"kind": FacilityKind(kind).label, "type": geom.geom_type}
        }
    )


@transaction.atomic
def work_open_facility(*, work: Work, by: Any, on: datetime.date | None = None) -> Facility | None:
    """Put the facility a work built or repaired into service (status, completion date), or
    create it from the work's site when the work opens a new one (`facility_kind` set).

    Returns the facility, or None for a work that has no facility (e.g. a repair of a road
    that is not on the map). Idempotent: an open facility is left as it is.
    """
    _check_may_manage(by, work)
    # The facility was completed when the work was, not when it opened.
    day = work.actual_end or on or timezone.localdate()
    facility = work.facility
    if facility is None:
        if not work.facility_kind:
            return None
        facility = Facility(
            kind=work.facility_kind,
            name=work.name,
            name_en=work.name_en,
            community=work.community,
            geom=_facility_geometry(work, work.facility_kind),
            status=Facility.Status.IN_SERVICE,
            completed_on=day,
        )
        facility.full_clean()
        facility.save()
        work.facility = facility
        work.save(update_fields=["facility", "updated_at"])
        return facility
    changed = []
    if facility.status != Facility.Status.IN_SERVICE:
        facility.status = Facility.Status.IN_SERVICE
        changed.append("status")
    if facility.completed_on is None:
        facility.completed_on = day
        changed.append("completed_on")
    if changed:
        facility.save(update_fields=[*changed, "updated_at"])
    return facility


def _completion(work: Work) -> WorkStatusChange | None:
    return work.status_changes.filter(action="complete").order_by("-changed_at", "-pk").first()


@transaction.atomic
def work_report_link(*, work: Work, code: str, by: Any, note: str = "") -> WorkReport:
    """Link the resident report with tracking code `code` (of the work's community) to the
    work. A work already completed sends it the completion feedback straight away."""
    from apps.reports.models import Report

    _check_may_manage(by, work)
    code = (code or "").strip().upper()
    report = Report.objects.filter(code__iexact=code, community=work.community_id).first()
    if report is None:
        raise ValidationError(
            {
                "code": _("There is no report “%(code)s” in %(community)s: check the code.")
                % {"code": code, "community": work.community.name}
            }
        )
    if WorkReport.objects.filter(work=work, report=report).exists():
        raise ValidationError({"code": _("This report is already linked to the work.")})
    link = WorkReport.objects.create(work=work, report=report, linked_by=by, note=note.strip())
    change = _completion(work) if work.status in DONE_STATUSES else None
    if change is not None:
        photos = list(change.photos.all())
        feedback.completion_feedback_send(work=work, change=change, photos=photos, by=by)
        link.refresh_from_db()
    return link


@transaction.atomic
def work_feedback_resend(*, work: Work, by: Any) -> int:
    """Try again to give the completion feedback to the linked reports that have not had
    it (after a failure, e.g. by someone who has a role in the report's community)."""
    _check_may_manage(by, work)
    work.refresh_from_db(fields=["status"])
    change = _completion(work) if work.status in DONE_STATUSES else None
    if change is None:
        raise TransitionRefusedError(
            _("The work is not completed yet: the reports get their feedback when it is.")
        )
    photos = list(change.photos.all())
    return feedback.completion_feedback_send(work=work, change=change, photos=photos, by=by)


def transition_choices(work: Work) -> Iterable[tuple[str, str]]:
    """(action, label) of the moves open to this work now, for buttons."""
    from .workflow import moves_from

    return [(move.action, str(move.label)) for move in moves_from(work.status)]
