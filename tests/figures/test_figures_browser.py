"""The figures dashboard in headless Chromium on the demo data: charts drawn, grids shaded."""

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.regions.models import Grid

pytestmark = pytest.mark.browser


def sign_in(page, server, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
    )


def test_the_dashboard_draws_its_charts_and_shades_the_grids(page, demo_live_server):
    sign_in(page, demo_live_server, "communityadmin")
    page.goto(f"{demo_live_server.url}/figures/")
    page.wait_for_function(
        "() => ['ready', 'error'].includes(document.getElementById('figures-map').dataset.fgState)"
    )
    data = page.evaluate("() => ({...document.getElementById('figures-map').dataset})")
    assert data["fgState"] == "ready"
    assert int(data["fgGrids"]) == Grid.objects.filter(community__code="DR").count()
    # Every grid is drawn, filled by its class (grey when nothing is open there).
    assert page.locator("#figures-map path.leaflet-interactive").count() == int(data["fgGrids"])
    assert page.evaluate(
        "() => ['chart-months', 'chart-categories'].every("
        "id => Chart.getChart(document.getElementById(id)) !== undefined)"
    )
    assert page.locator("#figures-legend span").count() >= 1
    assert page.locator("#table-grid tbody tr").count() >= 1
