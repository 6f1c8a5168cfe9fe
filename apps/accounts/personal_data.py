"""A resident's own data: everything gridmap holds about them, and erasing their account.

`personal_data_export(user)` gathers the account, the reports they filed (with the photo
addresses, the steps they took and their contact details), their "me too"s, notifications,
station bookings, tool loans and parcels, as one JSON-ready dict.

`account_erase(user, reason=...)` is the "delete my account" button. The account row stays
(other people's records point at it: bookings, the history of who did what) but every
personal field is cleared, the username replaced and the password made unusable, so the
person can no longer sign in and nothing identifies them. Their reports stay, since a
problem on the street does not go away with its reporter, but anonymised: reporter cleared,
contact details erased, `is_anonymous` set. Who, when and why is kept in the admin log.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Membership, User
from .roles import Role

EXPORT_FORMAT_VERSION = 1


def _iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def account_is_erasable(user: Any) -> bool:
    """Residents may erase their own account; staff accounts carry duties and are closed
    by a community admin instead (superusers and admin-site users never erase themselves)."""
    if not user.is_authenticated or user.is_superuser or user.is_staff:
        return False
    return (
        not Membership.objects.filter(user=user, is_active=True)
        .exclude(role=Role.RESIDENT)
        .exists()
    )


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything gridmap holds about `user`, as plain JSON-ready data."""
    from apps.reports.models import MeToo, Report, ReportTransition
    from apps.station.models import Parcel, SlotBooking, ToolLoan

    reports = (
        Report.objects.filter(reporter=user)
        .select_related("category", "community", "grid")
        .prefetch_related("photos")
        .order_by("submitted_at", "pk")
    )
    own_steps = ReportTransition.objects.filter(actor=user).select_related("report")
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "account": {
            "username": user.get_username(),
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "work_phone": user.work_phone,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "memberships": [
            {"community": m.community.name, "role": m.role, "active": m.is_active}
            for m in Membership.objects.filter(user=user).select_related("community")
        ],
        "reports": [
            {
                "code": r.code,
                "category": r.category.name,
                "description": r.description,
                "status": r.status,
                "community": r.community.name,
                "grid": r.grid.code if r.grid else None,
                "lon": round(r.location.x, 6),
                "lat": round(r.location.y, 6),
                "location_private": r.location_private,
                "anonymous_to_staff": r.is_anonymous,
                "contact_phone": r.contact_phone,
                "contact_email": r.contact_email,
                "submitted_at": _iso(r.submitted_at),
                "closed_at": _iso(r.closed_at),
                "tracking_url": reverse("reports:track", args=[r.code]),
                "photos": [
                    reverse("reports:photo", args=[r.code, p.pk, "full"]) for p in r.photos.all()
                ],
            }
            for r in reports
        ],
        "my_steps": [
            {
                "report": t.report.code,
                "action": t.action,
                "at": _iso(t.at),
                "note": t.note,
            }
            for t in own_steps.order_by("at", "pk")
        ],
        "me_toos": [
            {"report": m.report.code, "at": _iso(m.created_at)}
            for m in MeToo.objects.filter(user=user).select_related("report").order_by("pk")
        ],
        "notifications": [
            {"report": n.report.code, "kind": n.kind, "text": n.text, "at": _iso(n.created_at)}
            for n in user.report_notifications.select_related("report").order_by("pk")
        ],
        "station_bookings": [
            {
                "service": str(b.bookable),
                "starts_at": _iso(b.starts_at),
                "ends_at": _iso(b.ends_at),
                "status": b.status,
                "code": b.code,
                "note": b.note,
            }
            for b in SlotBooking.objects.filter(resident=user).order_by("pk")
        ],
        "tool_loans": [
            {"tool": str(loan.tool), "status": loan.status, "code": loan.code}
            for loan in ToolLoan.objects.filter(borrower=user).select_related("tool")
        ],
        "parcels": [
            {"carrier": p.carrier, "status": p.status, "logged_at": _iso(p.logged_at)}
            for p in Parcel.objects.filter(recipient=user).order_by("pk")
        ],
    }


def _log(user_id: int, obj: Any, message: str) -> None:
    LogEntry.objects.create(
        user_id=user_id,
        content_type=ContentType.objects.get_for_model(obj._meta.model),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=CHANGE,
        change_message=message,
    )


@transaction.atomic
def account_erase(*, user: User, reason: str = "") -> int:
    """Anonymise `user`'s account and reports (see the module docstring); returns how many
    reports were anonymised. The admin log keeps who asked, when, and the reason given."""
    from apps.reports.models import Notification, Report, ReportTransition

    reason = reason.strip()[:500]
    why = "Account erased at the person's request (my data page)." + (
        f" Reason: {reason}" if reason else ""
    )
    reports = list(Report.objects.select_for_update().filter(reporter=user))
    for report in reports:
        _log(user.pk, report, why + " Reporter and contact details removed.")
    count = Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        reporter=None, contact_phone="", contact_email="", is_anonymous=True
    )
    # The resident's own words stay on the timeline; the link to the person does not.
    ReportTransition.objects.filter(actor=user).update(actor=None)
    Notification.objects.filter(recipient=user).delete()

    _log(user.pk, user, why)
    Membership.objects.filter(user=user).update(is_active=False)
    user.username = f"erased-{user.pk}-{secrets.token_hex(4)}"
    user.first_name = user.last_name = user.display_name = ""
    user.email = user.phone = user.work_phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    # The audit history (django-simple-history, where enabled) keeps old copies of rows:
    # erase the same details there, or "deleted" would not mean gone from the database.
    _history_scrub(Report, {"id__in": [r.pk for r in reports]}, REPORT_ERASED)
    _history_scrub(User, {"id": user.pk}, {**ACCOUNT_ERASED, "username": user.username})
    return count


REPORT_ERASED = {"reporter": None, "contact_phone": "", "contact_email": "", "is_anonymous": True}
ACCOUNT_ERASED = {
    "first_name": "",
    "last_name": "",
    "display_name": "",
    "email": "",
    "phone": "",
    "work_phone": "",
}


def _history_scrub(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> None:
    history = getattr(model, "history", None)
    historical = getattr(history, "model", None)
    if historical is None:
        return
    names = {f.name for f in historical._meta.get_fields()}
    historical.objects.filter(**lookup).update(**{k: v for k, v in values.items() if k in names})
