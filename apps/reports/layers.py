"""The "reports" map layer: public facts of reports, row by row as the viewer may see them.

Anyone (anonymous residents too) sees accepted reports of public categories — what the
problem is, where, how far along, whether it is overdue — never a description, a tracking
code, a name or a contact. Staff also see every report of their scope (apps.reports.
selectors.staff_scope_q), with the same public fields: details are on the console pages.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from apps.core.layers import Layer, registry

from .models import Report
from .selectors import public_reports_q, staff_scope_q
from .sla import with_overdue
from .states import Status

REPORT_LAYER_FIELDS = (
    "name",
    "name_en",
    "category_code",
    "status",
    "status_label",
    "submitted_on",
    "is_overdue",
    "me_too_count",
    "grid_code",
    "community_id",
    "community_name",
    "community_name_en",
)


def report_layer_annotations() -> dict[str, Any]:
    # Called for each request, so status labels come in the reader's language.
    return {
        "name": F("category__name"),
        "name_en": F("category__name_en"),
        "category_code": F("category__code"),
        "status_label": Case(
            *(When(status=status, then=Value(str(status.label))) for status in Status),
            output_field=models.CharField(),
        ),
        "submitted_on": TruncDate("submitted_at", tzinfo=ZoneInfo(settings.TIME_ZONE)),
        "grid_code": F("grid__code"),
        "community_name": F("community__name"),
        "community_name_en": F("community__name_en"),
    }


class ReportsLayer(Layer):
    def visible_rows(self, user: Any) -> models.QuerySet:
        scope = staff_scope_q(user)
        if scope is None:  # a superuser
            rows = Report.objects.all()
        else:
            # One WHERE clause, not `pk IN (public reports)`: PostgreSQL then answers a bbox or
            # tile from the location index instead of hashing every public report first.
            rows = Report.objects.filter(scope | public_reports_q())
        return with_overdue(rows)


def register_reports_layer() -> None:
    if "reports" in registry:
        return
    registry.register(
        ReportsLayer(
            name="reports",
            title=_("Resident reports"),
            model=Report,
            # Private locations are blurred for every reader of the registry (map, OGC API,
            # tiles, exports); staff see the exact point on the console and the REST API.
            geometry_field="public_location",
            fields=REPORT_LAYER_FIELDS,
            annotations=report_layer_annotations,
            label_field="name",
            min_zoom=14,
            datetime_field="submitted_at",
            tiles=True,
        )
    )
