"""Progress updates with before/after photos: the shared photo rules (apps.core.photos),
what is stored, and what is refused with a message."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from apps.core.photos import MAX_PHOTO_BYTES, photo_process
from apps.works.services import TransitionRefusedError, work_progress_add
from apps.works.workflow import WorkStatus

from .conftest import make_work

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def english():
    # The refusals below are read in English.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(name="site.jpg", size=(60, 40), orientation=None, model="PhoneX"):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = model  # camera model: private, must not survive
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_photo_is_re_encoded_without_exif_and_turned_upright():
    processed = photo_process(jpeg(size=(60, 40), orientation=6))  # 6: rotate 90° to view
    stored = Image.open(io.BytesIO(processed.image.read()))
    assert stored.format == "JPEG"
    assert (stored.width, stored.height) == (40, 60)
    assert dict(stored.getexif()) == {}
    thumb = Image.open(io.BytesIO(processed.thumbnail.read()))
    assert max(thumb.size) <= 480


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"),
            "not a readable image",
        ),
        (
            SimpleUploadedFile("fake.jpg", b"\xff\xd8\xff\xe0broken", content_type="image/jpeg"),
            "not a readable image",
        ),
    ],
)
def test_files_that_are_not_photos_are_refused_by_name(upload, message):
    with pytest.raises(ValidationError) as error:
        photo_process(upload)
    assert message in error.value.messages[0] and upload.name in error.value.messages[0]


def test_a_gif_is_refused_naming_the_formats_that_are_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (5, 5)).save(buffer, "GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        photo_process(SimpleUploadedFile("anim.gif", buffer.getvalue()))


def test_a_photo_over_10_mb_is_refused_before_it_is_decoded():
    upload = SimpleUploadedFile("huge.jpg", b"\0" * (MAX_PHOTO_BYTES + 1))
    with pytest.raises(ValidationError, match="10.0 MB"):
        photo_process(upload)


def test_a_progress_update_keeps_its_before_and_after_photos(world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    photos = [("before", photo_process(jpeg("a.jpg"))), ("after", photo_process(jpeg("b.jpg")))]
    update = work_progress_add(
        work=work, by=world.planner, on=D(2024, 7, 1), percent=60, text=" 面层完成 ", photos=photos
    )
    assert (update.percent, update.text, update.recorded_by) == (60, "面层完成", world.planner)
    stored = list(update.photos.order_by("stage").values_list("stage", "original_name"))
    assert stored == [("after", "b.jpg"), ("before", "a.jpg")]
    for photo in update.photos.all():
        assert dict(Image.open(photo.image.path).getexif()) == {}
        assert photo.thumbnail.name.endswith("-thumb.jpg")


def test_a_cancelled_work_takes_no_more_progress(world):
    work = make_work(world.here, status=WorkStatus.CANCELLED)
    with pytest.raises(TransitionRefusedError):
        work_progress_add(work=work, by=world.planner, on=D(2024, 7, 1), percent=10)
    assert not work.progress_updates.exists()


@pytest.mark.parametrize("percent", [-1, 101])
def test_progress_outside_0_to_100_is_refused(world, percent):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    with pytest.raises(ValidationError):
        work_progress_add(work=work, by=world.planner, on=D(2024, 7, 1), percent=percent)


def planner_client(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.planner)
    return client


def test_the_progress_form_saves_photos_and_shows_them_in_the_history(world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    client = planner_client(world)
    response = client.post(
        reverse("works:progress", args=[work.pk]),
        {
            "on": "2024-07-01",
            "percent": "55",
            "text": "Half way",
            "before_photos": [jpeg("x.jpg")],
            "after_photos": [jpeg("y.jpg"), jpeg("z.jpg")],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Progress recorded: 55%." in page
    assert "Half way" in page and page.count("-thumb.jpg") == 3


def test_a_bad_photo_in_the_form_is_a_400_naming_the_file_and_nothing_is_saved(world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    response = planner_client(world).post(
        reverse("works:progress", args=[work.pk]),
        {
            "on": "2024-07-01",
            "percent": "55",
            "before_photos": [jpeg("ok.jpg"), SimpleUploadedFile("virus.exe", b"MZ...")],
        },
    )
    assert response.status_code == 400
    assert "“virus.exe” is not a readable image" in response.content.decode()
    assert not work.progress_updates.exists() and not work.photos.exists()


def test_a_date_in_the_future_is_refused_in_the_form(world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = planner_client(world).post(
        reverse("works:progress", args=[work.pk]), {"on": tomorrow.isoformat(), "percent": "5"}
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
