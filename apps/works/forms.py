"""Forms of the planner's pages: the filters of the works list, a transition, a progress update."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organisation
from apps.core.photos import PhotosField
from apps.regions.models import Community

from .access import planner_communities
from .models import WorkFunder, WorkType
from .selectors import programmes_for
from .workflow import MOVES, WorkStatus


class WorkFilterForm(forms.Form):
    """Filters of /works/, its map and its exports (GET parameters; all optional)."""

    programme: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Programme")
    )
    status = forms.ChoiceField(required=False, label=_("Status"))
    work_type = forms.ChoiceField(required=False, label=_("Type"))
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Community")
    )
    funder: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Funder")
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    at_risk = forms.BooleanField(required=False, label=_("At risk only"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = planner_communities(user)
        funders = WorkFunder.objects.filter(work__community__in=scope).values("organisation")
        querysets = {
            "programme": programmes_for(user).order_by("name"),
            "community": Community.objects.filter(pk__in=scope),
            "funder": Organisation.objects.filter(pk__in=funders),
        }
        for name, queryset in querysets.items():
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        everything = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["status"]).choices = everything + WorkStatus.choices
        cast(forms.ChoiceField, self.fields["work_type"]).choices = everything + WorkType.choices
        for name in ("programme", "community", "funder"):
            self.fields[name].empty_label = _("All")  # type: ignore[attr-defined]
            self.fields[name].error_messages["invalid_choice"] = _(
                "That choice is not (or no longer) available: pick one from the list."
            )

    def filter(self, works: models.QuerySet) -> models.QuerySet:
        """`works` narrowed by the valid filters (call after is_valid())."""
        data = self.cleaned_data
        if data.get("programme"):
            works = works.filter(programme=data["programme"])
        if data.get("status"):
            works = works.filter(status=data["status"])
        if data.get("work_type"):
            works = works.filter(work_type=data["work_type"])
        if data.get("community"):
            works = works.filter(community=data["community"])
        if data.get("funder"):
            # A subselect, not a join: one row per work whatever the number of funders.
            funded = WorkFunder.objects.filter(organisation=data["funder"]).values("work")
            works = works.filter(pk__in=funded)
        if data.get("overdue"):
            works = works.filter(is_overdue=True)
        if data.get("at_risk"):
            works = works.filter(is_at_risk=True)
        return works


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(m.action, m.label) for m in MOVES], label=_("Action"))
    on = forms.DateField(
        required=False,
        label=_("Date"),
        help_text=_("When it happened (today if left empty)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        required=False,
        label=_("Note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("On completion, this note and the photos go to the residents' reports."),
    )
    photos = PhotosField(label=_("Photos"))

    def clean_on(self) -> Any:
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class ProgressForm(forms.Form):
    on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Progress is a percentage from 0 to 100."),
            "max_value": _("Progress is a percentage from 0 to 100."),
        },
    )
    text = forms.CharField(
        required=False,
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    before_photos = PhotosField(label=_("Photos before"))
    after_photos = PhotosField(label=_("Photos after"))

    def clean_on(self) -> Any:
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class LinkReportForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code of the report"),
        max_length=32,
        help_text=_("The code residents get when they report a problem."),
    )
    note = forms.CharField(required=False, label=_("Why it belongs to this work"), max_length=500)
