"""JSON endpoints of the planning form and of a patrol under way. Thin: parse, call a
service or selector, answer; refusals are 4xx with a message (see common.api)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..access import is_staff_of, staff_communities, visible_instances
from ..conflicts import plan_check_json
from ..errors import ForbiddenError, NotFoundError, PatrolError
from ..forms import PlanPayload
from ..models import CheckIn, PatrolInstance, PatrolPlan
from ..services import (
    checkin_note_update,
    patrol_cancel,
    patrol_check_in,
    patrol_end,
    patrol_plan_save,
    patrol_start,
    patrol_track_append,
    patrol_track_import,
)
from ..workflow import Status
from .common import api, json_body, json_response, user_of
from .serial import instance_json


def _managed_plan(request: HttpRequest, pk: int) -> PatrolPlan:
    plan = PatrolPlan.objects.filter(pk=pk).first()
    if plan is None or not is_staff_of(request.user, plan.community_id):
        raise NotFoundError(_("There is no such plan among those you manage."))
    return plan


@api
@require_POST
def plan_check(request: HttpRequest) -> HttpResponse:
    """The conflicts a plan would have if saved as sent, its warnings and its coming
    patrols (nothing is saved)."""
    payload = json_body(request)
    plan = None
    if str(payload.get("id") or "").isdigit():
        plan = _managed_plan(request, int(payload["id"]))
    data = PlanPayload(
        payload, user=request.user, community=plan.community if plan else None
    ).clean()
    return json_response(plan_check_json(data=data, plan=plan))


def _save(request: HttpRequest, plan: PatrolPlan | None) -> HttpResponse:
    if not staff_communities(request.user).exists():
        raise ForbiddenError(_("Only community staff plan patrols."))
    payload = json_body(request)
    data = PlanPayload(
        payload, user=request.user, community=plan.community if plan else None
    ).clean()
    # Only real overlaps (same people or same grids at the same time) stop a save.
    check = plan_check_json(data=data, plan=plan)
    if check["conflicts"] and payload.get("accept_conflicts") is not True:
        return json_response(
            {
                "detail": _("The plan has conflicts: look at them, then save anyway or change it."),
                **check,
            },
            status=409,
        )
    saved = patrol_plan_save(data=data, by=user_of(request), plan=plan)
    return json_response(
        {"id": saved.pk, "url": reverse("patrols:plan", args=[saved.pk])},
        status=200 if plan else 201,
    )


@api
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    """Save a new plan. With conflicts, 409 listing them unless `accept_conflicts` is set."""
    return _save(request, None)


@api
@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _managed_plan(request, pk)
    if request.method == "GET":
        from .serial import plan_json

        return json_response(plan_json(plan))
    return _save(request, plan)


def _instance(request: HttpRequest, pk: int) -> PatrolInstance:
    instance = visible_instances(request.user).select_related("plan").filter(pk=pk).first()
    if instance is None:
        raise NotFoundError(_("There is no such patrol among yours."))
    return instance


@api
@require_safe
def instance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return json_response(instance_json(_instance(request, pk), user_of(request)))


@api
@require_POST
def instance_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """{"to": "in_progress" | "completed" | "cancelled", "note": "..."}; 409 when the
    patrol's status does not allow it."""
    instance = _instance(request, pk)
    payload = json_body(request)
    target, note = payload.get("to"), str(payload.get("note") or "")
    if target == Status.IN_PROGRESS:
        instance = patrol_start(instance=instance, by=user_of(request))
    elif target == Status.COMPLETED:
        instance = patrol_end(instance=instance, by=user_of(request), note=note)
    elif target == Status.CANCELLED:
        instance = patrol_cancel(instance=instance, by=user_of(request), note=note)
    else:
        raise PatrolError(_("Say what the patrol should become: started, completed or cancelled."))
    return json_response({"status": instance.status, "status_label": instance.get_status_display()})


