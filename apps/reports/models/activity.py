"""What happens to a report: its transitions with notes and photos, notifications,
reminders already sent, and the submission attempts that rate limiting counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history

from ..states import Action, ActorRole, Stage, Status
from .reports import Report


class ReportTransition(models.Model):
    """One step of a report's life: who (and in what role) did what, when, with which note.

    Rows are only ever added: the timeline is the record of the report.
    """

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("report")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_role = models.CharField(_("in the role of"), max_length=24, choices=ActorRole.choices)
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    note_is_public = models.BooleanField(_("note shown on the tracking page"), default=False)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched to (person)"),
    )
    target_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched to (organisation)"),
    )
    # The dispatched person's role, kept so the public timeline can say "to a grid worker"
    # without naming them.
    target_role = models.CharField(_("role of the person dispatched to"), max_length=24, blank=True)
    deferred_hours = models.PositiveIntegerField(_("extended by (hours)"), null=True, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["report", "at"], name="transition_report_at")]

    def __str__(self) -> str:
        return f"{self.report.code}: {self.from_status or '—'} → {self.to_status}"


def photo_path(instance: ReportPhoto, filename: str) -> str:
    # Callers pass a random name; the date keeps directories small.
    return f"reports/{instance.report.submitted_at:%Y/%m}/{filename}"


class ReportPhoto(models.Model):
    """A photo, re-encoded as JPEG without metadata, with a thumbnail.

    Files are served through the tracking page's photo view (access checked), never as
    public media URLs.
    """

    class Stage(models.TextChoices):
        SUBMISSION = "submission", _("With the report")
        FEEDBACK = "feedback", _("Handling feedback")
        TRANSITION = "transition", _("With a step")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    transition = models.ForeignKey(
        ReportTransition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("step"),
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class Notification(models.Model):
    """An in-app message to a member of staff or a reporter with an account."""

    class Kind(models.TextChoices):
        NEW_REPORT = "new_report", _("New report in your grid")
        DISPATCHED = "dispatched", _("Dispatched to you")
        SENT_BACK = "sent_back", _("Sent back for rework")
        STATUS = "status", _("Your report was updated")
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_notifications",
        verbose_name=_("recipient"),
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ReportReminder(models.Model):
    """A reminder already sent, so `report_reminders` never sends the same one twice.

    `cycle` is the report's rework count: work sent back is a new round of reminders.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("overdue")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("report")
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    cycle = models.PositiveSmallIntegerField(_("rework round"), default=0)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "stage", "kind", "cycle"], name="reminder_once_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report.code} {self.stage} {self.kind}"


class SubmissionAttempt(models.Model):
    """One anonymous submission, counted by rate limiting (kept in the database so that
    every app server process sees the same counts). Keys are keyed hashes: no IP address
    or phone number is stored here."""

    class Scope(models.TextChoices):
        CLIENT = "client", _("client address")
        PHONE = "phone", _("phone number")

    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    key = models.CharField(_("key"), max_length=64)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("submission attempt")
        verbose_name_plural = _("submission attempts")
        indexes = [models.Index(fields=["scope", "key", "at"], name="attempt_scope_key_at")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]} {self.at:%Y-%m-%d %H:%M}"
