"""The quarterly joint meeting (联席会议): community office, property company, developer and
police decide on major reports, record who pays how much by when, and publish the outcome
with photos and text on each linked report's tracking page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being prepared: agenda, invitations
    HELD = "held", _("Held")  # took place: decisions and outcome being written up
    PUBLISHED = "published", _("Published")  # the outcome is on the reports' tracking pages


class JointMeeting(TimeStampedModel):
    """One joint meeting of a community."""

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.PROTECT,
        related_name="joint_meetings",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="joint_meetings",
        verbose_name=_("attending organisations"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    notes = models.TextField(_("minutes (staff only)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["community", "-date"], name="meeting_community_date")]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    @property
    def is_editable(self) -> bool:
        return self.status != MeetingStatus.PUBLISHED


class MeetingStatusChange(models.Model):
    """Who moved a meeting from one status to another, when, and why. Only ever added."""

    meeting = models.ForeignKey(
        JointMeeting,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("meeting"),
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=MeetingStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=MeetingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_role = models.CharField(_("in the role of"), max_length=24)
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("meeting status change")
        verbose_name_plural = _("meeting status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def actor_role_label(self) -> str:
        from apps.accounts.roles import Role

        if self.actor_role in Role.values:
            return str(Role(self.actor_role).label)
        return str(_("System administrator")) if self.actor_role == "administrator" else ""


class AgendaItem(models.Model):
    """A (major) report staff put on a meeting's agenda."""

    meeting = models.ForeignKey(
        JointMeeting,
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("meeting"),
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("report"),
    )
    note = models.CharField(_("why it is on the agenda"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "report"], name="agenda_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.report_id}"


class MeetingDecision(models.Model):
    """What the meeting decided: who does or pays what, how much, by when."""

    meeting = models.ForeignKey(
        JointMeeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        verbose_name=_("report decided"),
    )
    text = models.TextField(_("decision"))
    payer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decisions",
        verbose_name=_("paid by"),
    )
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    due_date = models.DateField(_("to be done by"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="decision_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class MeetingOutcome(TimeStampedModel):
    """The outcome the community reports back to residents ("with pictures and text")."""

    meeting = models.OneToOneField(
        JointMeeting, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("meeting")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    text = models.TextField(_("outcome for residents"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")

    def __str__(self) -> str:
        return self.text[:60]


def outcome_photo_path(instance: MeetingOutcomePhoto, filename: str) -> str:
    return f"meetings/{instance.outcome.meeting.date:%Y/%m}/{filename}"


class MeetingOutcomePhoto(models.Model):
    """A photo of the outcome, re-encoded without metadata, with a thumbnail. Served by the
    meetings photo view (public once the meeting is published), never as a media URL."""

    outcome = models.ForeignKey(
        MeetingOutcome, on_delete=models.CASCADE, related_name="photos", verbose_name=_("outcome")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    file = models.FileField(_("photo"), upload_to=outcome_photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=outcome_photo_path, max_length=200)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("outcome photo")
        verbose_name_plural = _("outcome photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.original_name or self.file.name or ""
