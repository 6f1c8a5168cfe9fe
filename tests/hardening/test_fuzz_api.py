"""Schemathesis fuzzes every operation of /api/v1/ in-process, anonymous and signed in.

Checks on every response: no 5xx, the status code is documented for the operation, the
body matches the documented schema and the content type is the documented one. Each call
runs in a savepoint that is rolled back, so the fuzz leaves the demo data as it was.

`make test` runs a few random examples per operation; `make fuzz` sets GRIDMAP_FUZZ_EXAMPLES
high and GRIDMAP_FUZZ_LONG=1 (adds the coverage phase).
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gridmap.wsgi import application

from .fuzzkit import rolled_back, token_for, wsgi_in_test_transaction

EXAMPLES = int(os.environ.get("GRIDMAP_FUZZ_EXAMPLES", "3"))
# `make fuzz` also runs schemathesis' coverage phase: boundary and negative values of every
# parameter, deterministic, several times the requests of the random phase.
LONG_RUN = os.environ.get("GRIDMAP_FUZZ_LONG") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
# A community admin of the demo (Dongrui): sees and may change the most rows.
STAFF_USER = "communityadmin"

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.phases.coverage.enabled = LONG_RUN
schema.config.phases.stateful.enabled = False


@pytest.fixture
def identities(db, settings, tmp_path):
    """Headers of the callers the fuzz plays: anonymous (English, Chinese) and staff."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return [
        {"Accept-Language": "en"},
        {"Accept-Language": "zh-hans", "Authorization": f"Token {token_for(STAFF_USER)}"},
    ]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=os.environ.get("GRIDMAP_FUZZ_RANDOM") != "1",
    database=None,
)
def test_api_operation_answers_as_documented(case, identities):
    with wsgi_in_test_transaction():
        for headers in identities:
            with rolled_back():
                response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)


# --- regressions of what the fuzz found ---------------------------------------------------


@pytest.fixture
def api_client(db):
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/reports/null,null/me-too/"),  # was a ValueError (500)
        ("post", "/api/v1/patrols/null,null/start/"),
        ("get", "/api/v1/station-tools/null,null/availability/"),
        ("get", "/api/v1/grids/0.5/"),  # was Django's HTML 404 (now DRF's, as format "5")
        ("get", "/api/v1/grids/-2.5e-308/"),  # was Django's HTML 404
        ("post", "/api/v1/works/1e9/progress/"),  # was a 403 HTML page (CSRF) on no endpoint
    ],
)
def test_an_id_that_is_not_a_number_is_a_json_404(api_client, method, path):
    response = getattr(api_client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert len(response.json()["detail"]) > 5


def test_a_page_past_the_end_is_a_documented_404(api_client):
    from drf_spectacular.generators import SchemaGenerator

    response = api_client.get("/api/v1/grids/", {"page": "0"})
    assert response.status_code == 404 and response.json()["detail"]
    document = SchemaGenerator().get_schema(request=None, public=True)
    assert "404" in document["paths"]["/api/v1/grids/"]["get"]["responses"]


def test_a_local_time_is_documented_as_one(api_client):
    """ "22:00:00" (a patrol's start) is not an RFC 3339 `format: time`; the schema says so."""
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    start = document["components"]["schemas"]["PatrolPlan"]["properties"]["start_time"]
    assert "format" not in start
    assert re.fullmatch(start["pattern"], "22:00:00")


def test_a_body_that_is_not_json_is_a_400_that_says_so(api_client):
    token = token_for(STAFF_USER)
    response = api_client.post(
        "/api/v1/works/",
        '{"name": NaN}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 400
    assert "could not be read" in response.json()["detail"]
