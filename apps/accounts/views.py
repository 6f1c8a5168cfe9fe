"""Signing in (to the page where one's work is), and the signed-in person's own data: see
what is held, download it, erase the account."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .home import home_url_for
from .personal_data import account_erase, account_is_erasable, personal_data_export

# The word a person types to confirm: a tick box is too easy to hit by accident on a phone.
CONFIRM_WORD = "DELETE"


class SignInView(LoginView):
    """Django's sign-in page, landing each person on their role's home (apps.accounts.home).

    A `?next=` wins when it is safe: LoginView accepts only URLs of this site (same host,
    and https when the request is), so a link cannot send someone elsewhere after sign-in.
    """

    def get_default_redirect_url(self) -> str:
        return home_url_for(self.request.user)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The site's front door ("/", the brand link): the map for visitors, and for a signed-in
    person the page where their work is."""
    return redirect(home_url_for(request.user))


def _counts(data: dict[str, Any]) -> list[tuple[str, int]]:
    return [
        (_("Reports you filed"), len(data["reports"])),
        (_("“Me too”s"), len(data["me_toos"])),
        (_("Notifications"), len(data["notifications"])),
        (_("Station bookings"), len(data["station_bookings"])),
        (_("Tool loans"), len(data["tool_loans"])),
        (_("Parcels"), len(data["parcels"])),
    ]


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    data = personal_data_export(user)
    context = {
        "account": data["account"],
        "counts": _counts(data),
        "erasable": account_is_erasable(user),
    }
    return render(request, "accounts/my_data.html", context)


@login_required
@require_safe
def my_data_download(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    text = json.dumps(personal_data_export(user), ensure_ascii=False, indent=2)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="gridmap-my-data-{day}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not account_is_erasable(user):
        context: dict[str, Any] = {"erasable": False}
        return render(request, "accounts/account_delete.html", context, status=403)
    errors: list[str] = []
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().upper() != CONFIRM_WORD:
            errors.append(
                _("Type %(word)s in the box to confirm that the account is to be deleted.")
                % {"word": CONFIRM_WORD}
            )
        else:
            count = account_erase(user=user, reason=request.POST.get("reason", ""))
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. %(count)d report(s) you filed stay on the map "
                    "without your name or contact details."
                )
                % {"count": count},
            )
            return redirect("accounts:deleted")
    context = {
        "erasable": True,
        "errors": errors,
        "confirm_word": CONFIRM_WORD,
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "accounts/account_delete.html", context, status=400 if errors else 200)


@require_safe
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_deleted.html")
