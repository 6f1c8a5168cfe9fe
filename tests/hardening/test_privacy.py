"""Privacy (issue 8, item 4): contacts only for the staff handling a report, photos without
EXIF, private locations blurred on every public surface, and a resident's own data: download
it, delete the account (reports stay, anonymised)."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import mapbox_vector_tile
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.accounts.models import User
from apps.core.photos import photo_process
from apps.reports import services
from apps.reports.models import Report, ReportPhoto
from apps.reports.models.reports import BLUR_CELL_DEGREES
from apps.reports.selectors import public_reports

from .roles import COMMUNITY_ADMIN, GRID_WORKER, HOME, OTHER_ADMIN, PLANNER, login, person_for

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHONE = "13700001111"
EMAIL = "private-reporter@example.org"


# --- photos without EXIF ---------------------------------------------------------------------


def gps_jpeg() -> bytes:
    """A real JPEG from a phone's camera, as far as EXIF goes: GPS position, owner, model,
    and the orientation tag saying "rotate 90° to view"."""
    image = Image.new("RGB", (80, 40), (200, 60, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x013B] = "Resident Owner"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (28.0, 11.0, 30.5)
    gps[3] = "E"
    gps[4] = (112.0, 59.0, 10.25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_the_test_photo_really_carries_gps_exif() -> None:
    exif = Image.open(io.BytesIO(gps_jpeg())).getexif()
    assert exif.get_ifd(0x8825)[2] == (28.0, 11.0, 30.5)
    assert exif[0x0110] == "PhoneModel X"


def _assert_no_exif(data: bytes) -> Image.Image:
    stored = Image.open(io.BytesIO(data))
    assert (
        b"Exif" not in data[:4096] and b"PhoneModel" not in data and b"Resident Owner" not in data
    )
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(0x8825)
    return stored


def test_a_processed_photo_has_no_exif_and_is_turned_upright() -> None:
    processed = photo_process(SimpleUploadedFile("phone.jpg", gps_jpeg(), "image/jpeg"))
    stored = _assert_no_exif(processed.image.read())
    # 80×40 with "rotate 90°" is a 40×80 picture once upright.
    assert stored.size == (40, 80)
    _assert_no_exif(processed.thumbnail.read())


def test_a_report_photo_is_stored_without_its_gps_position(client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    sample = _public_sample()
    response = client.post(
        "/report/",
        {
            "category": str(sample.category_id),
            "description": "楼道灯坏了",
            "lon": str(sample.location.x),
            "lat": str(sample.location.y),
            "photos": [SimpleUploadedFile("phone.jpg", gps_jpeg(), "image/jpeg")],
        },
        HTTP_ACCEPT="application/json",
        **EN,
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(code=response.json()["code"])
    photo = ReportPhoto.objects.get(report=report)
    with photo.file.open("rb") as handle:
        _assert_no_exif(handle.read())
    served = client.get(f"/r/{report.code}/photos/{photo.pk}/full/")
    _assert_no_exif(_body(served))


# --- contacts only for the staff handling the report ---------------------------------------


def _public_sample() -> Report:
    report = (
        public_reports()
        .filter(community__code=HOME, grid__code__in=["DR-01", "DR-02"])
        .order_by("pk")
        .first()
    )
    assert report is not None
    return report


@pytest.fixture
def contact_report() -> Report:
    report = _public_sample()
    Report.objects.filter(pk=report.pk).update(contact_phone=PHONE, contact_email=EMAIL)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    ("role", "sees"),
    [(COMMUNITY_ADMIN, True), (GRID_WORKER, True), ("superuser", True), (PLANNER, False)],
)
def test_the_console_page_shows_contacts_only_to_staff_handling_the_report(
    client, contact_report, role, sees
) -> None:
    login(client, role)
    response = client.get(f"/reports/{contact_report.pk}/", **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert (PHONE in page) is sees and (EMAIL in page) is sees
    assert ("Contact phone (private)" in page) is sees


def test_the_report_dispatched_to_property_staff_shows_them_the_contacts(
    client, contact_report
) -> None:
    staff = person_for("property_staff")
    Report.objects.filter(pk=contact_report.pk).update(dispatched_to_user=staff)
    login(client, "property_staff")
    page = client.get(f"/reports/{contact_report.pk}/", **EN).content.decode()
    assert PHONE in page


@pytest.mark.parametrize("role", ["anonymous", "resident", COMMUNITY_ADMIN, "superuser"])
def test_open311_and_the_rest_api_never_carry_contacts(client, contact_report, role) -> None:
    login(client, role)
    for url in (
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{contact_report.pk}.json",
        f"/open311/v2/requests/{contact_report.pk}.xml",
        "/api/v1/reports/",
        f"/api/v1/reports/{contact_report.pk}/",
        f"/ogcapi/collections/reports/items/{contact_report.pk}?f=json",
    ):
        response = client.get(url, **EN)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert PHONE not in text and EMAIL not in text, url
        assert "contact_phone" not in text and "contact_email" not in text, url


# --- private locations -----------------------------------------------------------------------


def _distance_m(a: Point, b: Point) -> float:
    # Equirectangular approximation: ample for a few hundred metres.
    dx = (a.x - b.x) * 111_320 * math.cos(math.radians(a.y))
    dy = (a.y - b.y) * 110_540
    return math.hypot(dx, dy)


@pytest.fixture
def private_report(client) -> Report:
    """A report filed through the web form with "keep the exact spot private" ticked, off the
    blur lattice, then accepted so it is on the public map."""
    sample = _public_sample()
    lon = math.floor(sample.location.x / BLUR_CELL_DEGREES) * BLUR_CELL_DEGREES + 0.00041
    lat = math.floor(sample.location.y / BLUR_CELL_DEGREES) * BLUR_CELL_DEGREES + 0.00052
    response = client.post(
        "/report/",
        {
            "category": str(sample.category_id),
            "description": "我家门口的下水道堵了",
            "lon": str(lon),
            "lat": str(lat),
            "location_private": "on",
        },
        HTTP_ACCEPT="application/json",
        **EN,
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(code=response.json()["code"])
    services.report_accept(report=report, actor=person_for("superuser"), note="")
    report.refresh_from_db()
    assert report.location_private and report.pk in set(
        public_reports().values_list("pk", flat=True)
    )
    return report


def test_the_report_form_offers_to_keep_the_spot_private(client) -> None:
    page = client.get("/report/", **EN).content.decode()
    assert 'name="location_private"' in page and "Keep the exact spot private" in page


def test_a_private_location_is_stored_exactly_and_published_blurred(private_report) -> None:
    exact, shown = private_report.location, private_report.public_location
    assert shown != exact
    # Snapped to the 0.0015° lattice: at most half a cell's diagonal away (≈ 110 m here).
    assert 20 < _distance_m(exact, shown) < 115
    assert round(shown.x / BLUR_CELL_DEGREES, 6) % 1 == 0
    assert round(shown.y / BLUR_CELL_DEGREES, 6) % 1 == 0


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _coords(feature: dict[str, Any]) -> tuple[float, float]:
    x, y = feature["geometry"]["coordinates"][:2]
    return round(x, 6), round(y, 6)


@pytest.mark.parametrize("role", ["anonymous", "resident", OTHER_ADMIN])
def test_public_surfaces_show_a_private_location_blurred(client, private_report, role) -> None:
    login(client, role)
    exact = (round(private_report.location.x, 6), round(private_report.location.y, 6))
    blurred = (
        round(private_report.public_location.x, 6),
        round(private_report.public_location.y, 6),
    )
    pk = private_report.pk
    xmin, ymin = private_report.location.x - 0.01, private_report.location.y - 0.01
    bbox = f"{xmin},{ymin},{xmin + 0.02},{ymin + 0.02}"

    found: dict[str, tuple[float, float]] = {}
    layer = client.get("/api/layers/reports.geojson", {"bbox": bbox}).json()
    found["map"] = next(_coords(f) for f in layer["features"] if f["id"] == pk)
    item = client.get(f"/ogcapi/collections/reports/items/{pk}", {"f": "json"}).json()
    found["ogc"] = _coords(item)
    if role != OTHER_ADMIN:  # staff read the REST API within their own scope only
        found["rest"] = _coords(client.get(f"/api/v1/reports/{pk}/").json())
    request = client.get(f"/open311/v2/requests/{pk}.json").json()[0]
    found["open311"] = (request["long"], request["lat"])
    export = json.loads(_body(client.get("/export/reports", {"format": "geojson", "bbox": bbox})))
    found["export"] = next(
        _coords(f)
        for f in export["features"]
        if int(f["properties"].get("id", f.get("id", 0))) == pk
    )
    for surface, xy in found.items():
        assert xy != exact, f"{surface} shows the exact private spot"
        assert abs(xy[0] - blurred[0]) < 2e-6 and abs(xy[1] - blurred[1]) < 2e-6, surface
    assert "address_id" in request and request["address_id"] is None

    # The same cell every time: nothing to average away.
    again = client.get(f"/ogcapi/collections/reports/items/{pk}", {"f": "json"}).json()
    assert _coords(again) == found["ogc"]
    # A tiny box around the exact spot finds nothing (else boxes could locate it).
    x, y = private_report.location.x, private_report.location.y
    tiny = f"{x - 0.00005},{y - 0.00005},{x + 0.00005},{y + 0.00005}"
    for url in ("/api/layers/reports.geojson", "/ogcapi/collections/reports/items"):
        ids = [f["id"] for f in client.get(url, {"bbox": tiny, "f": "json"}).json()["features"]]
        assert pk not in ids, url
    api_ids = [
        f["id"] for f in client.get("/api/v1/reports/", {"in_bbox": tiny}).json()["features"]
    ]
    assert pk not in api_ids


def test_the_vector_tile_draws_a_private_location_in_its_cell(client, private_report) -> None:
    z = 18
    lon, lat = private_report.public_location.x, private_report.public_location.y
    n = 2**z
    fx = (lon + 180.0) / 360.0 * n
    fy = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    response = client.get(f"/tiles/reports/{z}/{int(fx)}/{int(fy)}.pbf")
    tile = mapbox_vector_tile.decode(_body(response))
    feature = next(f for f in tile["reports"]["features"] if f["id"] == private_report.pk)
    gx, gy = feature["geometry"]["coordinates"]
    # mapbox_vector_tile flips y to point up: grid units of 4096 per tile.
    assert abs(gx - (fx % 1) * 4096) <= 1 and abs(gy - (1 - fy % 1) * 4096) <= 1


def test_staff_handling_it_see_the_exact_spot(client, private_report) -> None:
    login(client, COMMUNITY_ADMIN)
    exact = (round(private_report.location.x, 6), round(private_report.location.y, 6))
    console = client.get("/reports/map.geojson").json()
    assert next(_coords(f) for f in console["features"] if f["id"] == private_report.pk) == exact
    api = client.get(f"/api/v1/reports/{private_report.pk}/").json()
    assert _coords(api) == exact
    page = client.get(f"/reports/{private_report.pk}/", **EN).content.decode()
    assert f"{private_report.location.y:.6f}" in page


def test_nearby_reports_leave_out_private_locations(client, private_report) -> None:
    x, y = private_report.location.x, private_report.location.y
    nearby = client.get("/report/nearby/", {"lon": x, "lat": y}).json()
    assert private_report.pk not in [r["id"] for r in nearby["reports"]]


def test_the_rest_api_takes_the_private_location_flag(client) -> None:
    sample = _public_sample()
    response = client.post(
        "/api/v1/reports/",
        {
            "category": sample.category.code,
            "description": "门口的灯",
            "lon": sample.location.x + 0.0002,
            "lat": sample.location.y + 0.0001,
            "location_private": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Report.objects.get(code=response.json()["code"]).location_private


# --- my data ---------------------------------------------------------------------------------


@pytest.fixture
def resident_with_report(client) -> tuple[User, Report]:
    resident = User.objects.create_user(
        username="leaving-resident",
        password="a-long-test-password",
        display_name="要离开的居民",
        email="leaving@example.org",
        phone="13600002222",
    )
    report = _public_sample()
    report.reporter, report.is_anonymous = resident, False
    report.contact_phone, report.contact_email = PHONE, EMAIL
    # save(), not update(): where the audit history is on, it now holds a copy too.
    report.save(update_fields=["reporter", "is_anonymous", "contact_phone", "contact_email"])
    client.force_login(resident)
    return resident, report


def test_the_header_links_to_my_data(client, resident_with_report) -> None:
    page = client.get("/map/", **EN).content.decode()
    assert 'href="/account/my-data/"' in page


def test_a_resident_downloads_their_own_data(client, resident_with_report) -> None:
    resident, report = resident_with_report
    page = client.get("/account/my-data/", **EN).content.decode()
    assert "13600002222" in page and "Download all my data" in page
    response = client.get("/account/my-data/download/")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["phone"] == "13600002222"
    filed = next(r for r in data["reports"] if r["code"] == report.code)
    assert filed["contact_phone"] == PHONE
    assert all(url.startswith(f"/r/{report.code}/photos/") for url in filed["photos"])
    # Nobody else's reports.
    assert {r["code"] for r in data["reports"]} == {report.code}


def test_deleting_needs_the_confirmation_word(client, resident_with_report) -> None:
    resident, report = resident_with_report
    response = client.post("/account/delete/", {"confirm": "yes"}, **EN)
    assert response.status_code == 400
    assert "Type DELETE in the box" in response.content.decode()
    resident.refresh_from_db()
    assert resident.is_active and resident.phone == "13600002222"


def test_a_deleted_account_is_gone_and_its_reports_stay_anonymised(
    client, resident_with_report
) -> None:
    resident, report = resident_with_report
    response = client.post(
        "/account/delete/", {"confirm": "delete", "reason": "moving away"}, follow=True, **EN
    )
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()

    report.refresh_from_db()
    assert report.reporter is None and report.is_anonymous
    assert report.contact_phone == "" and report.contact_email == ""
    assert Report.objects.filter(pk=report.pk).exists()
    user = User.objects.get(pk=resident.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.username != "leaving-resident" and user.phone == "" and user.email == ""
    assert user.display_name == ""
    assert not User.objects.filter(username="leaving-resident").exists()
    assert not client.login(username="leaving-resident", password="a-long-test-password")
    # Who, when and why.
    log = LogEntry.objects.filter(user_id=resident.pk, object_id=str(resident.pk)).get()
    assert "moving away" in log.change_message and log.action_time is not None
    assert LogEntry.objects.filter(object_id=str(report.pk), user_id=resident.pk).exists()
    # Signed out.
    assert client.get("/account/my-data/").status_code == 302
    # Nor kept in the audit history's old copies.
    for model, lookup in ((Report, {"contact_phone": PHONE}), (User, {"phone": "13600002222"})):
        history = getattr(model, "history", None)
        if history is not None:
            assert not history.model.objects.filter(**lookup).exists(), model


def test_staff_cannot_erase_their_own_account_here(client) -> None:
    login(client, GRID_WORKER)
    response = client.post("/account/delete/", {"confirm": "DELETE"}, **EN)
    assert response.status_code == 403
    assert person_for(GRID_WORKER).is_active


def test_the_admin_hides_who_filed_an_anonymous_report_from_community_admins(client) -> None:
    report = _public_sample()
    reporter = User.objects.create_user(username="shy-reporter", display_name="不愿透露姓名的居民")
    Report.objects.filter(pk=report.pk).update(reporter=reporter, is_anonymous=True)
    url = f"/admin/reports/report/{report.pk}/change/"
    login(client, COMMUNITY_ADMIN)
    page = client.get(url, **EN).content.decode()
    assert "Contact phone (private)" in page or "contact phone" in page.lower()
    assert "不愿透露姓名的居民" not in page and "shy-reporter" not in page
    client.logout()
    login(client, "superuser")
    assert "不愿透露姓名的居民" in client.get(url, **EN).content.decode()
