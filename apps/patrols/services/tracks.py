"""Patrol tracks: live position posts and uploaded GPX / GeoJSON files.

Points are kept as they came (PatrolTrackPoint); the patrol's `track` is rebuilt from them
in PostGIS, one line per person, recording and segment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from apps.accounts.models import User

from ..errors import ConflictError, PatrolError
from ..models import PatrolInstance, PatrolTrackPoint, PatrolTrackUpload
from ..trackfiles import Position, TrackFileError, check_position, parse_track
from ..workflow import Status
from .runs import _accuracy, require_in_progress, require_team_member

MAX_POINTS_PER_POST = 500

# Each person's recordings become lines (ordered as the points arrived); repeated
# positions (standing still) are dropped, and a line needs two distinct points.
_REBUILD_SQL = """
UPDATE {instance} AS i SET track = (
    SELECT ST_Multi(ST_Collect(seg.line ORDER BY seg.person_id, seg.upload_id NULLS FIRST,
                                                 seg.segment))
    FROM (
        SELECT p.person_id, p.upload_id, p.segment,
               ST_RemoveRepeatedPoints(ST_MakeLine(p.location ORDER BY p.id)) AS line
        FROM {point} AS p
        WHERE p.instance_id = i.id
        GROUP BY p.person_id, p.upload_id, p.segment
    ) AS seg
    WHERE ST_IsValid(seg.line)
)
WHERE i.id = %s
"""


def patrol_track_rebuild(*, instance: PatrolInstance) -> None:
    """Recompute the patrol's track lines from its points, in PostGIS."""
    sql = _REBUILD_SQL.format(
        instance=PatrolInstance._meta.db_table, point=PatrolTrackPoint._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [instance.pk])


def _point(position: Position | tuple[float, float]) -> Point:
    lon, lat = (position.lon, position.lat) if isinstance(position, Position) else position
    return Point(lon, lat, srid=4326)


def _posted_time(value: Any, where: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise PatrolError(
            _("%(where)s: the time must be an ISO 8601 time with a zone.") % {"where": where}
        )
    return parsed


@transaction.atomic
def patrol_track_append(
    *, instance: PatrolInstance, person: User, points: Iterable[Mapping[str, Any]]
) -> int:
    """Add positions the phone posted during the patrol (`lat`, `lng`, optional `time`
    and `accuracy`); all or none are saved. Positions already received (same fix time) are
    skipped, so a resent batch adds nothing twice. Returns how many were added."""
    require_team_member(person, instance)
    require_in_progress(instance)
    rows = []
    for number, item in enumerate(points, start=1):
        if number > MAX_POINTS_PER_POST:
            raise PatrolError(
                _("Send at most %(max)d positions at a time.") % {"max": MAX_POINTS_PER_POST}
            )
        where = _("position %(n)d") % {"n": number}
        if not isinstance(item, Mapping):
            raise PatrolError(_("%(where)s must be an object with lat and lng.") % {"where": where})
        try:
            lon, lat = check_position(item.get("lng"), item.get("lat"), where)
        except TrackFileError as error:
            raise PatrolError(error.message) from None
        rows.append(
            PatrolTrackPoint(
                community_id=instance.community_id,
                instance=instance,
                person=person,
                location=_point((lon, lat)),
                recorded_at=_posted_time(item.get("time"), where),
                accuracy_m=_accuracy(item.get("accuracy")),
            )
        )
    if not rows:
        raise PatrolError(_("No positions were sent."))
    rows = _not_yet_saved(instance, person, rows)
    if rows:
        PatrolTrackPoint.objects.bulk_create(rows)
        patrol_track_rebuild(instance=instance)
    return len(rows)


def _not_yet_saved(
    instance: PatrolInstance, person: User, rows: list[PatrolTrackPoint]
) -> list[PatrolTrackPoint]:
    # A phone resends a batch whose answer it did not get; the positions it already
    # delivered (same person, same fix time, posted live) are not stored a second time.
    times = {row.recorded_at for row in rows if row.recorded_at is not None}
    seen = set(
        PatrolTrackPoint.objects.filter(
            instance=instance, person=person, upload__isnull=True, recorded_at__in=times
        ).values_list("recorded_at", flat=True)
    )
    fresh = []
    for row in rows:
        if row.recorded_at is not None:
            if row.recorded_at in seen:
                continue
            seen.add(row.recorded_at)
        fresh.append(row)
    return fresh


@transaction.atomic
def patrol_track_import(
    *, instance: PatrolInstance, person: User, filename: str, content: bytes
) -> PatrolTrackUpload:
    """Import a GPX or GeoJSON track file for `person` on this patrol.

    The file is parsed completely before anything is written; a bad file raises
    PatrolError with the reason and leaves nothing saved. Accepted while the patrol is
    under way or after it was completed.
    """
    require_team_member(person, instance)
    if instance.status not in (Status.IN_PROGRESS, Status.COMPLETED):
        raise ConflictError(
            _("Tracks can be uploaded for a patrol under way or completed, not a “%(status)s” one.")
            % {"status": Status(instance.status).label}
        )
    try:
        kind, positions = parse_track(filename, content)
    except TrackFileError as error:
        raise PatrolError(error.message, errors={"file": error.message}) from None
    upload = PatrolTrackUpload.objects.create(
        community_id=instance.community_id,
        instance=instance,
        person=person,
        filename=filename[:255],
        file_format=kind,
        point_count=len(positions),
    )
    PatrolTrackPoint.objects.bulk_create(
        [
            PatrolTrackPoint(
                community_id=instance.community_id,
                instance=instance,
                person=person,
                upload=upload,
                segment=min(position.segment, 32767),
                location=_point(position),
                recorded_at=position.recorded_at,
            )
            for position in positions
        ],
        batch_size=2000,
    )
    patrol_track_rebuild(instance=instance)
    return upload
