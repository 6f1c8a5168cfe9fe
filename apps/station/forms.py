"""Forms of the station pages. Messages say what to fix, in the person's language."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.regions.models import Building

from .models import Tool


class BookSlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Pick a time."),
            "invalid": _("Pick one of the listed times."),
        },
    )
    note = forms.CharField(
        label=_("Note for the staff (optional)"),
        required=False,
        max_length=200,
        help_text=_("e.g. which rooms to clean. Only the station's staff see it."),
    )


class BorrowForm(forms.Form):
    start = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Pick the first day."), "invalid": _("Pick a date.")},
    )
    days = forms.TypedChoiceField(label=_("For"), coerce=int)

    def __init__(self, *args: Any, tool: Tool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["days"]).choices = [
            (n, ngettext("%(count)d day", "%(count)d days", n) % {"count": n})
            for n in range(1, tool.max_loan_days + 1)
        ]
        self.fields["days"].initial = 1


class ParcelForm(forms.Form):
    recipient_name = forms.CharField(
        label=_("Recipient's name"),
        max_length=50,
        help_text=_("As written on the parcel. Only the family name is kept (张*)."),
    )
    phone = forms.CharField(
        label=_("Recipient's phone"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Used once to find the resident's account; only the last 4 digits are kept."),
    )
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.none(), required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=16, required=False)
    carrier = forms.CharField(label=_("Courier company"), max_length=50, required=False)
    shelf = forms.CharField(label=_("Shelf"), max_length=16, required=False)

    def __init__(self, *args: Any, community_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buildings = Building.objects.filter(community_id=community_id).order_by("number")
        cast(forms.ModelChoiceField, self.fields["building"]).queryset = buildings


class PickupForm(forms.Form):
    code = forms.RegexField(
        label=_("Pick-up code"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter the 6-digit code the resident gives you."),
            "invalid": _("A pick-up code has 6 digits."),
        },
    )


class CodeLookupForm(forms.Form):
    code = forms.CharField(label=_("Confirmation code"), max_length=12)
