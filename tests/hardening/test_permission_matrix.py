"""The permission matrix: every page, API endpoint, export and tile layer against every role.

ONE table (`MATRIX`) lists each URL pattern of the site by name with what each of the ten
kinds of person gets. A test fails when a URL pattern is missing from the table, so a new
page cannot slip in unreviewed. Every case also scans the answer for secrets planted on a
report and on the demo resident (contact phone and e-mail, the reporter's name, the
resident's private phone): they may reach only the people entitled to them.

`test_layer_rows_stay_in_scope` then reads every layer through every surface (map GeoJSON,
OGC API items, vector tiles decoded with mapbox_vector_tile, the web export parsed as
GeoJSON) as every role and checks that no row from outside the person's scope appears:
non-public reports for people not handling them, other communities' reports for staff of
this one, and patrol tracks for anyone outside the patrol's community staff and team.

Codes: A allowed (2xx) · L sent to sign in · D denied (401/403/404) · B the permission gate
let the request through and the empty body was refused as invalid (400/409) · R redirected
elsewhere · M method not allowed. GET rows read; POST rows send an empty body, which proves
the gate without changing data.
"""

from __future__ import annotations

import json
from typing import Any

import mapbox_vector_tile
import pytest
from django.contrib import admin
from django.urls import reverse

from apps.core.layers import registry
from apps.patrols.models import PatrolInstance
from apps.reports.models import Report
from apps.reports.selectors import public_reports

from .matrix_samples import (
    SECRET_EMAIL,
    SECRET_OWN_PHONE,
    SECRET_PHONE,
    SECRET_REPORTER,
    Samples,
    all_routes,
)
from .roles import (
    ANONYMOUS,
    COMMUNITY_ADMIN,
    GRID_WORKER,
    HOME,
    OTHER_ADMIN,
    PLANNER,
    RESIDENT,
    ROLES,
    SUPERUSER,
    login,
    person_for,
)

GET, POST = "GET", "POST"

