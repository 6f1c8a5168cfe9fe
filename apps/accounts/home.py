"""Where each person's work is: the page they land on after signing in.

One function, `home_url_for(user)`, decides it from the person's active memberships
(apps.accounts.roles). The sign-in view sends people there unless a safe `?next=` says
otherwise.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .roles import Role

# First match wins for a person with several roles: the page where most of their work
# waits. Community admins run the queue; grid workers and the joint-patrol people (property
# staff, police, party members) find what was sent to them and tonight's patrol on "my
# area" (/me/), which lists what is dispatched to them first; planners track works.
ROLE_HOMES: tuple[tuple[str, str], ...] = (
    (Role.COMMUNITY_ADMIN, "reports:console"),
    (Role.GRID_WORKER, "patrols:me"),
    (Role.PROPERTY_STAFF, "patrols:me"),
    (Role.POLICE_OFFICER, "patrols:me"),
    (Role.PARTY_MEMBER, "patrols:me"),
    (Role.PLANNER, "works:planner"),
)
# A superuser oversees every community's reports.
SUPERUSER_HOME = "reports:console"
# Residents: their own reports when they have filed any, else the form to file one.
RESIDENT_WITH_REPORTS_HOME = "reports:mine"
RESIDENT_HOME = "reports:report"
FALLBACK_HOME = "maps:map"


def _first_reversible(*names: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/"


def _has_reports(user: Any) -> bool:
    try:
        report_model = apps.get_model("reports", "Report")
    except LookupError:
        return False
    return report_model.objects.filter(reporter=user).exists()


def home_url_for(user: Any) -> str:
    """The path of the page where `user`'s work is (the map for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        return _first_reversible(FALLBACK_HOME)
    if user.is_superuser:
        return _first_reversible(SUPERUSER_HOME, FALLBACK_HOME)
    from .models import Membership

    roles = set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))
    for role, url_name in ROLE_HOMES:
        if role in roles:
            return _first_reversible(url_name, FALLBACK_HOME)
    if _has_reports(user):
        return _first_reversible(RESIDENT_WITH_REPORTS_HOME, RESIDENT_HOME, FALLBACK_HOME)
    return _first_reversible(RESIDENT_HOME, FALLBACK_HOME)
