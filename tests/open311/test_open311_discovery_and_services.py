"""GeoReport v2 discovery, service list and service definitions, in both formats."""

from __future__ import annotations

import pytest
from django.test import override_settings

from apps.reports.models import Category

from .conftest import errors_of, json_of, xml_of

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]


def test_discovery_names_the_v2_endpoint_and_both_formats_in_json(client):
    data = json_of(client.get(f"{BASE}/discovery.json"))
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["changeset"].endswith("+08:00")
    assert data["contact"] and data["key_service"]


def test_discovery_in_xml_has_the_specs_element_names(client):
    root = xml_of(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [e.tag for e in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_the_base_url_answers_with_the_discovery(client):
    assert xml_of(client.get(f"{BASE}/")).tag == "discovery"


def test_services_lists_each_active_category_once_in_json(client):
    services = json_of(client.get(f"{BASE}/services.json"))
    codes = [s["service_code"] for s in services]
    assert codes == list(
        Category.objects.filter(is_active=True)
        .order_by("sort_order", "code")
        .values_list("code", flat=True)
    )
    assert all(list(s) == SERVICE_FIELDS for s in services)
    assert all(s["type"] == "realtime" for s in services)


def test_metadata_is_true_only_where_a_category_has_attributes(client):
    metadata = {
        s["service_code"]: s["metadata"] for s in json_of(client.get(f"{BASE}/services.json"))
    }
    assert metadata["elevator"] is True
    assert metadata["parking"] is True
    assert metadata["repair"] is False


def test_services_in_xml_are_service_elements_with_text_booleans(client):
    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    elevator = next(s for s in root.findall("service") if s.findtext("service_code") == "elevator")
    assert [e.tag for e in elevator] == SERVICE_FIELDS
    assert elevator.findtext("metadata") == "true"


def test_an_inactive_category_is_not_a_service(client):
    Category.objects.filter(code="noise").update(is_active=False)
    codes = [s["service_code"] for s in json_of(client.get(f"{BASE}/services.json"))]
    assert "noise" not in codes


def test_a_service_definition_gives_its_attributes_in_order(client):
    data = json_of(client.get(f"{BASE}/services/elevator.json"))
    assert data["service_code"] == "elevator"
    assert [a["code"] for a in data["attributes"]] == ["building", "unit", "people_trapped"]
    trapped = data["attributes"][2]
    assert trapped["datatype"] == "singlevaluelist"
    assert trapped["required"] is True
    assert trapped["variable"] is True
    assert [v["key"] for v in trapped["values"]] == ["yes", "no"]


def test_a_service_definition_in_xml_nests_attributes_and_values(client):
    root = xml_of(client.get(f"{BASE}/services/elevator.xml"))
    assert root.tag == "service_definition"
    attribute = root.findall("attributes/attribute")[2]
    assert [e.tag for e in attribute] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["yes", "no"]


def test_a_service_without_attributes_has_an_empty_definition(client):
    assert json_of(client.get(f"{BASE}/services/repair.json")) == {
        "service_code": "repair",
        "attributes": [],
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_code_is_a_404_in_the_specs_error_format(client, fmt):
    response = client.get(f"{BASE}/services/no-such-thing.{fmt}")
    assert response.status_code == 404
    (error,) = errors_of(response, fmt)
    assert error["code"] == "404"
    assert "no-such-thing" in error["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_method_the_endpoint_does_not_take_is_refused_in_the_specs_error_format(client, fmt):
    response = client.put(f"{BASE}/services.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert errors_of(response, fmt)[0]["code"] == "405"


def test_an_unknown_resource_is_a_404_error_document(client):
    response = client.get(f"{BASE}/nothing-here.json")
    assert response.status_code == 404
    assert errors_of(response, "json")[0]["code"] == "404"
    assert errors_of(client.get(f"{BASE}/services.yaml"), "xml")[0]["code"] == "404"


@override_settings(GRIDMAP_OPEN311_JURISDICTION="gridmap.example.org")
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_jurisdiction_id_is_a_404_and_ours_or_none_is_fine(client, fmt):
    wrong = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "elsewhere.gov"})
    assert wrong.status_code == 404
    assert "elsewhere.gov" in errors_of(wrong, fmt)[0]["description"]
    ours = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "gridmap.example.org"})
    assert ours.status_code == 200
    assert client.get(f"{BASE}/services.{fmt}").status_code == 200


def test_services_answer_in_english_when_asked(client):
    services = json_of(client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en"))
    elevator = next(s for s in services if s["service_code"] == "elevator")
    assert elevator["service_name"] == "Elevator"