# (V): the empty body is refused as invalid before the permission check; a valid body from
# a person without the right gets 403 from the service. Found by this matrix (issue 8).
# fmt: off
MATRIX: list[tuple[str, str, str]] = [
    # route name                        method  anon res gw prop pol party adm oadm plan su
    ("home",                              GET,  "R R R R R R R R R R"),
    ("set_language",                      GET,  "R R R R R R R R R R"),
    ("login",                             GET,  "A A A A A A A A A A"),
    ("logout",                            POST, "L L L L L L L L L L"),
    ("password_change",                   GET,  "L A A A A A A A A A"),
    ("password_change_done",              GET,  "L A A A A A A A A A"),
    ("password_reset",                    GET,  "A A A A A A A A A A"),
    ("password_reset_done",               GET,  "A A A A A A A A A A"),
    ("password_reset_confirm",            GET,  "A A A A A A A A A A"),
    ("password_reset_complete",           GET,  "A A A A A A A A A A"),
    # my data (issue 8, item 4): only residents erase their own account here
    ("accounts:my_data",                  GET,  "L A A A A A A A A A"),
    ("accounts:my_data_download",         GET,  "L A A A A A A A A A"),
    ("accounts:delete",                   GET,  "L A D D D D D D D D"),
    ("accounts:deleted",                  GET,  "A A A A A A A A A A"),
    # map and its layers
    ("maps:map",                          GET,  "A A A A A A A A A A"),
    ("maps:layer-list",                   GET,  "A A A A A A A A A A"),
    ("maps:layer-geojson",                GET,  "A A A A A A A A A A"),
    ("maps:place-search",                 GET,  "B B B B B B B B B B"),
    ("maps:place-at",                     GET,  "B B B B B B B B B B"),
    ("maps:basemap-file",                 GET,  "D D D D D D D D D D"),  # none configured in tests
    # reports: the resident's side
    ("reports:report",                    GET,  "A A A A A A A A A A"),
    ("reports:nearby",                    GET,  "B B B B B B B B B B"),
    ("reports:me-too",                    POST, "B B B B B B B B B B"),
    ("reports:grid-worker",               GET,  "B B B B B B B B B B"),
    ("reports:track",                     GET,  "A A A A A A A A A A"),
    ("reports:confirm",                   POST, "R R R R R R R R R R"),
    ("reports:dispute",                   POST, "B B B B B B B B B B"),
    ("reports:photo",                     GET,  "A A A A A A A A A A"),
    ("reports:mine",                      GET,  "L A A A A A A A A A"),
    ("reports:notifications",             GET,  "L A A A A A A A A A"),
    # reports: the staff console (scoped to the report's community and grid)
    ("reports:console",                   GET,  "L D A A A A A A A A"),
    ("reports:console-geojson",           GET,  "L D A A A A A A A A"),
    ("reports:bulk-dispatch",             POST, "L D R R R R R R R R"),
    ("reports:detail",                    GET,  "L D A D D D A D A A"),
    ("reports:act",                       POST, "L D B D D D B D D B"),
    # Open311 GeoReport v2: public by design, never with contacts
    ("open311:root",                      GET,  "A A A A A A A A A A"),
    ("open311:",                          GET,  "A A A A A A A A A A"),
    ("open311:discovery",                 GET,  "A A A A A A A A A A"),
    ("open311:services",                  GET,  "A A A A A A A A A A"),
    ("open311:service",                   GET,  "A A A A A A A A A A"),
    ("open311:requests",                  GET,  "A A A A A A A A A A"),
    ("open311:request",                   GET,  "A A A A A A A A A A"),
    ("open311:token",                     GET,  "D D D D D D D D D D"),
    ("open311:not-found",                 GET,  "D D D D D D D D D D"),
    # joint meetings
    ("meetings:index",                    GET,  "L D D D D D A A A A"),
    ("meetings:detail",                   GET,  "L D D D D D A D A A"),
    ("meetings:edit",                     POST, "L D D D D D B D B B"),
    ("meetings:agenda-add",               POST, "L D D D D D B D B B"),
    ("meetings:agenda-remove",            POST, "L D D D D D B D D B"),
    ("meetings:decision-add",             POST, "L D D D D D B D B B"),
    ("meetings:decision-remove",          POST, "L D D D D D B D D B"),
    ("meetings:outcome",                  POST, "L D D D D D B D B B"),
    ("meetings:photo-remove",             POST, "L D D D D D B D D B"),
    ("meetings:transition",               POST, "L D D D D D D D D D"),
    ("meetings:photo",                    GET,  "A A A A A A A A A A"),
    # figures
    ("figures:dashboard",                 GET,  "L D D D D D A A A A"),
    ("figures:open-by-grid",              GET,  "L D D D D D A A A A"),
    ("figures:export",                    GET,  "L D D D D D A A A A"),
    # works and facilities
    ("works:planner",                     GET,  "L D D D D D A A A A"),
    ("works:export-csv",                  GET,  "L D D D D D A A A A"),
    ("works:export-geojson",              GET,  "L D D D D D A A A A"),
    ("works:detail",                      GET,  "L D D D D D A D A A"),
    ("works:transition",                  POST, "L D D D D D B D B B"),
    ("works:progress",                    POST, "L D D D D D B D B B"),
    ("works:link-report",                 POST, "L D D D D D B D B B"),
    ("works:resend-feedback",             POST, "L D D D D D R D R R"),
    ("works:facilities",                  GET,  "A A A A A A A A A A"),
    ("works:coming",                      GET,  "A A A A A A A A A A"),
    ("works:nearest",                     GET,  "B B B B B B B B B B"),
    # the public ledger (台账) and its desk
    ("ledger:index",                      GET,  "A A A A A A A A A A"),
    ("ledger:community",                  GET,  "A A A A A A A A A A"),
    ("ledger:compound",                   GET,  "A A A A A A A A A A"),
    ("ledger:desk",                       GET,  "L D D A D D A A D A"),
    ("ledger:create",                     GET,  "L D D A D D D D D A"),
    ("ledger:entry",                      GET,  "L D D D D D D D D D"),
    ("ledger:transition",                 POST, "L D D D D D D D D D"),
    # the service station
    ("station:index",                     GET,  "A A A A A A A A A A"),
    ("station:my",                        GET,  "L A A A A A A A A A"),
    ("station:services_json",             GET,  "A A A A A A A A A A"),
    ("station:station",                   GET,  "A A A A A A A A A A"),
    ("station:bookable",                  GET,  "A A A A A A A A A A"),
    ("station:tool",                      GET,  "A A A A A A A A A A"),
    ("station:desk",                      GET,  "L D D A D D A D D A"),
    ("station:find",                      GET,  "L D D D D D D D D D"),
    ("station:parcel_create",             GET,  "L D D A D D A D D A"),
    ("station:booking",                   GET,  "L D D D D D D D D D"),
    ("station:booking_change",            POST, "L D D D D D D D D D"),
    ("station:loan",                      GET,  "L A D A D D A D D A"),
    ("station:loan_change",               POST, "L B D B D D B D D B"),
    ("station:parcel",                    GET,  "L A D A D D A D D A"),
    ("station:parcel_pickup",             POST, "L D D B D D B D D B"),
    ("station:parcel_change",             POST, "L D D B D D B D D B"),
    # notices
    ("notices:index",                     GET,  "A A A A A A A A A A"),
    ("notices:desk",                      GET,  "L D A A D D A A D A"),
    ("notices:create",                    GET,  "L D A A D D A A D A"),
    ("notices:edit",                      GET,  "L D A A D D A D D A"),
    ("notices:change",                    POST, "L D B B D D B D D B"),
    ("notices:attach",                    POST, "L D B B D D B D D B"),
    ("notices:attachment_remove",         POST, "L D B B D D B D D B"),
    ("notices:attachment",                GET,  "A A A A A A A A A A"),
    ("notices:board",                     GET,  "A A A A A A A A A A"),
    ("notices:rss",                       GET,  "A A A A A A A A A A"),
    ("notices:atom",                      GET,  "A A A A A A A A A A"),
    ("notices:notice",                    GET,  "A A A A A A A A A A"),
    # patrols (tracks and positions are for the community's staff and the team)
    ("patrols:me",                        GET,  "L A A A A A A A A A"),
    ("patrols:locate",                    GET,  "D B B B B B B B B B"),
    ("patrols:plans",                     GET,  "L A A A A A A A A A"),
    ("patrols:calendar",                  GET,  "L A A A A A A A A A"),
    ("patrols:plan-new",                  GET,  "L D D D D D A A D A"),
    ("patrols:plan",                      GET,  "L D A A A A A D D A"),
    ("patrols:plan-edit",                 GET,  "L D D D D D A D D A"),
    ("patrols:plan-archive",              POST, "L D D D D D R D D R"),
    ("patrols:assign",                    GET,  "L D D D D D A A D A"),
    ("patrols:roster",                    GET,  "L D D D D D A A D A"),
    ("patrols:roster-delete",             POST, "L D D D D D R D D R"),
    ("patrols:coverage",                  GET,  "L D D D D D A A D A"),
    ("patrols:instance",                  GET,  "L D A A A A A D D A"),
    ("patrols:run",                       GET,  "L D A A A A A D D A"),
    ("patrols:sheet",                     GET,  "L D A A A A A D D A"),
    ("patrols:api-plans",                 POST, "D D D D D D B B D B"),
    ("patrols:api-plan-check",            POST, "D B B B B B B B B B"),
    ("patrols:api-plan",                  GET,  "D D D D D D A D D A"),
    ("patrols:api-instance",              GET,  "D D A A A A A D D A"),
    ("patrols:api-transition",            POST, "D D B B B B B D D B"),
    ("patrols:api-checkins",              POST, "D D B B B B B D D B"),
    ("patrols:api-track",                 POST, "D D B B B B B D D B"),
    ("patrols:api-track-upload",          POST, "D D B B B B B D D B"),
    ("patrols:api-findings",              POST, "D D B B B B D D D D"),
    ("patrols:api-checkin",               POST, "D D B B B B B D D B"),
    ("patrols:api-assignments",           GET,  "D D D D D D D D D D"),
    ("patrols:api-coverage",              GET,  "D D D D D D D D D D"),
    # OGC API Features, vector tiles and the web export (rows: test_layer_rows_stay_in_scope)
    ("ogcapi:landing",                    GET,  "A A A A A A A A A A"),
    ("ogcapi:conformance",                GET,  "A A A A A A A A A A"),
    ("ogcapi:openapi",                    GET,  "A A A A A A A A A A"),
    ("ogcapi:collections",                GET,  "A A A A A A A A A A"),
    ("ogcapi:collection",                 GET,  "A A A A A A A A A A"),
    ("ogcapi:items",                      GET,  "A A A A A A A A A A"),
    ("ogcapi:item",                       GET,  "A A A A A A A A A A"),
    ("tiles:tilejson",                    GET,  "A A A A A A A A A A"),
    ("tiles:tile",                        GET,  "A A A A A A A A A A"),
    ("dataio:export",                     GET,  "A A A A A A A A A A"),
    # REST API /api/v1/
    ("api:api-root",                      GET,  "A A A A A A A A A A"),
    ("api:community-list",                GET,  "A A A A A A A A A A"),
    ("api:community-detail",              GET,  "A A A A A A A A A A"),
    ("api:grid-list",                     GET,  "A A A A A A A A A A"),
    ("api:grid-detail",                   GET,  "A A A A A A A A A A"),
    ("api:compound-list",                 GET,  "A A A A A A A A A A"),
    ("api:compound-detail",               GET,  "A A A A A A A A A A"),
    ("api:building-list",                 GET,  "A A A A A A A A A A"),
    ("api:building-detail",               GET,  "A A A A A A A A A A"),
    ("api:facility-list",                 GET,  "A A A A A A A A A A"),
    ("api:facility-detail",               GET,  "A A A A A A A A A A"),
    ("api:report-category-list",          GET,  "A A A A A A A A A A"),
    ("api:report-list",                   GET,  "A A A A A A A A A A"),
    ("api:report-detail",                 GET,  "A A A D D D A D A A"),  # staff: own scope
    ("api:report-me-too",                 POST, "B B B B B B B B B B"),  # 409: closed
    ("api:report-transitions",            POST, "D D B D D D B D B B"),  # (V)
    ("api:tracking-detail",               GET,  "A A A A A A A A A A"),
    ("api:tracking-confirm",              POST, "A A A A A A A A A A"),  # code = key
    ("api:tracking-dispute",              POST, "B B B B B B B B B B"),
    ("api:tracking-timeline",             GET,  "A A A A A A A A A A"),
    ("api:work-list",                     GET,  "A A A A A A A A A A"),
    ("api:work-detail",                   GET,  "A A A A A A A A A A"),
    ("api:work-progress",                 POST, "D B B B B B B B B B"),  # (V)
    ("api:work-transitions",              POST, "D B B B B B B B B B"),  # (V)
    ("api:programme-list",                GET,  "A A A A A A A A A A"),
    ("api:notice-list",                   GET,  "B B B B B B B B B B"),
    ("api:notice-detail",                 GET,  "A A A A A A A A A A"),
    ("api:notice-transitions",            POST, "D B B B B B B B B B"),  # (V)
    ("api:ledger-entry-list",             GET,  "B B B B B B B B B B"),
    ("api:ledger-entry-detail",           GET,  "A A A A A A A A A A"),
    ("api:ledger-entry-transitions",      POST, "D B B B B B B B B B"),  # (V)
    ("api:ledger-balance-list",           GET,  "B B B B B B B B B B"),
    ("api:patrol-plan-list",              GET,  "D A A A A A A A A A"),
    ("api:patrol-plan-detail",            GET,  "D D A A A A A D D A"),
    ("api:patrol-list",                   GET,  "D A A A A A A A A A"),
    ("api:patrol-detail",                 GET,  "D D A A A A A D D A"),
    ("api:patrol-check-ins",              POST, "D D B B B B B D D B"),
    ("api:patrol-end",                    POST, "D D B B B B B D D B"),
    ("api:patrol-start",                  POST, "D D B B B B B D D B"),
    ("api:patrol-track",                  POST, "D D B B B B B D D B"),
    ("api:planning-plan-list",            GET,  "D D D D D D M M D M"),  # POST only (create)
    ("api:planning-plan-conflicts",       POST, "D D D D D D B B D B"),
    ("api:planning-plan-detail",          GET,  "D D D D D D M M D M"),  # PATCH only
    ("api:planning-plan-archive",         POST, "D D D D D D A D D A"),
    ("api:planning-plan-generate",        POST, "D D D D D D A D D A"),
    ("api:planning-assignment-list",      GET,  "D D D D D D D D D D"),  # needs ?date=; 404 without
    ("api:duty-shift-list",               GET,  "D D D D D D A A D A"),
    ("api:duty-shift-detail",             GET,  "D D D D D D M M D M"),  # PATCH/DELETE only
    ("api:planning-patrol-cancel",        POST, "D D B B B B B D D B"),  # (V)
    ("api:planning-patrol-findings",      POST, "D D B B B B B D D B"),
    ("api:planning-patrol-track-files",   POST, "D D B B B B B D D B"),
    ("api:station-list",                  GET,  "A A A A A A A A A A"),
    ("api:station-bookable-list",         GET,  "A A A A A A A A A A"),
    ("api:station-bookable-availability", GET,  "B B B B B B B B B B"),
    ("api:station-bookable-book",         POST, "D B B B B B B B B B"),
    ("api:station-tool-list",             GET,  "A A A A A A A A A A"),
    ("api:station-tool-availability",     GET,  "A A A A A A A A A A"),
    ("api:station-tool-borrow",           POST, "D B B B B B B B B B"),
    ("api:my-booking-list",               GET,  "D A A A A A A A A A"),
    ("api:my-booking-cancel",             POST, "D D D D D D D D D D"),
    ("api:my-loan-list",                  GET,  "D A A A A A A A A A"),
    ("api:my-loan-cancel",                POST, "D A D D D D D D D D"),
    ("api:station-desk-list",             GET,  "D A A A A A A A A A"),
    ("api:station-desk-bookings",         GET,  "D D D A D D A D D A"),
    ("api:station-desk-loans",            GET,  "D D D A D D A D D A"),
    ("api:station-desk-parcels",          GET,  "D D D A D D A D D A"),
    ("api:desk-booking-transitions",      POST, "D D D D D D D D D D"),
    ("api:desk-loan-transitions",         POST, "D D D B D D B D D B"),
    ("api:desk-parcel-hand-over",         POST, "D D D B D D B D D B"),
    ("api:desk-parcel-transitions",       POST, "D D D B D D B D D B"),
    ("api:my-parcel-list",                GET,  "D A A A A A A A A A"),
    ("api:notice-attachment-list",        POST, "D B B B B B B B B B"),
    ("api:notice-attachment-detail",      GET,  "D M M M M M M M M M"),  # PATCH/DELETE only
    ("api:meeting-list",                  GET,  "D A A A A A A A A A"),
    ("api:meeting-detail",                GET,  "D D D D D D A D A A"),
    ("api:meeting-agenda",                POST, "D D D D D D B D B B"),
    ("api:meeting-agenda-remove",         GET,  "D M M M M M M M M M"),
    ("api:meeting-decisions",             POST, "D D D D D D B D B B"),
    ("api:meeting-outcome",               POST, "D D D D D D B D B B"),
    ("api:meeting-transitions",           POST, "D D D D D D B D B B"),
    ("api:meeting-decision-remove",       GET,  "D M M M M M M M M M"),  # DELETE only
    ("api:meeting-outcome-photo-remove",  GET,  "D M M M M M M M M M"),  # DELETE only
    ("api:patrol-check-in",               GET,  "D D A A A A A D D A"),
    ("api:programme-detail",              GET,  "A A A A A A A A A A"),
    ("api:",                              GET,  "D D D D D D D D D D"),  # unknown path
    ("ogcapi-landing-no-slash",           GET,  "A A A A A A A A A A"),
    ("api-schema",                        GET,  "A A A A A A A A A A"),
    ("api-docs",                          GET,  "A A A A A A A A A A"),
    # the admin site: one group (index, and every model's change list below)
    ("admin:index",                       GET,  "L L L L L L A A A A"),
]
# fmt: on

