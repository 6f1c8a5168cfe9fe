"""Sign-in throttling: after GRIDMAP_LOGIN_FAILURE_LIMIT failed sign-ins for one user name
from one address within GRIDMAP_LOGIN_FAILURE_WINDOW seconds, that pair is refused with
429 Too Many Requests (and the sign-in page saying why, in the person's language) until
the oldest failure leaves the window. A successful sign-in clears the pair's failures.

Failures are rows in the database, so every app server process counts the same ones.
Counting per user name *and* address keeps a guesser from locking a person out everywhere.
The address is REMOTE_ADDR, or the header GRIDMAP_CLIENT_IP_HEADER names (e.g.
HTTP_X_REAL_IP) when a proxy in front sets it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import LoginFailure


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "GRIDMAP_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
    return value or "0.0.0.0"


def _window() -> timedelta:
    return timedelta(seconds=settings.GRIDMAP_LOGIN_FAILURE_WINDOW)


def retry_after(username: str, ip: str) -> int:
    """Seconds until this user name may try again from this address; 0 if it may now."""
    since = timezone.now() - _window()
    failures = LoginFailure.objects.filter(username=username, ip=ip, at__gte=since)
    times = list(
        failures.order_by("-at").values_list("at", flat=True)[
            : settings.GRIDMAP_LOGIN_FAILURE_LIMIT
        ]
    )
    if len(times) < settings.GRIDMAP_LOGIN_FAILURE_LIMIT:
        return 0
    free_at = times[-1] + _window()
    return max(1, math.ceil((free_at - timezone.now()).total_seconds()))


@receiver(user_login_failed, dispatch_uid="accounts_throttle_failed")
def _record_failure(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **_: Any
) -> None:
    username = (credentials or {}).get("username")
    if request is None or not username:
        return
    LoginFailure.objects.create(username=username[:150], ip=client_ip(request))
    # Old rows are of no use: drop them now and then, on the failure path only.
    LoginFailure.objects.filter(at__lt=timezone.now() - 2 * _window()).delete()


@receiver(user_logged_in, dispatch_uid="accounts_throttle_succeeded")
def _clear_failures(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if request is not None:
        LoginFailure.objects.filter(username=user.get_username(), ip=client_ip(request)).delete()


class _ThrottledForm(AuthenticationForm):
    """The sign-in form as it was posted, with the refusal as its only error."""

    def __init__(self, message: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = message

    def non_field_errors(self) -> Any:
        return self.error_class([self.refusal])


class LoginThrottleMiddleware:
    """Refuses sign-in attempts (site, admin, API) of a locked user name and address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in self._paths():
            username = request.POST.get("username", "")
            wait = retry_after(username, client_ip(request)) if username else 0
            if wait:
                return self._refuse(request, wait)
        return self.get_response(request)

    @staticmethod
    def _paths() -> set[str]:
        return {reverse("login"), reverse("admin:login")}

    def _refuse(self, request: HttpRequest, wait: int) -> HttpResponse:
        minutes = max(1, math.ceil(wait / 60))
        message = ngettext(
            "Too many failed sign-ins for this user name. Try again in %(minutes)d minute.",
            "Too many failed sign-ins for this user name. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response: HttpResponse
        if "json" in request.headers.get("Accept", "") and "html" not in request.headers.get(
            "Accept", ""
        ):
            response = JsonResponse({"detail": message}, status=429)
        else:
            form = _ThrottledForm(message, request, data=request.POST)
            context: dict[str, Any] = {"form": form, "next": request.POST.get("next", "")}
            template = "registration/login.html"
            if request.path == reverse("admin:login"):
                template = "admin/login.html"
                context.update(admin.site.each_context(request), title=_("Log in"))
            response = TemplateResponse(request, template, context, status=429).render()
        response["Retry-After"] = str(wait)
        return response
