"""The dashboard's filters: a month range and a community."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.regions.models import Community

from .selectors import Period

MAX_MONTHS = 60
DEFAULT_MONTHS = 12


def _month(value: datetime.date, delta: int) -> datetime.date:
    index = value.year * 12 + value.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


class MonthField(forms.CharField):
    """An <input type="month"> (YYYY-MM), cleaned to the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})
    default_error_messages = {"invalid": _("Give a month as YYYY-MM, e.g. 2024-05.")}

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            return datetime.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def with_default_months(query: Any) -> Any:
    """A copy of the query with the default range (the last 12 months) filled in, so that
    the month inputs show what the figures cover."""
    data = query.copy()
    this_month = timezone.localdate().replace(day=1)
    if not (data.get("end") or "").strip():
        data["end"] = f"{this_month:%Y-%m}"
    if not (data.get("start") or "").strip():
        try:
            end = datetime.datetime.strptime(data["end"].strip(), "%Y-%m").date()
        except ValueError:
            return data
        data["start"] = f"{_month(end, -(DEFAULT_MONTHS - 1)):%Y-%m}"
    return data


class FiguresFilterForm(forms.Form):
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("All my communities"),
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Community.objects.filter(pk__in=communities)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        this_month = timezone.localdate().replace(day=1)
        end = cleaned.get("end") or this_month
        start = cleaned.get("start") or _month(end, -(DEFAULT_MONTHS - 1))
        if start > end:
            raise forms.ValidationError(_("The first month comes after the last one."))
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months > MAX_MONTHS:
            raise forms.ValidationError(
                _("Choose at most %(max)d months at once; these are %(n)d.")
                % {"max": MAX_MONTHS, "n": months}
            )
        cleaned["period"] = Period(first=start, last=end)
        return cleaned