# Who may read each planted secret (see matrix_samples.Samples.plant_secrets): the report's
# contacts and its reporter's name go to the staff handling it (its grid's worker and the
# community admin) and the superuser; the resident's private account phone only to them
# (their "my data" page) and the superuser.
SECRET_READERS = {
    SECRET_PHONE: {GRID_WORKER, COMMUNITY_ADMIN, SUPERUSER},
    SECRET_EMAIL: {GRID_WORKER, COMMUNITY_ADMIN, SUPERUSER},
    SECRET_REPORTER: {GRID_WORKER, COMMUNITY_ADMIN, SUPERUSER},
    SECRET_OWN_PHONE: {RESIDENT, SUPERUSER},
}


def outcome(response: Any) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return "A"
    if 300 <= status < 400:
        return "L" if "login" in response.get("Location", "") else "R"
    if status in (401, 403, 404):
        return "D"
    if status == 405:
        return "M"
    if status >= 500:
        return f"E{status}"
    return "B"


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_no_secrets(role: str, content: bytes, where: str) -> None:
    for secret, readers in SECRET_READERS.items():
        if role not in readers:
            assert secret.encode() not in content, f"{where}: {role} is shown {secret!r}"


def matrix_cases() -> list[Any]:
    return [
        pytest.param(name, method, role, code, id=f"{name}-{role}")
        for name, method, codes in MATRIX
        for role, code in zip(ROLES, codes.split(), strict=True)
    ]


