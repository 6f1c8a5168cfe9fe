"""Public figures: approved entries only, summed exactly (Decimal) in SQL."""

import datetime
from decimal import Decimal

from apps.ledger import selectors
from apps.ledger.models import LedgerEntry
from apps.ledger.services import ledger_entry_create, ledger_entry_transition
from tests.factories import make_compound

from .conftest import client_for


def entry(world, kind, amount, *, status="approved", day=datetime.date(2024, 6, 30), compound=None):
    created = ledger_entry_create(
        actor=world.company_user,
        compound=compound or world.compound,
        kind=kind,
        date=day,
        amount=Decimal(amount),
        purpose=f"{kind} {amount}",
        submit=status != "draft",
    )
    if status == "approved":
        created = ledger_entry_transition(entry=created, action="approve", actor=world.admin)
    return created


def test_balance_is_income_minus_spending_to_the_fen(world):
    # 0.10 + 0.20 is 0.30000000000000004 in floating point; the ledger must say 0.30.
    entry(world, "income", "0.10")
    entry(world, "income", "0.20")
    entry(world, "income", "1000.01")
    entry(world, "spending", "999.99")
    totals = selectors.compound_totals(world.compound)
    assert totals == {
        "income": Decimal("1000.31"),
        "spending": Decimal("999.99"),
        "balance": Decimal("0.32"),
    }


def test_drafts_submitted_and_returned_entries_do_not_count(world):
    entry(world, "income", "100.00")
    entry(world, "income", "5000.00", status="draft")
    entry(world, "income", "7000.00", status="submitted")
    returned = entry(world, "spending", "300.00", status="submitted")
    ledger_entry_transition(entry=returned, action="return", actor=world.admin, note="票据缺失")
    assert selectors.compound_totals(world.compound)["income"] == Decimal("100.00")
    assert selectors.compound_totals(world.compound)["spending"] == Decimal("0.00")


def test_a_compound_without_entries_shows_zeros_not_blanks(world):
    assert selectors.compound_totals(world.compound) == {
        "income": Decimal("0.00"),
        "spending": Decimal("0.00"),
        "balance": Decimal("0.00"),
    }


def test_the_year_filter_sums_that_year_only(world):
    entry(world, "income", "10.00", day=datetime.date(2023, 12, 31))
    entry(world, "income", "20.00", day=datetime.date(2024, 1, 1))
    assert selectors.compound_totals(world.compound, year=2024)["income"] == Decimal("20.00")
    assert selectors.entry_years(world.compound) == [2024, 2023]


def test_community_totals_come_per_compound_in_one_query(world, django_assert_num_queries):
    second = make_compound(world.community, property_company=world.compound.property_company)
    entry(world, "income", "300.00")
    entry(world, "spending", "120.50")
    entry(world, "income", "50.00", compound=second)
    entry(world, "income", "999.00", compound=second, status="submitted")
    with django_assert_num_queries(1):
        rows = {c.pk: c for c in selectors.compounds_with_totals(world.community)}
    assert (rows[world.compound.pk].income, rows[world.compound.pk].balance) == (
        Decimal("300.00"),
        Decimal("179.50"),
    )
    assert (rows[second.pk].income, rows[second.pk].public_entries) == (Decimal("50.00"), 1)


def test_the_public_compound_page_shows_totals_and_approved_entries_only(world):
    entry(world, "income", "12500.00")
    entry(world, "spending", "60000.00")
    draft = entry(world, "income", "777.00", status="draft")
    page = client_for(None).get(f"/ledger/{world.compound.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-total="income">¥12,500.00' in html
    assert 'data-total="spending">¥60,000.00' in html
    assert 'data-total="balance" class="gm-negative">−¥47,500.00' in html
    assert draft.purpose not in html


def test_the_community_page_lists_its_compounds_with_balances(world):
    entry(world, "income", "88.80")
    page = client_for(None).get(f"/ledger/community/{world.community.code}/")
    assert world.compound.name in page.content.decode()
    assert "¥88.80" in page.content.decode()


def test_the_compound_page_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for n in range(30):
        entry(world, "income", f"{n + 1}.00")
    with django_assert_max_num_queries(6):
        response = client_for(None).get(f"/ledger/{world.compound.pk}/")
    assert response.status_code == 200
    assert LedgerEntry.objects.filter(compound=world.compound).count() == 30


def test_a_bad_year_is_a_400_with_a_message(world):
    response = client_for(None).get(f"/ledger/{world.compound.pk}/?year=abc")
    assert response.status_code == 400
    assert "2024" in response.content.decode()
