"""The roles people take in grid management. Each role is a Django group of the same code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")  # 居民
    GRID_WORKER = "grid_worker", _("Grid worker")  # 网格员
    PROPERTY_STAFF = "property_staff", _("Property staff")  # 物业人员
    POLICE_OFFICER = "police_officer", _("Police officer")  # 社区民警
    PARTY_MEMBER = "party_member", _("Party member")  # 党员
    COMMUNITY_ADMIN = "community_admin", _("Community admin")  # 社区工作人员
    PLANNER = "planner", _("Planner")  # 街道/区规划人员


# Model permissions each role's group carries (app_label.codename). Row scope (which
# community, which grids) comes from Membership, not from these.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.RESIDENT: [],
    Role.GRID_WORKER: [
        "regions.view_community",
        "regions.view_grid",
        "regions.view_compound",
        "regions.view_building",
        "regions.change_building",
        "facilities.view_facility",
    ],
    Role.PROPERTY_STAFF: [
        "regions.view_compound",
        "regions.view_building",
        "facilities.view_facility",
        "facilities.change_facility",
    ],
    Role.POLICE_OFFICER: ["regions.view_grid", "regions.view_building"],
    Role.PARTY_MEMBER: ["regions.view_grid", "regions.view_building"],
    Role.COMMUNITY_ADMIN: [
        f"{app}.{action}_{model}"
        for app, model in [
            ("regions", "community"),
            ("regions", "grid"),
            ("regions", "compound"),
            ("regions", "building"),
            ("facilities", "facility"),
            ("accounts", "membership"),
            ("accounts", "organisation"),
        ]
        for action in ("view", "add", "change", "delete")
        if not (model == "community" and action in ("add", "delete"))
    ]
    # To pick people for memberships and building heads; the user admin is community-scoped.
    + ["accounts.view_user"]
    # Records that carry a history (reports, bookings, notices, ledger entries) change only
    # through their services and pages; the admin shows them read-only.
    + [
        f"{app}.view_{model}"
        for app, model in [
            ("reports", "report"),
            ("reports", "category"),
            ("station", "slotbooking"),
            ("station", "toolloan"),
            ("station", "parcel"),
            ("ledger", "ledgerentry"),
            ("notices", "notice"),
            ("meetings", "jointmeeting"),
        ]
    ]
    + [
        f"{app}.{action}_{model}"
        for app, model in [
            ("works", "work"),
            ("works", "programme"),
            ("works", "workfunder"),
            ("station", "stationservice"),
            ("station", "bookableservice"),
            ("station", "tool"),
            ("station", "toolitem"),
            ("patrols", "patrolplan"),
            ("patrols", "checkpoint"),
            ("patrols", "patrolteammember"),
            ("patrols", "dutyshift"),
            ("patrols", "patrolsettings"),
        ]
        for action in ("view", "add", "change")
    ]
    + ["works.delete_workfunder"],
    Role.PLANNER: [
        "regions.view_community",
        "regions.view_grid",
        "regions.view_compound",
        "regions.view_building",
        "facilities.view_facility",
        "facilities.add_facility",
        "facilities.change_facility",
        "works.view_work",
        "works.add_work",
        "works.change_work",
        "works.view_programme",
        "works.add_programme",
        "works.change_programme",
        "works.view_workfunder",
        "works.add_workfunder",
        "works.change_workfunder",
        "works.delete_workfunder",
    ],
}
