"""API keys are issued in the admin, shown once, and stored only as a hash."""

import pytest
from django.contrib.messages import get_messages

from apps.open311.models import ApiKey
from apps.open311.selectors import api_key_for, key_hash
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_a_key_issued_in_the_admin_is_shown_once_and_stored_as_a_hash(world):
    owner = make_organisation(name="一应驿站运营方")
    response = world.client("superuser").post(
        "/admin/open311/apikey/add/",
        {
            "name": "一应驿站 app",
            "owner": owner.pk,
            "community": world.here.pk,
            "contact_email": "",
            "is_active": "on",
            "hourly_limit": "100",
        },
    )
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    (raw,) = [word for m in messages for word in m.split() if word.startswith("gm311_")]
    row = ApiKey.objects.get(name="一应驿站 app")
    assert row.key_hash == key_hash(raw) and raw not in row.key_hash
    assert row.prefix == raw[:10]
    assert row.created_by == world.superuser
    assert api_key_for(raw) == row
    # The change page never shows it again.
    page = world.client("superuser").get(f"/admin/open311/apikey/{row.pk}/change/")
    assert raw not in page.content.decode()


def test_a_withdrawn_key_no_longer_authenticates(world, key):
    ApiKey.objects.filter(name="测试客户端").update(is_active=False)
    assert api_key_for(key) is None
