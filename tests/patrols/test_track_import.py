"""Tracks uploaded after a patrol: GPX and GeoJSON, good and broken. A refused file says
why and leaves nothing saved."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.patrols.coverage import patrol_coverage
from apps.patrols.errors import ConflictError, PatrolError
from apps.patrols.models import PatrolTrackPoint, PatrolTrackUpload
from apps.patrols.services import patrol_end, patrol_plan_save, patrol_track_import

from .conftest import X0, Y0, logged_in_client, offset, plan_data, started

A = (X0 + 0.002, Y0 + 0.002)
B = offset(*A, azimuth=90, metres=100)
C = offset(*B, azimuth=0, metres=50)
D = offset(*C, azimuth=0, metres=50)


def gpx(*segments, wpt_only=False) -> bytes:
    body = "".join(
        "<trkseg>"
        + "".join(
            f'<trkpt lat="{lat}" lon="{lon}"><time>2031-03-03T14:{i:02d}:00Z</time></trkpt>'
            for i, (lon, lat) in enumerate(seg)
        )
        + "</trkseg>"
        for seg in segments
    )
    content = (
        f'<wpt lat="{A[1]}" lon="{A[0]}"/>' if wpt_only else f"<trk><name>夜巡</name>{body}</trk>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">{content}</gpx>'
    ).encode()


@pytest.fixture
def patrol(area):
    return started(patrol_plan_save(data=plan_data(area), by=area.admin), area.worker)


def test_a_gpx_track_with_two_segments_becomes_two_lines(area, patrol):
    upload = patrol_track_import(
        instance=patrol, person=area.worker, filename="night.gpx", content=gpx([A, B], [C, D])
    )

    patrol.refresh_from_db()
    assert (upload.file_format, upload.point_count) == ("gpx", 4)
    assert patrol.track.geom_type == "MultiLineString" and len(patrol.track) == 2
    # Two 100 m and 50 m legs; the 50 m gap between the segments is not walked.
    assert patrol_coverage(patrol).distance_m == pytest.approx(150.0, abs=0.01)
    first = PatrolTrackPoint.objects.filter(upload=upload).order_by("pk").first()
    assert first.recorded_at.isoformat() == "2031-03-03T14:00:00+00:00"


def test_a_geojson_feature_collection_of_lines_is_imported(area, patrol):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [list(A), list(B), list(C)]},
            }
        ],
    }
    upload = patrol_track_import(
        instance=patrol,
        person=area.worker,
        filename="track.geojson",
        content=json.dumps(collection).encode(),
    )

    assert (upload.file_format, upload.point_count) == ("geojson", 3)
    assert patrol_coverage(patrol).distance_m == pytest.approx(150.0, abs=0.01)


def test_a_track_can_be_uploaded_after_the_patrol_ended(area, patrol):
    patrol_end(instance=patrol, by=area.worker)
    patrol_track_import(
        instance=patrol, person=area.worker, filename="later.gpx", content=gpx([A, B])
    )
    assert PatrolTrackUpload.objects.filter(instance=patrol).count() == 1


BROKEN = [
    (
        "malformed.gpx",
        b'<?xml version="1.0"?><gpx><trk><trkseg><trkpt lat="28" lon="112"></trkseg></gpx>',
        "XML",
    ),
    ("waypoints.gpx", gpx(wpt_only=True), "trkpt"),
    ("far.gpx", gpx([A, (A[0], 95.0)]), "95"),
    (
        "bomb.gpx",
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;">]><gpx>&b;</gpx>',
        "entit",
    ),
    ("notgpx.gpx", b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>', "<gpx>"),
    (
        "area.geojson",
        json.dumps(
            {"type": "Polygon", "coordinates": [[list(A), list(B), list(C), list(A)]]}
        ).encode(),
        "Polygon",
    ),
    (
        "point.geojson",
        json.dumps(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(A)}}
        ).encode(),
        "Point",
    ),
    (
        "swapped.geojson",
        json.dumps({"type": "LineString", "coordinates": [[A[1], 200.0], list(B)]}).encode(),
        "200",
    ),
    (
        "short.geojson",
        json.dumps({"type": "LineString", "coordinates": [[A[0]], list(B)]}).encode(),
        "[longitude, latitude]",
    ),
    ("text.json", b"not a track", "JSON"),
    ("empty.gpx", b"", "empty"),
]


@pytest.mark.parametrize(("filename", "content", "says"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_track_file_is_refused_with_a_reason_and_nothing_is_saved(
    area, patrol, filename, content, says
):
    # The reasons below are the English source strings; the default language is Chinese.
    with translation.override("en"), pytest.raises(PatrolError) as refused:
        patrol_track_import(instance=patrol, person=area.worker, filename=filename, content=content)

    assert refused.value.status == 400
    assert says.lower() in refused.value.message.lower()
    assert not PatrolTrackUpload.objects.filter(instance=patrol).exists()
    assert not PatrolTrackPoint.objects.filter(instance=patrol).exists()
    patrol.refresh_from_db()
    assert patrol.track is None


def test_uploading_a_broken_file_answers_400_with_the_reason(area, patrol):
    client = logged_in_client(area.worker)
    upload = SimpleUploadedFile(
        "far.gpx", gpx([A, (A[0], 95.0)]), content_type="application/gpx+xml"
    )

    response = client.post(f"/patrols/api/patrols/{patrol.pk}/track/upload/", {"file": upload})

    assert response.status_code == 400
    assert "95" in response.json()["detail"] and "file" in response.json()["errors"]
    assert not PatrolTrackPoint.objects.filter(instance=patrol).exists()


def test_uploading_a_good_file_through_the_page_says_how_many_points(area, patrol):
    client = logged_in_client(area.worker)
    upload = SimpleUploadedFile("night.gpx", gpx([A, B, C]), content_type="application/gpx+xml")

    response = client.post(f"/patrols/api/patrols/{patrol.pk}/track/upload/", {"file": upload})

    assert response.status_code == 201 and response.json()["points"] == 3


def test_a_track_for_a_patrol_not_yet_started_is_refused(area):
    plan = patrol_plan_save(data=plan_data(area), by=area.admin)
    with pytest.raises(ConflictError):
        patrol_track_import(
            instance=plan.instances.first(),
            person=area.worker,
            filename="x.gpx",
            content=gpx([A, B]),
        )


def test_live_positions_extend_the_track_and_a_bad_batch_saves_none(area, patrol):
    client = logged_in_client(area.worker)
    url = f"/patrols/api/patrols/{patrol.pk}/track/"
    good = [
        {"lat": A[1], "lng": A[0], "time": "2031-03-03T22:10:00+08:00", "accuracy": 5},
        {"lat": B[1], "lng": B[0]},
    ]
    bad = [{"lat": C[1], "lng": C[0]}, {"lat": 91, "lng": C[0]}]

    assert client.post(url, {"points": good}, "application/json").status_code == 201
    response = client.post(url, {"points": bad}, "application/json")

    assert response.status_code == 400 and "91" in response.json()["detail"]
    assert PatrolTrackPoint.objects.filter(instance=patrol).count() == 2
    assert patrol_coverage(patrol).distance_m == pytest.approx(100.0, abs=0.01)