def url_for(name: str, samples: Samples) -> str:
    routes = {route.name: route for route in all_routes() if "format" not in route.arguments}
    if name == "open311:":
        return "/open311/discovery.json"
    if name == "api:":
        return "/api/v1/no-such-endpoint/"
    route = routes[name]
    kwargs = {argument: samples.value(name, argument) for argument in route.arguments}
    return reverse(name, kwargs=kwargs)


_found: list[Samples] = []


@pytest.fixture
def samples(db: Any) -> Samples:
    """The demo objects, looked up once per run (each test rolls back, the demo stays);
    the secrets are planted again in every test's transaction."""
    if not _found:
        _found.append(Samples())
    _found[0].plant_secrets()
    return _found[0]


def test_every_url_pattern_is_in_the_matrix() -> None:
    listed = {name for name, _method, _codes in MATRIX}
    missing = sorted(
        {
            f"{route.name} ({route.pattern})"
            for route in all_routes()
            if not route.pattern.startswith("admin/") and route.name not in listed
        }
    )
    assert not missing, "add these URL patterns to MATRIX with every role's answer: " + ", ".join(
        missing
    )


@pytest.mark.parametrize(("name", "method", "role", "expected"), matrix_cases())
def test_matrix(
    client: Any, samples: Samples, name: str, method: str, role: str, expected: str
) -> None:
    login(client, role)
    url = url_for(name, samples)
    if method == GET:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    else:
        response = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en")
    got = outcome(response)
    assert got == expected, f"{method} {url} as {role}: {response.status_code}, expected {expected}"
    assert_no_secrets(role, body(response), f"{method} {url}")


