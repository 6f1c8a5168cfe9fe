"""The demo tells one story in time: the news report's 21 July is the demo's today, on
whatever day (and at whatever hour) it is loaded. The fitness programme is then 71 days from
its deadline (21 July → 30 September: 10 + 31 + 30 days) with 5 of 15 sites done and one
site at risk, and no record lies after today except what is meant to (plans, deadlines)."""

import datetime

import pytest
from django.utils import timezone

from apps.core.demo import DemoClock, case_text, demo_clock, load_demo, loaded_demo_today
from apps.facilities.models import Facility
from apps.ledger.models import LedgerEntry
from apps.meetings.models import JointMeeting
from apps.notices.models import Notice
from apps.regions.models import Community
from apps.reports.models import Report
from apps.works.models import Programme, Work, WorkProgress, WorkStatusChange
from apps.works.selectors import programme_progress, programme_sites_at_risk, programmes_progress
from apps.works.workflow import WorkStatus

pytestmark = pytest.mark.django_db
D = datetime.date
FITNESS = "芙蓉区公益性室外健身场所"
# A summer day, a winter day across a year end, and a leap day.
DAYS = [D(2026, 7, 21), D(2026, 12, 31), D(2028, 2, 29)]


@pytest.fixture(params=DAYS, ids=str)
def demo_day(request):
    load_demo(today=request.param)
    return request.param


def test_the_demo_remembers_the_day_it_was_loaded_for(demo_day):
    assert loaded_demo_today() == demo_day
    assert demo_clock().today == demo_day


def test_the_fitness_programme_is_71_days_from_its_deadline_with_5_of_15_done(demo_day):
    programme = Programme.objects.get(name=FITNESS)
    progress = programme_progress(programme, today=demo_day)
    assert progress.days_left == 71
    assert (progress.done, progress.target) == (5, 15)
    assert progress.on_track is True
    assert progress.projected_completion is not None
    assert progress.projected_completion <= programme.deadline
    assert progress.at_risk == 1
    [listed] = programmes_progress(Programme.objects.filter(name=FITNESS), today=demo_day)
    assert (listed.days_left, listed.done, listed.at_risk) == (71, 5, 1)


def test_the_one_site_at_risk_is_the_trail_waiting_for_equipment(demo_day):
    programme = Programme.objects.get(name=FITNESS)
    at_risk = list(programme_sites_at_risk(programme, today=demo_day))
    assert [w.name for w in at_risk] == ["马王堆健身路径"]


def test_no_demo_record_is_dated_after_the_demos_today(demo_day):
    end_of_today = DemoClock(demo_day).moment(demo_day, 23, 59)
    assert not WorkStatusChange.objects.filter(changed_at__gt=end_of_today).exists()
    assert not WorkProgress.objects.filter(on__gt=demo_day).exists()
    assert not Work.objects.filter(actual_start__gt=demo_day).exists()
    assert not Work.objects.filter(actual_end__gt=demo_day).exists()
    assert not Facility.objects.filter(completed_on__gt=demo_day).exists()
    assert not LedgerEntry.objects.filter(date__gt=demo_day).exists()
    assert not Notice.objects.filter(published_at__gt=end_of_today).exists()
    # What is meant to lie ahead: the deadline, and the sites planned to end by it.
    programme = Programme.objects.get(name=FITNESS)
    assert programme.deadline > demo_day
    assert not Work.objects.filter(programme=programme, planned_end__gt=programme.deadline)


def test_dongrui_keeps_the_day_it_was_established(demo_day):
    assert Community.objects.get(code="DR").established_on == D(2020, 1, 6)


def test_the_gaopo_station_starts_its_trial_today_and_opens_next_month(demo_day):
    station = Work.objects.get(name="高坡垃圾站新建")
    assert station.status == WorkStatus.COMPLETED
    next_month = (demo_day.replace(day=1) + datetime.timedelta(days=32)).month
    note = station.status_changes.get(action="complete").note
    assert f"{demo_day.month}月{demo_day.day}日起试运行" in note
    assert f"{next_month}月起正式投入使用" in note


def test_the_joint_meeting_comes_before_the_works_it_decided():
    # The demo as loaded for the session: reports (and the meeting dated from them) keep
    # the times of their first load, so this holds for the day the demo was first loaded.
    meeting = JointMeeting.objects.get(community__code="DR")
    fence = Work.objects.get(name="中交中央公园D1围墙重建")
    approved = fence.status_changes.get(action="approve").changed_at
    assert meeting.date <= timezone.localdate(approved)
    fence_report = Report.objects.get(idempotency_key="demo-dr-closed".ljust(16, "-"))
    assert timezone.localdate(fence_report.submitted_at) <= meeting.date


def test_loading_again_on_the_same_demo_day_changes_nothing(demo_day):
    stamps = dict(Work.objects.values_list("pk", "updated_at"))
    counts = (
        WorkStatusChange.objects.count(),
        WorkProgress.objects.count(),
        Notice.objects.count(),
    )
    load_demo()
    assert dict(Work.objects.values_list("pk", "updated_at")) == stamps
    after = (WorkStatusChange.objects.count(), WorkProgress.objects.count(), Notice.objects.count())
    assert after == counts
    assert loaded_demo_today() == demo_day


def test_case_texts_name_the_dates_of_the_demos_time():
    clock = DemoClock(D(2026, 12, 7))  # 21 July 2024 → 7 December 2026: 869 days on
    assert (
        case_text("{zh:2024-07-21}试运行，{zh-month:2024-08-01}起", clock)
        == "12月7日试运行，12月起"
    )
    assert case_text("{en:2024-07-21}, {en-month:2024-09-30}", clock) == "7 December, February"
    assert case_text("{zh-half:2024-06-15}", clock) == "2026年下半年"
