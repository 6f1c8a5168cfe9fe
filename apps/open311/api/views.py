"""Open311 GeoReport v2 endpoints, each in .json and .xml. Thin: parse, ask the selectors or
the service, encode. Every refusal is the spec's error document with its HTTP status."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from apps.core.db_unavailable import DATABASE_ERRORS, retry_after_seconds, unavailable_message
from apps.reports.errors import RateLimitedError
from apps.reports.models import Category

from .. import selectors
from ..errors import BadRequestError, ForbiddenError, NotFoundError, Open311Error
from ..models import ApiKey
from ..services import service_request_create
from . import representations as rep
from .encoding import render, render_errors
from .params import max_requests, parse_request_query, parse_service_request

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this implementation of the API last changed in a way clients could notice.
CHANGESET = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Method check, jurisdiction check and error documents around an endpoint."""

    def decorate(view: View) -> View:
        @csrf_exempt  # clients authenticate with api_key, not with a session cookie
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = render_errors(
                    fmt,
                    405,
                    [
                        _("This endpoint takes %(methods)s, not %(method)s.")
                        % {"methods": " or ".join(methods), "method": request.method}
                    ],
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                _check_jurisdiction(request)
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return render_errors(fmt, error.status, error.descriptions)
            except RateLimitedError as error:
                response = render_errors(fmt, 429, [error.message])
                response["Retry-After"] = str(error.retry_after)
                return response
            except DATABASE_ERRORS:
                # The database restarts: retryable, and the token keeps a retry single.
                response = render_errors(fmt, 503, [unavailable_message(request)])
                response["Retry-After"] = str(retry_after_seconds())
                return response

        return wrapped

    return decorate


def _check_jurisdiction(request: HttpRequest) -> None:
    """One jurisdiction per site: jurisdiction_id is optional, but a wrong one is refused."""
    ours = getattr(settings, "GRIDMAP_OPEN311_JURISDICTION", "")
    given = (
        request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    ).strip()
    if ours and given and given != ours:
        raise NotFoundError(
            _("jurisdiction_id “%(given)s” was not found: this endpoint serves “%(ours)s”.")
            % {"given": given[:60], "ours": ours}
        )


def _optional_key(request: HttpRequest) -> ApiKey | None:
    """GET calls need no key; one that is sent must be valid (it shows the client's own
    not-yet-public requests too)."""
    raw = request.GET.get("api_key", "").strip()
    if not raw:
        return None
    key = selectors.api_key_for(raw)
    if key is None:
        raise ForbiddenError(_("Invalid api_key received: check it, or leave it out."))
    return key


@endpoint("GET", "HEAD")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = rep.w3_datetime(CHANGESET)
    document = {
        "changeset": changeset,
        "contact": getattr(settings, "GRIDMAP_OPEN311_CONTACT", "")
        or _("The community office (社区居委会) of your community."),
        "key_service": _(
            "API keys are issued by the administrators of this site (the admin, “Open311 API "
            "keys”): ask your community office for one."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri(reverse("open311:root")),
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", document)


@endpoint("GET", "HEAD")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, "services", [rep.service(c) for c in selectors.services()])


@endpoint("GET", "HEAD")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = selectors.service(code)
    if category is None:
        raise NotFoundError(
            _("service_code “%(code)s” was not found: see services.%(fmt)s.")
            % {"code": code, "fmt": fmt}
        )
    return render(fmt, "service_definition", rep.service_definition(category))


@endpoint("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    key = _optional_key(request)
    query = parse_request_query(request.GET)
    rows = selectors.visible_requests(key)
    if query.ids:
        rows = rows.filter(pk__in=query.ids)
    else:
        if query.service_codes:
            known = set(
                Category.objects.filter(code__in=query.service_codes).values_list("code", flat=True)
            )
            unknown = [c for c in query.service_codes if c not in known]
            if unknown:
                raise BadRequestError(
                    _("service_code “%(codes)s” was not found: see services.%(fmt)s.")
                    % {"codes": ", ".join(unknown)[:100], "fmt": fmt}
                )
            rows = rows.filter(category__code__in=query.service_codes)
        rows = rows.filter(submitted_at__gte=query.start, submitted_at__lte=query.end)
        if set(query.statuses) == {"closed"}:
            rows = rows.filter(selectors.closed_q())
        elif set(query.statuses) == {"open"}:
            rows = rows.exclude(selectors.closed_q())
    rows = selectors.with_api_fields(rows).order_by("-submitted_at", "-pk")[: max_requests()]
    return render(fmt, "service_requests", [rep.request(r) for r in rows])


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    raw = request.POST.get("api_key", "").strip()
    if not raw:
        raise ForbiddenError(
            _("api_key was not provided: filing a request needs a key (see discovery).")
        )
    key = selectors.api_key_for(raw)
    if key is None:
        raise ForbiddenError(_("Invalid api_key received: the key is unknown or was withdrawn."))
    filed = service_request_create(
        api_key=key, data=parse_service_request(request.POST, request.headers)
    )
    report = filed.submission.report
    url = request.build_absolute_uri(reverse("reports:track", args=[report.code]))
    status = 201 if filed.created else 200
    return render(fmt, "service_requests", [rep.created(report, tracking_url=url)], status=status)


@endpoint("GET", "HEAD")
def request_detail(request: HttpRequest, request_id: int, fmt: str) -> HttpResponse:
    key = _optional_key(request)
    rows = selectors.with_api_fields(selectors.visible_requests(key).filter(pk=request_id))
    found = list(rows)
    if not found:
        raise NotFoundError(
            _("service_request_id %(id)s was not found (or is not public yet).")
            % {"id": request_id}
        )
    return render(fmt, "service_requests", [rep.request(found[0])])


@endpoint("GET", "HEAD")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    key = _optional_key(request)
    found = selectors.submission_for_token(token, key)
    if not found:
        raise NotFoundError(_("token “%(token)s” was not found.") % {"token": token[:64]})
    if len(found) > 1:
        raise BadRequestError(
            _("Several clients used token “%(token)s”: add your api_key to tell them apart.")
            % {"token": token[:64]}
        )
    item = {"service_request_id": str(found[0].report_id), "token": found[0].token}
    return render(fmt, "service_requests", [item])


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404, in JSON when asked for .json."""
    fmt = "json" if path.endswith(".json") else "xml"
    return render_errors(
        fmt,
        404,
        [
            _(
                "There is no such Open311 resource. Endpoints: discovery, services, "
                "services/{service_code}, requests, requests/{id}, tokens/{token}, each "
                "ending in .json or .xml."
            )
        ],
    )
