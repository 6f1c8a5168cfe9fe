"""The works admin: pages render with a map widget, rows stay in one's communities, and
the status is read-only (it moves only through the work's page)."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.works.models import Programme, Work

from .conftest import make_work

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def superuser_client(world):
    client = Client()
    client.force_login(world.superuser)
    return client


def test_the_work_pages_render_with_a_map_widget_and_a_read_only_status(superuser_client):
    fence = Work.objects.get(name="中交中央公园D1围墙重建")
    for url in (reverse("admin:works_work_changelist"), reverse("admin:works_work_add")):
        assert superuser_client.get(url, **ENGLISH).status_code == 200
    page = superuser_client.get(reverse("admin:works_work_change", args=[fence.pk]), **ENGLISH)
    content = page.content.decode()
    assert page.status_code == 200 and "L.Map.djangoMap" in content
    assert 'name="status"' not in content  # shown, not editable
    assert "中交地产" in content  # the funders inline


def test_the_programme_pages_render(superuser_client):
    programme = Programme.objects.get(name="芙蓉区公益性室外健身场所")
    url = reverse("admin:works_programme_change", args=[programme.pk])
    assert superuser_client.get(url, **ENGLISH).status_code == 200


def test_staff_see_only_the_works_of_their_communities(world):
    from django.contrib.auth.models import Permission

    mine = make_work(world.here, name="我的工程")
    theirs = make_work(world.other, name="别人的工程")
    world.admin_here.user_permissions.add(Permission.objects.get(codename="view_work"))
    client = Client()
    client.force_login(world.admin_here)
    page = client.get(reverse("admin:works_work_changelist"), **ENGLISH).content.decode()
    assert mine.name in page and theirs.name not in page
    response = client.get(reverse("admin:works_work_change", args=[theirs.pk]), **ENGLISH)
    assert response.status_code == 302  # not found in their scope: back to the admin index