@api
@require_POST
def checkin_create(request: HttpRequest, pk: int) -> HttpResponse:
    """{"checkpoint": id, "lat": .., "lng": .., "accuracy": .., "key": uuid} → the check-in,
    on site or remote with its distance in metres. Sent again with the same key, the
    check-in already saved is answered (nothing is recorded twice)."""
    instance = _instance(request, pk)
    payload = json_body(request)
    checkpoint = (
        instance.plan.checkpoints.filter(pk=payload.get("checkpoint") or 0).first()
        if str(payload.get("checkpoint") or "").isdigit()
        else None
    )
    if checkpoint is None:
        raise PatrolError(
            _("Choose a checkpoint of this patrol."), errors={"checkpoint": _("Unknown.")}
        )
    checkin = patrol_check_in(
        instance=instance,
        checkpoint=checkpoint,
        person=user_of(request),
        lon=payload.get("lng"),
        lat=payload.get("lat"),
        accuracy_m=payload.get("accuracy"),
        client_key=payload.get("key"),
    )
    return json_response(
        {
            "id": checkin.pk,
            "checkpoint": checkpoint.pk,
            "on_site": checkin.on_site,
            "distance_m": round(checkin.distance_m, 1),
            "at": timezone.localtime(checkin.checked_at).strftime("%H:%M"),
            "edit_url": reverse("patrols:api-checkin", args=[checkin.pk]),
        },
        status=201,
    )


@api
@require_POST
def checkin_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the note of one's own check-in ({"note": "..."}); others' are refused (403)."""
    checkin = CheckIn.objects.filter(pk=pk, instance__in=visible_instances(request.user)).first()
    if checkin is None:
        raise NotFoundError(_("There is no such check-in among your patrols."))
    payload = json_body(request)
    checkin = checkin_note_update(
        checkin=checkin, person=user_of(request), note=str(payload.get("note") or "")
    )
    return json_response({"id": checkin.pk, "note": checkin.note})


@api
@require_POST
def track_post(request: HttpRequest, pk: int) -> HttpResponse:
    """{"points": [{"lat", "lng", "time"?, "accuracy"?}, ...]}: positions recorded live."""
    instance = _instance(request, pk)
    points = json_body(request).get("points")
    if not isinstance(points, list):
        raise PatrolError(_("Send the positions as a list under “points”."))
    added = patrol_track_append(instance=instance, person=user_of(request), points=points)
    return json_response({"added": added}, status=201)


@api
@require_POST
def track_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A GPX or GeoJSON file in the form field `file`."""
    instance = _instance(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        raise PatrolError(
            _("Choose a GPX or GeoJSON file to upload."), errors={"file": _("Required.")}
        )
    content = upload.read(upload.size + 1 if upload.size is not None else -1)
    saved = patrol_track_import(
        instance=instance, person=user_of(request), filename=upload.name or "track", content=content
    )
    return json_response(
        {
            "id": saved.pk,
            "points": saved.point_count,
            "detail": _("%(count)d track points imported from %(name)s.")
            % {"count": saved.point_count, "name": saved.filename},
        },
        status=201,
    )


@api
@require_POST
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding (multipart: category, description, lat, lng, photos, key): filed as a
    report at that spot, linked to the patrol."""
    from ..services import patrol_finding_record

    instance = _instance(request, pk)
    finding = patrol_finding_record(
        instance=instance,
        person=user_of(request),
        category=request.POST.get("category", ""),
        description=request.POST.get("description", ""),
        lon=request.POST.get("lng"),
        lat=request.POST.get("lat"),
        photos=request.FILES.getlist("photos"),
        idempotency_key=request.POST.get("key") or None,
    )
    report = finding.report
    return json_response(
        {
            "id": finding.pk,
            "report": report.code if report else None,
            "detail": _("Filed as report %(code)s.") % {"code": report.code if report else "–"},
        },
        status=201,
    )