# The change lists that hold people's private data; the others hold places and plans.
SENSITIVE_ADMIN = (
    "accounts.user",
    "accounts.membership",
    "reports.report",
    "reports.notification",
    "open311.open311submission",
    "station.slotbooking",
    "station.toolloan",
    "station.parcel",
    "patrols.patrolinstance",
    "patrols.checkin",
)


def admin_cases() -> list[Any]:
    registered = {f"{m._meta.app_label}.{m._meta.model_name}": m for m in admin.site._registry}
    missing = set(SENSITIVE_ADMIN) - registered.keys()
    assert not missing, f"not in the admin any more: {missing}"
    models = [registered[label] for label in SENSITIVE_ADMIN]
    return [
        pytest.param(
            model._meta.app_label,
            model._meta.model_name,
            role,
            id=f"admin:{model._meta.app_label}.{model._meta.model_name}-{role}",
        )
        for model in models
        for role in ROLES
    ]


@pytest.mark.parametrize(("app", "model", "role"), admin_cases())
def test_admin_change_lists(client: Any, samples: Samples, app: str, model: str, role: str) -> None:
    """Admin: only staff get in; whatever a change list shows, no secret leaks through it."""
    user = login(client, role)
    response = client.get(reverse(f"admin:{app}_{model}_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    got = outcome(response)
    if user is None or not user.is_staff:
        assert got == "L"
    else:
        assert got in ("A", "D"), f"{app}.{model} as {role}: {response.status_code}"
    assert_no_secrets(role, body(response), f"admin {app}.{model}")


def test_admin_report_page_shows_contacts_only_to_its_community_admin(
    client: Any, samples: Samples
) -> None:
    url = reverse("admin:reports_report_change", args=[samples.report.pk])
    login(client, COMMUNITY_ADMIN)
    assert SECRET_PHONE.encode() in body(client.get(url))
    client.logout()
    login(client, OTHER_ADMIN)
    response = client.get(url)
    assert SECRET_PHONE.encode() not in body(response)
    assert outcome(response) in ("D", "R")


# --- rows in scope, on every surface ---------------------------------------------------------


def _ids_geojson(content: bytes) -> set[int]:
    data = json.loads(content)
    return {int(feature["id"]) for feature in data["features"] if feature.get("id") is not None}


def _features(layer: str, surface: str, client: Any, samples: Samples) -> set[int]:
    """Ids of the features the client gets from `layer` through `surface` (around DR)."""
    community = samples.community
    xmin, ymin, xmax, ymax = community.boundary.extent
    bbox = f"{xmin - 0.01},{ymin - 0.01},{xmax + 0.01},{ymax + 0.01}"
    if surface == "map":
        response = client.get(f"/api/layers/{layer}.geojson", {"bbox": bbox})
        assert response.status_code == 200, response.content[:300]
        ids = _ids_geojson(body(response))
    elif surface == "ogc":
        response = client.get(
            f"/ogcapi/collections/{layer}/items", {"f": "json", "bbox": bbox, "limit": 10000}
        )
        if response.status_code == 404 and layer in SCOPED_LAYERS:
            return set()
        assert response.status_code == 200, response.content[:300]
        ids = _ids_geojson(body(response))
    elif surface == "tiles":
        z, x, y = samples.tile(max(15, registry.get(layer).min_zoom))
        response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf")
        if response.status_code == 404 and layer in SCOPED_LAYERS:
            return set()  # not a collection for this person: no rows
        assert response.status_code in (200, 204), response.content[:300]
        decoded = mapbox_vector_tile.decode(body(response)) if body(response) else {}
        ids = {int(f["id"]) for f in decoded.get(layer, {}).get("features", [])}
        for feature in decoded.get(layer, {}).get("features", []):
            assert not PRIVATE_PROPERTIES & set(feature["properties"]), feature["properties"]
    else:
        response = client.get(f"/export/{layer}", {"format": "geojson", "bbox": bbox})
        if response.status_code in (400, 404) and layer in SCOPED_LAYERS:
            assert b'"layer"' in body(response)  # "no such layer" for this person
            return set()
        assert response.status_code == 200, body(response)[:300]
        data = json.loads(body(response))
        ids = {int(f["properties"].get("id", f.get("id") or 0)) for f in data["features"]}
        for feature in data["features"]:
            assert not PRIVATE_PROPERTIES & set(feature["properties"]), feature["properties"]
    assert_no_secrets(client.role, body(response), f"{surface} {layer}")
    return ids


PRIVATE_PROPERTIES = {
    "phone",
    "contact_phone",
    "contact_email",
    "reporter",
    "username",
    "reporter_id",
}
SURFACES = ("map", "ogc", "tiles", "export")


# Layers whose rows depend on who asks; the others are public and read once, anonymously,
# for private properties.
SCOPED_LAYERS = ("reports", "patrols")


def layer_cases() -> list[Any]:
    return [
        pytest.param(layer.name, surface, role, id=f"{layer.name}-{surface}-{role}")
        for layer in registry
        for surface in SURFACES
        for role in (ROLES if layer.name in SCOPED_LAYERS else (ANONYMOUS,))
    ]


@pytest.mark.parametrize(("layer", "surface", "role"), layer_cases())
def test_layer_rows_stay_in_scope(
    client: Any, samples: Samples, layer: str, surface: str, role: str
) -> None:
    login(client, role)
    client.role = role
    ids = _features(layer, surface, client, samples)
    if layer == "reports":
        home = Report.objects.filter(community__code=HOME)
        public = set(public_reports().values_list("pk", flat=True))
        not_public = set(home.values_list("pk", flat=True)) - public
        if role in (ANONYMOUS, RESIDENT, OTHER_ADMIN):
            leaked = ids & not_public
            assert not leaked, f"{role} sees non-public reports {sorted(leaked)[:5]} on {surface}"
        assert ids, f"{role} sees no report at all on {surface}: the check would prove nothing"
    if layer == "patrols":
        tracks = set(
            PatrolInstance.objects.filter(community__code=HOME, track__isnull=False).values_list(
                "pk", flat=True
            )
        )
        assert tracks, "the demo has patrol tracks in DR"
        if role in (ANONYMOUS, RESIDENT, OTHER_ADMIN):
            assert not ids & tracks, f"{role} sees patrol tracks on {surface}"
        if role in (COMMUNITY_ADMIN, SUPERUSER):
            assert ids & tracks, f"{role} should see the community's tracks on {surface}"


def test_the_other_community_admin_is_not_a_member_here(db: Any) -> None:
    user = person_for(OTHER_ADMIN)
    assert not user.memberships.filter(community__code=HOME).exists()
    assert user.memberships.filter(role="community_admin").exists()
    assert person_for(PLANNER).memberships.filter(community__code=HOME).exists()
