"""Demo ledger: public income and spending of two Dongrui compounds (D4 and D1).

Entered by the demo property staff (陈刚, 中交物业) and approved by the demo community admin
(刘芳) through the services, so the history reads as if they had pressed the buttons; the
recorded times are then set to the entry's days. Amounts are illustrative; the D4 spending
is the public income's share of the elevator overhaul (the property company paid 500,000+
yuan of its own, see the works demo). A second run finds every entry by its natural key
(compound, kind, amount) and changes nothing; on another demo today it moves the entry's
date, purpose and times. Dates are written in the case's time and moved by `demo_clock()`;
purposes name months as `{zh-month:…}` (see `apps.core.demo.case_text`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from apps.accounts.models import User
from apps.core.demo import DemoClock, Writer, case_text, demo_clock
from apps.facilities.models import Facility
from apps.regions.models import Compound
from apps.works.models import Work

from .models import LedgerEntry, LedgerEntryEvent
from .services import ledger_entry_create, ledger_entry_transition

D = datetime.date
INCOME, SPENDING = LedgerEntry.Kind.INCOME, LedgerEntry.Kind.SPENDING

# (compound, date, kind, amount, purpose, facility name, work name, final status)
ENTRIES: list[tuple[str, D, str, str, str, str, str, str]] = [
    (
        "中交中央公园D4",
        D(2024, 4, 30),
        INCOME,
        "18600.00",
        "地面停车费收益（{zh-month:2024-01-15}–{zh-month:2024-04-15}）",
        "",
        "",
        "approved",
    ),
    (
        "中交中央公园D4",
        D(2024, 5, 31),
        INCOME,
        "12500.00",
        "电梯轿厢广告收益（{zh-month:2024-01-15}–{zh-month:2024-05-15}）",
        "",
        "",
        "approved",
    ),
    (
        "中交中央公园D4",
        D(2024, 6, 30),
        INCOME,
        "37240.50",
        "地面停车费收益（{zh-month:2024-05-15}–{zh-month:2024-06-15}）",
        "",
        "",
        "approved",
    ),
    (
        "中交中央公园D4",
        D(2024, 7, 5),
        SPENDING,
        "60000.00",
        "D4电梯大修公共收益分摊",
        "中交中央公园D4-1栋电梯",
        "中交中央公园D4电梯大修",
        "approved",
    ),
    (
        "中交中央公园D4",
        D(2024, 7, 19),
        SPENDING,
        "3200.00",
        "公共区域消防器材更换",
        "",
        "",
        "submitted",
    ),
    (
        "中交中央公园D1",
        D(2024, 6, 30),
        INCOME,
        "45800.00",
        "地面停车费收益（{zh-month:2024-01-15}–{zh-month:2024-06-15}）",
        "",
        "",
        "approved",
    ),
    (
        "中交中央公园D1",
        D(2024, 6, 30),
        INCOME,
        "6000.00",
        "快递柜场地租金（{zh-month:2024-01-15}–{zh-month:2024-06-15}）",
        "",
        "",
        "approved",
    ),
    (
        "中交中央公园D1",
        D(2024, 7, 20),
        SPENDING,
        "8650.00",
        "围墙周边绿化补植",
        "中交中央公园D1围墙",
        "",
        "approved",
    ),
    (
        "中交中央公园D1",
        D(2024, 7, 18),
        INCOME,
        "7600.00",
        "地面停车费收益（{zh-month:2024-07-15}上半月）",
        "",
        "",
        "draft",
    ),
]


def _times(entry: LedgerEntry, day: D, clock: DemoClock) -> None:
    """Entered on the day at 09:00, submitted at 10:00, approved 3 days on at 15:00."""
    approved = clock.moment(day + datetime.timedelta(days=3), 15)
    if entry.approved_at is not None:
        LedgerEntry.objects.filter(pk=entry.pk).update(approved_at=approved)
    for hour, event in zip((9, 10, 15), entry.events.order_by("pk"), strict=False):
        offset = 3 if event.action == "approve" else 0
        LedgerEntryEvent.objects.filter(pk=event.pk).update(
            at=clock.moment(day + datetime.timedelta(days=offset), hour)
        )


def load_demo_data(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, int]:
    staff = User.objects.filter(username="property").first()
    admin = User.objects.filter(username="communityadmin").first()
    if staff is None or admin is None:
        return {"LedgerEntry": 0}
    compounds = {c.name: c for c in Compound.objects.filter(community__code="DR")}
    created = 0
    clock = demo_clock()
    for (
        compound_name,
        case_day,
        kind,
        amount,
        case_purpose,
        facility_name,
        work_name,
        status,
    ) in ENTRIES:
        compound = compounds.get(compound_name)
        if compound is None:
            continue
        day, purpose = clock.day(case_day), case_text(case_purpose, clock)
        key: dict[str, Any] = {"compound": compound, "kind": kind, "amount": Decimal(amount)}
        found = LedgerEntry.objects.filter(**key).first()
        if found is not None:
            if (found.date, found.purpose) != (day, purpose):  # another demo today
                LedgerEntry.objects.filter(pk=found.pk).update(date=day, purpose=purpose)
                _times(found, day, clock)
            continue
        entry = ledger_entry_create(
            actor=staff,
            compound=compound,
            kind=kind,
            date=day,
            amount=Decimal(amount),
            purpose=purpose,
            facility=Facility.objects.filter(
                community=compound.community, name=facility_name
            ).first()
            if facility_name
            else None,
            work=Work.objects.filter(community=compound.community, name=work_name).first()
            if work_name
            else None,
            submit=status in ("submitted", "approved"),
        )
        if status == "approved":
            entry = ledger_entry_transition(entry=entry, action="approve", actor=admin)
        _times(entry, day, clock)
        created += 1
    if verbosity >= 1 and out is not None:
        out.write(f"Ledger demo: {created} entries created.\n")
    return {"LedgerEntry": LedgerEntry.objects.filter(community__code="DR").count()}
