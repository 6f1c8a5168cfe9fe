"""Submitting a report and adding "me too" to one; the photo storage the steps share."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.geo import LAT_RANGE, LON_RANGE
from apps.core.photos import ProcessedPhoto, photos_process

from .. import notifications as notify
from .. import selectors
from ..errors import TransitionNotAllowedError
from ..models import (
    DESCRIPTION_MAX_LENGTH,
    Category,
    MeToo,
    Notification,
    Report,
    ReportPhoto,
    ReportTransition,
    new_tracking_code,
)
from ..ratelimit import attempt_key, rate_limit_check, rate_limit_record
from ..sla import due_times
from ..states import OPEN_STATUSES, Action, ActorRole, Status

MAX_PHOTOS = 3
NOTE_MAX_LENGTH = 4000
# A closed report can be disputed by its resident for this many days.
DISPUTE_WINDOW_DAYS = 14
MAX_DEFER_HOURS = 30 * 24
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,30}$")


@dataclass(frozen=True)
class Submission:
    report: Report
    created: bool  # False: the same submission came again and got the same report


# --- submitting ---------------------------------------------------------------------------


def report_submit(
    *,
    category: Category | int | str,
    description: str,
    lon: float | str,
    lat: float | str,
    photos: Sequence[Any] = (),
    reporter: User | None = None,
    contact_phone: str = "",
    contact_email: str = "",
    hide_identity: bool = False,
    location_private: bool = False,
    idempotency_key: str | None = None,
    client_ip: str | None = None,
    source: str = Report.Source.WEB,
    at: datetime.datetime | None = None,
) -> Submission:
    """File a report at (lon, lat) and assign it in the database.

    The point must lie in a served community (else ValidationError on "location" saying
    so); the grid covering it, that grid's duty grid worker and the nearest building are
    assigned, and due times come from the category's SLA. A second call with the same
    `idempotency_key` returns the first report untouched. With `location_private`, public
    surfaces show the point blurred (Report.public_location). Anonymous submissions (no
    `reporter`) are rate-limited per client address and per phone number (RateLimitedError).
    Photos (at most 3) are checked and re-encoded; a bad one refuses the whole report.
    """
    now = at or timezone.now()
    key = (idempotency_key or "").strip() or None
    if key is not None:
        if not IDEMPOTENCY_KEY.match(key):
            raise ValidationError(
                {"idempotency_key": _("The form's submission key is malformed: reload the page.")}
            )
        existing = Report.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return Submission(existing, created=False)

    fields = _clean_submission(
        category=category,
        description=description,
        lon=lon,
        lat=lat,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    point = fields["location"]
    community = selectors.community_at(point)
    if community is None:
        raise ValidationError(
            {
                "location": _(
                    "This place (%(lat).5f, %(lon).5f) is outside the communities this service "
                    "covers. Move the pin inside the outlined area, or contact your own "
                    "community."
                )
                % {"lat": point.y, "lon": point.x}
            },
            code="outside_area",
        )
    anonymous = reporter is None or not reporter.is_authenticated
    if anonymous:
        rate_limit_check(client_ip=client_ip, phone=fields["contact_phone"], at=now, lock=False)
    processed = _process_photos(photos)

    # Photos are decoded above, outside the transaction, so it stays short.
    with _files_removed_on_error() as written, transaction.atomic():
        if key is not None:
            # Two taps at the same moment: the second waits here, then finds the first.
            _advisory_lock(f"report-key:{key}")
            existing = Report.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return Submission(existing, created=False)
        if anonymous:
            rate_limit_check(client_ip=client_ip, phone=fields["contact_phone"], at=now, lock=True)
            rate_limit_record(client_ip=client_ip, phone=fields["contact_phone"], at=now)
        report = _create_report(
            fields,
            community=community,
            reporter=None if anonymous else reporter,
            hide_identity=anonymous or hide_identity,
            location_private=location_private,
            key=key,
            source=source,
            at=now,
        )
        transition = ReportTransition.objects.create(
            report=report,
            community=community,
            action=Action.SUBMIT,
            from_status="",
            to_status=Status.SUBMITTED,
            actor=report.reporter,
            actor_role=ActorRole.RESIDENT,
            at=now,
        )
        _save_photos(
            report,
            processed,
            stage=ReportPhoto.Stage.SUBMISSION,
            transition=transition,
            written=written,
        )
        with translation.override(settings.LANGUAGE_CODE):
            notify.notify(
                [report.duty_worker],
                report=report,
                kind=Notification.Kind.NEW_REPORT,
                text=_("New report %(code)s in grid %(grid)s: %(category)s.")
                % {
                    "code": report.code,
                    "grid": report.grid.code if report.grid else "—",
                    "category": report.category.name,
                },
            )
    return Submission(report, created=True)


def _clean_submission(**raw: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    category = raw["category"]
    if not isinstance(category, Category):
        lookup = {"pk": category} if str(category).isdigit() else {"code": str(category)}
        category = Category.objects.filter(is_active=True, **lookup).first()
    if category is None or not category.is_active:
        errors["category"] = _("Choose what the problem is about from the list.")
    description = (raw["description"] or "").strip()
    if not description:
        errors["description"] = _("Describe the problem in a few words.")
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _(
            "The description is %(length)d characters long; keep it within %(max)d."
        ) % {"length": len(description), "max": DESCRIPTION_MAX_LENGTH}
    point = None
    try:
        lon, lat = float(raw["lon"]), float(raw["lat"])
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            raise ValueError
        point = Point(lon, lat, srid=4326)
    except (TypeError, ValueError):
        errors["location"] = _("Put the pin on the map where the problem is.")
    phone = (raw["contact_phone"] or "").strip()
    if phone and (not PHONE.match(phone) or not 5 <= len(re.sub(r"\D", "", phone)) <= 20):
        errors["contact_phone"] = _("“%(phone)s” is not a phone number.") % {"phone": phone}
    email = (raw["contact_email"] or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("“%(email)s” is not an e-mail address.") % {"email": email}
    if errors:
        raise ValidationError(errors)
    return {
        "category": category,
        "description": description,
        "location": point,
        "contact_phone": phone,
        "contact_email": email,
    }


def _process_photos(photos: Sequence[Any]) -> list[ProcessedPhoto]:
    try:
        return photos_process([p for p in photos if p], max_count=MAX_PHOTOS)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None


def _create_report(
    fields: dict[str, Any],
    *,
    community: Any,
    reporter: User | None,
    hide_identity: bool,
    location_private: bool,
    key: str | None,
    source: str,
    at: datetime.datetime,
) -> Report:
    point = fields["location"]
    grid = selectors.grid_at(point, community=community)
    building = selectors.nearest_building(point, community=community)
    code = new_tracking_code()
    while Report.objects.filter(code=code).exists():  # 5e11 codes: practically never loops
        code = new_tracking_code()
    return Report.objects.create(
        code=code,
        community=community,
        grid=grid,
        duty_worker=selectors.duty_worker_for(grid),
        building=building,
        building_distance_m=round(getattr(building, "distance_m", 0.0), 1) if building else None,
        category=fields["category"],
        description=fields["description"],
        location=point,
        status=Status.SUBMITTED,
        source=source,
        reporter=reporter,
        is_anonymous=hide_identity,
        location_private=location_private,
        contact_phone=fields["contact_phone"],
        contact_email=fields["contact_email"],
        submitted_at=at,
        idempotency_key=key,
        **due_times(fields["category"], at),
    )


def _save_photos(
    report: Report,
    processed: Iterable[ProcessedPhoto],
    *,
    stage: str,
    transition: ReportTransition | None,
    written: list[tuple[Any, str]],
) -> list[ReportPhoto]:
    """Store processed photos; each file written is added to `written`, so a caller whose
    transaction fails can remove them again (see `_files_removed_on_error`)."""
    saved = []
    for photo in processed:
        row = ReportPhoto(
            report=report,
            community_id=report.community_id,
            transition=transition,
            stage=stage,
            width=photo.width,
            height=photo.height,
            original_name=photo.original_name,
        )
        row.file.save(str(photo.image.name), photo.image, save=False)
        written.append((row.file.storage, str(row.file.name)))
        row.thumbnail.save(str(photo.thumbnail.name), photo.thumbnail, save=False)
        written.append((row.thumbnail.storage, str(row.thumbnail.name)))
        row.save()
        saved.append(row)
    return saved


class _files_removed_on_error:  # noqa: N801 - used as a context manager, reads as a clause
    """Delete the files written inside the block if the block fails (a rolled-back report
    must not leave photos behind)."""

    def __init__(self) -> None:
        self.written: list[tuple[Any, str]] = []

    def __enter__(self) -> list[tuple[Any, str]]:
        return self.written

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is not None:
            for storage, name in self.written:
                storage.delete(name)


def _advisory_lock(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


# --- "me too" -----------------------------------------------------------------------------


@transaction.atomic
def report_me_too(
    *, report: Report, user: User | None = None, client_ip: str | None = None
) -> tuple[Report, bool]:
    """Add a resident's "me too" to an open report instead of a duplicate; once per person
    (signed in) or per client address (anonymous). Returns the report and whether it counted.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in OPEN_STATUSES:
        raise TransitionNotAllowedError(
            action="me_too",
            status=report.status,
            message=_("This report is “%(status)s” and no longer takes “me too”s.")
            % {"status": Status(report.status).label},
        )
    person = user if user is not None and user.is_authenticated else None
    if person is not None and report.reporter_id == person.pk:
        return report, False
    if person is not None:
        found = MeToo.objects.filter(report=report, user=person).exists()
        client_key = ""
    else:
        client_key = attempt_key("metoo", client_ip or "unknown")
        found = MeToo.objects.filter(report=report, user=None, client_key=client_key).exists()
    if found:
        return report, False
    MeToo.objects.create(
        report=report,
        community_id=report.community_id,
        user=person,
        client_key=client_key,
    )
    Report.objects.filter(pk=report.pk).update(me_too_count=F("me_too_count") + 1)
    report.refresh_from_db(fields=["me_too_count"])
    return report, True
