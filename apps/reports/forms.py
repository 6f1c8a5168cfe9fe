"""Forms of the staff console: list filters and the fields of each workflow step.

The resident's submission has no Django form: its rules live in
apps.reports.services.report_submit, so the web page and the Open311 API share them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation, User
from apps.regions.models import Grid

from .models import Category
from .services import MAX_DEFER_HOURS
from .sla import overdue_filter
from .states import Status


class ConsoleFilterForm(forms.Form):
    """What the console list and map show. Every field is optional."""

    q = forms.CharField(label=_("Tracking code"), required=False, max_length=16)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Not finished")), *Status.choices],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.all(),
        empty_label=_("Any category"),
    )
    grid = forms.ModelChoiceField(
        label=_("Grid"), required=False, queryset=Grid.objects.none(), empty_label=_("Any grid")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    submitted_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, grids: QuerySet[Grid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grid_field = self.fields["grid"]
        assert isinstance(grid_field, forms.ModelChoiceField)
        grid_field.queryset = grids.select_related("community").order_by("community__code", "code")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date: swap them."))
        return cleaned

    def apply(self, reports: QuerySet) -> QuerySet:
        """Filter `reports` by the valid fields (an invalid form filters nothing more)."""
        if not self.is_valid():
            return reports
        data = self.cleaned_data
        if data.get("q"):
            reports = reports.filter(code__icontains=data["q"].strip().upper())
        status = data.get("status")
        if status == "open":
            reports = reports.exclude(status__in=[Status.REJECTED, Status.CLOSED])
        elif status:
            reports = reports.filter(status=status)
        if data.get("category"):
            reports = reports.filter(category=data["category"])
        if data.get("grid"):
            reports = reports.filter(grid=data["grid"])
        if data.get("overdue"):
            reports = reports.filter(overdue_filter())
        if data.get("submitted_from"):
            reports = reports.filter(submitted_at__date__gte=data["submitted_from"])
        if data.get("submitted_to"):
            reports = reports.filter(submitted_at__date__lte=data["submitted_to"])
        return reports


def parse_target(value: str, *, community_ids: Any) -> tuple[User | None, Organisation | None]:
    """ "user:<id>" or "org:<id>" from the dispatch select, within the given communities."""
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit():
        raise ValidationError({"target": _("Choose whom to dispatch the report to.")})
    if kind == "user":
        user = User.objects.filter(
            pk=int(raw), memberships__community_id__in=community_ids, is_active=True
        ).first()
        if user is not None:
            return user, None
    elif kind == "org":
        organisation = Organisation.objects.filter(
            Q(pk=int(raw)), Q(memberships__community_id__in=community_ids)
        ).first()
        if organisation is not None:
            return None, organisation
    raise ValidationError({"target": _("That choice is not available: pick one from the list.")})


def parse_hours(value: str) -> int:
    try:
        hours = int((value or "").strip())
    except ValueError:
        hours = 0
    if not 1 <= hours <= MAX_DEFER_HOURS:
        raise ValidationError(
            {
                "hours": _("Extend by a whole number of hours, 1 to %(max)d.")
                % {"max": MAX_DEFER_HOURS}
            }
        )
    return hours
