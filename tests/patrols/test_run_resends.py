"""A phone on patrol sends again what it is not sure arrived: the same check-in press (same
key) or the same batch of track positions. Nothing is recorded twice, nothing is lost."""

import uuid

import pytest
from django.contrib.gis.geos import Point

from apps.patrols.models import CheckIn, PatrolTrackPoint
from apps.patrols.services import CheckpointData, patrol_plan_save

from .conftest import X0, Y0, logged_in_client, offset, plan_around_now

GATE = (X0 + 0.002, Y0 + 0.002)  # inside the west grid


@pytest.fixture
def running(area):
    """A patrol under way now (started through the phone API), with one checkpoint."""
    plan = patrol_plan_save(
        data=plan_around_now(area, checkpoints=[CheckpointData("东门", Point(*GATE, srid=4326))]),
        by=area.admin,
    )
    instance = plan.instances.get()
    client = logged_in_client(area.worker)
    base = f"/patrols/api/patrols/{instance.pk}"
    started = client.post(f"{base}/transition/", {"to": "in_progress"}, "application/json")
    assert started.status_code == 200
    return instance, client, base, plan.checkpoints.get().pk


def test_the_same_check_in_press_sent_twice_is_saved_once(running):
    instance, client, base, checkpoint = running
    lon, lat = offset(*GATE, azimuth=0.0, metres=12.0)
    press = {"checkpoint": checkpoint, "lat": lat, "lng": lon, "key": str(uuid.uuid4())}

    first = client.post(f"{base}/checkins/", press, "application/json")
    again = client.post(f"{base}/checkins/", press, "application/json")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert CheckIn.objects.filter(instance=instance).count() == 1


def test_a_new_press_at_the_same_checkpoint_is_a_new_check_in(running):
    instance, client, base, checkpoint = running
    for _press in range(2):
        body = {"checkpoint": checkpoint, "lat": GATE[1], "lng": GATE[0], "key": str(uuid.uuid4())}
        assert client.post(f"{base}/checkins/", body, "application/json").status_code == 201

    assert CheckIn.objects.filter(instance=instance).count() == 2


def test_a_check_in_key_that_is_not_a_uuid_is_refused_with_a_message(running):
    _instance, client, base, checkpoint = running
    body = {"checkpoint": checkpoint, "lat": GATE[1], "lng": GATE[0], "key": "twice"}

    response = client.post(f"{base}/checkins/", body, "application/json")

    assert response.status_code == 400
    assert "UUID" in response.json()["errors"]["key"]


def test_a_resent_batch_of_track_positions_adds_only_the_new_ones(running):
    instance, client, base, _checkpoint = running
    points = [
        {"lat": Y0 + 0.001 + n * 0.0001, "lng": X0 + 0.001, "time": f"2031-03-03T22:0{n}:00+08:00"}
        for n in range(4)
    ]

    first = client.post(f"{base}/track/", {"points": points[:3]}, "application/json")
    # The answer was lost: the phone sends the three again with a fourth.
    again = client.post(f"{base}/track/", {"points": points}, "application/json")

    assert (first.json()["added"], again.json()["added"]) == (3, 1)
    assert PatrolTrackPoint.objects.filter(instance=instance).count() == 4
