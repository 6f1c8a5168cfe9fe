"""The staff console: list and map of the reports in one's scope, a report's page with its
timeline and the actions its status allows, bulk dispatch, and notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.gis.db.models import Extent
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from apps.core.geojson import feature_collection
from apps.core.layers import communities_for, registry
from apps.regions.models import Community, Grid

from .. import selectors, services
from ..errors import TransitionNotAllowedError
from ..forms import ConsoleFilterForm, parse_hours, parse_target
from ..models import Report
from ..privacy import contacts_visible
from ..states import Action
from ..workflow import (
    RULES,
    STAFF_ACTIONS,
    action_label,
    available_actions,
    memberships_in,
    next_step,
    staff_parties,
)
from .common import error_messages, problem_page
from .strings import console_strings

PAGE_SIZE = 25


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in staff only: others get a page saying the console is not for them."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_staff_for_reports(request.user):
            return problem_page(
                request,
                status=403,
                title=_("Staff only"),
                message=_(
                    "The reports console is for community staff, grid workers and the people "
                    "reports are dispatched to. To report a problem, use “Report a problem”."
                ),
                back=reverse("reports:report"),
            )
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _filter_form(request: HttpRequest) -> ConsoleFilterForm:
    grids = Grid.objects.filter(community__in=communities_for(request.user))
    return ConsoleFilterForm(request.GET or None, grids=grids)


def _scoped_community_ids(request: HttpRequest) -> Any:
    return communities_for(request.user)


@staff_only
@require_safe
def console(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    reports = form.apply(selectors.console_reports(request.user)).select_related("building")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_next_actions(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    extent = Community.objects.filter(pk__in=_scoped_community_ids(request)).aggregate(
        e=Extent("boundary")
    )["e"]
    config = {
        "geojson_url": reverse("reports:console-geojson")
        + ("?" + query.urlencode() if query else ""),
        "detail_url": reverse("reports:detail", args=[0]).replace("/0/", "/{id}/"),
        "grids_url": reverse("maps:layer-geojson", args=["grids"]) + "?community=mine",
        "extent": list(extent) if extent else None,
    }
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "targets": selectors.dispatch_targets(_scoped_community_ids(request)),
        "can_dispatch": _may_dispatch(request),
        "config": config,
        "strings": console_strings(),
        "unread": selectors.unread_notifications(request.user),
    }
    return render(request, "reports/console.html", context)


def _mark_next_actions(user: Any, reports: Any) -> None:
    """Give each listed report the step that moves it on for the user (its verb names the
    row's button), or None. Memberships are read once per community, not per row."""
    memberships: dict[int, list[Any]] = {}
    for report in reports:
        if report.community_id not in memberships:
            memberships[report.community_id] = memberships_in(user, report.community_id)
        parties = staff_parties(user, report, memberships[report.community_id])
        step = next_step(report, parties)
        report.next_action = (step, action_label(step)) if step else None


def _may_dispatch(request: HttpRequest) -> bool:
    from apps.accounts.models import Membership
    from apps.accounts.roles import Role

    user: Any = request.user
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, is_active=True, role__in=[Role.COMMUNITY_ADMIN, Role.GRID_WORKER]
        ).exists()
    )


@staff_only
@require_safe
def console_geojson(request: HttpRequest) -> HttpResponse:
    """The console's filtered reports as GeoJSON, with the registry layer's public fields."""
    layer = registry.get("reports")
    form = _filter_form(request)
    rows = form.apply(selectors.console_reports(request.user)).annotate(**layer.get_annotations())
    # Staff see the exact point of the reports in their scope, private locations too.
    text = feature_collection(rows, geometry_field="location", fields=layer.fields, limit=5000)
    return HttpResponse(text, content_type="application/geo+json")


def _visible_report(request: HttpRequest, pk: int) -> Report | None:
    return selectors.console_reports(request.user).filter(pk=pk).first()


