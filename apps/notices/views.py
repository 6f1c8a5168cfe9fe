"""Notice board pages: public per community, the staff desk, attachments served with checks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.ledger.forms import TransitionForm
from apps.ledger.views import problem
from apps.ledger.workflow import WorkflowError
from apps.regions.models import Community

from . import selectors
from .access import (
    can_draft,
    can_edit,
    can_view,
    drafting_communities,
    notice_roles,
    notices_for_desk,
)
from .forms import AttachForm, NoticeForm
from .models import NOTICE_TRANSITIONS, Notice, NoticeAttachment
from .services import (
    notice_attach,
    notice_attachment_remove,
    notice_create,
    notice_transition,
    notice_update,
)

PAGE_SIZE = 20


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/index.html", {"boards": selectors.boards()})


def board(request: HttpRequest, code: str) -> HttpResponse:
    community = get_object_or_404(Community, code=code)
    section = request.GET.get("section", "")
    if section and section not in Notice.Section.values:
        return problem(request, _("There is no such section."), status=400)
    notices = selectors.published_notices(community, section=section or None)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "section": section,
        "sections": Notice.Section.choices,
        "page": page,
        "can_draft": can_draft(request.user, community.pk),
    }
    return render(request, "notices/board.html", context)


def notice_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    notice = selectors.notice_with_attachments(pk)
    if notice is None or notice.community.code != code or not can_view(request.user, notice):
        # Drafts do not exist for the public: a 404, not a 403 that confirms them.
        raise Http404
    return render(request, "notices/notice.html", {"notice": notice})


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(
        NoticeAttachment.objects.select_related("notice"), pk=pk, removed=False
    )
    if not can_view(request.user, item.notice):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        # The row survived but its file did not (a restored database without media/).
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=item.content_type,
        as_attachment=False,
        filename=item.original_name,
    )
    if item.notice.status != Notice.Status.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    if not drafting_communities(request.user).exists():
        return problem(request, _("The notice desk is for the community's staff."), status=403)
    notices = notices_for_desk(request.user).select_related("community", "author")
    status = request.GET.get("status", "")
    if status in Notice.Status.values:
        notices = notices.filter(status=status)
    page = Paginator(notices.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "status": status, "statuses": Notice.Status.choices}
    return render(request, "notices/desk.html", context)


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    if not drafting_communities(request.user).exists():
        return problem(request, _("The notice desk is for the community's staff."), status=403)
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = notice_create(
                    actor=request.user,
                    community=data["community"],
                    section=data["section"],
                    title=data["title"],
                    body=data["body"],
                    compound=data["compound"],
                    attachments=data["attachments"],
                    submit="submit" in request.POST,
                )
            except ValidationError as error:
                _add_errors(form, error)
            except WorkflowError as error:
                return problem(request, str(error), status=error.status)
            else:
                return redirect("notices:edit", pk=notice.pk)
        status = 400
    return render(request, "notices/notice_form.html", {"form": form}, status=status)


def _desk_notice(request: HttpRequest, pk: int) -> Notice:
    notice = selectors.notice_with_attachments(pk)
    if notice is None or not can_draft(request.user, notice.community_id):
        raise Http404
    return notice


def _desk_context(request: HttpRequest, notice: Notice, **extra: Any) -> dict[str, Any]:
    roles = notice_roles(request.user, notice.community_id)
    editable = can_edit(request.user, notice)
    context = {
        "notice": notice,
        "actions": NOTICE_TRANSITIONS.available(status=notice.status, roles=roles),
        "events": notice.events.select_related("actor"),
        "form": NoticeForm(user=request.user, notice=notice) if editable else None,
        "attach_form": AttachForm() if editable else None,
        "editable": editable,
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _desk_notice(request, pk)
    if request.method == "GET":
        return render(request, "notices/desk_notice.html", _desk_context(request, notice))
    form = NoticeForm(request.POST, user=request.user, notice=notice)
    if form.is_valid():
        data = form.cleaned_data
        try:
            notice_update(
                notice=notice,
                actor=request.user,
                section=data["section"],
                title=data["title"],
                body=data["body"],
                compound=data["compound"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except WorkflowError as error:
            context = _desk_context(request, notice, error=str(error))
            return render(request, "notices/desk_notice.html", context, status=error.status)
        else:
            return redirect("notices:edit", pk=notice.pk)
    context = _desk_context(request, notice, form=form)
    return render(request, "notices/desk_notice.html", context, status=400)


@login_required
@require_POST
def notice_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _desk_notice(request, pk)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            notice_attach(notice=notice, actor=request.user, files=form.cleaned_data["attachments"])
        except ValidationError as error:
            form.add_error(None, error)
        except WorkflowError as error:
            context = _desk_context(request, notice, error=str(error))
            return render(request, "notices/desk_notice.html", context, status=error.status)
        else:
            return redirect("notices:edit", pk=notice.pk)
    context = _desk_context(request, notice, attach_form=form)
    return render(request, "notices/desk_notice.html", context, status=400)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(NoticeAttachment, pk=pk, removed=False)
    notice = _desk_notice(request, item.notice_id)
    try:
        notice_attachment_remove(attachment=item, actor=request.user)
    except WorkflowError as error:
        context = _desk_context(request, notice, error=str(error))
        return render(request, "notices/desk_notice.html", context, status=error.status)
    return redirect("notices:edit", pk=notice.pk)


@login_required
@require_POST
def notice_change(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _desk_notice(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Choose an action."), status=400)
    try:
        notice_transition(
            notice=notice,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except WorkflowError as error:
        notice = _desk_notice(request, pk)
        context = _desk_context(request, notice, error=str(error))
        return render(request, "notices/desk_notice.html", context, status=error.status)
    return redirect("notices:edit", pk=notice.pk)
