"""The public-income ledger (公共收益公示) of each compound.

The property company enters what the compound's shared parts earned (parking fees,
advertising in the lifts...) and what was spent from it (a share of an elevator overhaul);
the community admin approves each entry before it is public. Approved entries are final:
a mistake is corrected with a new entry, so the public record never changes under anyone.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel

from .workflow import EventLabels, TransitionTable, register_status_labels, transition


class LedgerEntry(TimeStampedModel):
    class Kind(models.TextChoices):
        INCOME = "income", _("Income")  # 收入
        SPENDING = "spending", _("Spending")  # 支出

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved and public")

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="ledger_entries",
        verbose_name=_("community"),
    )
    compound = models.ForeignKey(
        "regions.Compound",
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("compound"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, help_text=_("In yuan, e.g. 12000.50")
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("facility"),
    )
    work = models.ForeignKey(
        "works.Work",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("work"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["compound", "status", "date"], name="ledger_compound_status"),
            models.Index(fields=["community", "status"], name="ledger_community_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=Decimal("0")),
                name="ledger_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="ledger_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound_id} {self.date} {self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.kind == self.Kind.INCOME else -self.amount


class LedgerEntryEvent(EventLabels):
    """One change of an entry: who, in which role, when, what, and why."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.CASCADE, related_name="events", verbose_name=_("entry")
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from status"), max_length=16, blank=True)
    to_status = models.CharField(_("to status"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_role = models.CharField(_("role"), max_length=32)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("ledger entry change")
        verbose_name_plural = _("ledger entry changes")
        ordering = ["entry", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


S = LedgerEntry.Status
STAFF = "property_staff"
ADMIN = "community_admin"

# The one transition table of a ledger entry. "create" and "edit" are recorded in the same
# history but are not status moves: see services.ledger_entry_create / _update.
LEDGER_TRANSITIONS = TransitionTable(
    "ledger",
    (
        transition("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, {STAFF}, _("Submit for approval")),
        transition("approve", {S.SUBMITTED}, S.APPROVED, {ADMIN}, _("Approve and publish")),
        transition(
            "return",
            {S.SUBMITTED},
            S.RETURNED,
            {ADMIN},
            _("Return for changes"),
            note_required=True,
            danger=True,
        ),
    ),
)
register_status_labels(LEDGER_TRANSITIONS, LedgerEntry.Status.choices)
LedgerEntryEvent.transitions = LEDGER_TRANSITIONS
EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})