def _not_found(request: HttpRequest) -> HttpResponse:
    return problem_page(
        request,
        status=404,
        title=_("Report not found"),
        message=_("There is no such report in your area."),
        back=reverse("reports:console"),
    )


@staff_only
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    if report is None:
        return _not_found(request)
    return _render_detail(request, report)


def _render_detail(
    request: HttpRequest,
    report: Report,
    *,
    errors: dict[str, list[str]] | None = None,
    failed_action: str = "",
    status: int = 200,
) -> HttpResponse:
    parties = staff_parties(request.user, report)
    actions = available_actions(report, parties)
    # Contacts and the reporter's name: only for the staff handling it (not planners).
    show_contacts = contacts_visible(request.user, report, parties)
    context = {
        "report": report,
        "timeline": selectors.timeline(report),
        "submission_photos": report.photos.filter(transition__action=Action.SUBMIT),
        "actions": [
            {"code": action, "label": action_label(action), "rule": RULES[action]}
            for action in actions
        ],
        **_dispatch_choices(report, actions),
        "errors": errors or {},
        "general_errors": (errors or {}).get("__all__", []),
        "failed_action": failed_action,
        "open_action": _open_action(request, report, actions, failed_action, parties),
        "values": request.POST if errors else {},
        "show_contacts": show_contacts,
        "show_reporter": show_contacts and not report.is_anonymous,
        "map_config": {
            "point": [report.location.y, report.location.x],
            "layers": surroundings_layers(),
            "grid": report.grid.code if report.grid else "",
            "marker_label": f"{report.category.name} {report.code}",
        },
    }
    return render(request, "reports/detail.html", context, status=status)


def _open_action(
    request: HttpRequest,
    report: Report,
    actions: list[str],
    failed_action: str,
    parties: dict[Any, str],
) -> str:
    """The step whose form is open: the one that failed, the one the console's row button
    asked for, or the one that moves the report on (workflow.next_step), if any."""
    if failed_action:
        return failed_action
    asked = request.GET.get("step", "")
    if asked in actions:
        return asked
    return next_step(report, parties) or ""


def surroundings_layers() -> dict[str, str]:
    """The registry layers that show a record's place in its surroundings (the map kit's
    surroundings.js draws them around the record, within a bbox)."""
    return {
        name: reverse("maps:layer-geojson", args=[name])
        for name in ("grids", "compounds", "buildings")
    }


def _dispatch_choices(report: Report, actions: list[str]) -> dict[str, Any]:
    """The dispatch select's people and organisations, with the current assignee and the
    category's suggestion marked in words. Nothing is preselected: a dispatch is a choice
    the person makes, never a default one careless click sends elsewhere."""
    if Action.DISPATCH not in actions:
        return {"targets": None, "current_target": "", "suggested": "", "suggested_label": ""}
    targets = selectors.dispatch_targets([report.community_id])
    if report.dispatched_to_user_id:
        current = f"user:{report.dispatched_to_user_id}"
    elif report.dispatched_to_organisation_id:
        current = f"org:{report.dispatched_to_organisation_id}"
    else:
        current = ""
    suggested = selectors.suggested_target(report)
    labels = dict(targets["people"] + targets["organisations"])
    return {
        "targets": targets,
        "current_target": current,
        "current_label": labels.get(current, ""),
        "suggested": suggested if suggested != current else "",
        "suggested_label": labels.get(suggested, "") if suggested != current else "",
    }


