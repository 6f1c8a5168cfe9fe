"""Notices: drafted by staff, approved by the community admin, only then public."""

import pytest
from django.core.exceptions import ValidationError

from apps.ledger.workflow import (
    ActionForbiddenError,
    NoteRequiredError,
    TransitionNotAllowedError,
)
from apps.notices.models import Notice
from apps.notices.services import notice_create, notice_transition, notice_update

from .conftest import client_for


def draft(world, **kwargs):
    values = {
        "actor": world.grid_worker,
        "community": world.community,
        "section": Notice.Section.GOVERNMENT,
        "title": "服务大厅延时服务至22:00",
        "body": "服务大厅工作日延时服务至22:00。",
    }
    return notice_create(**{**values, **kwargs})


def publish(world, **kwargs):
    notice = draft(world, **kwargs)
    notice_transition(notice=notice, action="submit", actor=notice.author)
    return notice_transition(notice=notice, action="approve", actor=world.admin)


def test_approval_publishes_with_a_date_and_the_whole_history(world):
    notice = publish(world)
    assert notice.status == "published" and notice.published_at is not None
    steps = [(e.action, e.actor_role) for e in notice.events.all()]
    assert steps == [
        ("create", "grid_worker"),
        ("submit", "grid_worker"),
        ("approve", "community_admin"),
    ]


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "withdrawn"])
def test_a_notice_that_is_not_published_is_nowhere_public(world, status):
    notice = draft(world, title=f"秘密草稿 {status}")
    Notice.objects.filter(pk=notice.pk).update(status=status)
    client = client_for(None)
    code = world.community.code
    assert notice.title not in client.get(f"/notices/{code}/").content.decode()
    assert client.get(f"/notices/{code}/{notice.pk}/").status_code == 404
    assert notice.title not in client.get(f"/notices/{code}/rss/").content.decode()
    assert notice.title not in client.get(f"/notices/{code}/atom/").content.decode()
    # Residents of the community see no more than anonymous visitors.
    assert client_for(world.resident).get(f"/notices/{code}/{notice.pk}/").status_code == 404


def test_a_published_notice_is_on_its_communitys_board_in_its_section(world):
    notice = publish(world, section=Notice.Section.PARTY, title="主题党日活动通知")
    client = client_for(None)
    board = client.get(f"/notices/{world.community.code}/?section=party").content.decode()
    assert notice.title in board
    other_section = client.get(f"/notices/{world.community.code}/?section=finance").content.decode()
    assert notice.title not in other_section
    other_board = client.get(f"/notices/{world.other_community.code}/").content.decode()
    assert notice.title not in other_board


def test_a_finance_notice_links_to_its_compounds_ledger(world):
    notice = publish(
        world, section=Notice.Section.FINANCE, compound=world.compound, title="公共收益公示"
    )
    page = client_for(None).get(f"/notices/{world.community.code}/{notice.pk}/").content.decode()
    assert f'href="/ledger/{world.compound.pk}/"' in page


def test_only_finance_notices_link_to_a_ledger(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, section=Notice.Section.PARTY, compound=world.compound)
    assert "compound" in refused.value.message_dict


def test_a_compound_of_another_community_is_refused(world):
    from tests.factories import make_compound

    elsewhere = make_compound(world.other_community)
    with pytest.raises(ValidationError):
        draft(world, section=Notice.Section.FINANCE, compound=elsewhere)


@pytest.mark.parametrize("who", ["grid_worker", "property_staff", "resident", "other_admin"])
def test_only_the_community_admin_approves(world, who):
    notice = draft(world)
    notice_transition(notice=notice, action="submit", actor=world.grid_worker)
    with pytest.raises(ActionForbiddenError):
        notice_transition(notice=notice, action="approve", actor=getattr(world, who))


@pytest.mark.parametrize("who", ["resident", "other_admin"])
def test_residents_and_outsiders_cannot_draft(world, who):
    with pytest.raises(ActionForbiddenError):
        draft(world, actor=getattr(world, who))


def test_returning_needs_a_note_and_the_author_revises_and_resubmits(world):
    notice = draft(world)
    notice_transition(notice=notice, action="submit", actor=world.grid_worker)
    with pytest.raises(NoteRequiredError):
        notice_transition(notice=notice, action="return", actor=world.admin)
    notice_transition(notice=notice, action="return", actor=world.admin, note="请补充办理地点")
    notice = notice_update(
        notice=notice, actor=world.grid_worker, body="服务大厅（东瑞社区）延时至22:00。"
    )
    notice = notice_transition(notice=notice, action="submit", actor=world.grid_worker)
    assert notice.status == "submitted"


def test_an_edit_keeps_the_previous_text_in_the_history(world):
    notice = draft(world)
    notice_update(notice=notice, actor=world.grid_worker, title="新标题")
    event = notice.events.last()
    assert event.action == "edit"
    assert event.previous == {"title": "服务大厅延时服务至22:00"}


def test_a_published_notice_is_never_edited_only_withdrawn_with_a_reason(world):
    notice = publish(world)
    with pytest.raises(TransitionNotAllowedError):
        notice_update(notice=notice, actor=world.admin, title="改过的标题")
    with pytest.raises(NoteRequiredError):
        notice_transition(notice=notice, action="withdraw", actor=world.admin)
    notice = notice_transition(notice=notice, action="withdraw", actor=world.admin, note="信息有误")
    assert notice.status == "withdrawn"
    assert notice.title == "服务大厅延时服务至22:00"


def test_another_drafter_may_not_change_or_submit_someone_elses_draft(world):
    notice = draft(world)
    with pytest.raises(ActionForbiddenError):
        notice_update(notice=notice, actor=world.property_staff, title="x")
    with pytest.raises(ActionForbiddenError):
        notice_transition(notice=notice, action="submit", actor=world.property_staff)


def test_approving_twice_is_refused_as_a_conflict(world):
    notice = publish(world)
    with pytest.raises(TransitionNotAllowedError) as refused:
        notice_transition(notice=notice, action="approve", actor=world.admin)
    assert refused.value.status == 409
