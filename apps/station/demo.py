"""Demo station: Dongrui's service station (清风侠工作室·一应驿站) and its courier rest station
(快递小哥红色之家) with their services, two bookable services, four tools and a few parcels.

Catalogue rows are upserted by natural key (the core demo's `_Loader.upsert`). A few live
records make the desk worth opening: a confirmed ladder loan for the demo resident, an
overdue trolley loan, and parcels (one for the demo resident, one left 5 days ago). Those
are created once, looked up by a natural key that does not depend on today's date, so a
second run changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from apps.accounts.models import User
from apps.core.demo import Writer, _Loader, demo_clock
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Building

from .models import (
    BookableService,
    LoanEvent,
    Parcel,
    ParcelEvent,
    StationService,
    Tool,
    ToolItem,
    ToolLoan,
)
from .services import loan_create, loan_transition, parcel_log
from .slots import loan_period, local_today

K = StationService.Kind
HALL_HOURS = "08:30–22:00"

SERVICE_STATION = "清风侠工作室·一应驿站"
COURIER_STATION = "快递小哥红色之家"

# facility → [(kind, name, name_en, description, opening hours)]
SERVICES: dict[str, list[tuple[str, str, str, str, str]]] = {
    SERVICE_STATION: [
        (
            K.REPAIRS,
            "投诉报修",
            "Complaints and repairs",
            "当面或通过一应驿站App受理。In person or through the Yiying Station app.",
            HALL_HOURS,
        ),
        (
            K.HOUSEKEEPING,
            "家政预约",
            "Housekeeping booking",
            "预约家政人员上门保洁。Book a housekeeper's visit.",
            "09:00–17:00",
        ),
        (
            K.ROOM_BOOKING,
            "活动室预约",
            "Community room booking",
            "服务大厅延时服务至22:00。The service hall stays open until 22:00.",
            HALL_HOURS,
        ),
        (
            K.TOOL_LENDING,
            "工具借用",
            "Tool lending",
            "电钻、人字梯、手推车等免费借用。Drills, ladders, trolleys, free of charge.",
            HALL_HOURS,
        ),
    ],
    COURIER_STATION: [
        (
            K.REST_AREA,
            "休息区",
            "Rest area",
            "快递小哥歇脚的地方。A place for riders to rest.",
            HALL_HOURS,
        ),
        (K.FOOD_HEATING, "热饭", "Food heating", "微波炉热饭。Microwave for meals.", HALL_HOURS),
        (K.PHONE_CHARGING, "手机充电", "Phone charging", "", HALL_HOURS),
        (K.DRINKING_WATER, "饮水", "Drinking water", "", HALL_HOURS),
        (
            K.PARCEL_STORAGE,
            "包裹寄存",
            "Parcel storage",
            "快递员代存包裹，居民凭取件码领取。"
            "Couriers leave parcels; residents collect them with a code.",
            HALL_HOURS,
        ),
    ],
}

# (service kind, name, name_en, slot minutes, places, opens, closes, cancel notice hours)
BOOKABLES = [
    (
        K.HOUSEKEEPING,
        "家政上门保洁",
        "Housekeeping visit",
        120,
        2,
        datetime.time(9, 0),
        datetime.time(17, 0),
        4,
    ),
    (
        K.ROOM_BOOKING,
        "多功能活动室",
        "Community activity room",
        60,
        1,
        datetime.time(8, 30),
        datetime.time(22, 0),
        2,
    ),
]

# (name, name_en, pieces, longest loan in days)
TOOLS = [
    ("电钻", "Drill", 2, 2),
    ("人字梯", "Step ladder", 2, 3),
    ("手推车", "Trolley", 3, 1),
    ("管钳", "Pipe wrench", 1, 3),
]

# (shelf, recipient name, phone, building, unit, courier, days ago, for the demo resident)
PARCELS = [
    ("A-01", "李雯", "13800000421", "D4-2栋", "1203", "顺丰速运", 0, True),
    ("A-02", "张桂兰", "13900001234", "D1-1栋", "0802", "中通快递", 1, False),
    ("B-01", "王秀英", "13700005678", "D1-3栋", "1501", "京东物流", 5, False),
    ("B-02", "欧阳明", "13600009012", "东瑞家园-2栋", "0301", "邮政EMS", 2, False),
]


class _StationDemo:
    def __init__(self, loader: _Loader) -> None:
        self.loader = loader

    def run(self) -> dict[str, int]:
        stations = {
            f.name: f
            for f in Facility.objects.filter(
                community__code="DR",
                kind__in=[FacilityKind.SERVICE_STATION, FacilityKind.COURIER_REST_STATION],
            )
        }
        if SERVICE_STATION not in stations or COURIER_STATION not in stations:
            return {}
        services = self.services(stations)
        self.bookables(services)
        tools = self.tools(stations[SERVICE_STATION])
        people = {
            u.username: u
            for u in User.objects.filter(username__in=["resident", "property", "partymember"])
        }
        if len(people) == 3:
            self.loans(tools, people)
            self.parcels(stations[COURIER_STATION], people)
        return dict(self.loader.counts)

    def services(self, stations: dict[str, Facility]) -> dict[str, StationService]:
        out = {}
        for facility_name, rows in SERVICES.items():
            facility = stations[facility_name]
            for order, (kind, name, name_en, description, hours) in enumerate(rows, start=1):
                out[kind] = self.loader.upsert(
                    StationService,
                    {"facility": facility, "kind": kind, "name": name},
                    {
                        "community": facility.community,
                        "name_en": name_en,
                        "description": description,
                        "opening_hours": hours,
                        "order": order,
                    },
                )
        return out

    def bookables(self, services: dict[str, StationService]) -> None:
        for kind, name, name_en, minutes, places, opens, closes, notice in BOOKABLES:
            service = services[kind]
            self.loader.upsert(
                BookableService,
                {"service": service, "name": name},
                {
                    "community": service.community,
                    "name_en": name_en,
                    "slot_minutes": minutes,
                    "capacity": places,
                    "opens_at": opens,
                    "closes_at": closes,
                    "cancel_notice_hours": notice,
                },
            )

    def tools(self, station: Facility) -> dict[str, Tool]:
        out = {}
        for name, name_en, pieces, days in TOOLS:
            tool = self.loader.upsert(
                Tool,
                {"facility": station, "name": name},
                {"community": station.community, "name_en": name_en, "max_loan_days": days},
            )
            for number in range(1, pieces + 1):
                self.loader.upsert(
                    ToolItem,
                    {"tool": tool, "label": f"{number}号"},
                    {"community": station.community},
                )
            out[name_en] = tool
        return out

    def loans(self, tools: dict[str, Tool], people: dict[str, User]) -> None:
        staff = people["property"]
        ladder = tools["Step ladder"]
        if not ToolLoan.objects.filter(tool=ladder, borrower=people["resident"]).exists():
            # Booked from the demo's today; the service refuses past days, so never before
            # the real today (a demo loaded for a past day in tests).
            start = max(demo_clock().today, local_today())
            loan = loan_create(tool=ladder, borrower=people["resident"], start=start, days=2)
            loan_transition(loan=loan, action="confirm", actor=staff)
        trolley = tools["Trolley"]
        if not ToolLoan.objects.filter(tool=trolley, borrower=people["partymember"]).exists():
            self.overdue_loan(trolley, people["partymember"], staff)

    def overdue_loan(self, tool: Tool, borrower: User, staff: User) -> None:
        """Picked up three days ago for one day: overdue. The past cannot be booked through
        the service (it refuses past days), so the rows are written as the desk would have."""
        start = demo_clock().days_ago(3)
        lower, upper = loan_period(start, 1)
        item = tool.items.order_by("-label").first()
        assert item is not None
        loan = ToolLoan.objects.create(
            community_id=tool.community_id,
            tool=tool,
            item=item,
            borrower=borrower,
            period=DateTimeTZRange(lower, upper, "[)"),
            status=ToolLoan.Status.PICKED_UP,
            code="LDEMO001",
            picked_up_at=lower + datetime.timedelta(hours=9),
        )
        for action, before, after, actor, role, at in (
            ("create", "", "requested", borrower, "owner", lower - datetime.timedelta(hours=12)),
            ("pick_up", "requested", "picked_up", staff, "property_staff", loan.picked_up_at),
        ):
            event = LoanEvent.objects.create(
                community_id=loan.community_id,
                loan=loan,
                action=action,
                from_status=before,
                to_status=after,
                actor=actor,
                actor_role=role,
            )
            LoanEvent.objects.filter(pk=event.pk).update(at=at)

    def parcels(self, station: Facility, people: dict[str, User]) -> None:
        buildings = {b.number: b for b in Building.objects.filter(community=station.community)}
        now = demo_clock().now()
        for shelf, name, phone, building, unit, carrier, days_ago, mine in PARCELS:
            if Parcel.objects.filter(facility=station, shelf=shelf, carrier=carrier).exists():
                continue
            parcel = parcel_log(
                facility=station,
                actor=people["property"],
                recipient_name=name,
                phone=phone,
                building=buildings.get(building),
                unit=unit,
                carrier=carrier,
                shelf=shelf,
            )
            logged_at = now - datetime.timedelta(days=days_ago, hours=2)
            # The demo resident has no phone on record: link the parcel to them directly.
            Parcel.objects.filter(pk=parcel.pk).update(
                logged_at=logged_at, recipient=people["resident"] if mine else parcel.recipient
            )
            ParcelEvent.objects.filter(parcel=parcel).update(at=logged_at)


def load_demo_data(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, Any]:
    loader = _Loader(verbosity=verbosity, out=out)
    counts = _StationDemo(loader).run()
    if verbosity >= 1 and out is not None:
        out.write(
            f"Station demo: {loader.changes['created']} created, "
            f"{loader.changes['updated']} updated, {loader.changes['unchanged']} unchanged.\n"
        )
    return counts
