"""Running a patrol: the one transition service, check-ins and findings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User

from ..access import acting_role, is_on_team, is_staff_of
from ..errors import ConflictError, ForbiddenError, PatrolError
from ..models import CheckIn, Checkpoint, PatrolInstance, PatrolTransition
from ..trackfiles import TrackFileError, check_position
from ..workflow import Actor, Status, may_move

# A check-in counts as on site within this many metres of the checkpoint (geodesic).
ON_SITE_RADIUS_M = 50.0
# A patrol may be started this long before its shift (the team gathers first).
EARLY_START = dt.timedelta(hours=1)


@transaction.atomic
def patrol_instance_transition(
    *,
    instance: PatrolInstance,
    to_status: str,
    by: User | None,
    actor: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> PatrolInstance:
    """Move a patrol to `to_status` if the table allows it for `actor`; record who/when.

    The one place a patrol's status changes. Refuses (ConflictError, HTTP 409) any move the
    transition table does not list for the current status and actor. Sets the actual
    start when it begins and the actual end when it completes or is abandoned.
    """
    locked = PatrolInstance.objects.select_for_update().get(pk=instance.pk)
    at = at or timezone.now()
    source = locked.status
    if not may_move(source, to_status, actor):
        raise ConflictError(
            _("A patrol that is “%(status)s” cannot become “%(target)s”.")
            % {"status": Status(source).label, "target": Status(to_status).label}
        )
    locked.status = to_status
    if to_status == Status.IN_PROGRESS:
        locked.started_at = at
    if source == Status.IN_PROGRESS:
        locked.ended_at = at
    locked.save(update_fields=["status", "started_at", "ended_at"])
    PatrolTransition.objects.create(
        community_id=locked.community_id,
        instance=locked,
        from_status=source,
        to_status=to_status,
        by=by,
        actor=actor,
        role=acting_role(by, locked.community_id, locked.plan_id) if by else "",
        at=at,
        note=note,
    )
    instance.refresh_from_db()
    return instance


def actor_for(user: User, instance: PatrolInstance) -> str:
    """TEAM if `user` is on the patrol's team, STAFF if they manage its community."""
    if is_on_team(user, instance.plan_id):
        return Actor.TEAM
    if is_staff_of(user, instance.community_id):
        return Actor.STAFF
    raise ForbiddenError(_("Only the patrol's team or the community's staff may do this."))


def patrol_start(
    *, instance: PatrolInstance, by: User, at: dt.datetime | None = None
) -> PatrolInstance:
    """Begin a planned patrol (team member or staff), from an hour before its shift until
    the shift ends."""
    actor = actor_for(by, instance)
    at = at or timezone.now()
    if instance.status == Status.PLANNED and not (
        instance.starts_at - EARLY_START <= at < instance.ends_at
    ):
        local = timezone.localtime(instance.starts_at)
        raise ConflictError(
            _("This patrol is planned for %(when)s; it can be started from an hour before.")
            % {"when": f"{local:%Y-%m-%d %H:%M}"}
        )
    return patrol_instance_transition(
        instance=instance, to_status=Status.IN_PROGRESS, by=by, actor=actor, at=at
    )


def patrol_end(
    *, instance: PatrolInstance, by: User, note: str = "", at: dt.datetime | None = None
) -> PatrolInstance:
    """Complete a patrol in progress (team member or staff)."""
    return patrol_instance_transition(
        instance=instance,
        to_status=Status.COMPLETED,
        by=by,
        actor=actor_for(by, instance),
        note=note,
        at=at,
    )


def patrol_cancel(*, instance: PatrolInstance, by: User, note: str) -> PatrolInstance:
    """Cancel a planned patrol, or abandon one under way (staff only, with a reason)."""
    if not is_staff_of(by, instance.community_id):
        raise ForbiddenError(_("Only the community's staff may cancel a patrol."))
    if not note.strip():
        raise PatrolError(_("Say why the patrol is cancelled."), errors={"note": _("Required.")})
    return patrol_instance_transition(
        instance=instance, to_status=Status.CANCELLED, by=by, actor=Actor.STAFF, note=note
    )


@transaction.atomic
def patrols_mark_missed(*, now: dt.datetime | None = None) -> int:
    """Mark planned patrols whose shift has ended without a start as missed (system)."""
    now = now or timezone.now()
    overdue = PatrolInstance.objects.filter(status=Status.PLANNED, ends_at__lte=now)
    count = 0
    for instance in overdue.select_for_update(skip_locked=True):
        patrol_instance_transition(
            instance=instance,
            to_status=Status.MISSED,
            by=None,
            actor=Actor.SYSTEM,
            note=_("The shift ended and the patrol was never started."),
            at=now,
        )
        count += 1
    return count


