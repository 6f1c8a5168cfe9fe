"""People on grids (staff): assigning people to grids on the map, and the duty roster."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Community, Grid

from .. import selectors
from ..errors import NotFoundError, PatrolError
from ..forms import DutyShiftForm
from ..models import DutyShift
from ..services import duty_shift_create, duty_shift_delete, grid_assignment_change
from ..services.people import ASSIGNABLE_ROLES
from .common import api, chosen_community, json_body, json_response, managed_communities, user_of
from .serial import grids_geojson

# A grid with none of these people is shown as unassigned.
COVERING_ROLES = (Role.GRID_WORKER,)


def assignment_state(community: Community) -> dict[str, Any]:
    """Grids with who covers them, and the people who can be placed on grids."""
    grids = Grid.objects.filter(community=community).order_by("code")
    through = Membership.grids.through
    links = (
        through.objects.filter(
            membership__community=community,
            membership__is_active=True,
            membership__role__in=ASSIGNABLE_ROLES,
        )
        .select_related("membership__user")
        .order_by("grid_id", "membership__role", "membership__user__display_name")
    )
    covered: dict[int, list[dict[str, Any]]] = {}
    assigned: dict[int, list[int]] = {}
    for link in links:
        m = link.membership
        covered.setdefault(link.grid_id, []).append(
            {
                "id": m.user_id,
                "name": str(m.user),
                "role": m.role,
                "role_label": str(Role(m.role).label),
            }
        )
        assigned.setdefault(m.user_id, []).append(link.grid_id)
    heads: dict[str, list[str]] = {}
    grid_ids = list(grids.values_list("pk", flat=True))
    for building in selectors.buildings_in_grids(grid_ids).filter(building_head__isnull=False):
        # grid_code and head_name are annotations of buildings_in_grids().
        code, head = building.grid_code, building.head_name  # type: ignore[attr-defined]
        heads.setdefault(code, []).append(f"{head or '?'} ({building.number})")
    collection = grids_geojson(grids)
    for feature in collection["features"]:
        people = covered.get(feature["id"], [])
        feature["properties"].update(
            {
                "people": people,
                "building_heads": heads.get(feature["properties"]["code"], []),
                "unassigned": not any(p["role"] in COVERING_ROLES for p in people),
            }
        )
    return {"grids": collection, "people": assignable_people(community, assigned)}


def assignable_people(community: Community, assigned: dict[int, list[int]]) -> list[dict[str, Any]]:
    memberships = (
        Membership.objects.filter(community=community, is_active=True, role__in=ASSIGNABLE_ROLES)
        .exclude(Q(role=Role.RESIDENT) & ~Q(user__headed_buildings__community=community))
        .select_related("user")
        .distinct()
    )
    people: dict[int, dict[str, Any]] = {}
    for m in memberships:
        entry = people.setdefault(m.user_id, {"id": m.user_id, "name": str(m.user), "roles": []})
        label = _("Building head") if m.role == Role.RESIDENT else str(Role(m.role).label)
        entry["roles"].append(str(label))
    # Building heads without a membership yet: giving them grids makes one.
    for user in User.objects.filter(
        headed_buildings__community=community, is_active=True
    ).distinct():
        people.setdefault(
            user.pk, {"id": user.pk, "name": str(user), "roles": [str(_("Building head"))]}
        )
    out = sorted(people.values(), key=lambda p: (p["roles"][0], p["name"]))
    for entry in out:
        entry["grids"] = assigned.get(entry["id"], [])
    return out


@login_required
def assign_page(request: HttpRequest) -> HttpResponse:
    communities = managed_communities(request)
    community = chosen_community(request, communities)
    if community is None:
        raise Http404
    config = {
        "community": community.pk,
        "state_url": reverse("patrols:api-assignments") + f"?community={community.pk}",
        "save_url": reverse("patrols:api-assignments"),
    }
    strings = {
        "selected": _("Selected: %(codes)s"),
        "nothing_selected": _("No grid selected."),
        "choose_person": _("Choose a person"),
        "unassigned": _("unassigned"),
        "nobody": _("nobody"),
        "saving": _("Saving…"),
        "saved": _("Saved."),
        "error": _("Could not save; nothing changed."),
        "loading": _("Loading…"),
    }
    return render(
        request,
        "patrols/assign.html",
        {"community": community, "communities": communities, "config": config, "strings": strings},
    )


def _managed_community(request: HttpRequest, value: Any) -> Community:
    community = next((c for c in managed_communities(request) if str(c.pk) == str(value)), None)
    if community is None:
        raise NotFoundError(_("Choose one of the communities you manage."))
    return community


@api
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    """GET ?community=: grids with who covers them. POST {community, person, add, remove}."""
    if request.method == "GET":
        community = _managed_community(request, request.GET.get("community"))
        return json_response(assignment_state(community))
    payload = json_body(request)
    community = _managed_community(request, payload.get("community"))
    person_id = str(payload.get("person") or "")
    person = User.objects.filter(pk=int(person_id) if person_id.isdigit() else 0).first()
    if person is None:
        raise PatrolError(_("Choose a person first."), errors={"person": _("Required.")})
    add, remove = payload.get("add") or [], payload.get("remove") or []
    if not all(str(v).isdigit() for v in [*add, *remove]):
        raise PatrolError(_("Grids must be given by their ids."))
    if not add and not remove:
        raise PatrolError(
            _("Select one or more grids on the map first."), errors={"grids": _("Required.")}
        )
    grid_assignment_change(
        community=community,
        person=person,
        add=[int(v) for v in add],
        remove=[int(v) for v in remove],
        by=user_of(request),
    )
    return json_response(assignment_state(community))


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest) -> HttpResponse:
    """Duty shifts per grid, with who is on duty now; staff add and remove shifts here."""
    communities = managed_communities(request)
    community = chosen_community(request, communities)
    if community is None:
        raise Http404
    form = DutyShiftForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            duty_shift_create(by=user_of(request), **form.cleaned_data)
        except PatrolError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Shift added."))
            return redirect(f"{reverse('patrols:roster')}?community={community.pk}")
    now = timezone.now()
    grids = list(Grid.objects.filter(community=community).order_by("code"))
    shifts = DutyShift.objects.filter(community=community).select_related("person", "grid")
    by_grid: dict[int, list[DutyShift]] = {}
    for shift in shifts.order_by("grid__code", "on_date", "weekday", "start_time"):
        by_grid.setdefault(shift.grid_id, []).append(shift)
    rows = [
        {
            "grid": grid,
            "shifts": by_grid.get(grid.pk, []),
            "on_duty": selectors.grid_duty_worker(grid, now),
        }
        for grid in grids
    ]
    return render(
        request,
        "patrols/roster.html",
        {
            "community": community,
            "communities": communities,
            "rows": rows,
            "form": form,
            "now": now,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def roster_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(DutyShift.objects.select_related("grid__community"), pk=pk)
    try:
        duty_shift_delete(shift=shift, by=user_of(request))
    except PatrolError as error:
        return HttpResponse(error.message, status=error.status)
    messages.success(request, _("Shift removed."))
    return redirect(f"{reverse('patrols:roster')}?community={shift.community_id}")
