"""Patrol instances and what happens on them: transitions, check-ins, tracks, findings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history

from ..workflow import Status
from .common import geography, valid_geometry
from .plans import Checkpoint, PatrolPlan


class PatrolInstance(models.Model):
    """One patrol on one day of a plan: planned times, actual times, status and track.

    `service_date` is the local day the shift starts on; a night shift of the 3rd ends on
    the 4th. `track` is the team's recorded or uploaded paths, one line per person and
    recording, rebuilt in PostGIS from PatrolTrackPoint rows whenever points arrive.
    """

    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="patrol_instances",
        verbose_name=_("community"),
    )
    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.CASCADE, related_name="instances", verbose_name=_("plan")
    )
    service_date = models.DateField(_("day"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    track = models.MultiLineStringField(
        _("track"), srid=4326, null=True, blank=True, spatial_index=False
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["community", "starts_at"], name="patrolinst_comm_starts"),
            models.Index(fields=["status", "ends_at"], name="patrolinst_status_ends"),
            GistIndex(fields=["track"], name="patrolinst_track_gist"),
            GistIndex(geography("track"), name="patrolinst_track_geog_gist"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "service_date"], name="patrolinst_one_per_plan_day"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="patrolinst_ends_after_start"
            ),
            valid_geometry("instance", "track"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.plan} · {local:%Y-%m-%d %H:%M}"


class PatrolTransition(models.Model):
    """One status change of a patrol: from, to, who (in what capacity), when, why."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    instance = models.ForeignKey(
        PatrolInstance,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("patrol"),
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor = models.CharField(_("as"), max_length=16)
    role = models.CharField(_("role"), max_length=32, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    history = tracked_history(kept_as={"instance": "patrol"})

    class Meta:
        verbose_name = _("patrol status change")
        verbose_name_plural = _("patrol status changes")
        ordering = ["instance", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.instance}: {self.from_status or '∅'} → {self.to_status}"


class CheckIn(models.Model):
    """打卡: a person at (or away from) a checkpoint. On site within 50 m, geodesic."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    instance = models.ForeignKey(
        PatrolInstance, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("patrol")
    )
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("checkpoint")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="patrol_checkins",
        verbose_name=_("person"),
    )
    location = models.PointField(_("where the phone was"), srid=4326, spatial_index=False)
    accuracy_m = models.FloatField(_("reported accuracy (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("distance to the checkpoint (m)"))
    on_site = models.BooleanField(_("on site"))
    checked_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    # Chosen by the phone for one press of "check in"; a resend of the same press (a lost
    # answer, a double tap) finds the check-in already saved instead of making a second.
    client_key = models.UUIDField(_("key sent by the phone"), null=True, blank=True, editable=False)

    history = tracked_history(kept_as={"instance": "patrol"})

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["instance", "checked_at", "pk"]
        indexes = [models.Index(fields=["instance", "checkpoint"], name="checkin_inst_cp")]
        constraints = [
            valid_geometry("checkin", "location"),
            models.UniqueConstraint(
                fields=["instance", "person", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="checkin_client_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} · {self.person}"


class PatrolTrackUpload(models.Model):
    """A GPX or GeoJSON track file someone uploaded after a patrol (the points are kept)."""

    class Format(models.TextChoices):
        GPX = "gpx", "GPX"
        GEOJSON = "geojson", "GeoJSON"

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    instance = models.ForeignKey(
        PatrolInstance,
        on_delete=models.CASCADE,
        related_name="track_uploads",
        verbose_name=_("patrol"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    point_count = models.PositiveIntegerField(_("points"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = tracked_history(kept_as={"instance": "patrol"})

    class Meta:
        verbose_name = _("track upload")
        verbose_name_plural = _("track uploads")
        ordering = ["instance", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class PatrolTrackPoint(models.Model):
    """One recorded position. Live posts have no upload; a file's points share theirs."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    instance = models.ForeignKey(
        PatrolInstance,
        on_delete=models.CASCADE,
        related_name="track_points",
        verbose_name=_("patrol"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    upload = models.ForeignKey(
        PatrolTrackUpload,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="points",
        verbose_name=_("uploaded file"),
    )
    # A file's separate track segments stay separate lines (no jump drawn across a gap).
    segment = models.PositiveSmallIntegerField(_("segment"), default=0)
    location = models.PointField(_("location"), srid=4326, spatial_index=False)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    accuracy_m = models.FloatField(_("reported accuracy (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        # Points of one recording are drawn in the order they arrived (file order).
        ordering = ["instance", "person", "upload", "segment", "pk"]
        indexes = [
            models.Index(fields=["instance", "person", "upload"], name="trackpoint_segment"),
        ]
        constraints = [valid_geometry("trackpoint", "location")]

    def __str__(self) -> str:
        return f"{self.instance} · {self.person}"


class PatrolFinding(models.Model):
    """发现问题: something a patrol found, filed as a report at that spot."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    instance = models.ForeignKey(
        PatrolInstance, on_delete=models.CASCADE, related_name="findings", verbose_name=_("patrol")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    location = models.PointField(_("location"), srid=4326, spatial_index=False)
    description = models.TextField(_("what was found"))
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrol_findings",
        verbose_name=_("report"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = tracked_history(kept_as={"instance": "patrol"})

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["instance", "recorded_at", "pk"]
        constraints = [valid_geometry("finding", "location")]

    def __str__(self) -> str:
        return self.description[:60]
