"""OGC API landing page, conformance, the OpenAPI definition and content negotiation."""

import json

import pytest
from drf_spectacular.validation import validate_schema

from apps.core.layers import registry
from tests.ogcapi.helpers import get_json

pytestmark = pytest.mark.django_db
CONF = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"


def rels(document):
    return {link["rel"]: link for link in document["links"]}


def test_the_landing_page_links_the_api_definition_its_docs_the_conformance_and_the_data(client):
    links = rels(get_json(client, "/ogcapi/"))
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert links["service-desc"]["href"].endswith("/ogcapi/api?f=json")
    assert links["service-doc"]["type"] == "text/html"
    assert links["conformance"]["href"].endswith("/ogcapi/conformance?f=json")
    assert links["data"]["href"].endswith("/ogcapi/collections?f=json")
    assert links["self"]["type"] == "application/json"
    assert links["alternate"]["type"] == "text/html"
    # The OGC link relation URIs too, for newer clients.
    assert "http://www.opengis.net/def/rel/ogc/1.0/data" in links


def test_conformance_declares_core_geojson_html_and_openapi(client):
    classes = set(get_json(client, "/ogcapi/conformance")["conformsTo"])
    assert classes == {CONF + name for name in ("core", "geojson", "html", "oas30")}


def test_json_is_the_default_and_a_browser_gets_html(client):
    assert client.get("/ogcapi/")["Content-Type"].startswith("application/json")
    browser = client.get("/ogcapi/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser["Content-Type"].startswith("text/html")
    assert "/ogcapi/collections?f=html" in browser.content.decode()


def test_f_html_gives_a_page_of_the_site_in_the_readers_language(client):
    html = client.get("/ogcapi/conformance", {"f": "html"}, HTTP_ACCEPT_LANGUAGE="en")
    text = html.content.decode()
    assert html.status_code == 200 and '<html lang="en">' in text
    assert "Conformance classes" in text and CONF + "core" in text
    assert 'class="site-header"' in text  # extends the site's base template


def test_an_unknown_format_is_a_400_saying_which_formats_there_are(client):
    error = get_json(client, "/ogcapi/", status=400, f="xml")
    assert error["code"] == "InvalidParameterValue"
    assert "json" in error["description"] and "html" in error["description"]


def test_an_unknown_parameter_on_the_landing_page_is_a_400(client):
    response = client.get("/ogcapi/conformance", {"foo": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "code": "InvalidParameter",
        "description": "Unknown parameter “foo”. Parameters here: f.",
    }


def test_only_reads_are_allowed(client):
    assert client.post("/ogcapi/collections").status_code == 405


def test_the_api_definition_is_valid_openapi_3_0(client):
    response = client.get("/ogcapi/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = json.loads(response.content)
    validate_schema(document)  # raises on any departure from the OpenAPI 3.0 JSON schema
    assert document["openapi"].startswith("3.0")


def test_the_api_definition_describes_every_public_collection_with_its_filters(client):
    document = get_json(client, "/ogcapi/api")
    public = [layer for layer in registry if layer.scope.value == "public"]
    for layer in public:
        operation = document["paths"][f"/collections/{layer.name}/items"]["get"]
        names = {p.get("name") or p["$ref"].rsplit("/", 1)[1] for p in operation["parameters"]}
        assert {"bbox", "limit", "offset", *layer.fields} <= names, layer.name
        assert "400" in operation["responses"]
        assert f"/collections/{layer.name}/items/{{featureId}}" in document["paths"]
    grids = document["components"]["schemas"]["gridsProperties"]["properties"]
    assert grids["code"]["type"] == "string" and grids["area_m2"]["type"] == "number"
    assert grids["community_id"]["type"] == "integer"


def test_the_api_documentation_page_lists_the_operations(client):
    html = client.get("/ogcapi/api", {"f": "html"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "GET /collections/grids/items" in html
    assert "<code>bbox</code>" in html
