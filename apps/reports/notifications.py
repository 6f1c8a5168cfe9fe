"""In-app notifications and e-mail about reports.

Texts are written in the deployment's language (settings.LANGUAGE_CODE) whoever triggers
them, since the people they go to read that language. E-mail leaves only after the
transaction commits, and a mail server that is down never undoes a report's step.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.roles import Role

from .models import Notification, Report
from .workflow import ASSIGNABLE_ROLES

logger = logging.getLogger(__name__)


def tracking_url(report: Report) -> str:
    """The public tracking page; absolute when GRIDMAP_SITE_URL is set (for e-mail)."""
    path = reverse("reports:track", args=[report.code])
    return getattr(settings, "GRIDMAP_SITE_URL", "").rstrip("/") + path


def console_url(report: Report) -> str:
    path = reverse("reports:detail", args=[report.pk])
    return getattr(settings, "GRIDMAP_SITE_URL", "").rstrip("/") + path


def assignees(report: Report) -> list[User]:
    """Whoever the report is dispatched to: the person, or the organisation's members here."""
    people: dict[int, User] = {}
    if report.dispatched_to_user_id and report.dispatched_to_user:
        people[report.dispatched_to_user.pk] = report.dispatched_to_user
    if report.dispatched_to_organisation_id:
        members = User.objects.filter(
            is_active=True,
            memberships__community_id=report.community_id,
            memberships__organisation_id=report.dispatched_to_organisation_id,
            memberships__role__in=ASSIGNABLE_ROLES,
            memberships__is_active=True,
        ).distinct()
        people.update({user.pk: user for user in members})
    return list(people.values())


def community_admins(community_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__community_id=community_id,
            memberships__role=Role.COMMUNITY_ADMIN,
            memberships__is_active=True,
        ).distinct()
    )


def notify(
    recipients: Iterable[User | None],
    *,
    report: Report,
    kind: str,
    text: str,
    email_subject: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """One in-app notification per distinct recipient; with `email_subject`, an e-mail too
    to those who have an address. `exclude` (the person acting) is not told what they did."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    if exclude is not None:
        unique.pop(exclude.pk, None)
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user, community_id=report.community_id, report=report, kind=kind, text=text
        )
        for user in unique.values()
    )
    if email_subject:
        addresses = [user.email for user in unique.values() if user.email]
        if addresses:
            body = f"{text}\n\n{console_url(report)}\n"
            send_after_commit(email_subject, body, addresses)
    return notifications


def email_reporter(report: Report, *, subject: str, text: str) -> None:
    """Tell the reporter by e-mail, if they left an address (or have one on their account)."""
    address = report.contact_email or (report.reporter.email if report.reporter else "")
    if address:
        body = f"{text}\n\n{tracking_url(report)}\n"
        send_after_commit(subject, body, [address])


_email_muted: ContextVar[bool] = ContextVar("gridmap_report_email_muted", default=False)


@contextmanager
def email_muted() -> Iterator[None]:
    """No e-mail leaves while inside (loading demo data); in-app notifications still do."""
    token = _email_muted.set(True)
    try:
        yield
    finally:
        _email_muted.reset(token)


def send_after_commit(subject: str, body: str, to: list[str]) -> None:
    if _email_muted.get():
        return

    def send() -> None:
        try:
            send_mail(subject, body, None, to)
        except Exception:  # the step is done; a failed mail is logged, not fatal
            logger.exception("Could not send report e-mail %r to %d address(es)", subject, len(to))

    transaction.on_commit(send)
