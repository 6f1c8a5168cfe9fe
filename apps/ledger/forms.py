"""Forms of the ledger desk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.facilities.models import Facility
from apps.regions.models import Compound
from apps.works.models import Work

from .access import compounds_for_staff
from .models import LedgerEntry


class LedgerEntryForm(forms.Form):
    compound = forms.ModelChoiceField(
        label=_("Compound"), queryset=Compound.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("Income or spending"), choices=LedgerEntry.Kind.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        error_messages={
            "min_value": _("The amount must be more than zero."),
            "max_decimal_places": _("Give the amount in yuan with at most two decimals (fen)."),
        },
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("e.g. “Parking fees, June” or “Share of the D4 elevator overhaul”."),
    )
    facility = forms.ModelChoiceField(
        label=_("Facility (optional)"), queryset=Facility.objects.none(), required=False
    )
    work = forms.ModelChoiceField(
        label=_("Work (optional)"), queryset=Work.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, entry: LedgerEntry | None = None, **kwargs: Any):
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "compound": entry.compound_id,
                "kind": entry.kind,
                "date": entry.date,
                "amount": entry.amount,
                "purpose": entry.purpose,
                "facility": entry.facility_id,
                "work": entry.work_id,
            }
        super().__init__(*args, **kwargs)
        compounds = compounds_for_staff(user).select_related("community").order_by("name")
        communities = compounds.values("community_id")
        choices = {
            "compound": compounds,
            "facility": Facility.objects.filter(community_id__in=communities).order_by("name"),
            "work": Work.objects.filter(community_id__in=communities).order_by("name"),
        }
        for name, queryset in choices.items():
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        self.fields["date"].initial = timezone.localdate()
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if entry is not None:
            # The compound of an existing entry is part of what it is: not changed by edits.
            self.fields["compound"].disabled = True


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=32)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
