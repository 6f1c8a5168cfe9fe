"""load_demo is idempotent: a second run finds everything in place and writes nothing."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.db.models import Max

from apps.accounts.models import Membership, Organisation, User
from apps.core.demo import demo_features, demo_records, load_demo
from apps.facilities.models import Facility
from apps.regions.models import Building, Community, Compound, District, Grid, Subdistrict

pytestmark = pytest.mark.django_db

MODELS = [
    District,
    Subdistrict,
    Community,
    Grid,
    Compound,
    Building,
    Facility,
    Organisation,
    User,
    Membership,
    Group,
    Membership.grids.through,
    User.groups.through,
    Group.permissions.through,
]
TIMESTAMPED = [District, Subdistrict, Community, Compound, Facility, Organisation, Membership]


def snapshot() -> dict[str, object]:
    counts = {model._meta.label: model.objects.count() for model in MODELS}
    stamps = {
        model._meta.label: model.objects.aggregate(latest=Max("updated_at"))["latest"]
        for model in TIMESTAMPED
    }
    passwords = dict(User.objects.values_list("username", "password"))
    return {"counts": counts, "stamps": stamps, "passwords": passwords}


def test_loading_the_demo_again_leaves_every_count_and_row_unchanged():
    before = snapshot()
    load_demo()
    assert snapshot() == before


def test_a_second_load_reports_nothing_created_or_updated():
    out = StringIO()
    load_demo(verbosity=1, out=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_load_demo_returns_how_many_of_each_it_holds():
    counts = load_demo()
    records = demo_records()
    assert counts["District"] == len(records["districts"])
    assert counts["Organisation"] == len(records["organisations"])
    assert counts["Community"] == len(list(demo_features("communities")))
    assert counts["Grid"] == Grid.objects.count()
    assert counts["Facility"] == len(list(demo_features("facilities")))


def test_load_demo_puts_back_a_demo_figure_that_was_edited():
    Community.objects.filter(code="DR").update(party_members=0)
    load_demo()
    assert Community.objects.get(code="DR").party_members == 52


def test_load_demo_keeps_a_demo_users_changed_password():
    user = User.objects.get(username="resident")
    user.set_password("a-new-password-of-my-own")
    user.save()
    load_demo()
    assert User.objects.get(username="resident").check_password("a-new-password-of-my-own")
