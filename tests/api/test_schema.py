"""The OpenAPI document is valid and documents every error."""

from __future__ import annotations

import io

from django.core.management import call_command


def test_schema_generates_without_warnings_and_validates(db):
    out = io.StringIO()
    # --validate checks the document against the OpenAPI 3 specification;
    # --fail-on-warn turns any generator warning into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert out.getvalue().startswith("openapi: 3.0")


def test_every_error_response_is_documented_with_the_error_body(openapi):
    for path, item in openapi.document["paths"].items():
        for method, operation in item.items():
            codes = [c for c in operation["responses"] if c.startswith("4")]
            assert codes, f"{method.upper()} {path} documents no error response"
            for code in codes:
                body = operation["responses"][code]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_docs_page_is_served_with_local_swagger_ui(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
