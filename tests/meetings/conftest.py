"""Fixtures of the meetings tests: the shared small world, a meeting with a report on its
agenda, and photo bytes."""

from __future__ import annotations

import datetime
import io

import pytest
from PIL import Image

from apps.meetings import services
from apps.meetings.models import JointMeeting
from apps.reports.models import Report
from tests.factories import make_organisation
from tests.figures.world import World, build_world, file_report


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def report(world: World) -> Report:
    from django.utils import timezone

    return file_report(timezone.now() - datetime.timedelta(days=3), description="小区围墙倒塌了。")


@pytest.fixture
def developer(db):
    return make_organisation(name="测试地产", kind="developer")


@pytest.fixture
def meeting(world: World, report: Report, developer) -> JointMeeting:
    """A draft meeting of `here` with `report` on its agenda."""
    meeting = services.meeting_create(
        actor=world.admin_here,
        community=world.here,
        title="测试季度联席会议",
        date=datetime.date(2024, 2, 27),
        organisations=[developer],
    )
    services.meeting_agenda_add(meeting=meeting, actor=world.admin_here, report=report)
    return meeting


def png_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()
