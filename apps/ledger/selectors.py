"""Reads of the ledger. Public figures count approved entries only, summed in SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from apps.regions.models import Community, Compound

from .models import LedgerEntry

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))
APPROVED = Q(status=LedgerEntry.Status.APPROVED)


def _sum(kind: str, prefix: str = "") -> Any:
    condition = Q(**{f"{prefix}status": LedgerEntry.Status.APPROVED, f"{prefix}kind": kind})
    return Coalesce(
        Sum(f"{prefix}amount", filter=condition),
        ZERO,
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def public_entries(compound: Compound) -> QuerySet[LedgerEntry]:
    """A compound's approved entries, newest first, with what they link to."""
    return (
        LedgerEntry.objects.filter(APPROVED, compound=compound)
        .select_related("facility", "work")
        .order_by("-date", "-pk")
    )


def compound_totals(compound: Compound, *, year: int | None = None) -> dict[str, Decimal]:
    """Income, spending and balance (income − spending) of approved entries, exact."""
    entries = LedgerEntry.objects.filter(compound=compound)
    if year is not None:
        entries = entries.filter(date__year=year)
    totals = entries.aggregate(
        income=_sum(LedgerEntry.Kind.INCOME), spending=_sum(LedgerEntry.Kind.SPENDING)
    )
    totals["balance"] = totals["income"] - totals["spending"]
    return totals


def entry_years(compound: Compound) -> list[int]:
    """Years with approved entries, newest first (for the year filter)."""
    dates = LedgerEntry.objects.filter(APPROVED, compound=compound).dates(
        "date", "year", order="DESC"
    )
    return [d.year for d in dates]


def compounds_with_totals(community: Community) -> QuerySet[Compound]:
    """The community's compounds, each annotated with approved income, spending, balance
    and entry count: one grouped query."""
    prefix = "ledger_entries__"
    return (
        Compound.objects.filter(community=community)
        .select_related("property_company")
        .annotate(
            income=_sum(LedgerEntry.Kind.INCOME, prefix),
            spending=_sum(LedgerEntry.Kind.SPENDING, prefix),
            public_entries=Count("ledger_entries", filter=Q(ledger_entries__status="approved")),
        )
        .annotate(balance=F("income") - F("spending"))
        .order_by("name")
    )


def communities_with_ledgers() -> QuerySet[Community]:
    """Communities with their number of compounds and of approved entries."""
    return Community.objects.annotate(
        compound_count=Count("compounds", distinct=True),
        public_entries=Count(
            "ledger_entries", filter=Q(ledger_entries__status="approved"), distinct=True
        ),
    ).order_by("code")
