"""Staff pages of joint meetings: the list (and a new meeting), a meeting's page with its
agenda, decisions, outcome and history, and the outcome photos. Thin: forms parse, the
services decide; refusals are 403 (not yours), 404 (not in your communities), 409 (the
meeting's status does not allow it) and 400 (fix the form), in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.core.photos import ACCEPT, MAX_PHOTO_BYTES
from apps.reports.models import Report

from . import access, selectors, services
from .errors import MeetingStateError
from .forms import AgendaForm, DecisionForm, MeetingForm, OutcomeForm, TransitionForm
from .models import AgendaItem, JointMeeting, MeetingDecision, MeetingOutcomePhoto, MeetingStatus
from .workflow import MeetingAction, available_actions

PAGE_SIZE = 20
View = Callable[..., HttpResponse]


def problem(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"title": title, "message": message, "back": reverse("meetings:index")}
    return render(request, "meetings/problem.html", context, status=status)


def meeting_staff(view: View) -> View:
    """Signed in, and a community admin or planner somewhere (or a superuser)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.is_meeting_staff(request.user):
            return problem(
                request,
                403,
                _("Staff only"),
                _("Joint meetings are run by community admins and followed by planners."),
            )
        return view(request, *args, **kwargs)

    return wrapped


@meeting_staff
@require_http_methods(["GET", "HEAD", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    manageable = access.manageable_communities(request.user)
    can_create = manageable.exists()
    form = MeetingForm(request.POST or None, communities=manageable)
    status = 200
    if request.method == "POST":
        if not can_create:
            return problem(
                request, 403, _("Not allowed"), _("Only community admins can call a meeting.")
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=request.user,  # type: ignore[arg-type]
                    community=data["community"],
                    title=data["title"],
                    date=data["date"],
                    place=data["place"],
                    organisations=data["organisations"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Meeting created: now put reports on its agenda."))
                return redirect("meetings:detail", pk=meeting.pk)
        status = 400
    page = Paginator(selectors.meetings_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "form": form, "can_create": can_create}
    return render(request, "meetings/index.html", context, status=status)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _meeting(request: HttpRequest, pk: int) -> JointMeeting:
    meeting = selectors.meeting_for(request.user, pk)
    if meeting is None:
        raise Http404(_("There is no such meeting in your communities."))
    return meeting


def _report_choices(meeting: JointMeeting) -> list[tuple[int, str]]:
    return [
        (item.report_id, f"{item.report.code} · {item.report.category.name}")
        for item in meeting.agenda_items.all()
    ]


def _render(
    request: HttpRequest,
    meeting: JointMeeting,
    *,
    status: int = 200,
    **forms_: Any,
) -> HttpResponse:
    manager = access.can_manage(request.user, meeting.community_id)
    editable = manager and meeting.is_editable
    query = request.GET.get("q", "").strip()
    outcome = getattr(meeting, "outcome", None)
    context = {
        "meeting": meeting,
        "manager": manager,
        "editable": editable,
        "actions": available_actions(meeting.status) if manager else [],
        "action_labels": {a.value: a.label for a in MeetingAction},
        "query": query,
        "candidates": selectors.agenda_candidates(meeting, query) if editable and query else [],
        "outcome": outcome,
        "photos": selectors.outcome_photos(meeting),
        "edit_form": forms_.get("edit_form")
        or MeetingForm(
            initial={
                "title": meeting.title,
                "date": meeting.date,
                "place": meeting.place,
                "organisations": list(meeting.organisations.all()),
                "notes": meeting.notes,
            }
        ),
        "decision_form": forms_.get("decision_form")
        or DecisionForm(reports=_report_choices(meeting)),
        "outcome_form": forms_.get("outcome_form")
        or OutcomeForm(initial={"text": outcome.text if outcome else ""}),
        "agenda_form": forms_.get("agenda_form") or AgendaForm(),
        "transition_form": forms_.get("transition_form") or TransitionForm(),
        "photo_accept": ACCEPT,
        "max_photo_mb": MAX_PHOTO_BYTES // (1024 * 1024),
        "published": meeting.status == MeetingStatus.PUBLISHED,
    }
    return render(request, "meetings/detail.html", context, status=status)


@meeting_staff
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = _meeting(request, pk)
    except Http404 as error:
        return problem(request, 404, _("Meeting not found"), str(error))
    return _render(request, meeting)


def _post(handler: Callable[..., HttpResponse | None]) -> View:
    """A POST on a meeting: 404 outside one's communities, 403 / 409 from the services,
    400 with the page and its errors; otherwise back to the meeting's page."""

    @meeting_staff
    @require_POST
    @wraps(handler)
    def wrapped(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        try:
            meeting = _meeting(request, pk)
        except Http404 as error:
            return problem(request, 404, _("Meeting not found"), str(error))
        try:
            response = handler(request, meeting, **kwargs)
        except PermissionDenied as error:
            return problem(request, 403, _("Not allowed"), str(error) or _("Not allowed."))
        except MeetingStateError as error:
            return problem(request, 409, _("This cannot be done now"), error.message)
        if response is not None:
            return response
        return redirect("meetings:detail", pk=meeting.pk)

    return wrapped


@_post
def edit(request: HttpRequest, meeting: JointMeeting) -> HttpResponse | None:
    form = MeetingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **data)  # type: ignore[arg-type]
            messages.success(request, _("Meeting saved."))
            return None
        except ValidationError as error:
            _add_errors(form, error)
    return _render(request, meeting, status=400, edit_form=form)


@_post
def agenda_add(request: HttpRequest, meeting: JointMeeting) -> HttpResponse | None:
    form = AgendaForm(request.POST)
    if form.is_valid():
        report = Report.objects.filter(pk=form.cleaned_data["report"]).first()
        if report is None:
            form.add_error(None, _("There is no such report."))
        else:
            try:
                services.meeting_agenda_add(
                    meeting=meeting,
                    actor=request.user,  # type: ignore[arg-type]
                    report=report,
                    note=form.cleaned_data["note"],
                )
                messages.success(
                    request, _("Report %(code)s is on the agenda.") % {"code": report.code}
                )
                return None
            except ValidationError as error:
                form.add_error(None, error.messages)
    return _render(request, meeting, status=400, agenda_form=form)


@_post
def agenda_remove(request: HttpRequest, meeting: JointMeeting, item: int) -> HttpResponse | None:
    found = AgendaItem.objects.filter(pk=item, meeting=meeting).first()
    if found is None:
        return problem(request, 404, _("Not found"), _("That item is not on the agenda."))
    services.meeting_agenda_remove(meeting=meeting, actor=request.user, item=found)  # type: ignore[arg-type]
    messages.success(request, _("Removed from the agenda."))
    return None


@_post
def decision_add(request: HttpRequest, meeting: JointMeeting) -> HttpResponse | None:
    form = DecisionForm(request.POST, reports=_report_choices(meeting))
    if form.is_valid():
        data = form.cleaned_data
        report = (
            Report.objects.filter(pk=data["report"]).first() if data["report"] is not None else None
        )
        try:
            services.meeting_decision_add(
                meeting=meeting,
                actor=request.user,  # type: ignore[arg-type]
                text=data["text"],
                report=report,
                payer=data["payer"],
                amount=data["amount"],
                due_date=data["due_date"],
            )
            messages.success(request, _("Decision recorded."))
            return None
        except ValidationError as error:
            _add_errors(form, error)
    return _render(request, meeting, status=400, decision_form=form)


@_post
def decision_remove(
    request: HttpRequest, meeting: JointMeeting, decision: int
) -> HttpResponse | None:
    found = MeetingDecision.objects.filter(pk=decision, meeting=meeting).first()
    if found is None:
        return problem(request, 404, _("Not found"), _("That decision is not this meeting's."))
    services.meeting_decision_remove(meeting=meeting, actor=request.user, decision=found)  # type: ignore[arg-type]
    messages.success(request, _("Decision removed."))
    return None


@_post
def outcome(request: HttpRequest, meeting: JointMeeting) -> HttpResponse | None:
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_outcome_save(
                meeting=meeting,
                actor=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
                photos=request.FILES.getlist("photos"),
                caption=form.cleaned_data["caption"],
            )
            messages.success(request, _("Outcome saved. Publish it when it is ready."))
            return None
        except ValidationError as error:
            _add_errors(form, error)
    return _render(request, meeting, status=400, outcome_form=form)


@_post
def photo_remove(request: HttpRequest, meeting: JointMeeting, photo: int) -> HttpResponse | None:
    found = MeetingOutcomePhoto.objects.filter(pk=photo, outcome__meeting=meeting).first()
    if found is None:
        return problem(request, 404, _("Not found"), _("That photo is not this meeting's."))
    services.meeting_outcome_photo_remove(meeting=meeting, actor=request.user, photo=found)  # type: ignore[arg-type]
    messages.success(request, _("Photo removed."))
    return None


@_post
def transition(request: HttpRequest, meeting: JointMeeting, action: str) -> HttpResponse | None:
    if action not in {a.value for a in MeetingAction} - {MeetingAction.CREATE}:
        return problem(request, 404, _("Not found"), _("There is no such step."))
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.meeting_transition(
            meeting=meeting,
            actor=request.user,  # type: ignore[arg-type]
            action=action,
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _render(request, meeting, status=400, transition_form=form)
    messages.success(request, _("Done: %(action)s.") % {"action": MeetingAction(action).label})
    return None


@require_safe
def photo(request: HttpRequest, pk: int, variant: str) -> HttpResponseBase:
    """An outcome photo: public once the meeting is published, else for its staff."""
    found = MeetingOutcomePhoto.objects.select_related("outcome__meeting").filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such photo."))
    meeting = found.outcome.meeting
    public = meeting.status == MeetingStatus.PUBLISHED
    if not public and not access.can_view(request.user, meeting.community_id):
        raise Http404(_("There is no such photo."))
    file = found.thumbnail if variant == "thumb" else found.file
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The photo file is missing.")) from None
    response = FileResponse(handle)
    response["Cache-Control"] = ("public" if public else "private") + ", max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