_DISTANCE_SQL = """
SELECT ST_Distance(c.location::geography, p.geog),
       ST_DWithin(c.location::geography, p.geog, %(radius)s)
FROM {checkpoint} AS c,
     (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS geog) AS p
WHERE c.id = %(checkpoint)s
"""


def _distance_to_checkpoint(checkpoint: Checkpoint, lon: float, lat: float) -> tuple[float, bool]:
    """Geodesic metres from (lon, lat) to the checkpoint, and whether that is on site."""
    sql = _DISTANCE_SQL.format(checkpoint=Checkpoint._meta.db_table)
    params = {"radius": ON_SITE_RADIUS_M, "lon": lon, "lat": lat, "checkpoint": checkpoint.pk}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        distance, on_site = cursor.fetchone()
    return float(distance), bool(on_site)


def _position(lon: Any, lat: Any) -> tuple[float, float]:
    try:
        return check_position(lon, lat, _("Your position"))
    except TrackFileError as error:
        raise PatrolError(error.message, errors={"position": error.message}) from None


def require_team_member(user: User, instance: PatrolInstance) -> None:
    if not is_on_team(user, instance.plan_id):
        raise ForbiddenError(_("Only members of this patrol's team may do this."))


def require_in_progress(instance: PatrolInstance) -> None:
    if instance.status != Status.IN_PROGRESS:
        raise ConflictError(
            _("The patrol is “%(status)s”: start it first.")
            % {"status": Status(instance.status).label}
            if instance.status == Status.PLANNED
            else _("The patrol is “%(status)s”: it no longer takes check-ins or positions.")
            % {"status": Status(instance.status).label}
        )


@transaction.atomic
def patrol_check_in(
    *,
    instance: PatrolInstance,
    checkpoint: Checkpoint,
    person: User,
    lon: Any,
    lat: Any,
    accuracy_m: float | None = None,
    at: dt.datetime | None = None,
    client_key: str | None = None,
) -> CheckIn:
    """Check `person` in at `checkpoint` from where their phone says they are.

    On site when within 50 m of the checkpoint (ST_DWithin on geography, i.e. geodesic);
    otherwise the check-in is still recorded, as remote, with its distance in metres.
    `client_key` (a UUID the phone picks for one press) makes a resend of the same press
    return the check-in already saved, even after the patrol ended.
    """
    require_team_member(person, instance)
    if checkpoint.plan_id != instance.plan_id:
        raise PatrolError(
            _("That checkpoint is not on this patrol's plan."), errors={"checkpoint": _("Unknown.")}
        )
    key = _client_key(client_key)
    if key is not None:
        # Lock the patrol so that two copies of one press arriving together are serialised.
        PatrolInstance.objects.select_for_update().filter(pk=instance.pk).first()
        saved = CheckIn.objects.filter(instance=instance, person=person, client_key=key).first()
        if saved is not None:
            return saved
    require_in_progress(instance)
    lon_f, lat_f = _position(lon, lat)
    distance, on_site = _distance_to_checkpoint(checkpoint, lon_f, lat_f)
    return CheckIn.objects.create(
        client_key=key,
        community_id=instance.community_id,
        instance=instance,
        checkpoint=checkpoint,
        person=person,
        location=Point(lon_f, lat_f, srid=4326),
        accuracy_m=_accuracy(accuracy_m),
        distance_m=distance,
        on_site=on_site,
        checked_at=at or timezone.now(),
    )


def _client_key(value: Any) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise PatrolError(
            _("The check-in key must be a UUID."), errors={"key": _("Not a UUID.")}
        ) from None


def _accuracy(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        accuracy = float(value)
    except (TypeError, ValueError):
        return None
    return accuracy if 0 <= accuracy < 1e6 else None


@transaction.atomic
def checkin_note_update(*, checkin: CheckIn, person: User, note: str) -> CheckIn:
    """Add or change the note of one's own check-in (nobody edits another's)."""
    if checkin.person_id != person.pk:
        raise ForbiddenError(_("You can only edit your own check-ins."))
    checkin.note = note.strip()[:2000]
    checkin.save(update_fields=["note"])
    return checkin
