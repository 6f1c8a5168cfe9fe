"""Patrol plans (巡逻计划): area and route, checkpoints, a joint team, a shift and a recurrence."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role
from apps.core.geo import validate_geometry
from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel

from .common import geography, valid_geometry
from .people import Weekday


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("On chosen weekdays")


class PatrolPlan(TimeStampedModel):
    """What to patrol, who goes, when, and how often.

    The shift runs from `start_time` to `end_time` local time (Asia/Shanghai); an end not
    after the start means the shift ends the next morning (22:00–06:00). Instances are
    generated for every day of the recurrence from `starts_on` to `until` (inclusive).
    """

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="patrol_plans",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=200)
    grids = models.ManyToManyField(
        "regions.Grid", blank=True, related_name="patrol_plans", verbose_name=_("area (grids)")
    )
    route = models.LineStringField(
        _("route"), srid=4326, null=True, blank=True, spatial_index=False
    )
    start_time = models.TimeField(_("shift starts"))
    end_time = models.TimeField(_("shift ends"))
    recurrence = models.CharField(
        _("repeats"), max_length=16, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(),
        default=list,
        blank=True,
        verbose_name=_("weekdays (0 = Monday)"),
    )
    starts_on = models.DateField(_("first day"))
    until = models.DateField(_("last day"))
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["community", "name"]
        indexes = [
            GistIndex(fields=["route"], name="patrolplan_route_gist"),
            GistIndex(geography("route"), name="patrolplan_route_geog_gist"),
        ]
        constraints = [
            valid_geometry("plan", "route"),
            models.CheckConstraint(
                condition=Q(until__gte=F("starts_on")),
                name="patrolplan_until_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=~Q(start_time=F("end_time")),
                name="patrolplan_times_differ",
                violation_error_message=_("A shift must end at another time than it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_names(self) -> str:
        """The chosen weekdays by name ("周二、周四"), empty unless the plan is weekly."""
        if self.recurrence != Recurrence.WEEKLY:
            return ""
        return "、".join(str(Weekday(day).label) for day in sorted(self.weekdays))

    @property
    def crosses_midnight(self) -> bool:
        return self.end_time <= self.start_time

    def clean(self) -> None:
        validate_geometry(self.route, field="route", allowed_types=("LineString",))


class Checkpoint(models.Model):
    """打卡点: a place the patrol must reach (a gate, the garbage station, a car park)."""

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="patrol_checkpoints",
        verbose_name=_("community"),
    )
    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    location = models.PointField(_("location"), srid=4326, spatial_index=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = tracked_history()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["plan", "position", "pk"]
        indexes = [
            GistIndex(fields=["location"], name="checkpoint_location_gist"),
            GistIndex(geography("location"), name="checkpoint_location_geog_gist"),
        ]
        constraints = [valid_geometry("checkpoint", "location")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validate_geometry(self.location, field="location", allowed_types=("Point",))


class PatrolTeamMember(models.Model):
    """One person of a joint patrol team, in the role they patrol in."""

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="patrol_team_members",
        verbose_name=_("community"),
    )
    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.CASCADE, related_name="team", verbose_name=_("plan")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="patrol_teams",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["plan", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "person"],
                name="patrolteam_person_once_per_plan",
                violation_error_message=_("This person is already on the team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role and self.role not in Role.values:
            raise ValidationError({"role": _("Unknown role.")})
