"""Sign-in throttling: repeated failures for one user name from one address are refused
with 429 and a message in the person's language, on the site and the admin sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginFailure
from tests.factories import make_superuser, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_failures_lock(settings):
    settings.GRIDMAP_LOGIN_FAILURE_LIMIT = 3
    settings.GRIDMAP_LOGIN_FAILURE_WINDOW = 900


PASSWORD = "a-long-test-password"  # tests.factories.make_user's


def client(ip: str = "10.0.0.1", language: str = "en") -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE=language)


def fail(browser: Client, username: str, times: int, url: str | None = None) -> None:
    for _ in range(times):
        response = browser.post(url or reverse("login"), {"username": username, "password": "x"})
        assert response.status_code == 200  # the form again, with its usual error


def test_after_three_failures_even_the_right_password_is_refused_with_429():
    user = make_user()
    browser = client()
    fail(browser, user.username, 3)
    response = browser.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Too many failed sign-ins for this user name. Try again in 15 minutes." in page
    assert "_auth_user_id" not in browser.session


def test_the_refusal_is_in_chinese_for_a_chinese_browser():
    user = make_user()
    browser = client(language="zh-hans")
    fail(browser, user.username, 3)
    response = browser.post(reverse("login"), {"username": user.username, "password": "x"})
    assert response.status_code == 429
    assert 'lang="zh-hans"' in response.content.decode()


def test_another_address_or_another_user_name_is_not_locked():
    user, other = make_user(), make_user()
    fail(client("10.0.0.1"), user.username, 3)
    elsewhere = client("10.0.0.2")
    response = elsewhere.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in elsewhere.session
    same_place = client("10.0.0.1")
    response = same_place.post(reverse("login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_successful_sign_in_clears_the_failures():
    user = make_user()
    browser = client()
    fail(browser, user.username, 2)
    browser.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert not LoginFailure.objects.filter(username=user.username).exists()
    fail(client(), user.username, 2)
    response = client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_ends_when_the_failures_leave_the_window():
    user = make_user()
    fail(client(), user.username, 3)
    LoginFailure.objects.filter(username=user.username).update(
        at=timezone.now() - timedelta(minutes=16)
    )
    response = client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_admin_sign_in_is_throttled_too():
    admin = make_superuser()
    browser = client()
    fail(browser, admin.username, 3, url=reverse("admin:login"))
    response = browser.post(
        reverse("admin:login"), {"username": admin.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert 'id="login-form"' in page  # the admin's own sign-in page
    assert "Too many failed sign-ins for this user name." in page


def test_an_api_client_asking_for_json_gets_a_json_refusal():
    user = make_user()
    fail(client(), user.username, 3)
    response = client().post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed sign-ins")