@staff_only
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Apply one workflow step from the report page; 409 when the status no longer allows it."""
    report = _visible_report(request, pk)
    # Only the console's own steps: not the resident's, nor feedback (given by services).
    if report is None or action not in STAFF_ACTIONS:
        return _not_found(request)
    try:
        _run(request, report, action)
    except TransitionNotAllowedError as error:
        return problem_page(
            request,
            status=409,
            title=_("This step cannot be taken now"),
            message=error.message,
            back=reverse("reports:detail", args=[report.pk]),
        )
    except PermissionDenied as error:
        return problem_page(
            request,
            status=403,
            title=_("Not yours to do"),
            message=str(error) or _("You cannot take this step on this report."),
            back=reverse("reports:detail", args=[report.pk]),
        )
    except ValidationError as error:
        report.refresh_from_db()
        return _render_detail(
            request, report, errors=error_messages(error), failed_action=action, status=400
        )
    messages.success(
        request,
        _("%(action)s: report %(code)s.") % {"action": Action(action).label, "code": report.code},
    )
    return redirect("reports:detail", pk=report.pk)


def _run(request: HttpRequest, report: Report, action: str) -> None:
    user: Any = request.user
    note = request.POST.get("note", "")
    photos = request.FILES.getlist("photos")
    if action == Action.ACCEPT:
        services.report_accept(report=report, actor=user, note=note)
    elif action == Action.REJECT:
        services.report_reject(report=report, actor=user, reason=note)
    elif action == Action.DISPATCH:
        to_user, to_organisation = parse_target(
            request.POST.get("target", ""), community_ids=[report.community_id]
        )
        services.report_dispatch(
            report=report, actor=user, to_user=to_user, to_organisation=to_organisation, note=note
        )
    elif action == Action.START:
        services.report_start(report=report, actor=user, note=note)
    elif action == Action.HANDLE:
        services.report_handle(report=report, actor=user, feedback=note, photos=photos)
    elif action == Action.VERIFY:
        services.report_verify(report=report, actor=user, note=note, photos=photos)
    elif action == Action.FAIL_VERIFICATION:
        services.report_fail_verification(report=report, actor=user, reason=note, photos=photos)
    elif action == Action.CLOSE:
        services.report_close(report=report, actor=user, note=note)
    elif action == Action.DEFER:
        hours = parse_hours(request.POST.get("hours", ""))
        services.report_defer(report=report, actor=user, hours=hours, reason=note)


@staff_only
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch the ticked reports to one person or organisation; each is its own step, so
    one that cannot be dispatched does not stop the others (and is named)."""
    back = reverse("reports:console") + "?" + request.POST.get("query", "")
    ids = [int(i) for i in request.POST.getlist("reports") if i.isdigit()]
    if not ids:
        messages.error(request, _("Tick the reports to dispatch first."))
        return redirect(back)
    if not request.POST.get("target"):
        # Said once, not once per ticked report; the ticks are the person's to redo.
        messages.error(request, _("Choose whom to dispatch the ticked reports to."))
        return redirect(back)
    done, failed = [], []
    for report in selectors.console_reports(request.user).filter(pk__in=ids).order_by("pk"):
        try:
            to_user, to_organisation = parse_target(
                request.POST.get("target", ""), community_ids=[report.community_id]
            )
            services.report_dispatch(
                report=report,
                actor=request.user,  # type: ignore[arg-type]
                to_user=to_user,
                to_organisation=to_organisation,
            )
            done.append(report.code)
        except (TransitionNotAllowedError, PermissionDenied, ValidationError) as error:
            failed.append(f"{report.code}: {_reason(error)}")
    if done:
        messages.success(
            request,
            ngettext("Dispatched %(count)d report.", "Dispatched %(count)d reports.", len(done))
            % {"count": len(done)},
        )
    for line in failed:
        messages.error(request, _("Not dispatched: %(reason)s") % {"reason": line})
    return redirect(back)


def _reason(error: Exception) -> str:
    if isinstance(error, TransitionNotAllowedError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(m for ms in error_messages(error).values() for m in ms)
    return str(error) or _("You cannot take this step on this report.")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notifications; POST marks them (or one) read."""
    if request.method == "POST":
        one = request.POST.get("id", "")
        services.notifications_mark_read(
            user=request.user,  # type: ignore[arg-type]
            ids=[int(one)] if one.isdigit() else None,
        )
        return redirect(request.POST.get("next") or reverse("reports:notifications"))
    items = request.user.report_notifications.select_related("report")  # type: ignore[union-attr]
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/notifications.html",
        {"page": page, "unread": selectors.unread_notifications(request.user)},
    )
