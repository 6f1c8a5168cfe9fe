"""Report categories (报事报修类别) and their service-level times."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel


class DispatchHint(models.TextChoices):
    """Who usually handles a category: the console suggests them when dispatching."""

    GRID_WORKER = "grid_worker", _("The grid's duty grid worker")
    PROPERTY_COMPANY = "property_company", _("The compound's property company")
    POLICE = "police", _("The police station")
    COMMUNITY = "community", _("The community office")


class Category(TimeStampedModel):
    """What a report is about. SLA hours count from submission: a report must be accepted
    within `accept_hours`, dispatched within `dispatch_hours` and handled within
    `handle_hours` of being submitted (so accept ≤ dispatch ≤ handle)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    accept_hours = models.PositiveIntegerField(
        _("hours to accept"), help_text=_("From submission to acceptance (受理).")
    )
    dispatch_hours = models.PositiveIntegerField(
        _("hours to dispatch"), help_text=_("From submission to dispatch (派遣).")
    )
    handle_hours = models.PositiveIntegerField(
        _("hours to handle"), help_text=_("From submission to the handling feedback (处置反馈).")
    )
    dispatch_hint = models.CharField(
        _("usually handled by"),
        max_length=32,
        choices=DispatchHint.choices,
        default=DispatchHint.GRID_WORKER,
    )
    is_public = models.BooleanField(
        _("shown on the public map"),
        default=True,
        help_text=_(
            "Accepted reports of public categories appear on the public map (without any "
            "personal data). Keep complaints, noise and safety reports off it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = tracked_history()

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accept_hours__gt=0)
                & Q(dispatch_hours__gte=F("accept_hours"))
                & Q(handle_hours__gte=F("dispatch_hours")),
                name="category_sla_hours_ordered",
                violation_error_message=_(
                    "SLA hours must grow from stage to stage: 0 < accept ≤ dispatch ≤ handle."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name
