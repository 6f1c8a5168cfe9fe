"""“My area” (/me/) puts what was sent to me first, wherever it lies, then the other open
reports of my grids (none twice), and each of my patrols once, with its date."""

import datetime as dt
import re

import time_machine
from django.utils import timezone, translation

from apps.accounts.models import Membership
from apps.patrols.my_work import my_patrols_now_and_tonight, patrol_when
from apps.patrols.services import patrol_plan_save
from apps.reports.models import Category
from apps.reports.services import report_accept, report_dispatch, report_handle, report_submit
from tests.factories import make_organisation

from .conftest import X0, Y0, local, logged_in_client, plan_data

IN_WEST = (X0 + 0.002, Y0 + 0.002)  # in W1, the worker's grid
IN_EAST = (X0 + 0.004, Y0 + 0.002)  # in E1, the neighbour's grid


def filed(area, where, *, description="路灯不亮", at=None, category=None):
    category = category or Category.objects.filter(is_active=True).order_by("pk").first()
    return report_submit(
        category=category,
        description=description,
        lon=where[0],
        lat=where[1],
        reporter=area.resident,
        at=at,
    ).report


def dispatched(area, report, *, to_user=None, to_organisation=None, at=None):
    report_accept(report=report, actor=area.admin, at=at)
    return report_dispatch(
        report=report,
        actor=area.admin,
        to_user=to_user,
        to_organisation=to_organisation,
        at=at,
    )


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> whose heading has this id."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(0)


def my_area(user) -> str:
    return logged_in_client(user).get("/me/").content.decode()


def test_a_report_dispatched_to_me_outside_my_grids_is_listed_as_sent_to_me(area):
    report = dispatched(area, filed(area, IN_EAST), to_user=area.worker)
    assert report.grid == area.east  # not one of the worker's grids

    page = my_area(area.worker)

    assert report.code in section(page, "h-sent")
    assert report.code not in section(page, "h-reports")
    assert page.index('id="h-sent"') < page.index('id="h-reports"')


def test_a_report_sent_to_me_in_my_grid_is_listed_once_above_my_grids_list(area):
    sent = dispatched(area, filed(area, IN_WEST), to_user=area.worker)
    waiting = filed(area, IN_WEST, description="井盖松动")

    page = my_area(area.worker)

    assert page.count(f'data-code="{sent.code}"') == 1
    assert sent.code in section(page, "h-sent")
    assert waiting.code in section(page, "h-reports")


def test_what_was_sent_to_me_comes_soonest_due_first_and_overdue_is_said_in_words(area):
    now = timezone.now()
    category = Category.objects.filter(is_active=True).order_by("handle_hours").first()
    late = dispatched(
        area,
        filed(
            area, IN_EAST, at=now - dt.timedelta(hours=category.handle_hours + 2), category=category
        ),
        to_user=area.worker,
        at=now - dt.timedelta(hours=1),
    )
    fresh = dispatched(area, filed(area, IN_EAST, category=category), to_user=area.worker)
    assert late.handle_due < now < fresh.handle_due

    sent = section(my_area(area.worker), "h-sent")

    assert sent.index(late.code) < sent.index(fresh.code)
    late_card = re.search(rf'<li[^>]*data-code="{late.code}".*?</li>', sent, re.S).group(0)
    fresh_card = re.search(rf'<li[^>]*data-code="{fresh.code}".*?</li>', sent, re.S).group(0)
    assert "已超期" in late_card and "pt-overdue" in late_card
    assert "已超期" not in fresh_card


def test_a_report_dispatched_to_my_organisation_is_sent_to_me(area):
    company = make_organisation(name="测试物业公司")
    Membership.objects.filter(user=area.property).update(organisation=company)
    report = dispatched(area, filed(area, IN_EAST), to_organisation=company)

    sent = section(my_area(area.property), "h-sent")

    assert report.code in sent and "测试物业公司" in sent


def test_a_report_dispatched_to_someone_else_is_not_sent_to_me(area):
    report = dispatched(area, filed(area, IN_EAST), to_user=area.police)
    assert report.code not in my_area(area.worker)


def test_a_handled_report_is_no_longer_listed_as_sent_to_me(area):
    report = dispatched(area, filed(area, IN_EAST), to_user=area.worker)
    report_handle(report=report, actor=area.worker, feedback="已修好")
    assert report.code not in my_area(area.worker)


def test_with_nothing_sent_the_page_says_so_in_words(area):
    sent = section(my_area(area.worker), "h-sent")
    assert "暂时没有派给您的工单" in sent


def test_the_locate_button_is_in_the_flow_of_the_page_not_a_bar_over_it(area):
    page = my_area(area.worker)
    assert "pt-actionbar" not in page
    assert 'id="locate-me"' in section(page, "h-map")


# --- patrols: each once, with its date ---------------------------------------------------------


def nightly(area):
    """The nightly joint patrol 22:00–06:00 from 3 to 9 March 2031 (plan_data)."""
    return patrol_plan_save(data=plan_data(area), by=area.admin)


def test_in_the_evening_tonights_patrol_is_listed_once_with_its_night(area):
    nightly(area)
    with time_machine.travel(local(2031, 3, 5, 21, 30), tick=False):
        page = section(my_area(area.worker), "h-patrols")

    assert page.count("夜间联合巡逻") == 1
    assert "今晚" in page
    assert "3月5日 22:00" in page and "3月6日 06:00" in page
    assert "3月4日" not in page  # last night's patrol is over


def test_in_the_small_hours_the_running_night_and_the_coming_one_are_told_apart(area):
    nightly(area)
    with time_machine.travel(local(2031, 3, 6, 2, 0), tick=False):
        page = section(my_area(area.worker), "h-patrols")

    cards = re.findall(r'<li class="pt-card.*?</li>', page, re.S)
    assert len(cards) == 2
    assert "现在" in cards[0] and "3月5日 22:00" in cards[0] and "3月6日 06:00" in cards[0]
    assert "今晚" in cards[1] and "3月6日 22:00" in cards[1] and "3月7日 06:00" in cards[1]


def test_at_noon_last_nights_finished_patrol_is_not_listed(area):
    plan = nightly(area)
    with time_machine.travel(local(2031, 3, 6, 12, 0), tick=False):
        patrols = list(my_patrols_now_and_tonight(area.worker))

    assert [p.service_date for p in patrols] == [dt.date(2031, 3, 6)]
    assert plan.instances.filter(service_date=dt.date(2031, 3, 5)).exists()


def test_a_day_patrol_reads_as_today_with_its_hours():
    from types import SimpleNamespace

    patrol = SimpleNamespace(starts_at=local(2031, 3, 5, 9, 0), ends_at=local(2031, 3, 5, 11, 0))
    with translation.override("zh-hans"):  # read in Chinese, whatever is active
        when = patrol_when(patrol, now=local(2031, 3, 5, 7, 0))
    assert (when.relative, when.span) == ("今天", "3月5日 09:00 – 11:00")


def test_a_night_patrol_reads_with_both_dates():
    from types import SimpleNamespace

    patrol = SimpleNamespace(starts_at=local(2031, 3, 7, 22, 0), ends_at=local(2031, 3, 8, 6, 0))
    with translation.override("zh-hans"):
        when = patrol_when(patrol, now=local(2031, 3, 6, 23, 0))
    assert (when.relative, when.span) == ("明晚", "3月7日 22:00 – 3月8日 06:00")
