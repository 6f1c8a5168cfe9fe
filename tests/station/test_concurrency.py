"""Two people asking for the last place (or the last drill) at the same moment.

These tests use real threads, each with its own database connection, against committed
data (`transactional_db`): exactly one request wins, the other is told clearly (409).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from apps.station.errors import SlotFullError
from apps.station.models import SlotBooking, ToolLoan
from apps.station.services import booking_create
from apps.station.slots import local_today

from .conftest import build_world, client_for, tomorrow_at

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads released at the same instant; return results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # the test inspects what each got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_requests_for_the_last_place_of_a_slot_one_booked_one_409():
    world = build_world()
    starts_at = tomorrow_at(13)
    booking_create(bookable=world.bookable, resident=world.staff, starts_at=starts_at)
    url = f"/station/{world.station.pk}/book/{world.bookable.pk}/?date={starts_at.date()}"
    data = {"starts_at": starts_at.isoformat()}

    def post_as(user):
        return lambda: client_for(user).post(url, data).status_code

    statuses = run_together(post_as(world.resident), post_as(world.neighbour))

    assert sorted(statuses) == [302, 409]
    assert SlotBooking.objects.filter(starts_at=starts_at, status="requested").count() == 2


def test_two_requests_for_the_last_free_drill_one_lent_one_409():
    world = build_world()
    world.tool.items.filter(label="2号").update(is_active=False)  # one drill left
    url = f"/station/{world.station.pk}/tools/{world.tool.pk}/"
    data = {"start": local_today().isoformat(), "days": "1"}

    def post_as(user):
        return lambda: client_for(user, language="en").post(url, data)

    responses = run_together(post_as(world.resident), post_as(world.neighbour))

    assert sorted(r.status_code for r in responses) == [302, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert "no 电钻 is free" in refused.content.decode()
    assert ToolLoan.objects.filter(tool=world.tool).count() == 1


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_an_insert_racing_an_uncommitted_one_waits_for_it_then_finds_the_slot_full():
    """The race made deterministic: the first booking's transaction stays open until the
    second request is seen blocked on the unique index, then commits."""
    world = build_world()
    starts_at = tomorrow_at(15)
    booking_create(bookable=world.bookable, resident=world.staff, starts_at=starts_at)
    first_inserted, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = booking_create(
                    bookable=world.bookable, resident=world.resident, starts_at=starts_at
                )
                first_inserted.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    def second() -> None:
        first_inserted.wait(timeout=20)
        try:
            # Reads "place 2 free" (the first insert is not committed), tries it, and waits.
            outcome["second"] = booking_create(
                bookable=world.bookable, resident=world.neighbour, starts_at=starts_at
            )
        except Exception as error:
            outcome["second"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while not _waiting_on_a_lock():
        assert time.monotonic() < deadline, "the second insert never waited on the first"
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(timeout=30)

    assert isinstance(outcome["first"], SlotBooking)
    assert isinstance(outcome["second"], SlotFullError)
    assert SlotBooking.objects.filter(starts_at=starts_at).count() == 2
