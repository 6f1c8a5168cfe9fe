"""The admin pages of the station, ledger and notice models render for a superuser."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin

from apps.ledger.services import ledger_entry_create
from apps.notices.services import notice_create
from apps.station.services import booking_create, loan_create, parcel_log
from apps.station.slots import local_today
from tests.factories import make_compound, make_superuser

from .conftest import client_for, tomorrow_at

MY_APPS = {"station", "ledger", "notices"}


def objects(world):
    """One row of each of the apps' admin models."""
    boss = make_superuser()
    compound = make_compound(world.community)
    entry = ledger_entry_create(
        actor=boss,
        compound=compound,
        kind="income",
        date=datetime.date(2024, 6, 30),
        amount=Decimal("10.00"),
        purpose="停车费",
    )
    notice = notice_create(
        actor=boss, community=world.community, section="party", title="通知", body="正文"
    )
    return boss, {
        "stationservice": world.bookable.service,
        "bookableservice": world.bookable,
        "tool": world.tool,
        "slotbooking": booking_create(
            bookable=world.bookable, resident=world.resident, starts_at=tomorrow_at(9)
        ),
        "toolloan": loan_create(
            tool=world.tool, borrower=world.resident, start=local_today(), days=1
        ),
        "parcel": parcel_log(
            facility=world.courier, actor=world.staff, recipient_name="李雯", phone="0421"
        ),
        "ledgerentry": entry,
        "notice": notice,
    }


def test_every_model_of_the_apps_has_its_admin_pages_rendering(world):
    boss, rows = objects(world)
    client = client_for(boss)
    registered = [m for m in admin.site._registry if m._meta.app_label in MY_APPS]
    assert {m._meta.model_name for m in registered} == set(rows)
    for model in registered:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert client.get(base).status_code == 200, base
        row = rows[meta.model_name]
        assert client.get(f"{base}{row.pk}/change/").status_code == 200, meta.model_name


@pytest.mark.parametrize("path", ["ledger/ledgerentry", "notices/notice", "station/parcel"])
def test_records_are_not_added_through_the_admin(world, path):
    assert client_for(make_superuser()).get(f"/admin/{path}/add/").status_code == 403
