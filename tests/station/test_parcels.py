"""Parcels at the courier rest station: masked names, codes, attempt limit, flags."""

import datetime

import pytest
from django.utils import timezone, translation

from apps.ledger.workflow import NoteRequiredError
from apps.station.errors import (
    ActionForbiddenError,
    NotBookableError,
    ParcelLockedError,
    TransitionNotAllowedError,
    WrongCodeError,
)
from apps.station.models import MAX_PICKUP_ATTEMPTS, Parcel
from apps.station.selectors import parcels_uncollected
from apps.station.services import mask_name, parcel_log, parcel_pick_up, parcel_transition


def log(world, **kwargs):
    values = {
        "facility": world.courier,
        "actor": world.staff,
        "recipient_name": "李雯",
        "phone": "138 0000 0421",
    }
    return parcel_log(**{**values, **kwargs})


def wrong(code):
    return "000000" if code != "000000" else "111111"


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("Li", "L*"), (" 王 五 ", "王*")]
)
def test_only_the_family_name_initial_is_kept(name, masked):
    assert mask_name(name) == masked


def test_a_logged_parcel_keeps_no_full_name_or_phone(world):
    parcel = log(world)
    assert (parcel.recipient_name_masked, parcel.phone_last4) == ("李*", "0421")
    stored = " ".join(str(v) for v in Parcel.objects.filter(pk=parcel.pk).values().get().values())
    assert "李雯" not in stored and "13800000421" not in stored
    assert len(parcel.pickup_code) == 6 and parcel.pickup_code.isdigit()


def test_a_parcel_is_linked_to_the_resident_whose_phone_matches(world):
    world.resident.phone = "13800000421"
    world.resident.save()
    assert log(world).recipient == world.resident


def test_a_phone_shared_by_two_residents_links_nobody(world):
    for person in (world.resident, world.neighbour):
        person.phone = "13800000421"
        person.save()
    assert log(world).recipient is None


def test_the_right_code_hands_the_parcel_over_and_records_it(world):
    parcel = log(world)
    parcel = parcel_pick_up(parcel=parcel, code=parcel.pickup_code, actor=world.staff)
    assert parcel.status == "picked_up" and parcel.picked_up_at is not None
    assert [e.action for e in parcel.events.all()] == ["create", "pick_up"]


def test_a_wrong_code_is_refused_saying_how_many_attempts_are_left(world):
    parcel = log(world)
    with translation.override("en"), pytest.raises(WrongCodeError) as refused:
        parcel_pick_up(parcel=parcel, code=wrong(parcel.pickup_code), actor=world.staff)
    assert refused.value.attempts_left == MAX_PICKUP_ATTEMPTS - 1
    assert "4 attempts left" in str(refused.value)
    parcel.refresh_from_db()
    assert (parcel.status, parcel.failed_attempts) == ("stored", 1)
    assert parcel.events.last().action == "wrong_code"


def test_too_many_wrong_codes_lock_the_parcel_even_against_the_right_code(world):
    parcel = log(world)
    for _ in range(MAX_PICKUP_ATTEMPTS - 1):
        with pytest.raises(WrongCodeError):
            parcel_pick_up(parcel=parcel, code=wrong(parcel.pickup_code), actor=world.staff)
    with pytest.raises(ParcelLockedError):
        parcel_pick_up(parcel=parcel, code=wrong(parcel.pickup_code), actor=world.staff)
    with pytest.raises(ParcelLockedError):
        parcel_pick_up(parcel=parcel, code=parcel.pickup_code, actor=world.staff)
    parcel.refresh_from_db()
    assert parcel.status == "locked"
    lock = parcel.events.get(action="lock")
    assert lock.actor_role == "system"


def test_unlocking_needs_a_note_and_gives_a_fresh_set_of_attempts(world):
    parcel = log(world)
    Parcel.objects.filter(pk=parcel.pk).update(status="locked", failed_attempts=5)
    with pytest.raises(NoteRequiredError):
        parcel_transition(parcel=parcel, action="unlock", actor=world.staff)
    parcel = parcel_transition(parcel=parcel, action="unlock", actor=world.admin, note="核对身份证")
    assert (parcel.status, parcel.failed_attempts) == ("stored", 0)
    assert parcel_pick_up(parcel=parcel, code=parcel.pickup_code, actor=world.staff).status == (
        "picked_up"
    )


def test_a_picked_up_parcel_cannot_be_picked_up_again(world):
    parcel = log(world)
    parcel_pick_up(parcel=parcel, code=parcel.pickup_code, actor=world.staff)
    with pytest.raises(TransitionNotAllowedError):
        parcel_pick_up(parcel=parcel, code=parcel.pickup_code, actor=world.staff)


@pytest.mark.parametrize("who", ["resident", "grid_worker", "other_admin"])
def test_only_the_desk_logs_and_hands_over_parcels(world, who):
    person = getattr(world, who)
    with pytest.raises(ActionForbiddenError):
        log(world, actor=person)
    parcel = log(world)
    with pytest.raises(ActionForbiddenError):
        parcel_pick_up(parcel=parcel, code=parcel.pickup_code, actor=person)


def test_a_station_without_parcel_storage_does_not_take_parcels(world):
    with pytest.raises(NotBookableError):
        log(world, facility=world.station)


def test_a_phone_with_fewer_than_four_digits_is_refused(world):
    with translation.override("en"), pytest.raises(NotBookableError, match="last 4 digits"):
        log(world, phone="12")


def test_parcels_waiting_three_days_or_more_are_flagged_uncollected(world):
    fresh, old, collected = log(world), log(world), log(world)
    three_days_ago = timezone.now() - datetime.timedelta(days=3, minutes=1)
    Parcel.objects.filter(pk__in=[old.pk, collected.pk]).update(logged_at=three_days_ago)
    parcel_pick_up(parcel=collected, code=collected.pickup_code, actor=world.staff)
    flagged = list(parcels_uncollected(communities=[world.community.pk]))
    assert flagged == [old]
    assert fresh not in flagged
