"""Helpers the patrol views share: JSON answers, refusals as 4xx, the community in view."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.regions.models import Community

from ..access import staff_communities
from ..errors import PatrolError

READABLE = {"ensure_ascii": False}


def user_of(request: HttpRequest) -> User:
    """The signed-in user (views call this behind login_required or `api`)."""
    return cast(User, request.user)


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params=READABLE)


def refusal(error: PatrolError) -> JsonResponse:
    return json_response(error.as_json(), status=error.status)


def validation_refusal(error: ValidationError) -> JsonResponse:
    if hasattr(error, "error_dict"):
        errors = {
            field: " ".join(str(m) for m in messages)
            for field, messages in error.message_dict.items()
        }
        detail = " ".join(errors.values())
    else:
        errors = {}
        detail = " ".join(str(m) for m in error.messages)
    body: dict[str, Any] = {"detail": detail or _("The request could not be used.")}
    if errors:
        body["errors"] = errors
    return json_response(body, status=400)


def api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """JSON endpoint: signed-in users only (401 otherwise); PatrolError and ValidationError
    become 4xx JSON answers with the message for the person."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return json_response({"detail": _("Sign in first.")}, status=401)
        try:
            return view(request, *args, **kwargs)
        except PatrolError as error:
            return refusal(error)
        except ValidationError as error:
            return validation_refusal(error)

    return wrapper


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object; PatrolError (400) when it is not one."""
    try:
        raw = request.body
    except RawPostDataException:  # a multipart form, already read (e.g. by a middleware)
        raise PatrolError(
            _("Send the data as a JSON object (Content-Type: application/json).")
        ) from None
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise PatrolError(_("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise PatrolError(_("The request body must be a JSON object."))
    return data


def managed_communities(request: HttpRequest) -> list[Community]:
    return list(Community.objects.filter(pk__in=staff_communities(request.user)).order_by("code"))


def chosen_community(request: HttpRequest, communities: list[Community]) -> Community | None:
    """The community picked with ?community=<id> among `communities`, else the first."""
    wanted = request.GET.get("community", "")
    for community in communities:
        if str(community.pk) == wanted:
            return community
    return communities[0] if communities else None
