"""Ledger pages: public per community and per compound; the staff desk to enter and approve."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.regions.models import Community, Compound

from . import selectors
from .access import (
    can_use_desk,
    can_view_entry,
    compounds_for_staff,
    entries_for_desk,
    ledger_roles,
)
from .forms import LedgerEntryForm, TransitionForm
from .models import EDITABLE_STATUSES, LEDGER_TRANSITIONS, LedgerEntry
from .services import ledger_entry_create, ledger_entry_transition, ledger_entry_update
from .workflow import WorkflowError

PAGE_SIZE = 50


def problem(request: HttpRequest, message: str, *, status: int, back_url: str = "") -> HttpResponse:
    """A page saying what went wrong and what to do, with the right status code.

    Shared by the ledger, notices and station pages, which use the same template.
    """
    context = {"message": message, "back_url": back_url}
    return render(request, "ledger/problem.html", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "ledger/index.html", {"communities": selectors.communities_with_ledgers()}
    )


def community_ledger(request: HttpRequest, code: str) -> HttpResponse:
    community = get_object_or_404(Community, code=code)
    compounds = list(selectors.compounds_with_totals(community))
    return render(
        request, "ledger/community.html", {"community": community, "compounds": compounds}
    )


def compound_ledger(request: HttpRequest, compound_id: int) -> HttpResponse:
    compound = get_object_or_404(
        Compound.objects.select_related("community", "property_company"), pk=compound_id
    )
    years = selectors.entry_years(compound)
    year: int | None = None
    if request.GET.get("year"):
        try:
            year = int(request.GET["year"])
        except ValueError:
            return problem(request, _("The year must be a number such as 2024."), status=400)
    entries = selectors.public_entries(compound)
    if year is not None:
        entries = entries.filter(date__year=year)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "compound": compound,
        "totals": selectors.compound_totals(compound, year=year),
        "years": years,
        "year": year,
        "page": page,
    }
    return render(request, "ledger/compound.html", context)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    if not can_use_desk(request.user):
        return problem(
            request,
            _("The ledger desk is for property staff and community admins."),
            status=403,
        )
    entries = entries_for_desk(request.user).select_related("compound", "community")
    status = request.GET.get("status", "")
    if status in LedgerEntry.Status.values:
        entries = entries.filter(status=status)
    page = Paginator(entries.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": LedgerEntry.Status.choices,
        "can_enter": compounds_for_staff(request.user).exists(),
    }
    return render(request, "ledger/desk.html", context)


def _form_values(form: LedgerEntryForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("compound", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    if not compounds_for_staff(request.user).exists():
        return problem(
            request, _("Only property staff enter the ledger of their compounds."), status=403
        )
    form = LedgerEntryForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = ledger_entry_create(
                    actor=request.user,
                    compound=form.cleaned_data["compound"],
                    submit="submit" in request.POST,
                    **_form_values(form),
                )
            except ValidationError as error:
                _add_errors(form, error)
            except WorkflowError as error:
                return problem(request, str(error), status=error.status)
            else:
                return redirect("ledger:entry", pk=entry.pk)
        status = 400
    return render(request, "ledger/entry_form.html", {"form": form}, status=status)


def _add_errors(form: LedgerEntryForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


def _entry_context(request: HttpRequest, entry: LedgerEntry, **extra: Any) -> dict[str, Any]:
    roles = ledger_roles(request.user, entry.compound)
    editable = entry.status in EDITABLE_STATUSES and bool(roles & {"property_staff", "superuser"})
    context = {
        "entry": entry,
        "events": entry.events.select_related("actor").order_by("at", "pk"),
        "actions": LEDGER_TRANSITIONS.available(status=entry.status, roles=roles),
        "form": LedgerEntryForm(user=request.user, entry=entry) if editable else None,
    }
    context.update(extra)
    return context


def _get_entry(request: HttpRequest, pk: int) -> LedgerEntry:
    return get_object_or_404(
        LedgerEntry.objects.select_related("compound", "community", "facility", "entered_by"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry(request, pk)
    if not can_view_entry(request.user, entry):
        return problem(request, _("This entry is not open to you."), status=403)
    if request.method == "GET":
        return render(request, "ledger/entry.html", _entry_context(request, entry))
    # POST: an edit of a draft or returned entry.
    form = LedgerEntryForm(request.POST, user=request.user, entry=entry)
    if form.is_valid():
        try:
            entry = ledger_entry_update(entry=entry, actor=request.user, **_form_values(form))
        except ValidationError as error:
            _add_errors(form, error)
        except WorkflowError as error:
            context = _entry_context(request, entry, error=str(error))
            return render(request, "ledger/entry.html", context, status=error.status)
        else:
            return redirect("ledger:entry", pk=entry.pk)
    context = _entry_context(request, entry)
    context["form"] = form
    return render(request, "ledger/entry.html", context, status=400)


@login_required
@require_POST
def entry_transition(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry(request, pk)
    if not can_view_entry(request.user, entry):
        return problem(request, _("This entry is not open to you."), status=403)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Choose an action."), status=400)
    try:
        ledger_entry_transition(
            entry=entry,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except WorkflowError as error:
        entry.refresh_from_db()
        context = _entry_context(request, entry, error=str(error))
        return render(request, "ledger/entry.html", context, status=error.status)
    return redirect("ledger:entry", pk=entry.pk)
