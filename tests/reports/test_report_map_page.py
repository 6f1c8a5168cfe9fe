"""Where the report page's map opens, and its community chooser (demo data)."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.regions.models import Community
from apps.reports.views.public import CHOOSER_MAX
from tests.factories import make_community

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_gets_a_button_for_each_served_community(client):
    response = client.get("/report/")
    assert response.context["config"]["start"] is None
    buttons = [c["name"] for c in response.context["communities"]]
    assert sorted(buttons) == sorted(Community.objects.values_list("name", flat=True))
    assert 'id="community-chooser" hidden' not in response.content.decode()


def test_a_member_opens_at_her_own_community_without_the_chooser(client):
    client.force_login(User.objects.get(username="resident"))
    response = client.get("/report/")
    start = response.context["config"]["start"]
    dongrui = Community.objects.get(name="东瑞社区")
    assert start["id"] == dongrui.pk
    assert start["bbox"] == pytest.approx(list(dongrui.boundary.extent), abs=1e-6)
    assert 'id="community-chooser" hidden' in response.content.decode()


def test_past_a_dozen_communities_the_page_offers_the_search_instead_of_buttons(client):
    for i in range(CHOOSER_MAX + 1 - Community.objects.count()):
        make_community(x=112.0 + 0.02 * i, y=27.0)
    response = client.get("/report/")
    assert response.context["communities"] == []
    html = response.content.decode()
    assert 'id="community-chooser" hidden' in html
    assert 'id="place-q"' in html
