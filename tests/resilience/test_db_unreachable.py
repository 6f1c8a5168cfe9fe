"""While the database cannot be reached, every path answers a 503 with Retry-After (never a
500, never Django's debug page), worded for what the person did.

The server is started exactly as `make run` starts it (scripts/serve.sh, local settings), once
with DEBUG on (its default) and once off, against a PostgreSQL address where nothing listens:
what a restart or a failover looks like to the app. A page view says the service is briefly
unavailable and reloads itself; only a form sent (a POST) says it was not saved and should be
sent again.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from tests.resilience.served import ServedApp, free_port

ENGLISH = {"Accept-Language": "en"}
# A signed-in person's browser: the session is looked up in the database on every page.
SESSION = {"Cookie": "sessionid=" + "s" * 32}
# A form on a page loaded before the outage carries the CSRF cookie and its token.
CSRF = secrets.token_hex(16)
FORM_HEADERS = {"Cookie": f"csrftoken={CSRF}", "Content-Type": "application/x-www-form-urlencoded"}

PAGE_VIEWS = [
    ("/map/", {}),
    ("/report/", {}),
    ("/facilities/", {}),
    ("/r/ABCD2345/", {}),
    ("/works/", SESSION),
    ("/accounts/login/", SESSION),
    ("/accounts/login/?next=/reports/", SESSION),
    ("/reports/", SESSION),
    ("/me/", SESSION),
    ("/admin/", SESSION),
    ("/admin/login/", SESSION),
]
FORM_POSTS = [
    ("/accounts/login/", {"username": "resident", "password": "gridmap-demo"}),
    ("/admin/login/", {"username": "admin", "password": "gridmap-demo"}),
    (
        "/report/",
        {"category": "lighting", "description": "Stair light out", "lon": "113", "lat": "28"},
    ),
]

PAGE_VIEW_WORDS = (
    "The service is briefly unavailable: its database cannot be reached. Please try again in "
    "a moment."
)
SUBMISSION_WORDS = "so what you sent was not saved"


@pytest.fixture(scope="module", params=["debug", "no-debug"])
def unreachable(request) -> Iterator[ServedApp]:
    """The `make run` server whose database is a port where nothing listens."""
    nowhere = f"postgis://postgres@127.0.0.1:{free_port()}/gridmap"
    env = {"DJANGO_DEBUG": "1" if request.param == "debug" else "0"}
    app = ServedApp(nowhere, f"unreachable-{request.param}", **env).start()
    yield app
    app.stop()


def send(app: ServedApp, path: str, *, data: dict | None = None, headers: dict | None = None):
    body = None
    if data is not None:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
    request = urllib.request.Request(
        app.base + path, data=body, headers={**ENGLISH, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def assert_friendly_503(status: int, headers: dict, page: str, what: str) -> None:
    assert status == 503, f"{what}: {status}\n{page[:2000]}"
    assert int(headers["Retry-After"]) >= 1, what
    assert "Traceback" not in page and "Server Error" not in page, what
    assert "Please try again in a moment" in page, what


@pytest.mark.parametrize(("path", "headers"), PAGE_VIEWS)
def test_a_page_view_while_the_database_is_unreachable_says_try_again_in_a_moment(
    unreachable, path, headers
):
    status, response_headers, page = send(unreachable, path, headers=headers)
    assert_friendly_503(status, response_headers, page, path)
    assert PAGE_VIEW_WORDS in page
    # Nothing was sent, so nothing is said to be lost or to be sent again.
    assert SUBMISSION_WORDS not in page and "send the form again" not in page
    # It tries again by itself, on the same page.
    assert '<meta http-equiv="refresh"' in page
    assert f'href="{path.replace("&", "&amp;")}"' in page


@pytest.mark.parametrize(("path", "fields"), FORM_POSTS)
def test_a_form_sent_while_the_database_is_unreachable_says_it_was_not_saved(
    unreachable, path, fields
):
    status, headers, page = send(unreachable, path, data=fields, headers=FORM_HEADERS)
    assert_friendly_503(status, headers, page, f"POST {path}")
    assert SUBMISSION_WORDS in page
    assert "Go back and send the form again in 5 seconds" in page
    # Only a report is promised to be filed once however often it is sent (idempotency key).
    assert ("never files it twice" in page) == (path == "/report/")
    # No automatic reload: that would lose what the person typed.
    assert "http-equiv" not in page


def test_the_sign_in_page_opens_while_the_database_is_unreachable(unreachable):
    """A person who is not signed in gets the sign-in form (it needs no database); sending it
    is the 503 above."""
    status, _, page = send(unreachable, "/accounts/login/")
    assert status == 200
    assert 'name="username"' in page


def test_api_reads_and_writes_answer_503_with_the_fitting_words(unreachable):
    status, headers, text = send(unreachable, "/api/v1/reports/", headers=SESSION)
    assert status == 503 and int(headers["Retry-After"]) >= 1
    body = json.loads(text)
    assert body == {"detail": PAGE_VIEW_WORDS, "code": "service_unavailable", "errors": {}}

    status, headers, text = send(
        unreachable,
        "/api/v1/tracking/ABCD2345/",
        headers={"Accept": "application/json"},
    )
    assert status == 503 and json.loads(text)["detail"] == PAGE_VIEW_WORDS

    request = urllib.request.Request(
        f"{unreachable.base}/api/v1/reports/",
        data=json.dumps(
            {"category": "lighting", "description": "Stair light out", "lon": 113, "lat": 28}
        ).encode(),
        headers={**ENGLISH, "Content-Type": "application/json", "Accept": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 503
    assert SUBMISSION_WORDS in json.loads(refused.value.read())["detail"]


def test_the_page_is_in_chinese_by_default(unreachable):
    request = urllib.request.Request(f"{unreachable.base}/map/")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    page = refused.value.read().decode()
    assert refused.value.code == 503
    assert "服务暂时不可用：无法连接数据库。请稍后再试。" in page
    assert '<html lang="zh-hans">' in page


def test_the_server_stays_up_and_logs_each_refusal_as_a_warning(unreachable):
    fields = {"username": "x", "password": "y"}
    status, _, _ = send(unreachable, "/accounts/login/", data=fields, headers=FORM_HEADERS)
    assert status == 503
    assert unreachable.alive()
    log = unreachable.log_text()
    assert "database unavailable during POST /accounts/login/" in log
    if "no-debug" in unreachable.log.name:
        # With DEBUG on, Django logs the error it showed on its debug page before the 503
        # replaces it; without, an outage is one warning line per request, no traceback.
        assert "Traceback" not in log


# The other doors: feeds, exports, tiles, OGC API, Open311, the API schema and docs, the
# language switch. Each needs the database and says so; none answers 500.
OTHER_PATHS = [
    "/ogcapi/collections?f=json",
    "/ogcapi/collections/reports/items?f=json",
    "/tiles/buildings/16/53488/27520.pbf",
    "/tiles/buildings.json",
    "/open311/v2/services.json",
    "/open311/v2/requests.xml",
    "/export/reports.geojson",
    "/notices/DR/rss/",
    "/works/export.csv",
    "/figures/",
    "/api/schema/",
    "/api/docs/",
    "/i18n/setlang/",
]


def test_every_other_door_answers_503_while_the_database_is_unreachable(unreachable):
    answers = {path: send(unreachable, path, headers=SESSION)[:2] for path in OTHER_PATHS}
    answers["POST /i18n/setlang/"] = send(
        unreachable,
        "/i18n/setlang/",
        data={"language": "en"},
        headers={**FORM_HEADERS, "Cookie": f"csrftoken={CSRF}; {SESSION['Cookie']}"},
    )[:2]
    refused = {path: status for path, (status, _) in answers.items() if status != 503}
    assert refused == {}
    assert all(int(headers["Retry-After"]) >= 1 for _, headers in answers.values())
