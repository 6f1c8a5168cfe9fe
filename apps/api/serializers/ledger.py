"""The ledger: approved entries, compound balances, entering and approving entries."""

from __future__ import annotations

from rest_framework import serializers

from apps.ledger.models import LEDGER_TRANSITIONS, LedgerEntry
from apps.regions.models import Compound

LEDGER_ACTIONS = sorted(LEDGER_TRANSITIONS.actions)
MONEY = {"max_digits": 16, "decimal_places": 2}


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    compound_id = serializers.IntegerField(read_only=True)
    facility_id = serializers.IntegerField(read_only=True, allow_null=True)
    work_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = (
            "id",
            "compound_id",
            "kind",
            "kind_label",
            "date",
            "amount",
            "purpose",
            "facility_id",
            "work_id",
            "status",
            "status_label",
            "approved_at",
        )


class CompoundBalanceSerializer(serializers.ModelSerializer):
    """A compound's approved income, spending and balance (apps.ledger.selectors)."""

    income = serializers.DecimalField(**MONEY, read_only=True)
    spending = serializers.DecimalField(**MONEY, read_only=True)
    balance = serializers.DecimalField(**MONEY, read_only=True)
    public_entries = serializers.IntegerField(read_only=True)

    class Meta:
        model = Compound
        fields = ("id", "name", "name_en", "income", "spending", "balance", "public_entries")


class LedgerEntryCreateSerializer(serializers.Serializer):
    compound = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices)
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    purpose = serializers.CharField(max_length=300)
    facility = serializers.IntegerField(required=False, allow_null=True, default=None)
    work = serializers.IntegerField(required=False, allow_null=True, default=None)
    submit = serializers.BooleanField(required=False, default=False)


class LedgerEntryUpdateSerializer(serializers.Serializer):
    """Any subset of an entry's facts; the compound stays. The rules (amount more than zero
    in fen, no future date, facility and work of the same community) are the service's."""

    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices, required=False)
    date = serializers.DateField(required=False)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    purpose = serializers.CharField(max_length=300, required=False)
    facility = serializers.IntegerField(required=False, allow_null=True)
    work = serializers.IntegerField(required=False, allow_null=True)


class LedgerTransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=LEDGER_ACTIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class LedgerTransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=LedgerEntry.Status.choices)
    action = serializers.CharField()
