"""The three-affairs notice board (三务公开): party affairs, government affairs and finance.

Staff draft notices; the community admin approves them before they are public. Published
notices can be withdrawn (with a reason) but never edited or deleted, so what residents
read stays on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel
from apps.ledger.workflow import EventLabels, TransitionTable, register_status_labels, transition


class Notice(TimeStampedModel):
    class Section(models.TextChoices):
        PARTY = "party", _("Party affairs")  # 党务公开
        GOVERNMENT = "government", _("Government affairs")  # 政务公开
        FINANCE = "finance", _("Finance")  # 财务公开

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("community"),
    )
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    compound = models.ForeignKey(
        "regions.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("compound ledger"),
        help_text=_("Finance notices: the compound whose public-income ledger this is about."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["community", "status", "section", "published_at"], name="notice_board"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="notice_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(compound__isnull=True) | Q(section="finance"),
                name="notice_compound_only_for_finance",
                violation_error_message=_("Only finance notices link to a compound's ledger."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: NoticeAttachment, filename: str) -> str:
    # The stored name is ours (a random stem from the upload check), never the person's.
    return f"notices/{instance.community_id}/{filename}"


class NoticeAttachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Image")

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=64)
    original_name = models.CharField(_("original name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removed from a draft: hidden, but kept, like everything once entered.
    removed = models.BooleanField(_("removed"), default=False)

    history = tracked_history()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["notice", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class NoticeEvent(EventLabels):
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="events", verbose_name=_("notice")
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from status"), max_length=16, blank=True)
    to_status = models.CharField(_("to status"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    actor_role = models.CharField(_("role"), max_length=32)
    note = models.TextField(_("note"), blank=True)
    # For edits: the values before the change, so no submitted text is ever lost.
    previous = models.JSONField(_("previous values"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("notice change")
        verbose_name_plural = _("notice changes")
        ordering = ["notice", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.action}"


ADMIN = "community_admin"
# The community office drafts; the property company drafts too (its finance notices).
DRAFTERS = {ADMIN, "grid_worker", "property_staff"}
S = Notice.Status
NOTICE_TRANSITIONS = TransitionTable(
    "notice",
    (
        transition(
            "submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, DRAFTERS, _("Submit for approval")
        ),
        transition("approve", {S.SUBMITTED}, S.PUBLISHED, {ADMIN}, _("Approve and publish")),
        transition(
            "return",
            {S.SUBMITTED},
            S.RETURNED,
            {ADMIN},
            _("Return for changes"),
            note_required=True,
            danger=True,
        ),
        transition(
            "withdraw",
            {S.PUBLISHED},
            S.WITHDRAWN,
            {ADMIN},
            _("Withdraw from the board"),
            note_required=True,
            danger=True,
        ),
    ),
)
register_status_labels(NOTICE_TRANSITIONS, Notice.Status.choices)
NoticeEvent.transitions = NOTICE_TRANSITIONS
EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})
