"""API test fixtures: the report tests' small community, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.reports.conftest import area, category, make_report, media_root  # noqa: F401

from .openapi import SchemaChecker


@pytest.fixture(scope="session")
def openapi() -> SchemaChecker:
    document: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return SchemaChecker(document)


@pytest.fixture
def api() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")
