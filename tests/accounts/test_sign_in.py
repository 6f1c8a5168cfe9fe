"""Everyone signs in on the site's own page: residents and grid workers are not admin staff."""

import pytest

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "gridmap-demo"  # the demo accounts' password (fixtures/demo/records.json)


def test_the_sign_in_page_is_in_chinese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page
    assert 'name="username"' in page and 'name="password"' in page


def test_a_resident_signs_in_and_is_sent_where_they_were_going(client):
    response = client.post(
        "/accounts/login/",
        {"username": "resident", "password": DEMO_PASSWORD, "next": "/my/reports/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/my/reports/"
    page = client.get("/my/reports/").content.decode()
    assert "退出" in page  # the header now offers to sign out


def test_a_wrong_password_is_refused_with_a_message_and_no_session(client):
    response = client.post(
        "/accounts/login/", {"username": "resident", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_page_for_signed_in_people_sends_anonymous_visitors_to_the_sign_in_page(client):
    response = client.get("/my/reports/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_signing_out_ends_the_session(client):
    client.login(username="gridworker", password=DEMO_PASSWORD)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
