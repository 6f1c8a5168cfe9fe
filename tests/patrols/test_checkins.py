"""Checking in at a checkpoint: on site within 50 m (geodesic), otherwise remote with the
distance. Positions are placed by geodesic offset with pyproj.Geod on WGS 84."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from apps.patrols.errors import ConflictError, ForbiddenError, PatrolError
from apps.patrols.models import CheckIn
from apps.patrols.services import (
    CheckpointData,
    checkin_note_update,
    patrol_check_in,
    patrol_plan_save,
)

from .conftest import X0, Y0, logged_in_client, offset, plan_around_now, plan_data, started

GATE = (X0 + 0.002, Y0 + 0.002)  # inside the west grid


@pytest.fixture
def patrol(area):
    data = plan_data(area, checkpoints=[CheckpointData("东门", Point(*GATE, srid=4326))])
    plan = patrol_plan_save(data=data, by=area.admin)
    return started(plan, area.worker)


@pytest.mark.parametrize(
    ("metres", "on_site"),
    [(0.0, True), (49.0, True), (51.0, False), (180.0, False)],
)
def test_a_check_in_is_on_site_within_50_metres_and_remote_beyond(area, patrol, metres, on_site):
    lon, lat = offset(*GATE, azimuth=37.0, metres=metres)
    checkpoint = patrol.plan.checkpoints.get()

    checkin = patrol_check_in(
        instance=patrol,
        checkpoint=checkpoint,
        person=area.worker,
        lon=lon,
        lat=lat,
        at=patrol.started_at + dt.timedelta(minutes=3),
    )

    assert checkin.on_site is on_site
    # PostGIS measures on the spheroid like pyproj's geodesic: they agree to the millimetre.
    assert checkin.distance_m == pytest.approx(metres, abs=0.01)


def test_a_remote_check_in_is_kept_with_its_distance(area, patrol):
    lon, lat = offset(*GATE, azimuth=200.0, metres=51.0)
    patrol_check_in(
        instance=patrol,
        checkpoint=patrol.plan.checkpoints.get(),
        person=area.worker,
        lon=lon,
        lat=lat,
    )
    saved = CheckIn.objects.get(instance=patrol)
    assert (saved.on_site, round(saved.distance_m)) == (False, 51)
    assert saved.location.equals_exact(Point(lon, lat, srid=4326), tolerance=1e-9)


def test_checking_in_before_the_patrol_starts_is_refused(area):
    data = plan_data(area, checkpoints=[CheckpointData("东门", Point(*GATE, srid=4326))])
    plan = patrol_plan_save(data=data, by=area.admin)
    instance = plan.instances.first()
    with pytest.raises(ConflictError, match="start it first|开始"):
        patrol_check_in(
            instance=instance,
            checkpoint=plan.checkpoints.get(),
            person=area.worker,
            lon=GATE[0],
            lat=GATE[1],
        )
    assert not CheckIn.objects.filter(instance=instance).exists()


def test_someone_off_the_team_cannot_check_in(area, patrol):
    with pytest.raises(ForbiddenError):
        patrol_check_in(
            instance=patrol,
            checkpoint=patrol.plan.checkpoints.get(),
            person=area.resident,
            lon=GATE[0],
            lat=GATE[1],
        )


@pytest.mark.parametrize(
    ("lon", "lat"), [(GATE[0], 95.0), (200.0, GATE[1]), ("east", GATE[1]), (None, None)]
)
def test_a_position_that_is_not_one_is_refused_with_a_message(area, patrol, lon, lat):
    with pytest.raises(PatrolError) as refused:
        patrol_check_in(
            instance=patrol,
            checkpoint=patrol.plan.checkpoints.get(),
            person=area.worker,
            lon=lon,
            lat=lat,
        )
    assert refused.value.status == 400 and "position" in refused.value.errors
    assert not CheckIn.objects.exists() or not CheckIn.objects.filter(instance=patrol).exists()


def test_a_grid_worker_edits_the_note_of_their_own_check_in_only(area, patrol):
    checkpoint = patrol.plan.checkpoints.get()
    mine = patrol_check_in(
        instance=patrol, checkpoint=checkpoint, person=area.worker, lon=GATE[0], lat=GATE[1]
    )
    theirs = patrol_check_in(
        instance=patrol, checkpoint=checkpoint, person=area.property, lon=GATE[0], lat=GATE[1]
    )

    checkin_note_update(checkin=mine, person=area.worker, note="门锁已修好")
    with pytest.raises(ForbiddenError):
        checkin_note_update(checkin=theirs, person=area.worker, note="改别人的")

    assert CheckIn.objects.get(pk=mine.pk).note == "门锁已修好"
    assert CheckIn.objects.get(pk=theirs.pk).note == ""


def test_checking_in_from_the_phone_api_says_on_site_or_how_far(area):
    plan = patrol_plan_save(
        data=plan_around_now(area, checkpoints=[CheckpointData("东门", Point(*GATE, srid=4326))]),
        by=area.admin,
    )
    instance = plan.instances.get()
    client = logged_in_client(area.worker)
    base = f"/patrols/api/patrols/{instance.pk}"
    checkpoint = plan.checkpoints.get().pk

    early = client.post(
        f"{base}/checkins/",
        {"checkpoint": checkpoint, "lat": GATE[1], "lng": GATE[0]},
        "application/json",
    )
    assert early.status_code == 409
    assert (
        client.post(f"{base}/transition/", {"to": "in_progress"}, "application/json").status_code
        == 200
    )
    lon, lat = offset(*GATE, azimuth=90.0, metres=120.0)
    response = client.post(
        f"{base}/checkins/", {"checkpoint": checkpoint, "lat": lat, "lng": lon}, "application/json"
    )

    assert response.status_code == 201
    assert response.json()["on_site"] is False
    assert response.json()["distance_m"] == pytest.approx(120.0, abs=0.1)
