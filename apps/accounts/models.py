"""People, organisations and the memberships that scope them to a community and grids."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import BilingualNameModel, TimeStampedModel

from .roles import Role


class User(AbstractUser):
    """A person. `phone` is private; `work_phone` is the public duty number of staff."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("private phone"), max_length=32, blank=True)
    work_phone = models.CharField(
        _("public work phone"),
        max_length=32,
        blank=True,
        help_text=_("Shown to residents so they can call their grid worker."),
    )

    history = tracked_history(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_username()


class Organisation(BilingualNameModel):
    """A body people work for: the community office, a property company, the police station..."""

    class Kind(models.TextChoices):
        COMMUNITY_OFFICE = "community_office", _("Community office")  # 社区居委会
        PROPERTY_COMPANY = "property_company", _("Property company")  # 物业公司
        POLICE_STATION = "police_station", _("Police station")  # 派出所
        DEVELOPER = "developer", _("Developer")  # 开发商
        SCHOOL = "school", _("School")  # 学校
        CONTRACTOR = "contractor", _("Contractor")  # 施工单位
        GOVERNMENT = "government", _("Government office")  # 街道/区政府部门
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    phone = models.CharField(_("public phone"), max_length=32, blank=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="organisation_name_unique"),
        ]


class Membership(TimeStampedModel):
    """A person's role in one community, and for grid workers the grids they cover."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("community"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    grids = models.ManyToManyField(
        "regions.Grid", blank=True, related_name="memberships", verbose_name=_("grids")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community", "role"], name="membership_user_community_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.community}"


class LoginFailure(models.Model):
    """A failed sign-in, kept for a while to throttle guessing (apps.accounts.throttle)."""

    username = models.CharField(_("user name"), max_length=150)
    ip = models.GenericIPAddressField(_("address"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [models.Index(fields=["username", "ip", "at"], name="login_failure_lookup")]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip}"
