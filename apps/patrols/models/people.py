"""People on grids: per-community patrol settings, duty shifts and the assignment log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role
from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel


def default_required_roles() -> list[str]:
    # A joint patrol needs at least the grid worker and the property company beside them.
    return [Role.GRID_WORKER.value, Role.PROPERTY_STAFF.value]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class PatrolSettings(TimeStampedModel):
    """A community's rules for patrols (one row per community; defaults when absent)."""

    community = models.OneToOneField(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="patrol_settings",
        verbose_name=_("community"),
    )
    required_roles = ArrayField(
        models.CharField(max_length=32, choices=Role.choices),
        default=default_required_roles,
        blank=True,
        verbose_name=_("roles every patrol team needs"),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("patrol settings")
        verbose_name_plural = _("patrol settings")

    def __str__(self) -> str:
        return str(self.community)


class DutyShift(TimeStampedModel):
    """值班: who is on duty for a grid, every given weekday or on one date.

    A shift whose end is not after its start crosses midnight (22:00–06:00 ends the next
    morning). Dated shifts take precedence over weekly ones on their date.
    """

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="duty_shifts",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        "regions.Grid",
        on_delete=models.CASCADE,
        related_name="duty_shifts",
        verbose_name=_("grid"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="duty_shifts",
        verbose_name=_("person"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    on_date = models.DateField(_("date"), null=True, blank=True)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["grid", "on_date", "weekday", "start_time"]
        indexes = [
            models.Index(fields=["grid", "weekday"], name="dutyshift_grid_weekday"),
            models.Index(fields=["grid", "on_date"], name="dutyshift_grid_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(weekday__isnull=False) & Q(on_date__isnull=True))
                | (Q(weekday__isnull=True) & Q(on_date__isnull=False)),
                name="dutyshift_weekday_xor_date",
                violation_error_message=_("A shift is either weekly (a weekday) or on one date."),
            ),
            models.CheckConstraint(
                condition=~Q(start_time=models.F("end_time")),
                name="dutyshift_times_differ",
                violation_error_message=_("A shift must end at another time than it starts."),
            ),
        ]

    def __str__(self) -> str:
        when = self.on_date.isoformat() if self.on_date else self.get_weekday_display()
        return f"{self.grid} · {when} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.end_time <= self.start_time

    def clean(self) -> None:
        if (self.weekday is None) == (self.on_date is None):
            raise ValidationError(_("Choose either a weekday or a date for the shift."))
        if self.start_time is not None and self.start_time == self.end_time:
            raise ValidationError(
                {"end_time": _("A shift must end at another time than it starts.")}
            )
        if self.grid_id and self.community_id and self.grid.community_id != self.community_id:
            raise ValidationError({"grid": _("This grid belongs to another community.")})


class GridAssignmentChange(models.Model):
    """One grid given to or taken from a person's membership: who did it, when."""

    class Action(models.TextChoices):
        ADDED = "added", _("Assigned")
        REMOVED = "removed", _("Unassigned")

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="grid_assignment_changes",
        verbose_name=_("community"),
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.CASCADE,
        related_name="grid_assignment_changes",
        verbose_name=_("membership"),
    )
    grid = models.ForeignKey(
        "regions.Grid",
        on_delete=models.CASCADE,
        related_name="assignment_changes",
        verbose_name=_("grid"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("grid assignment change")
        verbose_name_plural = _("grid assignment changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.grid} · {self.membership}"
