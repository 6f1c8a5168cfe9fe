"""Fixtures of the import/export tests: a test community and files written with geopandas."""

from __future__ import annotations

import pytest

from tests.factories import make_community


@pytest.fixture
def community():
    """An empty community south of Changsha: a 0.01° square at 112.60, 27.60."""
    return make_community(x=112.60, y=27.60)


@pytest.fixture
def members_export_layer():
    """A members-only layer over grids, registered for one test only."""
    from apps.core.layers import Layer, Scope, registry
    from apps.regions.models import Grid

    layer = registry.register(
        Layer(
            name="members_grids",
            title="Members' grids",
            model=Grid,
            geometry_field="boundary",
            fields=("code",),
            scope=Scope.MEMBERS,
        )
    )
    yield layer
    registry._layers.pop(layer.name)  # no public unregister: only tests need one
