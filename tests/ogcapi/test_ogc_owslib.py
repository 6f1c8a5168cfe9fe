"""OWSLib's OGC API – Features client against the running app, for every collection."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from owslib.ogcapi.features import Features

from apps.core.layers import Scope, registry

PAGE = 5  # small pages, so that every demo layer takes several


def next_offset(page):
    """The offset of the page the `next` link points to, or None on the last page."""
    nxt = next((link for link in page["links"] if link["rel"] == "next"), None)
    if nxt is None:
        return None
    assert nxt["type"] == "application/geo+json"
    return int(parse_qs(urlsplit(nxt["href"]).query)["offset"][0])


def test_owslib_reads_the_service_pages_through_every_collection_and_filters(
    demo_live_server,
):
    api = Features(f"{demo_live_server.url}/ogcapi/")
    assert api.conformance()["conformsTo"]
    assert api.api()["openapi"].startswith("3.0")  # found through the service-desc link

    public = [layer for layer in registry if layer.scope is Scope.PUBLIC]
    assert api.feature_collections() == [layer.name for layer in public]
    for layer in public:
        described = api.collection(layer.name)
        assert described["id"] == layer.name
        expected = layer.rows(AnonymousUser()).count()
        seen: list[int] = []
        offset: int | None = 0
        while offset is not None:
            page = api.collection_items(layer.name, limit=PAGE, offset=offset)
            assert page["numberMatched"] == expected, layer.name
            assert page["numberReturned"] == len(page["features"]) <= PAGE
            seen += [feature["id"] for feature in page["features"]]
            offset = next_offset(page)
        assert len(seen) == len(set(seen)) == expected, layer.name
        if seen:
            item = api.collection_item(layer.name, str(seen[0]))
            assert item["id"] == seen[0]

    # Filters as OWSLib sends them: a bbox list, a property, and a refused limit.
    grids = api.collection_items("grids", bbox=[113.02, 28.185, 113.03, 28.195], limit=100)
    assert 0 < grids["numberMatched"] < registry.get("grids").model.objects.count()
    one = api.collection_items("grids", code="DR-03")
    assert [feature["properties"]["code"] for feature in one["features"]] == ["DR-03"]
    with pytest.raises(RuntimeError, match="limit"):
        api.collection_items("grids", limit=0)
