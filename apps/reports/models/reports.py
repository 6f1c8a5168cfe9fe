"""A resident's report (报事报修) and the "me too"s other residents add to it."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import SnapToGrid
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Case, F, Q, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from apps.core.geo import ValidGeometryConstraint
from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel

from ..states import Stage, Status
from .categories import Category

# Tracking codes: 8 characters from 29 that cannot be mistaken for one another when read
# aloud or copied by hand (no 0/O, 1/I/L, U/V). 29**8 ≈ 5e11 codes: not guessable.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 8
DESCRIPTION_MAX_LENGTH = 4000
# A private location is shown as the nearest point of a 0.0015° lattice: cells of about
# 167 m north-south and 147 m east-west at Changsha's latitude (28.2°N; 111 km × cos φ per
# degree of longitude), so the spot is no longer a door but still the right block.
BLUR_CELL_DEGREES = 0.0015


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def location_geography() -> Cast:
    """`location::geography`: the expression metric queries use and the index is built on.

    The duplicate check (`ST_DWithin(location::geography, point, 30)`) can only use an
    index built on this very expression, so both take it from here.
    """
    return Cast("location", output_field=GeometryField(geography=True, srid=4326))


class Report(TimeStampedModel):
    """One problem a resident pinned on the map, from submission to closure.

    The grid, the duty grid worker and the nearest building are assigned in the database
    when the report is submitted (apps.reports.services.report_submit). Contact details
    are private: only staff handling the report see them.
    """

    class Source(models.TextChoices):
        WEB = "web", _("Web page")
        OPEN311 = "open311", _("Open311 API")
        STAFF = "staff", _("Entered by staff")

    code = models.CharField(
        _("tracking code"), max_length=CODE_LENGTH, unique=True, default=new_tracking_code
    )
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        "regions.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("grid"),
    )
    duty_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duty_reports",
        verbose_name=_("duty grid worker"),
    )
    building = models.ForeignKey(
        "regions.Building",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("nearest building"),
    )
    building_distance_m = models.FloatField(
        _("distance to the building (m)"), null=True, blank=True
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("category")
    )
    description = models.CharField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    location = models.PointField(_("location"), srid=4326, spatial_index=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.WEB
    )

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reporter"),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Staff do not see who the reporter is (no account, or they asked so)."),
    )
    contact_phone = models.CharField(_("contact phone (private)"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail (private)"), blank=True)
    location_private = models.BooleanField(
        _("exact location private"),
        default=False,
        db_default=False,  # bulk loaders writing SQL need not know the column
        help_text=_(
            "The resident asked to keep the exact spot private (e.g. their own door): public "
            "maps show it blurred to a cell of about 150 m; staff handling it see it exactly."
        ),
    )
    # What public layers draw: the exact point, or for a private location the centre of its
    # fixed ~150 m cell. Computed by PostgreSQL (a stored generated column, GiST-indexed), so
    # every encoder (GeoJSON, OGC API, tiles, exports) reads the same blurred point, the bbox
    # and tile filters test the blurred point (a small bbox cannot locate the exact one), and
    # repeated requests always give the same cell, which cannot be averaged away.
    public_location = models.GeneratedField(
        expression=Case(
            When(
                location_private=True,
                then=SnapToGrid("location", BLUR_CELL_DEGREES),
            ),
            default=F("location"),
            output_field=models.PointField(srid=4326),
        ),
        output_field=models.PointField(srid=4326, spatial_index=False),
        db_persist=True,
        verbose_name=_("public location"),
    )

    dispatched_to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispatched_reports",
        verbose_name=_("dispatched to (person)"),
    )
    dispatched_to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispatched_reports",
        verbose_name=_("dispatched to (organisation)"),
    )

    submitted_at = models.DateTimeField(_("submitted at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the resident at"), null=True, blank=True)

    accept_due = models.DateTimeField(_("to be accepted by"))
    dispatch_due = models.DateTimeField(_("to be dispatched by"))
    handle_due = models.DateTimeField(_("to be handled by"))
    deferred_hours = models.PositiveIntegerField(
        _("deadline extended by (hours)"), default=0
    )  # 延期: counted apart in on-time rates
    rework_count = models.PositiveSmallIntegerField(_("times sent back for rework"), default=0)
    me_too_count = models.PositiveIntegerField(_("“me too”s"), default=0)

    idempotency_key = models.CharField(
        _("submission key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Sent by the form: a resubmission with the same key is the same report."),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            GistIndex(fields=["location"], name="report_location_gist"),
            GistIndex(fields=["public_location"], name="report_public_location_gist"),
            # The 30 m duplicate check measures on the spheroid: it needs this expression.
            GistIndex(location_geography(), name="report_location_geog_gist"),
            models.Index(fields=["community", "status"], name="report_community_status"),
            models.Index(fields=["grid", "status"], name="report_grid_status"),
            models.Index(fields=["status", "handle_due"], name="report_status_handle_due"),
            models.Index(fields=["reporter", "-submitted_at"], name="report_reporter_recent"),
            # Figures and Open311 GET filter a community's reports by submission time.
            models.Index(fields=["community", "submitted_at"], name="report_community_submitted"),
            # The console's newest-first pages over a whole city (a superuser, a district).
            models.Index(fields=["-submitted_at", "-id"], name="report_recent"),
        ]
        constraints = [
            ValidGeometryConstraint(
                condition=Q(location__isvalid=True),
                name="report_location_valid",
                violation_error_message=_("The location is not a valid point."),
            ),
            models.CheckConstraint(
                condition=Q(accept_due__lte=F("dispatch_due"))
                & Q(dispatch_due__lte=F("handle_due")),
                name="report_due_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.category}"

    @property
    def is_deferred(self) -> bool:
        return self.deferred_hours > 0

    @property
    def dispatched_to_label(self) -> str:
        """Who it is dispatched to, as staff see it."""
        if self.dispatched_to_user_id and self.dispatched_to_organisation_id:
            return f"{self.dispatched_to_organisation} · {self.dispatched_to_user}"
        if self.dispatched_to_user_id:
            return str(self.dispatched_to_user)
        if self.dispatched_to_organisation_id:
            return str(self.dispatched_to_organisation)
        return ""

    def current_stage(self) -> Stage | None:
        """The SLA stage the report waits in, or None when nothing is due."""
        if self.status == Status.SUBMITTED:
            return Stage.ACCEPT
        if self.status == Status.ACCEPTED:
            return Stage.DISPATCH
        if self.status in (Status.DISPATCHED, Status.IN_PROGRESS):
            return Stage.HANDLE
        return None

    def due_for(self, stage: str) -> datetime.datetime:
        return {
            Stage.ACCEPT: self.accept_due,
            Stage.DISPATCH: self.dispatch_due,
            Stage.HANDLE: self.handle_due,
        }[Stage(stage)]


class MeToo(models.Model):
    """A resident saying "this affects me too" instead of filing a duplicate (+1)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="me_toos", verbose_name=_("report")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    # A keyed hash of the client address, so one phone counts once without storing its IP.
    client_key = models.CharField(_("client key"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("“me too”")
        verbose_name_plural = _("“me too”s")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=Q(user__isnull=False),
                name="metoo_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["report", "client_key"],
                condition=Q(user__isnull=True),
                name="metoo_once_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"+1 {self.report.code}"
