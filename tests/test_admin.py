"""The admin: every model's pages render with map widgets, bad shapes come back as form
errors beside the field, and staff other than superusers stay within their communities."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.gis.geos import MultiPolygon
from django.urls import reverse

from apps.accounts.models import Membership
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Grid
from tests.factories import (
    bowtie,
    line,
    make_building,
    make_community,
    make_compound,
    make_facility,
    make_grid,
    make_member,
    make_organisation,
    make_superuser,
    make_user,
    point,
    square,
)

pytestmark = pytest.mark.django_db

# Messages are compared in English, whatever translations exist for zh-hans.
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}

# model (app_label.model_name) → (factory of one row, geometry field or None)
MODELS: dict[str, tuple[Any, str | None]] = {
    "regions.district": (lambda: make_community().subdistrict.district, "boundary"),
    "regions.subdistrict": (lambda: make_community().subdistrict, "boundary"),
    "regions.community": (make_community, "boundary"),
    "regions.grid": (make_grid, "boundary"),
    "regions.compound": (make_compound, "boundary"),
    "regions.building": (make_building, "footprint"),
    "facilities.facility": (make_facility, "geom"),
    "accounts.user": (lambda: make_member(make_community()).user, None),
    "accounts.organisation": (make_organisation, None),
    "accounts.membership": (lambda: make_member(make_community()), None),
}


def admin_url(model: str, action: str, *args: Any) -> str:
    app_label, model_name = model.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{action}", args=args)


def assert_leaflet_widget(content: str, field: str) -> None:
    assert "/static/leaflet/leaflet.js" in content
    assert f'id="id_{field}-map"' in content
    assert f"L.Map.djangoMap('id_{field}-map'" in content
    assert f'name="{field}"' in content


def field_errors(response: Any, field: str) -> str:
    """The errors a re-rendered admin form shows beside `field`."""
    assert response.status_code == 200, "an invalid form re-renders, it does not redirect"
    content = response.content.decode()
    assert f"errors field-{field}" in content, f"no error shown beside {field}"
    return " ".join(response.context["adminform"].form.errors.get(field, []))


@pytest.fixture
def superuser_client(client):
    client.force_login(make_superuser())
    return client


def grid_form(community: Any, code: str, boundary: Any) -> dict[str, str]:
    return {
        "community": str(community.pk),
        "code": code,
        "name": "",
        "name_en": "",
        "boundary": boundary if isinstance(boundary, str) else boundary.geojson,
    }


def facility_form(community: Any, kind: str, geom: Any) -> dict[str, str]:
    return {
        "community": str(community.pk),
        "kind": kind,
        "name": "测试设施",
        "name_en": "",
        "status": Facility.Status.IN_SERVICE,
        "geom": geom.geojson,
        "opening_hours": "",
        "capacity": "",
        "managing_organisation": "",
        "completed_on": "",
        "description": "",
    }


# --- every page renders ------------------------------------------------------------


@pytest.mark.parametrize("model", list(MODELS))
def test_changelist_renders_for_a_superuser(superuser_client, model):
    row = MODELS[model][0]()
    response = superuser_client.get(admin_url(model, "changelist"), **ENGLISH)
    assert response.status_code == 200
    assert admin_url(model, "change", row.pk) in response.content.decode()


@pytest.mark.parametrize("model", list(MODELS))
def test_change_page_renders_for_a_superuser_with_a_map_widget_for_its_geometry(
    superuser_client, model
):
    factory, geometry_field = MODELS[model]
    row = factory()
    response = superuser_client.get(admin_url(model, "change", row.pk), **ENGLISH)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="content"' in content
    if geometry_field:
        assert_leaflet_widget(content, geometry_field)
    else:
        assert "L.Map.djangoMap" not in content


@pytest.mark.parametrize("model", list(MODELS))
def test_add_page_renders_for_a_superuser(superuser_client, model):
    response = superuser_client.get(admin_url(model, "add"), **ENGLISH)
    assert response.status_code == 200
    if geometry_field := MODELS[model][1]:
        assert_leaflet_widget(response.content.decode(), geometry_field)


def test_admin_site_is_titled_gridmap_in_chinese_and_english(superuser_client):
    content = superuser_client.get(reverse("admin:index"), **ENGLISH).content.decode()
    assert "网格地图 gridmap" in content


def test_area_changelist_shows_the_geodesic_area_in_square_metres(superuser_client):
    grid = make_grid(code="T-AREA", boundary=square(112.9, 27.9, 0.002))
    response = superuser_client.get(admin_url("regions.grid", "changelist"), {"q": "T-AREA"})
    row = next(r for r in response.context["cl"].result_list if r.pk == grid.pk)
    # 0.002° × 0.002° at 27.9° N: about 197 m × 221 m (ST_Area on geography gives 43,640).
    assert row.area_m2 == pytest.approx(43_640, rel=0.01)
    assert '<td class="field-area">4364' in response.content.decode()


# --- bad shapes come back as form errors -------------------------------------------


def test_bowtie_grid_posted_to_the_add_form_is_refused_beside_the_map_and_not_saved(
    superuser_client,
):
    community = make_community()
    data = grid_form(community, "T-BOWTIE", bowtie(112.901, 27.901))
    response = superuser_client.post(admin_url("regions.grid", "add"), data, **ENGLISH)
    assert "crosses itself" in field_errors(response, "boundary")
    assert not Grid.objects.filter(code="T-BOWTIE").exists()


def test_unclosed_ring_posted_to_the_add_form_is_refused_with_a_clear_message(superuser_client):
    community = make_community()
    ring = [[112.901, 27.901], [112.902, 27.901], [112.902, 27.902], [112.901, 27.902]]
    data = grid_form(community, "T-OPEN", json.dumps({"type": "Polygon", "coordinates": [ring]}))
    response = superuser_client.post(admin_url("regions.grid", "add"), data, **ENGLISH)
    assert "not closed" in field_errors(response, "boundary")
    assert not Grid.objects.filter(code="T-OPEN").exists()


def test_empty_geometry_posted_to_the_add_form_is_refused_with_a_clear_message(superuser_client):
    community = make_community()
    data = grid_form(community, "T-EMPTY", json.dumps({"type": "Polygon", "coordinates": []}))
    response = superuser_client.post(admin_url("regions.grid", "add"), data, **ENGLISH)
    assert "no coordinates" in field_errors(response, "boundary")


def test_missing_geometry_asks_to_draw_the_shape(superuser_client):
    data = grid_form(make_community(), "T-NONE", "")
    response = superuser_client.post(admin_url("regions.grid", "add"), data, **ENGLISH)
    assert "Draw the shape on the map" in field_errors(response, "boundary")


def test_line_posted_as_a_grid_boundary_names_what_to_draw_instead(superuser_client):
    data = grid_form(make_community(), "T-LINE", line())
    response = superuser_client.post(admin_url("regions.grid", "add"), data, **ENGLISH)
    assert "Draw a polygon (an area) here, not a line" in field_errors(response, "boundary")


def test_swapped_coordinates_posted_to_the_add_form_are_refused_as_out_of_range(
    superuser_client,
):
    data = facility_form(make_community(), FacilityKind.PUBLIC_TOILET, point(28.19, 112.98))
    response = superuser_client.post(admin_url("facilities.facility", "add"), data, **ENGLISH)
    assert "swapped" in field_errors(response, "geom")
    assert not Facility.objects.filter(name="测试设施").exists()


@pytest.mark.parametrize(
    ("kind", "geom", "named"),
    [
        (FacilityKind.CULTURE_CORRIDOR, point(), "Culture corridor"),
        (FacilityKind.SERVICE_STATION, line(), "Service station"),
    ],
    ids=["corridor-as-point", "station-as-line"],
)
def test_facility_drawn_with_the_wrong_type_for_its_kind_is_refused_naming_the_kind(
    superuser_client, kind, geom, named
):
    data = facility_form(make_community(), kind, geom)
    response = superuser_client.post(admin_url("facilities.facility", "add"), data, **ENGLISH)
    assert named in field_errors(response, "geom")
    assert not Facility.objects.filter(name="测试设施").exists()
    # The help beside the map says which shapes each kind takes.
    assert "Culture corridor – line; " in response.content.decode()


def test_community_boundary_drawn_as_one_polygon_is_saved_as_a_multipolygon(superuser_client):
    community = make_community()
    data = {
        "code": community.code,
        "name": community.name,
        "name_en": "",
        "subdistrict": str(community.subdistrict_id),
        "boundary": square(112.9, 27.9, 0.02).geojson,
        **dict.fromkeys(
            (
                "established_on",
                "population",
                "households",
                "party_members",
                "integrity_team_size",
                "service_hall_hours",
            ),
            "",
        ),
    }
    url = admin_url("regions.community", "change", community.pk)
    response = superuser_client.post(url, data, **ENGLISH)
    assert response.status_code == 302, response.context["adminform"].form.errors
    community.refresh_from_db()
    assert community.boundary.geom_type == "MultiPolygon"
    drawn = MultiPolygon(square(112.9, 27.9, 0.02), srid=4326)
    assert community.boundary.equals_exact(drawn, tolerance=1e-9)


# --- community scope ---------------------------------------------------------------


@pytest.fixture
def two_communities():
    """Communities A and B, a grid in each, and a community admin of A."""
    community_a, community_b = make_community(), make_community(x=112.95)
    grid_a = make_grid(community_a, code="T-A-01")
    grid_b = make_grid(community_b, code="T-B-01")
    admin_of_a = make_member(community_a).user
    return community_a, community_b, grid_a, grid_b, admin_of_a


def test_community_admin_sees_their_grids_and_not_another_communitys(client, two_communities):
    _a, _b, grid_a, grid_b, admin_of_a = two_communities
    client.force_login(admin_of_a)
    response = client.get(admin_url("regions.grid", "changelist"), **ENGLISH)
    assert response.status_code == 200
    shown = {grid.pk for grid in response.context["cl"].result_list}
    assert grid_a.pk in shown
    assert grid_b.pk not in shown
    assert "T-B-01" not in response.content.decode()


def test_community_admin_cannot_open_another_communitys_grid(client, two_communities):
    _a, _b, _grid_a, grid_b, admin_of_a = two_communities
    client.force_login(admin_of_a)
    response = client.get(admin_url("regions.grid", "change", grid_b.pk), **ENGLISH)
    # Django answers a row outside the queryset as "does not exist": back to the index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    followed = client.get(response.url, **ENGLISH)
    assert "T-B-01" not in followed.content.decode()


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("regions.community", lambda community: community),
        ("regions.compound", make_compound),
        ("regions.building", make_building),
        ("facilities.facility", make_facility),
        ("accounts.membership", lambda community: make_member(community)),
    ],
    ids=["community", "compound", "building", "facility", "membership"],
)
def test_community_admin_cannot_open_another_communitys_rows(
    client, two_communities, model, factory
):
    community_a, community_b, _grid_a, _grid_b, admin_of_a = two_communities
    own, foreign = factory(community_a), factory(community_b)
    client.force_login(admin_of_a)
    assert client.get(admin_url(model, "change", own.pk), **ENGLISH).status_code == 200
    response = client.get(admin_url(model, "change", foreign.pk), **ENGLISH)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_community_admin_cannot_add_a_grid_into_another_community(client, two_communities):
    _a, community_b, _grid_a, _grid_b, admin_of_a = two_communities
    client.force_login(admin_of_a)
    data = grid_form(community_b, "T-B-02", square(112.951, 27.901))
    response = client.post(admin_url("regions.grid", "add"), data, **ENGLISH)
    assert "your own communities" in field_errors(response, "community")
    assert not Grid.objects.filter(code="T-B-02").exists()


def test_community_admin_cannot_move_their_grid_into_another_community(client, two_communities):
    community_a, community_b, grid_a, _grid_b, admin_of_a = two_communities
    client.force_login(admin_of_a)
    data = grid_form(community_b, grid_a.code, grid_a.boundary)
    url = admin_url("regions.grid", "change", grid_a.pk)
    response = client.post(url, data, **ENGLISH)
    assert "your own communities" in field_errors(response, "community")
    grid_a.refresh_from_db()
    assert grid_a.community == community_a


def test_community_admin_can_add_a_grid_in_their_own_community(client, two_communities):
    community_a, _b, _grid_a, _grid_b, admin_of_a = two_communities
    client.force_login(admin_of_a)
    data = grid_form(community_a, "T-A-02", square(112.905, 27.905))
    response = client.post(admin_url("regions.grid", "add"), data, **ENGLISH)
    assert response.status_code == 302
    assert Grid.objects.get(code="T-A-02").community == community_a


def test_community_admin_only_sees_their_communitys_facilities(client, two_communities):
    community_a, community_b, _grid_a, _grid_b, admin_of_a = two_communities
    facility_a, facility_b = make_facility(community_a), make_facility(community_b)
    client.force_login(admin_of_a)
    response = client.get(admin_url("facilities.facility", "changelist"), **ENGLISH)
    shown = {facility.pk for facility in response.context["cl"].result_list}
    assert facility_a.pk in shown
    assert facility_b.pk not in shown


def test_community_admin_is_offered_only_their_communities(client, two_communities):
    community_a, community_b, _grid_a, _grid_b, admin_of_a = two_communities
    client.force_login(admin_of_a)
    response = client.get(admin_url("regions.grid", "add"), **ENGLISH)
    choices = response.context["adminform"].form.fields["community"].queryset
    assert list(choices) == [community_a]


def test_building_head_outside_the_admins_communities_stays_selectable_but_no_other(
    client, two_communities
):
    # Hiding the current head would clear it silently on the next save.
    community_a, _b, _grid_a, _grid_b, admin_of_a = two_communities
    head, stranger = make_user(), make_user()
    building = make_building(community_a, building_head=head)
    client.force_login(admin_of_a)
    response = client.get(admin_url("regions.building", "change", building.pk), **ENGLISH)
    choices = response.context["adminform"].form.fields["building_head"].queryset
    assert head in choices
    assert stranger not in choices
    assert admin_of_a in choices


def test_superuser_sees_every_communitys_grids(superuser_client, two_communities):
    _a, _b, grid_a, grid_b, _admin_of_a = two_communities
    response = superuser_client.get(admin_url("regions.grid", "changelist"), {"q": "T-"})
    shown = {grid.pk for grid in response.context["cl"].result_list}
    assert {grid_a.pk, grid_b.pk} <= shown


def test_membership_grids_must_belong_to_the_memberships_community(
    superuser_client, two_communities
):
    community_a, _b, _grid_a, grid_b, _admin_of_a = two_communities
    worker = make_user()
    data = {
        "user": str(worker.pk),
        "community": str(community_a.pk),
        "role": "grid_worker",
        "organisation": "",
        "grids": [str(grid_b.pk)],
        "is_active": "on",
    }
    response = superuser_client.post(admin_url("accounts.membership", "add"), data, **ENGLISH)
    assert "belongs to another community" in field_errors(response, "grids")
    assert not Membership.objects.filter(user=worker).exists()


def test_user_page_shows_memberships_inline_with_only_the_communitys_grids(
    superuser_client, two_communities
):
    community_a, _b, grid_a, _grid_b, _admin_of_a = two_communities
    worker = make_member(community_a, role="grid_worker", grids=[grid_a], staff=False).user
    response = superuser_client.get(admin_url("accounts.user", "change", worker.pk), **ENGLISH)
    assert response.status_code == 200
    (memberships,) = response.context["inline_admin_formsets"]
    (form,) = memberships.formset.forms
    assert set(form.fields["grids"].queryset) == set(community_a.grids.all())
    content = response.content.decode()
    for field in ("display_name", "phone", "work_phone"):
        assert f'name="{field}"' in content
