"""Query filters of the list endpoints (django-filter)."""

from __future__ import annotations

import django_filters

from apps.reports.models import Report
from apps.reports.states import Status
from apps.works.models import Work
from apps.works.workflow import WorkStatus


class ReportFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    category = django_filters.CharFilter(field_name="category__code")
    community = django_filters.NumberFilter(field_name="community_id")
    grid = django_filters.CharFilter(field_name="grid__code")
    submitted_after = django_filters.DateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = django_filters.DateTimeFilter(field_name="submitted_at", lookup_expr="lt")

    class Meta:
        model = Report
        fields = ["status", "category", "community", "grid", "submitted_after", "submitted_before"]


class WorkFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=WorkStatus.choices)
    programme = django_filters.NumberFilter(field_name="programme_id")
    community = django_filters.NumberFilter(field_name="community_id")
    work_type = django_filters.CharFilter()

    class Meta:
        model = Work
        fields = ["status", "programme", "community", "work_type"]
