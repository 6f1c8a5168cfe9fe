"""The meeting services: the transition table, the recorded history, and the rules of the
agenda, decisions and outcome."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.meetings import services
from apps.meetings.errors import MeetingStateError
from apps.meetings.models import MeetingStatus
from tests.figures.world import IN_OTHER, file_report

from .conftest import png_bytes

pytestmark = pytest.mark.django_db
S = MeetingStatus


def publish(meeting, world, text="围墙由开发商出资重建。"):
    services.meeting_outcome_save(meeting=meeting, actor=world.admin_here, text=text)
    services.meeting_transition(meeting=meeting, actor=world.admin_here, action="hold")
    return services.meeting_transition(meeting=meeting, actor=world.admin_here, action="publish")


def test_a_new_meeting_is_a_draft_and_its_creation_is_recorded(meeting, world):
    assert meeting.status == S.DRAFT
    (change,) = meeting.status_changes.all()
    assert (change.action, change.from_status, change.to_status) == ("create", "", S.DRAFT)
    assert (change.actor, change.actor_role) == (world.admin_here, "community_admin")


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (S.DRAFT, "hold", S.HELD),
        (S.HELD, "publish", S.PUBLISHED),
        (S.PUBLISHED, "withdraw", S.HELD),
    ],
)
def test_each_allowed_transition_moves_the_meeting_and_is_recorded(
    meeting, world, start, action, end
):
    services.meeting_outcome_save(meeting=meeting, actor=world.admin_here, text="结果")
    meeting.status = start
    meeting.save()
    note = "数字写错了，更正后重新公布。" if action == "withdraw" else ""
    moved = services.meeting_transition(
        meeting=meeting, actor=world.admin_here, action=action, note=note
    )
    assert moved.status == end
    last = moved.status_changes.order_by("-pk").first()
    assert (last.action, last.from_status, last.to_status, last.note) == (action, start, end, note)


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (S.DRAFT, "publish"),
        (S.DRAFT, "withdraw"),
        (S.HELD, "hold"),
        (S.HELD, "withdraw"),
        (S.PUBLISHED, "publish"),
        (S.PUBLISHED, "hold"),
        (S.DRAFT, "explode"),
    ],
)
def test_each_refused_transition_changes_nothing(meeting, world, start, action):
    meeting.status = start
    meeting.save()
    with pytest.raises(MeetingStateError):
        services.meeting_transition(
            meeting=meeting, actor=world.admin_here, action=action, note="x"
        )
    meeting.refresh_from_db()
    assert meeting.status == start
    assert meeting.status_changes.count() == 1


def test_an_outcome_must_be_written_before_it_is_published(meeting, world):
    services.meeting_transition(meeting=meeting, actor=world.admin_here, action="hold")
    with pytest.raises(ValidationError) as error:
        services.meeting_transition(meeting=meeting, actor=world.admin_here, action="publish")
    assert "text" in error.value.message_dict


def test_publishing_stamps_the_outcome_and_withdrawing_clears_it(meeting, world):
    published = publish(meeting, world)
    assert published.outcome.published_at is not None
    services.meeting_transition(
        meeting=meeting, actor=world.admin_here, action="withdraw", note="更正金额。"
    )
    meeting.outcome.refresh_from_db()
    assert meeting.outcome.published_at is None


def test_withdrawing_needs_a_reason(meeting, world):
    publish(meeting, world)
    with pytest.raises(ValidationError):
        services.meeting_transition(meeting=meeting, actor=world.admin_here, action="withdraw")


def test_a_published_meeting_cannot_be_changed(meeting, world, report):
    publish(meeting, world)
    with pytest.raises(MeetingStateError):
        services.meeting_decision_add(meeting=meeting, actor=world.admin_here, text="再加一条")
    with pytest.raises(MeetingStateError):
        services.meeting_outcome_save(meeting=meeting, actor=world.admin_here, text="改")


@pytest.mark.parametrize("who", ["planner", "admin_other", "grid_worker", "resident"])
def test_only_the_communitys_admins_change_its_meetings(meeting, world, who):
    with pytest.raises(PermissionDenied):
        services.meeting_transition(meeting=meeting, actor=world.person(who), action="hold")
    with pytest.raises(PermissionDenied):
        services.meeting_decision_add(meeting=meeting, actor=world.person(who), text="x")


def test_a_superuser_acts_as_administrator(meeting, world):
    services.meeting_transition(meeting=meeting, actor=world.superuser, action="hold")
    assert meeting.status_changes.order_by("-pk").first().actor_role == "administrator"


def test_a_report_of_another_community_cannot_go_on_the_agenda(meeting, world):
    foreign = file_report(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC), where=IN_OTHER)
    with pytest.raises(ValidationError):
        services.meeting_agenda_add(meeting=meeting, actor=world.admin_here, report=foreign)


def test_a_report_goes_on_an_agenda_once(meeting, world, report):
    with pytest.raises(ValidationError):
        services.meeting_agenda_add(meeting=meeting, actor=world.admin_here, report=report)


def test_a_decision_records_who_pays_how_much_by_when(meeting, world, report, developer):
    decision = services.meeting_decision_add(
        meeting=meeting,
        actor=world.admin_here,
        text="开发商出资重建围墙。",
        report=report,
        payer=developer,
        amount=Decimal("2000000"),
        due_date=datetime.date(2024, 6, 30),
    )
    assert (decision.payer, decision.amount, decision.report) == (
        developer,
        Decimal("2000000.00"),
        report,
    )
    assert decision.created_by == world.admin_here


@pytest.mark.parametrize(
    ("amount", "payer", "field"),
    [(Decimal("-1"), True, "amount"), (Decimal("100"), False, "payer")],
)
def test_a_decision_with_a_negative_or_unpaid_amount_is_refused(
    meeting, world, developer, amount, payer, field
):
    with pytest.raises(ValidationError) as error:
        services.meeting_decision_add(
            meeting=meeting,
            actor=world.admin_here,
            text="x",
            payer=developer if payer else None,
            amount=amount,
        )
    assert field in error.value.message_dict


def test_outcome_photos_are_re_encoded_and_a_bad_one_refuses_them_all(meeting, world):
    good = SimpleUploadedFile("fence.png", png_bytes())
    outcome = services.meeting_outcome_save(
        meeting=meeting, actor=world.admin_here, text="已完成。", photos=[good], caption="新围墙"
    )
    (photo,) = outcome.photos.all()
    assert photo.file.name.endswith(".png") and photo.thumbnail.name.endswith("-thumb.jpg")
    assert (photo.width, photo.height, photo.caption) == (64, 48, "新围墙")
    fake = SimpleUploadedFile("virus.jpg", b"MZ not really a photo")
    with pytest.raises(ValidationError) as error:
        services.meeting_outcome_save(
            meeting=meeting,
            actor=world.admin_here,
            text="已完成。",
            photos=[SimpleUploadedFile("ok.png", png_bytes()), fake],
        )
    assert "virus.jpg" in " ".join(error.value.message_dict["photos"])
    assert outcome.photos.count() == 1
