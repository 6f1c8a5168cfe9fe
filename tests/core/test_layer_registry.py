"""The layer registry: one declaration per layer, scoping by community membership."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.core.geojson import feature_collection
from apps.core.layers import Layer, LayerRegistry, Scope, communities_for, registry
from apps.regions.models import Community, Grid
from tests.factories import make_community, make_grid, make_member, make_superuser, make_user

BASE_LAYERS = ["communities", "grids", "compounds", "buildings", "facilities"]
PRIVATE_USER_FIELDS = {"phone", "password", "email", "username"}


def test_base_layers_are_registered_bottom_first():
    assert [layer.name for layer in registry.all()][:5] == BASE_LAYERS


def test_unknown_layer_raises_a_key_error_naming_the_known_layers():
    with pytest.raises(KeyError, match="No map layer named 'sewers'.*grids"):
        registry.get("sewers")


def test_registering_a_different_layer_under_a_taken_name_is_refused():
    local = LayerRegistry()
    first = Layer(name="grids", title="Grids", model=Grid, geometry_field="boundary", fields=())
    local.register(first)
    local.register(first)  # the same declaration twice is harmless
    other = Layer(name="grids", title="Other", model=Grid, geometry_field="boundary", fields=())
    with pytest.raises(ValueError, match="already registered"):
        local.register(other)


def test_label_field_must_be_a_public_field():
    with pytest.raises(ValueError, match="label_field"):
        Layer(
            name="grids", title="G", model=Grid, geometry_field="boundary", fields=("name",),
            label_field="code",
        )  # fmt: skip


def test_layers_report_their_geojson_geometry_type():
    types = {layer.name: layer.geometry_type for layer in registry.all()}
    assert {name: types[name] for name in BASE_LAYERS} == {
        "communities": "MultiPolygon",
        "grids": "Polygon",
        "compounds": "Polygon",
        "buildings": "Polygon",
        "facilities": "Geometry",
    }
    # Layers the other apps register declare a GeoJSON type too.
    geojson_types = {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
                     "MultiPolygon", "Geometry"}  # fmt: skip
    assert set(types.values()) <= geojson_types


@pytest.mark.parametrize("name", [layer.name for layer in registry.all()])
def test_no_layer_exposes_a_private_user_field(name):
    layer = registry.get(name)
    for field in layer.fields:
        last_part = field.rsplit("__", 1)[-1]
        assert last_part not in PRIVATE_USER_FIELDS, f"{name}.{field} is private"
    for expression in layer.get_annotations().values():
        assert "phone" not in repr(expression) and "username" not in repr(expression)


@pytest.mark.django_db
def test_anonymous_users_belong_to_no_community():
    make_community()
    assert list(communities_for(AnonymousUser())) == []
    assert list(communities_for(None)) == []


@pytest.mark.django_db
def test_a_member_belongs_to_the_communities_of_their_active_memberships():
    mine, former = make_community(), make_community()
    membership = make_member(mine)
    ended = make_member(former, user=membership.user)
    ended.is_active = False
    ended.save()
    make_community()  # someone else's

    assert set(communities_for(membership.user)) == {mine.pk}


@pytest.mark.django_db
def test_a_superuser_belongs_to_every_community():
    make_community()
    assert set(communities_for(make_superuser())) == set(
        Community.objects.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_a_deactivated_account_belongs_to_no_community():
    membership = make_member(make_community())
    User.objects.filter(pk=membership.user.pk).update(is_active=False)
    membership.user.refresh_from_db()
    assert list(communities_for(membership.user)) == []


@pytest.mark.django_db
def test_public_layers_show_every_row_to_anonymous_users():
    grid = make_grid()
    assert registry.get("grids").visible_rows(AnonymousUser()).filter(pk=grid.pk).exists()


@pytest.mark.django_db
def test_a_members_only_layer_shows_rows_of_the_users_communities_only():
    # The shape later layers (reports, patrols) take: same model API, scope by membership.
    members_only = Layer(
        name="private_grids", title="Grids", model=Grid, geometry_field="boundary",
        fields=("code",), scope=Scope.MEMBERS,
    )  # fmt: skip
    mine, theirs = make_grid(), make_grid()
    worker = make_member(mine.community).user

    assert list(members_only.visible_rows(worker)) == [mine]
    assert list(members_only.visible_rows(AnonymousUser())) == []
    assert {g.pk for g in members_only.visible_rows(make_superuser())} >= {mine.pk, theirs.pk}
    assert list(members_only.visible_rows(make_user())) == []


@pytest.mark.django_db
def test_rows_are_filtered_by_community_and_bbox_in_sql():
    grid = make_grid()
    xmin, ymin, xmax, ymax = grid.boundary.extent
    layer = registry.get("grids")

    inside = layer.rows(None, communities=[grid.community_id], bbox=(xmin, ymin, xmax, ymax))
    elsewhere = layer.rows(None, bbox=(xmin - 1, ymin - 1, xmin - 0.5, ymin - 0.5))

    assert list(inside.values_list("pk", flat=True)) == [grid.pk]
    assert not elsewhere.filter(pk=grid.pk).exists()
    assert "ST_MakeEnvelope" in str(inside.query)


@pytest.mark.django_db
@pytest.mark.parametrize("name", BASE_LAYERS)
def test_every_public_field_resolves_on_the_layers_rows(name):
    # What exporters and OGC API items will do: values(*fields) straight from the registry.
    layer = registry.get(name)
    row = layer.rows(None).values(*layer.fields).first()
    assert row is not None and list(row) == list(layer.fields)


@pytest.mark.django_db
def test_a_layer_may_expose_a_lookup_and_encode_it_as_geojson():
    grid = make_grid()
    layer = Layer(
        name="grid_lookups", title="Grids", model=Grid, geometry_field="boundary",
        fields=("code", "community__name"),
    )  # fmt: skip
    text = feature_collection(
        layer.rows(None, communities=[grid.community_id]),
        geometry_field=layer.geometry_field,
        fields=layer.fields,
    )
    (feature,) = json.loads(text)["features"]
    assert feature["properties"] == {"code": grid.code, "community__name": grid.community.name}


@pytest.mark.django_db
def test_a_members_only_layer_encodes_to_an_empty_collection_for_anonymous_users():
    make_grid()
    layer = Layer(
        name="private_grids", title="Grids", model=Grid, geometry_field="boundary",
        fields=("code",), scope=Scope.MEMBERS,
    )  # fmt: skip
    text = feature_collection(
        layer.rows(AnonymousUser()), geometry_field="boundary", fields=layer.fields
    )
    assert json.loads(text) == {"type": "FeatureCollection", "numberReturned": 0, "features": []}
