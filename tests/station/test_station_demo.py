"""The demo from `make run`: Dongrui's stations, notices and ledger as the issue asks."""

from decimal import Decimal

from apps.core.demo import load_demo
from apps.ledger import selectors as ledger_selectors
from apps.ledger.models import LedgerEntry, LedgerEntryEvent
from apps.notices.models import Notice, NoticeEvent
from apps.regions.models import Compound
from apps.station.models import (
    BookableService,
    LoanEvent,
    Parcel,
    ParcelEvent,
    StationService,
    Tool,
    ToolItem,
    ToolLoan,
)
from apps.station.selectors import loans_overdue, parcels_uncollected

MY_MODELS = [
    LedgerEntry,
    LedgerEntryEvent,
    Notice,
    NoticeEvent,
    StationService,
    BookableService,
    Tool,
    ToolItem,
    ToolLoan,
    LoanEvent,
    Parcel,
    ParcelEvent,
]


def test_dongruis_service_station_lends_tools_and_books_housekeeping(db):
    station = "清风侠工作室·一应驿站"
    tools = set(Tool.objects.filter(facility__name=station).values_list("name", flat=True))
    assert {"电钻", "人字梯", "手推车"} <= tools
    assert ToolItem.objects.filter(tool__name="手推车").count() == 3
    housekeeping = BookableService.objects.get(
        service__facility__name=station, service__kind="housekeeping"
    )
    assert (housekeeping.slot_minutes, housekeeping.capacity) == (120, 2)
    room = StationService.objects.get(facility__name=station, kind="room_booking")
    assert room.opening_hours == "08:30–22:00"  # the service hall's extended hours


def test_the_courier_rest_station_holds_a_few_parcels_one_of_them_uncollected(db):
    parcels = Parcel.objects.filter(facility__name="快递小哥红色之家", status="stored")
    assert parcels.count() >= 3
    assert parcels.filter(recipient__username="resident").exists()
    assert parcels_uncollected().filter(shelf="B-01").exists()
    kinds = set(
        StationService.objects.filter(facility__name="快递小哥红色之家").values_list(
            "kind", flat=True
        )
    )
    assert {"rest_area", "food_heating", "phone_charging", "parcel_storage"} <= kinds


def test_the_demo_desk_has_an_overdue_loan(db):
    assert loans_overdue().filter(tool__name="手推车", borrower__username="partymember").exists()


def test_the_notice_board_has_published_notices_in_all_three_sections_and_one_pending(db):
    published = Notice.objects.filter(community__code="DR", status="published")
    assert set(published.values_list("section", flat=True)) == {"party", "government", "finance"}
    assert Notice.objects.filter(community__code="DR", status="submitted").count() == 1
    finance = published.filter(section="finance", compound__name="中交中央公园D4").get()
    assert finance.attachments.filter(kind="pdf").exists()


def test_the_demo_ledger_balances_of_d4_and_d1(db):
    # Hand-added from apps/ledger/demo.py ENTRIES, approved ones only:
    # D4 income 18,600.00 + 12,500.00 + 37,240.50 = 68,340.50; spending 60,000.00.
    # D1 income 45,800.00 + 6,000.00 = 51,800.00; spending 8,650.00 (the draft 7,600 is not public).
    d4 = Compound.objects.get(name="中交中央公园D4")
    d1 = Compound.objects.get(name="中交中央公园D1")
    assert ledger_selectors.compound_totals(d4) == {
        "income": Decimal("68340.50"),
        "spending": Decimal("60000.00"),
        "balance": Decimal("8340.50"),
    }
    assert ledger_selectors.compound_totals(d1)["balance"] == Decimal("43150.00")
    assert LedgerEntry.objects.filter(compound=d4, status="submitted").count() == 1
    overhaul = LedgerEntry.objects.get(purpose="D4电梯大修公共收益分摊")
    assert overhaul.work is not None and overhaul.work.name == "中交中央公园D4电梯大修"


def test_loading_the_demo_again_changes_nothing(db):
    before = {model.__name__: list(model.objects.order_by("pk").values()) for model in MY_MODELS}
    load_demo()
    after = {model.__name__: list(model.objects.order_by("pk").values()) for model in MY_MODELS}
    assert after == before
