"""The demo's joint meeting in Dongrui: the case's three decisions, linked to the demo
reports, published on their tracking pages; loading it again changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.meetings import demo
from apps.meetings.models import JointMeeting, MeetingStatus
from apps.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def dongrui_meeting() -> JointMeeting:
    return JointMeeting.objects.get(community__code="DR", title=demo.MEETING["title"])


def test_the_demo_meeting_is_published_with_the_cases_three_decisions(dongrui_meeting):
    assert dongrui_meeting.status == MeetingStatus.PUBLISHED
    decisions = {d.payer.name: d for d in dongrui_meeting.decisions.select_related("payer")}
    fence = next(d for d in dongrui_meeting.decisions.all() if "D1" in d.text)
    assert fence.payer.name == "中交地产"
    assert fence.amount >= Decimal("2000000")
    assert "中交物业" in decisions
    assert any("80" in d.text for d in dongrui_meeting.decisions.all())
    assert any(
        "D4" in d.text and d.amount == Decimal("500000") for d in dongrui_meeting.decisions.all()
    )
    assert list(dongrui_meeting.status_changes.values_list("action", flat=True)) == [
        "create",
        "hold",
        "publish",
    ]


def test_the_demo_fence_report_shows_the_meetings_outcome(client, dongrui_meeting):
    fence = Report.objects.filter(idempotency_key=demo.FENCE_REPORT).first()
    assert fence is not None, "the reports demo must hold the fence report the meeting decided"
    assert dongrui_meeting.agenda_items.filter(report=fence).exists()
    page = client.get(reverse("reports:track", args=[fence.code])).content.decode()
    assert "中交地产出资200万元以上重建" in page
    assert "中交地产" in page


def test_loading_the_demo_again_writes_nothing(dongrui_meeting):
    with CaptureQueriesContext(connection) as queries:
        demo.load_demo_data()
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
