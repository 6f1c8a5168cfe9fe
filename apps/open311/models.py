"""Open311 GeoReport v2: API keys, the extra attributes of a service (a report category), and
what a client sent with each report it filed.

A report filed through Open311 is an ordinary apps.reports Report (source "open311"), made
by the same service as the web form; `Open311Submission` only keeps what the web form has
no place for: the key it came with, the client's token, attribute answers and media URL,
and the submitter's name (private, never returned by the API).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel

# The first characters of a key, kept in clear so that people can tell their keys apart.
KEY_PREFIX_LENGTH = 10


class ApiKey(TimeStampedModel):
    """A key that lets a client (the 一应驿站 app, a hotline system...) file reports.

    Only a SHA-256 hash of the key is stored: the key itself is shown once, when it is
    made, and cannot be recovered (make a new one if it is lost). Keys are random 256-bit
    tokens, so a plain hash is enough; a slow password hash would only slow every request.
    """

    name = models.CharField(
        _("name"), max_length=100, help_text=_('What the key is for, e.g. "一应驿站 app".')
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="open311_keys",
        verbose_name=_("owner"),
        help_text=_("Who answers for the reports filed with this key."),
    )
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="open311_keys",
        verbose_name=_("community"),
        help_text=_(
            "Reports filed with this key must lie in this community. Leave blank for a key "
            "that may file anywhere this service covers (superusers only)."
        ),
    )
    contact_email = models.EmailField(_("technical contact e-mail"), blank=True)
    prefix = models.CharField(_("key starts with"), max_length=KEY_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    hourly_limit = models.PositiveIntegerField(
        _("reports per hour"),
        default=600,
        help_text=_("At most this many reports may be filed with the key in any hour."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ServiceAttribute(models.Model):
    """An extra question a service (report category) asks Open311 clients: the
    GeoReport v2 service definition's `attribute`. Categories with any have metadata=true."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLEVALUELIST = "singlevaluelist", _("One choice from a list")
        MULTIVALUELIST = "multivaluelist", _("Several choices from a list")

    history = tracked_history()

    LIST_TYPES = (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST)

    category = models.ForeignKey(
        "reports.Category",
        on_delete=models.CASCADE,
        related_name="open311_attributes",
        verbose_name=_("category"),
    )
    code = models.SlugField(_("code"), max_length=32)
    datatype = models.CharField(_("data type"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    variable = models.BooleanField(
        _("asks for input"),
        default=True,
        help_text=_("Untick for an attribute that only shows information to the user."),
    )
    description = models.CharField(_("question"), max_length=300)
    description_en = models.CharField(_("question in English"), max_length=300, blank=True)
    datatype_description = models.CharField(_("input hint"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    values = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            'For list types: [{"key": "yes", "name": "是", "name_en": "Yes"}, ...]. '
            "Leave empty for other types."
        ),
    )

    class Meta:
        verbose_name = _("Open311 service attribute")
        verbose_name_plural = _("Open311 service attributes")
        ordering = ["category", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code"], name="open311_attribute_code_unique"
            ),
            models.UniqueConstraint(
                fields=["category", "order"], name="open311_attribute_order_unique"
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="open311_attribute_order_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}:{self.code}"

    def value_keys(self) -> list[str]:
        return [str(value.get("key")) for value in self.values or []]

    def clean(self) -> None:
        values = self.values or []
        if not isinstance(values, list) or not all(
            isinstance(v, dict) and str(v.get("key", "")).strip() and str(v.get("name", "")).strip()
            for v in values
        ):
            raise ValidationError(
                {"values": _('Give the choices as a list of {"key": ..., "name": ...} objects.')}
            )
        if self.datatype in self.LIST_TYPES and not values:
            raise ValidationError({"values": _("A list type needs at least one choice.")})
        if self.datatype not in self.LIST_TYPES and values:
            raise ValidationError({"values": _("Only list types have choices: leave it empty.")})
        keys = self.value_keys()
        if len(set(keys)) != len(keys):
            raise ValidationError({"values": _("Each choice needs its own key.")})


class Open311Submission(models.Model):
    """What an Open311 client sent with a report, beyond what the report itself holds."""

    report = models.OneToOneField(
        "reports.Report",
        on_delete=models.PROTECT,
        related_name="open311",
        verbose_name=_("report"),
    )
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("API key")
    )
    token = models.CharField(
        _("token"),
        max_length=64,
        help_text=_("The client's idempotency key, or one made up for it: tokens/{token}."),
    )
    attributes = models.JSONField(_("attribute answers"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=1000, blank=True)
    address_string = models.CharField(_("address as given"), max_length=500, blank=True)
    # Private: the API never returns these.
    first_name = models.CharField(_("first name (private)"), max_length=100, blank=True)
    last_name = models.CharField(_("last name (private)"), max_length=100, blank=True)
    account_id = models.CharField(_("client account id (private)"), max_length=100, blank=True)
    device_id = models.CharField(_("device id (private)"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["api_key", "token"], name="open311_token_per_key"),
        ]
        indexes = [
            models.Index(fields=["api_key", "submitted_at"], name="open311_key_recent"),
            models.Index(fields=["token"], name="open311_token"),
        ]

    def __str__(self) -> str:
        return f"{self.api_key.prefix}… → {self.report_id}"
