"""Every workflow button says what it does: each app's transition table names its actions
with verbs ("Dispatch", "派遣"), never with the status they lead to ("Dispatched", "已派遣"),
in both languages. The tables stay each app's own; this only reads them."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.ledger.models import LEDGER_TRANSITIONS, LedgerEntry
from apps.meetings.models import MeetingStatus
from apps.meetings.workflow import RULES as MEETING_RULES
from apps.meetings.workflow import MeetingAction
from apps.notices.models import NOTICE_TRANSITIONS, Notice
from apps.reports.states import Status as ReportStatus
from apps.reports.workflow import RESIDENT_ACTIONS, STAFF_ACTIONS, action_label
from apps.station.models import Parcel, SlotBooking, ToolLoan
from apps.station.models.bookings import BOOKING_TRANSITIONS, LOAN_TRANSITIONS
from apps.station.models.parcels import PARCEL_TRANSITIONS
from apps.works.workflow import MOVES, WorkStatus

LANGUAGES = ("en", "zh-hans")


def _kit(table, statuses):
    return lambda: ({str(m.label) for m in table.transitions}, statuses)


# lifecycle → () → (its action labels, its status choices), read in the active language.
LIFECYCLES = {
    "report": lambda: (
        {action_label(a) for a in STAFF_ACTIONS + RESIDENT_ACTIONS},
        ReportStatus.choices,
    ),
    "work": lambda: ({str(m.label) for m in MOVES}, WorkStatus.choices),
    "meeting": lambda: (
        {str(MeetingAction(a).label) for a in MEETING_RULES},
        MeetingStatus.choices,
    ),
    "ledger entry": _kit(LEDGER_TRANSITIONS, LedgerEntry.Status.choices),
    "notice": _kit(NOTICE_TRANSITIONS, Notice.Status.choices),
    "booking": _kit(BOOKING_TRANSITIONS, SlotBooking.Status.choices),
    "tool loan": _kit(LOAN_TRANSITIONS, ToolLoan.Status.choices),
    "parcel": _kit(PARCEL_TRANSITIONS, Parcel.Status.choices),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lifecycle", list(LIFECYCLES))
def test_no_action_is_named_like_a_status_of_its_lifecycle(lifecycle, language):
    with translation.override(language):
        verbs, choices = LIFECYCLES[lifecycle]()
        statuses = {str(label) for _value, label in choices}
    assert verbs and statuses
    assert not verbs & statuses, f"{lifecycle}: buttons named like statuses: {verbs & statuses}"


@pytest.mark.parametrize("lifecycle", list(LIFECYCLES))
def test_no_chinese_action_reads_as_a_done_state(lifecycle):
    # "已…" is how Chinese says a thing is done: a status, not something to do.
    with translation.override("zh-hans"):
        verbs, _choices = LIFECYCLES[lifecycle]()
    assert not [verb for verb in verbs if verb.startswith("已")]


def test_the_report_verbs_are_the_ones_staff_expect():
    with translation.override("en"):
        english = [action_label(a) for a in ("accept", "dispatch", "close")]
    with translation.override("zh-hans"):
        chinese = [action_label(a) for a in ("accept", "dispatch", "close")]
    assert english == ["Accept", "Dispatch", "Close"]
    assert chinese == ["受理", "派遣", "结案"]
