"""Forms of the meeting pages: they parse input; the services apply the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation
from apps.regions.models import Community


class MeetingForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Attending organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Minutes (staff only)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communities is None:
            del self.fields["community"]  # editing: the community stays
        else:
            field = self.fields["community"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Community.objects.filter(pk__in=communities)


class AgendaForm(forms.Form):
    report = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why it is on the agenda"), max_length=500, required=False)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    report = forms.TypedChoiceField(
        label=_("About report"), required=False, coerce=int, empty_value=None
    )
    payer = forms.ModelChoiceField(
        label=_("Paid by"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("— nobody pays —"),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    due_date = forms.DateField(
        label=_("To be done by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, reports: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— no particular report —")), *reports]


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label=_("Outcome for residents"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown with the photos on the tracking page of every report on the agenda."),
    )
    # Photos are not a form field: the service checks and re-encodes them (apps.core.photos).
    caption = forms.CharField(label=_("Caption of the new photos"), max_length=200, required=False)


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
