"""Fixtures of the OGC API and vector tile tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from apps.core.layers import Layer, Scope, registry
from apps.facilities.models import Facility


@pytest.fixture
def members_layer() -> Iterator[Layer]:
    """A members-only layer over facilities, with a date-time field, registered for one test
    (the registry keeps layers for the process, so it is taken out again afterwards)."""
    layer = registry.register(
        Layer(
            name="members_facilities",
            title="Members' facilities",
            model=Facility,
            geometry_field="geom",
            fields=("name", "kind", "capacity"),
            scope=Scope.MEMBERS,
            datetime_field="created_at",
            min_zoom=10,
        )
    )
    yield layer
    registry._layers.pop(layer.name)  # no public unregister: only tests need one
