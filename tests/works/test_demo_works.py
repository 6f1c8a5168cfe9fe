"""The case's works in the demo: the programme's 5 of 15, the funders and amounts, the
Gaopo station's trial and opening, and histories that follow the transition table."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.demo import demo_clock, load_demo
from apps.works.models import Programme, Work, WorkStatusChange
from apps.works.selectors import programme_progress
from apps.works.workflow import MOVES_BY_ACTION, WorkStatus

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_fitness_programme_has_15_sites_5_of_them_done():
    programme = Programme.objects.get(name="芙蓉区公益性室外健身场所")
    clock = demo_clock()
    progress = programme_progress(programme, today=clock.day(D(2024, 9, 1)))
    assert (progress.done, progress.target) == (5, 15)
    assert programme.works.count() == 15
    assert programme.deadline == clock.day(D(2024, 9, 30))


def test_every_fitness_facility_of_the_district_has_its_work():
    programme = Programme.objects.get(name="芙蓉区公益性室外健身场所")
    kinds = set(programme.works.values_list("facility__kind", flat=True))
    assert kinds == {"fitness_court"}
    assert programme.works.filter(facility__isnull=True).count() == 0


def test_the_wangfu_garden_tennis_court_is_one_of_the_five_done():
    work = Work.objects.get(name="王府花园网球场")
    assert work.status == WorkStatus.OPEN_TO_PUBLIC
    assert work.facility.name == "王府花园网球场"
    assert work.actual_end == work.facility.completed_on


def test_the_d1_fence_is_funded_by_the_developer_with_two_million_yuan():
    work = Work.objects.get(name="中交中央公园D1围墙重建")
    funders = {f.organisation.name: f.amount for f in work.funders.all()}
    assert funders == {"中交地产": Decimal("2000000.00")}


def test_the_d4_elevators_are_paid_by_the_property_company_and_cover_both_elevators():
    work = Work.objects.get(name="中交中央公园D4电梯大修")
    funders = {f.organisation.name: f.amount for f in work.funders.all()}
    assert funders == {"中交物业": Decimal("500000.00")}
    assert work.geom.geom_type == "MultiPoint" and len(work.geom) == 2


def test_the_oxford_street_parking_repair_covers_the_80_spaces():
    work = Work.objects.get(name="牛津街停车位修缮")
    assert work.facility.capacity == 80
    assert work.status == WorkStatus.OPEN_TO_PUBLIC


def test_the_gaopo_station_is_finished_on_trial_today_and_opens_next_month():
    clock = demo_clock()
    work = Work.objects.get(name="高坡垃圾站新建")
    completed = work.status_changes.get(action="complete")
    assert work.status == WorkStatus.COMPLETED
    assert not work.status_changes.filter(action="open").exists()
    assert timezone.localdate(completed.changed_at) == clock.today - datetime.timedelta(days=1)
    trial, opens = clock.day(D(2024, 7, 21)), clock.next_month()
    assert trial == clock.today
    assert f"trial run from {trial.day} {trial:%B}" in completed.note
    assert f"in service from {opens:%B}" in completed.note
    names = set(Work.objects.filter(community__code="SD").values_list("name", flat=True))
    assert names == {"高坡垃圾站新建", "高坡道路改造", "高坡智慧公厕新建"}


def test_every_demo_history_is_a_chain_of_allowed_moves_ending_in_the_works_status():
    for work in Work.objects.prefetch_related("status_changes"):
        changes = list(work.status_changes.order_by("changed_at", "pk"))
        assert changes[0].action == "create" and changes[0].to_status == WorkStatus.PROPOSED
        for before, after in zip(changes, changes[1:], strict=False):
            move = MOVES_BY_ACTION[after.action]
            assert after.from_status == before.to_status, work.name
            assert before.to_status in move.sources, (work.name, after.action)
            assert before.changed_at <= after.changed_at
        assert changes[-1].to_status == work.status, work.name


def test_loading_the_demo_again_changes_nothing():
    before = WorkStatusChange.objects.count(), Work.objects.count()
    stamps = dict(Work.objects.values_list("pk", "updated_at"))
    load_demo()
    assert (WorkStatusChange.objects.count(), Work.objects.count()) == before
    assert dict(Work.objects.values_list("pk", "updated_at")) == stamps
