"""Template context shared by every page."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    signed_in_only: bool = False


# The site's main pages, in the order of the header. An item whose page is not there (yet)
# is left out, so each app adds its page by naming its URL here and nowhere else.
NAV_ITEMS = (
    NavItem("maps:map", _("Map")),
    NavItem("reports:report", _("Report a problem")),
    NavItem("works:facilities", _("Facilities")),
    NavItem("station:index", _("Service station")),
    NavItem("notices:index", _("Notices")),
    NavItem("patrols:me", _("My area"), signed_in_only=True),
    NavItem("reports:console", _("Reports"), signed_in_only=True),
    NavItem("patrols:plans", _("Patrols"), signed_in_only=True),
    NavItem("works:planner", _("Works"), signed_in_only=True),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    items = []
    for item in NAV_ITEMS:
        if item.signed_in_only and not signed_in:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path.startswith(url) and url != "/"
        items.append({"url": url, "label": item.label, "current": current})
    return {"nav_items": items}
