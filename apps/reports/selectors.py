"""Reads about reports: where a point falls, nearby open reports, who sees which reports.

Every spatial question is asked of PostGIS, index-backed: point-in-community and
point-in-grid (ST_Covers on GiST-indexed boundaries), nearest building (KNN `<->`), and the
30 m duplicate check (ST_DWithin on `location::geography`, with an index on that expression).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import GeometryDistance
from django.contrib.gis.geos import Point
from django.db.models import BooleanField, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Cast

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Building, Community, Compound, Grid

from .models import Report, ReportPhoto, ReportTransition, location_geography
from .sla import with_overdue
from .states import OPEN_STATUSES, Action, ActorRole, Status
from .workflow import ASSIGNABLE_ROLES

DUPLICATE_RADIUS_M = 30.0
# A building further than this is no help as an address hint.
BUILDING_HINT_MAX_M = 150.0


def _geography(point: Point) -> Cast:
    value = Value(point, output_field=GeometryField(srid=4326))
    return Cast(value, output_field=GeometryField(geography=True, srid=4326))


def _footprint_geography() -> Cast:
    return Cast("footprint", output_field=GeometryField(geography=True, srid=4326))


class GeographyDistance(Func):
    """ST_Distance of two geography expressions: metres on the WGS 84 spheroid."""

    function = "ST_Distance"
    output_field = FloatField()


class DWithin(Func):
    """ST_DWithin(a, b, metres) on geography: index-backed when `a` is indexed as such."""

    function = "ST_DWithin"
    output_field = BooleanField()


# --- where a point falls --------------------------------------------------------------


def community_at(point: Point) -> Community | None:
    """The served community whose boundary covers the point (lowest code on a shared edge)."""
    return Community.objects.filter(boundary__covers=point).order_by("code").first()


def grid_at(point: Point, *, community: Community) -> Grid | None:
    """The community's grid covering the point. ST_Covers rather than ST_Contains: a point
    exactly on the edge between two grids still gets one (the lowest code), not none."""
    return Grid.objects.filter(community=community, boundary__covers=point).order_by("code").first()


def duty_worker_for(grid: Grid | None) -> User | None:
    """The grid's duty grid worker right now: who the duty roster puts on shift, else the
    grid's assigned grid worker (see apps.patrols.selectors.grid_duty_worker)."""
    if grid is None:
        return None
    # The roster lives with the patrols; imported here to keep app loading one-way.
    from apps.patrols.selectors import grid_duty_worker

    return grid_duty_worker(grid)


def nearest_building(point: Point, *, community: Community) -> Building | None:
    """The community's building nearest the point (KNN `<->` on the footprint index), with
    its geodesic distance as `distance_m`, or None when none is within 150 m."""
    building = (
        Building.objects.filter(community=community)
        .annotate(distance_m=GeographyDistance(_footprint_geography(), _geography(point)))
        .order_by(GeometryDistance("footprint", point))
        .first()
    )
    if building is None or building.distance_m > BUILDING_HINT_MAX_M:
        return None
    return building


def compound_at(point: Point, *, community_id: int) -> Compound | None:
    return (
        Compound.objects.filter(community_id=community_id, boundary__covers=point)
        .select_related("property_company")
        .order_by("pk")
        .first()
    )


# --- nearby open reports (the duplicate check) ------------------------------------------


def nearby_open_reports(
    point: Point, *, category_id: int | None = None, radius_m: float = DUPLICATE_RADIUS_M
) -> QuerySet[Report]:
    """Open reports within `radius_m` metres of the point (of one category if given),
    nearest first, with `distance_m`. Uses the report_location_geog_gist index."""
    here = _geography(point)
    reports = Report.objects.filter(
        DWithin(location_geography(), here, Value(float(radius_m))), status__in=OPEN_STATUSES
    )
    if category_id is not None:
        reports = reports.filter(category_id=category_id)
    return (
        reports.annotate(distance_m=GeographyDistance(location_geography(), here))
        .select_related("category")
        .order_by("distance_m", "pk")
    )


# --- who sees which reports ---------------------------------------------------------------


def staff_scope_q(user: Any) -> Q | None:
    """Reports `user` handles or oversees, as a filter; None when they see all of them.

    Community admins and planners: their communities. Grid workers: their grids, and what is
    dispatched to them. Property staff, police and party members: what is dispatched to them
    or to their organisation in that community. Others (residents, anonymous): nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    # One query for the whole scope, and literal ids in the filter: with ids PostgreSQL
    # answers each branch of the OR from its index (a BitmapOr); with subqueries it reads
    # the whole table, a million rows in a city. A person has a handful of memberships.
    rows = list(
        Membership.objects.filter(user=user, is_active=True).values_list(
            "role", "community_id", "organisation_id", "grids"
        )
    )
    whole = {c for role, c, _o, _g in rows if role in (Role.COMMUNITY_ADMIN, Role.PLANNER)}
    grids = {g for role, _c, _o, g in rows if role == Role.GRID_WORKER and g is not None}
    assignable = {c for role, c, _o, _g in rows if role in ASSIGNABLE_ROLES}
    organisation_pairs = {
        (c, o) for role, c, o, _g in rows if role in ASSIGNABLE_ROLES and o is not None
    }
    q = (
        Q(community__in=sorted(whole))
        | Q(grid__in=sorted(grids))
        | Q(dispatched_to_user=user, community__in=sorted(assignable))
    )
    for community_id, organisation_id in sorted(organisation_pairs):
        q |= Q(community_id=community_id, dispatched_to_organisation_id=organisation_id)
    return q


def is_staff_for_reports(user: Any) -> bool:
    """Whether the console is for `user`: a superuser, or a member in a staff role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    staff_roles = [*ASSIGNABLE_ROLES, Role.PLANNER]
    return Membership.objects.filter(user=user, is_active=True, role__in=staff_roles).exists()


