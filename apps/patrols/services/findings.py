"""Findings on patrol: filed as a report of the reports app at the spot, linked back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User

from ..errors import PatrolError
from ..models import PatrolFinding, PatrolInstance
from ..trackfiles import TrackFileError, check_position
from .runs import require_in_progress, require_team_member


@transaction.atomic
def patrol_finding_record(
    *,
    instance: PatrolInstance,
    person: User,
    category: Any,
    description: str,
    lon: Any,
    lat: Any,
    photos: Sequence[Any] = (),
    idempotency_key: str | None = None,
) -> PatrolFinding:
    """Record what the patrol found at (lon, lat) and file it as a report there.

    The report goes through the reports app's own submission (report_submit: grid, duty
    grid worker, due times, notification), entered by staff in the name of the patrol
    member; the finding links the patrol to it. All or nothing: a refused report
    (ValidationError from the reports app) leaves no finding either.
    """
    from apps.reports.models import Report
    from apps.reports.services import report_submit

    require_team_member(person, instance)
    require_in_progress(instance)
    try:
        lon_f, lat_f = check_position(lon, lat, _("Your position"))
    except TrackFileError as error:
        raise PatrolError(error.message, errors={"location": error.message}) from None
    text = (description or "").strip()
    submission = report_submit(
        category=category,
        description=text,
        lon=lon_f,
        lat=lat_f,
        photos=photos,
        reporter=person,
        source=Report.Source.STAFF,
        idempotency_key=idempotency_key,
    )
    existing = PatrolFinding.objects.filter(report=submission.report).first()
    if existing is not None:  # the same submission sent twice: one finding
        return existing
    return PatrolFinding.objects.create(
        community_id=instance.community_id,
        instance=instance,
        person=person,
        location=Point(lon_f, lat_f, srid=4326),
        description=text,
        report=submission.report,
    )
