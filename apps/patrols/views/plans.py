"""Planning pages (staff): the list, the week calendar, the plan form, a plan, its sheet."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.regions.models import Grid

from ..access import is_staff_of, visible_instances, visible_plans
from ..errors import PatrolError
from ..models import PatrolPlan, Recurrence, Weekday
from ..schedule import iso_week, local_zone, parse_week, week_bounds
from ..selectors import required_roles
from ..services import patrol_plan_archive
from ..workflow import ACTIVE_STATUSES
from .common import chosen_community, managed_communities, user_of
from .serial import grids_geojson, plan_json, role_choices, team_candidates

PAGE_SIZE = 20


def _today() -> dt.date:
    return timezone.localtime(timezone.now(), local_zone()).date()


@login_required
@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans I manage or am on, and the patrols coming up (paginated)."""
    now = timezone.now()
    plans = (
        visible_plans(request.user)
        .select_related("community")
        .annotate(
            team_size=Count("team", distinct=True),
            next_start=Min(
                "instances__starts_at",
                filter=Q(instances__ends_at__gt=now, instances__status__in=ACTIVE_STATUSES),
            ),
        )
        .order_by("-is_active", "community__code", "name")
    )
    # Coming patrols: those not ended yet that can still take place (not finished early,
    # not cancelled).
    upcoming = (
        visible_instances(request.user)
        .filter(ends_at__gt=now, status__in=ACTIVE_STATUSES)
        .select_related("plan", "community")
        .order_by("starts_at", "pk")
    )
    page = Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plans": plans,
        "page": page,
        "can_plan": bool(managed_communities(request)),
        "week": iso_week(_today()),
    }
    return render(request, "patrols/plan_list.html", context)


@login_required
@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """A week of patrols, one column per day; night shifts sit on the day they start."""
    try:
        monday = parse_week(request.GET.get("week"), _today())
    except ValueError:
        messages.error(request, _("That week could not be read; showing this week."))
        monday = week_bounds(_today())[0]
    zone = local_zone()
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=zone)
    instances = (
        visible_instances(request.user)
        .filter(service_date__gte=monday, service_date__lt=monday + dt.timedelta(days=7))
        .select_related("plan")
        .order_by("starts_at", "pk")
    )
    days = [{"date": monday + dt.timedelta(days=n), "patrols": []} for n in range(7)]
    for instance in instances:
        days[(instance.service_date - monday).days]["patrols"].append(instance)
    context = {
        "days": days,
        "monday": monday,
        "week": iso_week(monday),
        "previous": iso_week(monday - dt.timedelta(days=7)),
        "next": iso_week(monday + dt.timedelta(days=7)),
        "today": _today(),
        "start": start,
    }
    return render(request, "patrols/calendar.html", context)


def _form_context(request: HttpRequest, plan: PatrolPlan | None) -> dict:
    communities = managed_communities(request)
    if plan is not None:
        community = next((c for c in communities if c.pk == plan.community_id), None)
    else:
        community = chosen_community(request, communities)
    if community is None:
        raise Http404
    today = _today()
    initial = (
        plan_json(plan)
        if plan
        else {
            "community": community.pk,
            "name": "",
            "grids": [],
            "route": None,
            "checkpoints": [],
            "team": [],
            "start_time": "22:00",
            "end_time": "06:00",
            "recurrence": Recurrence.DAILY,
            "weekdays": [],
            "starts_on": today.isoformat(),
            "until": (today + dt.timedelta(days=27)).isoformat(),
            "notes": "",
        }
    )
    config = {
        "plan": initial,
        "save_url": reverse("patrols:api-plan", args=[plan.pk])
        if plan
        else reverse("patrols:api-plans"),
        "check_url": reverse("patrols:api-plan-check"),
        "grids": grids_geojson(Grid.objects.filter(community=community)),
        "people": team_candidates(community),
        "roles": role_choices(),
        "required_roles": required_roles(community.pk),
    }
    return {
        "plan": plan,
        "community": community,
        "communities": communities,
        "config": config,
        "strings": _form_strings(),
        "weekdays": Weekday.choices,
        "recurrences": Recurrence.choices,
    }


def _form_strings() -> dict[str, str]:
    return {
        "language": "zh" if (get_language() or "").startswith("zh") else "en",
        "grids_none": _("No grid chosen: click grid cells on the map to add them to the area."),
        "grids_chosen": _("Grids: %(codes)s"),
        "route_none": _("No route drawn yet."),
        "route_drawn": _("Route drawn: about %(metres)s m, %(points)s points."),
        "checkpoint": _("Checkpoint %(n)s"),
        "checkpoint_name": _("Checkpoint name"),
        "remove": _("Remove"),
        "choose_person": _("Choose a person"),
        "person": _("Person"),
        "role": _("Role"),
        "required_roles": _("This community requires: %(roles)s."),
        "checking": _("Checking…"),
        "saving": _("Saving…"),
        "no_conflicts": _("No conflicts. %(count)s patrols will be planned."),
        "has_conflicts": _(
            "Conflicts found: the same people or grids are already on patrol at those times. "
            "Change the plan, or save anyway."
        ),
        "no_patrols": _("Every day of this plan is over: it would plan no patrol."),
        "running": _("under way"),
        "saved": _("Saved."),
        "network": _("No connection to the server; nothing was saved. Try again."),
    }


@login_required
@require_safe
def plan_new(request: HttpRequest) -> HttpResponse:
    if not managed_communities(request):
        raise Http404
    return render(request, "patrols/plan_form.html", _form_context(request, None))


@login_required
@require_safe
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(PatrolPlan, pk=pk)
    if not is_staff_of(request.user, plan.community_id):
        raise Http404
    return render(request, "patrols/plan_form.html", _form_context(request, plan))


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        visible_plans(request.user).select_related("community", "created_by"), pk=pk
    )
    now = timezone.now()
    instances = plan.instances.order_by("-starts_at")
    page = Paginator(instances, PAGE_SIZE).get_page(request.GET.get("page"))
    next_patrol = (
        plan.instances.filter(ends_at__gt=now, status__in=ACTIVE_STATUSES)
        .order_by("starts_at")
        .first()
    )
    context = {
        "plan": plan,
        "team": plan.team.select_related("person", "organisation"),
        "checkpoints": plan.checkpoints.order_by("position", "pk"),
        "grids": plan.grids.order_by("code"),
        "page": page,
        "next_patrol": next_patrol,
        "is_staff": is_staff_of(request.user, plan.community_id),
        "weekday_names": plan.weekday_names,
        "config": {"plan": plan_json(plan), "grids": grids_geojson(plan.grids.all())},
    }
    return render(request, "patrols/plan_detail.html", context)


@login_required
@require_POST
def plan_archive(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    try:
        patrol_plan_archive(plan=plan, by=user_of(request))
    except PatrolError as error:
        return HttpResponse(error.message, status=error.status)
    messages.success(request, _("The plan is stopped; its future patrols are cancelled."))
    return redirect("patrols:plan", pk=plan.pk)
