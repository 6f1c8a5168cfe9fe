"""Admin for people, organisations and memberships, scoped to the user's communities."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms import ModelMultipleChoiceField
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin, CommunityScopedForm

from .models import Membership, Organisation, User


class MembershipForm(CommunityScopedForm):
    """A membership's grids can only be grids of its community."""

    class Meta:
        model = Membership
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grids = self.fields.get("grids")
        community_id = self.instance.community_id
        if isinstance(grids, ModelMultipleChoiceField) and community_id is not None:
            queryset = grids.queryset
            if queryset is not None:
                grids.queryset = queryset.filter(community_id=community_id)


class MembershipInline(CommunityScopedAdmin, admin.TabularInline):
    model = Membership
    form = MembershipForm
    fk_name = "user"
    extra = 0
    fields = ("community", "role", "organisation", "grids", "is_active")
    autocomplete_fields = ("community", "organisation", "grids")
    verbose_name = _("membership")
    verbose_name_plural = _("memberships (communities, roles and grids)")


@admin.register(User)
class UserAdmin(CommunityScopedAdmin, SimpleHistoryAdmin, DjangoUserAdmin):
    # People are scoped through their memberships: staff see the people of their communities.
    community_lookup = "memberships__community"
    inlines = (MembershipInline,)
    list_display = (
        "username",
        "display_name",
        "work_phone",
        "email",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "memberships__role", "groups")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "work_phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("display_name", "first_name", "last_name", "email")},
        ),
        (
            _("Phones"),
            {
                "fields": ("phone", "work_phone"),
                "description": _(
                    "The private phone is never shown to the public; the work phone is "
                    "residents' number to call their grid worker."
                ),
            },
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "display_name",
                    "work_phone",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "kind", "phone")
    list_filter = ("kind",)
    search_fields = ("name", "name_en")


@admin.register(Membership)
class MembershipAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    form = MembershipForm
    # A community admin adds people who are not members anywhere yet.
    unscoped_choices = ("user",)
    list_display = ("user", "community", "role", "organisation", "is_active")
    list_select_related = ("user", "community", "organisation")
    list_filter = ("role", "is_active", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "user__username",
        "user__display_name",
        "community__name",
        "organisation__name",
    )
    autocomplete_fields = ("user", "community", "organisation", "grids")
