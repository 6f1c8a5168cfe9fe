"""A patrol's pages: its record (coverage, check-ins, track upload), the phone page used
on the patrol, and the printable sheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..access import is_on_team, is_staff_of, visible_instances
from ..coverage import patrol_coverage
from ..workflow import ACTIVE_STATUSES, Status, allowed_targets
from .common import user_of
from .serial import instance_json


def _instance(request: HttpRequest, pk: int):
    return get_object_or_404(
        visible_instances(request.user).select_related("plan", "community"), pk=pk
    )


def _urls(instance) -> dict[str, str]:
    return {
        "data": reverse("patrols:api-instance", args=[instance.pk]),
        "transition": reverse("patrols:api-transition", args=[instance.pk]),
        "checkin": reverse("patrols:api-checkins", args=[instance.pk]),
        "track": reverse("patrols:api-track", args=[instance.pk]),
        "upload": reverse("patrols:api-track-upload", args=[instance.pk]),
        "finding": reverse("patrols:api-findings", args=[instance.pk]),
    }


@login_required
@require_safe
def instance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instance = _instance(request, pk)
    on_team = is_on_team(request.user, instance.plan_id)
    context = {
        "instance": instance,
        "plan": instance.plan,
        "coverage": patrol_coverage(instance),
        "transitions": instance.transitions.select_related("by").order_by("at", "pk"),
        "checkins": instance.checkins.select_related("checkpoint", "person").order_by(
            "checked_at", "pk"
        ),
        "findings": instance.findings.select_related("person", "report").order_by("recorded_at"),
        "uploads": instance.track_uploads.select_related("person").order_by("uploaded_at"),
        "live_points": instance.track_points.filter(upload__isnull=True).count(),
        "team": instance.plan.team.select_related("person", "organisation"),
        "on_team": on_team,
        "can_run": on_team and instance.status in ACTIVE_STATUSES,
        "is_staff": is_staff_of(request.user, instance.community_id),
        "can_upload": on_team and instance.status in (Status.IN_PROGRESS, Status.COMPLETED),
        "can_cancel": Status.CANCELLED in allowed_targets(instance.status),
        "config": {"instance": instance_json(instance, user_of(request)), "urls": _urls(instance)},
        "strings": _strings(),
    }
    return render(request, "patrols/instance.html", context)


@login_required
@require_safe
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page on patrol: start, check in, record the track, record findings, end."""
    instance = _instance(request, pk)
    categories = []
    try:
        from apps.reports.models import Category

        categories = [
            {"value": c.pk, "label": str(c)}
            for c in Category.objects.filter(is_active=True).order_by("pk")
        ]
    except ImportError:  # the reports app is optional for running a patrol
        categories = []
    context = {
        "instance": instance,
        "plan": instance.plan,
        "on_team": is_on_team(request.user, instance.plan_id),
        "config": {
            "instance": instance_json(instance, user_of(request)),
            "urls": _urls(instance),
            "categories": categories,
        },
        "strings": _strings(),
    }
    return render(request, "patrols/run.html", context)


@login_required
@require_safe
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable patrol sheet: map, checkpoints with a signature column, the team."""
    instance = _instance(request, pk)
    plan = instance.plan
    context = {
        "instance": instance,
        "plan": plan,
        "team": plan.team.select_related("person", "organisation"),
        "checkpoints": plan.checkpoints.order_by("position", "pk"),
        "grids": plan.grids.order_by("code"),
        "config": {"instance": instance_json(instance, user_of(request)), "urls": _urls(instance)},
        "strings": _strings(),
    }
    return render(request, "patrols/sheet.html", context)


def _strings() -> dict[str, str]:
    return {
        "locating": _("Getting your position…"),
        "fix": _("Position found (accurate to about %(accuracy)s m)"),
        "no_geolocation": _("This browser cannot tell where you are."),
        "denied": _("Location is off or not allowed: allow it in the browser to check in."),
        "failed": _("Could not find where you are. Try again outdoors."),
        "timeout": _("No position arrived in time: try again under open sky."),
        "check_in": _("Check in here"),
        "check_in_again": _("Check in again"),
        "checking_in": _("Checking in…"),
        "checked_in": _("Checked in at %(name)s: %(result)s"),
        "network_checkin": _("No connection: the check-in was not sent. Press again when back."),
        "paused": _("Track paused (%(count)s points sent)"),
        "end_unsent": _(
            "Some positions are not sent yet (no connection): the patrol stays open. "
            "End it again when the connection is back."
        ),
        "ended": _("Patrol ended: %(points)s track points sent, %(checkins)s check-ins."),
        "on_site": _("On site · %(distance)s m"),
        "remote": _("Remote · %(distance)s m away (more than 50 m)"),
        "checked": _("Checked in %(at)s by %(person)s"),
        "start": _("Start patrol"),
        "end": _("End patrol"),
        "confirm_end": _("End the patrol now?"),
        "recording": _("Recording the track (%(count)s points sent)"),
        "record": _("Record my track"),
        "stop": _("Stop recording"),
        "network": _("No connection: positions are kept and sent when it is back."),
        "saved": _("Saved."),
        "error": _("Something went wrong; nothing was saved. Try again."),
        "route": _("Planned route"),
        "track": _("Track"),
        "note": _("Note"),
        "save_note": _("Save note"),
        "you": _("You are here"),
        "finding_saved": _("Filed as report %(code)s."),
        "uploading": _("Uploading…"),
    }
