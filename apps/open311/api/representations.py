"""GeoReport v2 representations of services, service definitions and requests.

Field names and their order follow the spec. Nothing private goes out: no phone, e-mail,
name, account or device of a reporter; descriptions and notes have phone numbers and
e-mail addresses masked (apps.reports.redact), as on the public pages.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.reports.models import Category, DispatchHint, Report
from apps.reports.redact import redact_contacts

from ..models import ServiceAttribute
from ..selectors import CLOSED_STATUSES


def w3_datetime(value: datetime.datetime | None) -> str | None:
    """ISO 8601 in China Standard Time with its offset, e.g. 2024-05-01T08:30:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _name(obj: Any) -> str:
    english = getattr(obj, "name_en", "")
    return english if _english() and english else obj.name


def service_notice(category: Category) -> str:
    return _("Accepted within %(accept)d h and handled within %(handle)d h of the report.") % {
        "accept": category.accept_hours,
        "handle": category.handle_hours,
    }


def service(category: Category) -> dict[str, Any]:
    keywords = [category.code, category.name, category.name_en]
    return {
        "service_code": category.code,
        "service_name": _name(category),
        "description": service_notice(category),
        "metadata": bool(getattr(category, "has_attributes", False)),
        "type": "realtime",
        "keywords": ", ".join(k for k in keywords if k),
        "group": str(DispatchHint(category.dispatch_hint).label),
    }


def attribute(definition: ServiceAttribute) -> dict[str, Any]:
    english = _english()
    description = (
        definition.description_en
        if english and definition.description_en
        else definition.description
    )
    values = [
        {
            "key": str(v.get("key")),
            "name": str(v.get("name_en") if english and v.get("name_en") else v.get("name")),
        }
        for v in definition.values or []
    ]
    return {
        "variable": definition.variable,
        "code": definition.code,
        "datatype": definition.datatype,
        "required": definition.required,
        "datatype_description": definition.datatype_description or None,
        "order": definition.order,
        "description": description,
        "values": values,
    }


def service_definition(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [attribute(a) for a in getattr(category, "attribute_list", [])],
    }


def address(report: Report) -> str | None:
    """From the most specific place to the most general: building, compound, community,
    subdistrict, district, city."""
    parts: list[str] = []
    building, grid = report.building, report.grid
    if report.location_private:  # the building would give away the blurred spot
        building = None
    if building is not None:
        parts.append(building.number)
        if building.compound is not None:
            parts.append(_name(building.compound))
    elif grid is not None:
        parts.append(_("grid %(code)s") % {"code": grid.code})
    community = report.community
    subdistrict = community.subdistrict
    parts += [_name(community), _name(subdistrict), _name(subdistrict.district)]
    parts.append(subdistrict.district.city)
    return ", ".join(p for p in parts if p) or None


def request(report: Report) -> dict[str, Any]:
    """One service request as GET requests shows it (the report's public facts)."""
    closed = report.status in CLOSED_STATUSES
    notes = getattr(report, "status_notes", None)
    submission = getattr(report, "open311", None)  # None for reports from the web form
    if report.dispatched_to_organisation_id:
        agency = _name(report.dispatched_to_organisation)
    else:
        agency = _name(report.community)
    updated = report.closed_at if report.status == "closed" and report.closed_at else None
    return {
        "service_request_id": str(report.pk),
        "status": "closed" if closed else "open",
        "status_notes": redact_contacts(notes) if notes else None,
        "service_name": _name(report.category),
        "service_code": report.category.code,
        "description": redact_contacts(report.description),
        "agency_responsible": agency,
        "service_notice": service_notice(report.category),
        "requested_datetime": w3_datetime(report.submitted_at),
        "updated_datetime": w3_datetime(updated or report.updated_at),
        "expected_datetime": w3_datetime(report.handle_due),
        "address": address(report),
        "address_id": str(report.building_id)
        if report.building_id and not report.location_private
        else None,
        "zipcode": None,
        # Blurred to its ~150 m cell when the resident kept the exact spot private.
        "lat": round(report.public_location.y, 6),
        "long": round(report.public_location.x, 6),
        "media_url": (submission.media_url or None) if submission is not None else None,
    }


def created(report: Report, *, tracking_url: str) -> dict[str, Any]:
    """POST requests' answer: the new id, and how to follow it (the tracking page)."""
    notice = _("Tracking code %(code)s: %(url)s. %(sla)s") % {
        "code": report.code,
        "url": tracking_url,
        "sla": service_notice(report.category),
    }
    return {"service_request_id": str(report.pk), "service_notice": notice, "account_id": None}