def reports_visible_to(user: Any) -> QuerySet[Report]:
    """Reports in the staff scope of `user` (none for residents and anonymous visitors)."""
    q = staff_scope_q(user)
    reports = Report.objects.all()
    return reports if q is None else reports.filter(q)


def public_reports_q() -> Q:
    """The filter of `public_reports`, to combine with others in one WHERE clause."""
    return Q(category__is_public=True) & ~Q(status__in=[Status.SUBMITTED, Status.REJECTED])


def public_reports() -> QuerySet[Report]:
    """What anyone may see on the public map: reports staff have accepted (not rejected, not
    still waiting), of categories that are public. Never with personal data."""
    return Report.objects.filter(public_reports_q())


def console_reports(user: Any) -> QuerySet[Report]:
    """The console's list: the user's scope, with overdue flags and what the list shows."""
    return with_overdue(reports_visible_to(user)).select_related(
        "category", "grid", "community", "dispatched_to_user", "dispatched_to_organisation"
    )


def reports_of(user: Any) -> QuerySet[Report]:
    """A signed-in resident's own reports, newest first ("my reports")."""
    if user is None or not user.is_authenticated:
        return Report.objects.none()
    return with_overdue(Report.objects.filter(reporter=user)).select_related("category", "grid")


def report_by_code(code: str) -> Report | None:
    normalised = (code or "").strip().upper()
    return (
        Report.objects.select_related("category", "community", "grid", "building")
        .filter(code=normalised)
        .first()
    )


def timeline(report: Report) -> list[ReportTransition]:
    """Every step of the report, oldest first, with its photos and dispatch target."""
    return list(
        report.transitions.select_related("actor", "target_user", "target_organisation")
        .prefetch_related("photos")
        .order_by("at", "pk")
    )


@dataclass(frozen=True)
class PublicStep:
    """One step of the public timeline: roles and organisations, never a person's name."""

    at: Any
    action: str
    action_label: str
    role_label: str
    status_label: str
    target: str
    note: str
    photos: list[Any]


def public_timeline(report: Report) -> list[PublicStep]:
    """The tracking page's timeline. Notes appear where the table marks them public
    (feedback, reasons for rejection or extension, the resident's own words); photos are
    those of the submission and of the handling feedback."""
    steps = []
    for t in timeline(report):
        if t.target_organisation_id:
            target = str(t.target_organisation)
        elif t.target_role:
            target = (
                str(ActorRole(t.target_role).label) if t.target_role in ActorRole.values else ""
            )
        else:
            target = ""
        public_photos = [p for p in t.photos.all() if p.stage != ReportPhoto.Stage.TRANSITION]
        steps.append(
            PublicStep(
                at=t.at,
                action=t.action,
                action_label=str(Action(t.action).label),
                role_label=str(ActorRole(t.actor_role).label),
                status_label=str(Status(t.to_status).label),
                target=target,
                note=t.note if t.note_is_public else "",
                photos=public_photos,
            )
        )
    return steps


def dispatch_targets(community_ids: Any) -> dict[str, list[tuple[str, str]]]:
    """Who reports can be dispatched to in these communities: people in assignable roles
    and organisations with members there. Values are "user:<id>" / "org:<id>"."""
    memberships = (
        Membership.objects.filter(
            community_id__in=community_ids,
            is_active=True,
            user__is_active=True,
            role__in=ASSIGNABLE_ROLES,
        )
        .select_related("user", "organisation", "community")
        .order_by("community__code", "role", "user__display_name", "user__username")
    )
    people: dict[str, tuple[str, str]] = {}
    organisations: dict[str, tuple[str, str]] = {}
    for m in memberships:
        role = Role(m.role).label
        people.setdefault(f"user:{m.user_id}", (f"user:{m.user_id}", f"{m.user} · {role}"))
        if m.organisation_id:
            key = f"org:{m.organisation_id}"
            organisations.setdefault(key, (key, str(m.organisation)))
    return {
        "people": list(people.values()),
        "organisations": sorted(organisations.values(), key=lambda pair: pair[1]),
    }


def suggested_target(report: Report) -> str:
    """The dispatch target the category suggests: the property company of the compound the
    report lies in, the duty grid worker, or an organisation of the named kind."""
    from apps.accounts.models import Organisation

    from .models import DispatchHint

    hint = report.category.dispatch_hint
    if hint == DispatchHint.PROPERTY_COMPANY:
        compound = compound_at(report.location, community_id=report.community_id)
        if compound and compound.property_company_id:
            return f"org:{compound.property_company_id}"
    kinds: dict[str, str] = {
        DispatchHint.POLICE: Organisation.Kind.POLICE_STATION,
        DispatchHint.COMMUNITY: Organisation.Kind.COMMUNITY_OFFICE,
    }
    if hint in kinds:
        organisation = (
            Organisation.objects.filter(
                kind=kinds[hint],
                memberships__community_id=report.community_id,
                memberships__is_active=True,
            )
            .order_by("pk")
            .first()
        )
        if organisation:
            return f"org:{organisation.pk}"
    if report.duty_worker_id:
        return f"user:{report.duty_worker_id}"
    return ""


def unread_notifications(user: Any) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return user.report_notifications.filter(read_at__isnull=True).count()
