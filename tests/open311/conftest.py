"""Fixtures of the Open311 tests: the shared small world, keys, and XML/JSON readers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from apps.open311.services import api_key_create
from tests.factories import make_organisation
from tests.figures.world import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def key(world: World) -> str:
    """A key for `here` (reports filed with it must lie there)."""
    _row, raw = api_key_create(
        name="测试客户端", owner=make_organisation(), community=world.here, hourly_limit=50
    )
    return raw


@pytest.fixture
def anywhere_key(world: World) -> str:
    """A key that may file anywhere the site covers."""
    _row, raw = api_key_create(name="全市客户端", owner=make_organisation())
    return raw


@pytest.fixture
def client() -> Client:
    return Client()


def xml_of(response: Any) -> ET.Element:
    """The response parsed as XML (which fails on anything not well-formed)."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def errors_of(response: Any, fmt: str) -> list[dict[str, str]]:
    """The spec's error document in either format, as [{code, description}]."""
    if fmt == "json":
        return [{k: str(v) for k, v in e.items()} for e in json_of(response)]
    root = xml_of(response)
    assert root.tag == "errors"
    return [
        {"code": e.findtext("code") or "", "description": e.findtext("description") or ""}
        for e in root.findall("error")
    ]
