"""Programmes and facility works (工程): where, what, who pays, who builds, how far along.

A work's status only changes through `apps.works.services.work_transition`, which applies the
one table in `apps.works.workflow` and records every change as a `WorkStatusChange`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.geo import ValidGeometryConstraint, validate_geometry
from apps.core.history import tracked_history
from apps.core.models import BilingualNameModel, TimeStampedModel
from apps.facilities.models import FacilityKind

from .queries import WorkQuerySet
from .workflow import WorkStatus

# Shapes a site may take: a spot, a stretch of road or fence, an area (or several of each).
WORK_GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


class Programme(BilingualNameModel):
    """A district programme of works with a target and a deadline (e.g. 15 fitness sites)."""

    district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("district"),
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("owner organisation"),
    )
    target_count = models.PositiveIntegerField(
        _("target number of sites"), validators=[MinValueValidator(1)]
    )
    start_date = models.DateField(_("start date"))
    deadline = models.DateField(_("deadline"))
    budget = models.DecimalField(
        _("budget (yuan)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    description = models.TextField(_("description"), blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["deadline", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="programme_name_unique"),
            models.CheckConstraint(
                condition=Q(target_count__gte=1), name="programme_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("start_date")),
                name="programme_deadline_after_start",
                violation_error_message=_("The deadline must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="programme_budget_not_negative",
            ),
        ]


class WorkType(models.TextChoices):
    NEW_BUILD = "new_build", _("New build")  # 新建
    RENOVATION = "renovation", _("Renovation")  # 改造
    REPAIR = "repair", _("Repair")  # 维修
    MAINTENANCE = "maintenance", _("Maintenance")  # 养护


class Work(BilingualNameModel):
    """工程: one site of construction, renovation, repair or maintenance."""

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.PROTECT,
        related_name="works",
        verbose_name=_("community"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="works",
        verbose_name=_("programme"),
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="works",
        verbose_name=_("facility"),
        help_text=_("The facility this work builds or repairs, if it exists already."),
    )
    facility_kind = models.CharField(
        _("kind of facility opened"),
        max_length=32,
        choices=FacilityKind.choices,
        blank=True,
        help_text=_("For a work that creates a facility: the facility made when it opens."),
    )
    work_type = models.CharField(_("type"), max_length=16, choices=WorkType.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=WorkStatus.choices, default=WorkStatus.PROPOSED
    )
    geom = models.GeometryField(_("site"), srid=4326, spatial_index=False)
    contractor = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracted_works",
        verbose_name=_("contractor"),
    )
    budget = models.DecimalField(
        _("budget (yuan)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    actual_cost = models.DecimalField(
        _("actual cost (yuan)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    reports = models.ManyToManyField(
        "reports.Report",
        through="WorkReport",
        blank=True,
        related_name="works",
        verbose_name=_("resident reports"),
    )

    history = tracked_history()

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")
        ordering = ["community", "planned_end", "name"]
        indexes = [
            GistIndex(fields=["geom"], name="work_geom_gist"),
            models.Index(fields=["community", "status"], name="work_community_status"),
            models.Index(fields=["programme", "status"], name="work_programme_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="work_name_unique_in_community",
                violation_error_message=_("This community already has a work of that name."),
            ),
            ValidGeometryConstraint(
                condition=Q(geom__isvalid=True),
                name="work_geom_valid",
                violation_error_message=_(
                    "The shape is not a valid geometry (self-intersecting?)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="work_planned_end_after_start",
                violation_error_message=_("The planned end must not be before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="work_actual_end_after_start",
                violation_error_message=_("The actual end must not be before the actual start."),
            ),
            models.CheckConstraint(
                condition=(Q(budget__isnull=True) | Q(budget__gte=0))
                & (Q(actual_cost__isnull=True) | Q(actual_cost__gte=0)),
                name="work_money_not_negative",
                violation_error_message=_("Budget and cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=WorkStatus.values), name="work_status_known"
            ),
        ]

    def clean(self) -> None:
        validate_geometry(
            self.geom, field="geom", allowed_types=WORK_GEOMETRY_TYPES, what=str(_("A work site"))
        )
        facility = self.facility if self.facility_id else None
        if facility is not None and facility.community_id != self.community_id:
            raise ValidationError(
                {"facility": _("This facility belongs to another community than the work.")}
            )


class WorkFunder(models.Model):
    """Who pays for a work, and how much (e.g. 中交地产, 2,000,000 yuan for the D1 fence)."""

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="funders", verbose_name=_("work")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="funded_works",
        verbose_name=_("funder"),
    )
    amount = models.DecimalField(
        _("amount (yuan)"), validators=[MinValueValidator(0)], max_digits=14, decimal_places=2
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_('e.g. "2,000,000+ yuan, per the case"')
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["work", "-amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "organisation"],
                name="work_funder_unique",
                violation_error_message=_("This organisation is already a funder of the work."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="work_funder_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.amount}"


class WorkStatusChange(models.Model):
    """One status change of a work: who, in which role, when, from what to what, and why."""

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("work")
    )
    from_status = models.CharField(_("from"), max_length=24, choices=WorkStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=WorkStatus.choices)
    action = models.CharField(_("action"), max_length=24)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["work", "changed_at", "pk"]
        indexes = [models.Index(fields=["work", "changed_at"], name="work_change_work_time")]

    def __str__(self) -> str:
        return f"{self.work}: {self.from_status or '—'} → {self.to_status}"


class WorkProgress(TimeStampedModel):
    """A dated progress update: how far along (0–100 %), what was done, with photos."""

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="progress_updates", verbose_name=_("work")
    )
    on = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("what was done"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["work", "on", "pk"]
        indexes = [models.Index(fields=["work", "-on", "-id"], name="work_progress_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="work_progress_percent_range",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.on} · {self.percent}%"


class WorkPhoto(models.Model):
    """A photo of a work, taken before, during or after, attached to a progress update or a
    status change (re-encoded without EXIF by apps.core.photos)."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        DURING = "during", _("During")
        AFTER = "after", _("After")

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="photos", verbose_name=_("work")
    )
    progress = models.ForeignKey(
        WorkProgress,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("progress update"),
    )
    status_change = models.ForeignKey(
        WorkStatusChange,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("status change"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    image = models.ImageField(_("photo"), upload_to="works/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="works/%Y/%m/")
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = tracked_history()

    class Meta:
        verbose_name = _("work photo")
        verbose_name_plural = _("work photos")
        ordering = ["work", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=False) | Q(status_change__isnull=False),
                name="work_photo_attached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} · {self.get_stage_display()}"


class WorkReport(models.Model):
    """A resident report that motivated a work. When the work is completed, the report gets
    the completion note and photos as its feedback (see apps.works.feedback)."""

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="report_links", verbose_name=_("work")
    )
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.PROTECT,
        related_name="work_links",
        verbose_name=_("report"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)
    feedback_at = models.DateTimeField(_("feedback sent at"), null=True, blank=True)
    feedback_transition = models.ForeignKey(
        "reports.ReportTransition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback step"),
    )
    feedback_problem = models.TextField(
        _("why the feedback could not be sent"),
        blank=True,
        help_text=_("Kept until the feedback is sent, so that nobody forgets the resident."),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("linked report")
        verbose_name_plural = _("linked reports")
        ordering = ["work", "linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "report"],
                name="work_report_unique",
                violation_error_message=_("This report is already linked to the work."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} ← {self.report}"
