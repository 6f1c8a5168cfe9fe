"""Admin page of deleted records, each with a button that restores it (apps.core.history).

Lists the latest deletions of every model that has an admin page and keeps history, within
the communities the signed-in admin may act in. Restoring brings back the row with the rows
deleted with it and the links its deletion cut; the restore is recorded in history.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .admin import admin_community_ids
from .history import (
    HistoryRestoreError,
    deleted_records,
    history_restore,
    is_tracked,
    latest_record,
)


def _restorable_models(request: HttpRequest) -> list[type[models.Model]]:
    return [
        model
        for model, model_admin in admin.site._registry.items()
        if is_tracked(model)
        # Whoever may delete a record in the admin may undo that deletion.
        and model_admin.has_delete_permission(request)
    ]


def _in_scope(request: HttpRequest, record: Any) -> bool:
    ids = admin_community_ids(request)
    if ids is None:
        return True
    community_id = getattr(record, "community_id", None)
    if record.tracked_model is apps.get_model("regions", "Community"):
        community_id = record.id
    return community_id is not None and community_id in ids


def _label(record: Any) -> str:
    try:
        return str(record.history_object)
    except ObjectDoesNotExist:
        # Its name may need a row that went with it (a shift named after its grid).
        return f"#{record.id}"


@require_http_methods(["GET", "POST"])
def deleted_records_view(request: HttpRequest) -> HttpResponse:
    restorable = _restorable_models(request)
    if request.method == "POST":
        return _restore(request, restorable)
    records = [r for r in deleted_records(models_=restorable) if _in_scope(request, r)]
    for record in records:
        opts = record.tracked_model._meta
        record.model_label = opts.label_lower
        record.model_name = opts.verbose_name
        record.label = _label(record)
        record.history_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.id]
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Deleted records"),
        "records": records,
    }
    return render(request, "admin/deleted_records.html", context)


def _restore(request: HttpRequest, restorable: list[type[models.Model]]) -> HttpResponse:
    label, pk = request.POST.get("model", ""), request.POST.get("pk", "")
    back = HttpResponseRedirect(request.path)
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        messages.error(request, _("Unknown kind of record: %(label)s.") % {"label": label})
        return back
    if model not in restorable:
        raise PermissionDenied
    try:
        record = latest_record(model, model._meta.pk.to_python(pk))  # type: ignore[union-attr]
    except ValidationError:
        record = None
    if record is None:
        messages.error(
            request,
            _("There is no deleted %(model)s #%(pk)s to restore.")
            % {"model": model._meta.verbose_name, "pk": pk},
        )
        return back
    record.tracked_model = model
    if not _in_scope(request, record):
        raise PermissionDenied
    try:
        instance = history_restore(model=model, pk=record.id)
    except HistoryRestoreError as error:
        messages.error(request, str(error))
        return back
    messages.success(
        request,
        _("%(model)s “%(name)s” is restored.")
        % {"model": model._meta.verbose_name, "name": instance},
    )
    try:
        return HttpResponseRedirect(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
        )
    except NoReverseMatch:
        return back
