"""Template context shared by every page."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import Role

EVERYONE: frozenset[str] = frozenset()
STAFF = frozenset(
    {
        Role.GRID_WORKER,
        Role.PROPERTY_STAFF,
        Role.POLICE_OFFICER,
        Role.PARTY_MEMBER,
        Role.COMMUNITY_ADMIN,
        Role.PLANNER,
    }
)
MANAGERS = frozenset({Role.COMMUNITY_ADMIN, Role.PLANNER})


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    signed_in_only: bool = False
    # Roles that use the page; empty means anyone (signed in, when signed_in_only).
    roles: frozenset[str] = EVERYONE


# The site's main pages, in the order of the header. An item whose page is not there (yet)
# is left out, and people only see the pages their roles use, so nobody is offered a page
# that would answer "forbidden".
NAV_ITEMS = (
    NavItem("maps:map", _("Map")),
    NavItem("reports:report", _("Report a problem")),
    NavItem("works:facilities", _("Facilities")),
    NavItem("station:index", _("Service station")),
    NavItem("notices:index", _("Notices")),
    NavItem("reports:mine", _("My reports"), signed_in_only=True),
    NavItem("patrols:me", _("My area"), signed_in_only=True, roles=STAFF - {Role.PLANNER}),
    NavItem("reports:console", _("Reports"), signed_in_only=True, roles=STAFF),
    NavItem("patrols:plans", _("Patrols"), signed_in_only=True, roles=STAFF - {Role.PLANNER}),
    NavItem("works:planner", _("Works"), signed_in_only=True, roles=MANAGERS),
    NavItem("figures:dashboard", _("Figures"), signed_in_only=True, roles=MANAGERS),
    NavItem("meetings:index", _("Joint meetings"), signed_in_only=True, roles=MANAGERS),
)


def _roles_of(user) -> frozenset[str] | None:
    """The user's active roles; None for a superuser, who may use every page."""
    if user.is_superuser:
        return None
    from apps.accounts.models import Membership

    return frozenset(
        Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True)
    )


def navigation(request: HttpRequest) -> dict[str, object]:
    # Lazy: pages that don't draw the header (feeds, JSON) never pay for the roles query.
    return {"nav_items": SimpleLazyObject(lambda: _nav_items(request))}


def _nav_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    roles = _roles_of(user) if signed_in else frozenset()
    items = []
    for item in NAV_ITEMS:
        if item.signed_in_only and not signed_in:
            continue
        if item.roles and roles is not None and not (item.roles & roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path.startswith(url) and url != "/"
        items.append({"url": url, "label": item.label, "current": current})
    return items
