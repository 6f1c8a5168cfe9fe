"""Admin pieces shared by the apps: the site's titles, map widgets and community scope.

Every row belongs to a community. Superusers see all of them; other staff see, choose and
save only rows of the communities they hold an active Membership in. Model permissions
(what they may do) come from their role groups, apps.accounts.roles.ROLE_PERMISSIONS.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin

from .forms import GeometryFormField, LeafletAdminWidget
from .layers import communities_for

admin.site.site_header = _("网格地图 gridmap")
admin.site.site_title = _("网格地图 gridmap")
admin.site.index_title = _("Administration")


def admin_community_ids(request: HttpRequest) -> set[int] | None:
    """Ids of the communities the request's user may act in; None means all (superuser).

    Cached on the request: a change page asks once per foreign key.
    """
    user = request.user
    if user.is_superuser:
        return None
    if not hasattr(request, "_gridmap_community_ids"):
        request._gridmap_community_ids = set(communities_for(user))  # type: ignore[attr-defined]
    return request._gridmap_community_ids  # type: ignore[attr-defined]


def scoped_choices(model: type[models.Model], ids: set[int]) -> models.QuerySet | None:
    """Rows of `model` a person scoped to `ids` may pick, or None if `model` is not scoped."""
    community_model = apps.get_model("regions", "Community")
    if model is community_model:
        return model._default_manager.filter(pk__in=ids)
    if model is apps.get_model("accounts", "User"):
        # Only people of one's own communities: other communities' people stay private.
        members = apps.get_model("accounts", "Membership").objects.filter(
            community__in=ids, is_active=True
        )
        return model._default_manager.filter(pk__in=members.values("user_id"))
    field_names = {field.name for field in model._meta.get_fields()}
    if "community" in field_names:
        return model._default_manager.filter(community__in=ids)
    return None


class CommunityScopedForm(forms.ModelForm):
    """Refuses a row outside the user's communities, and parts from another community.

    The admin sets `community_ids` on the form class it builds (None: unrestricted).
    """

    community_ids: set[int] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Keep a row's current choice selectable even when scoping would hide it (a
        # building head without a membership yet): a hidden choice is silently cleared
        # on the next save, and nothing entered may be lost that way.
        if self.community_ids is None:
            return
        for name, field in self.fields.items():
            current = getattr(self.instance, f"{name}_id", None)
            if current is None or not isinstance(field, forms.ModelChoiceField):
                continue
            if field.queryset is not None:
                model = field.queryset.model
                field.queryset = field.queryset | model._default_manager.filter(pk=current)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        community_id = self._community_id(cleaned)
        ids = self.community_ids
        if ids is not None and community_id is not None and community_id not in ids:
            field = "community" if "community" in self.fields else None
            self.add_error(field, _("You can only save rows of your own communities."))
            return cleaned
        if community_id is None:
            return cleaned
        # A grid, compound or membership grid must belong to the row's community.
        for name, value in list(cleaned.items()):
            if name == "community":
                continue
            parts = value if isinstance(value, models.QuerySet | list | tuple) else [value]
            for part in parts:
                part_community = getattr(part, "community_id", None)
                if part_community is not None and part_community != community_id:
                    self.add_error(
                        name,
                        _("%(part)s belongs to another community.") % {"part": part},
                    )
                    break
        return cleaned

    def _community_id(self, cleaned: dict[str, Any]) -> int | None:
        if self._meta.model is apps.get_model("regions", "Community"):
            return self.instance.pk
        if "community" in cleaned:
            community = cleaned["community"]
            return community.pk if community is not None else None
        return getattr(self.instance, "community_id", None)


class CommunityScopedAdmin:
    """Mixin for ModelAdmin and inlines: rows, choices and saves within one's communities.

    `community_lookup` is the path from a row to its community ("pk" for Community itself,
    "memberships__community" for people). Forms that subclass CommunityScopedForm also
    refuse a save into another community with a message beside the field.
    """

    community_lookup = "community"
    # Foreign keys whose choices stay unscoped, e.g. the person a membership is for.
    unscoped_choices: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        ids = admin_community_ids(request)
        if ids is None:
            return queryset
        scoped = queryset.filter(**{f"{self.community_lookup}__in": ids})
        if "__" in self.community_lookup:
            # A to-many path would repeat rows; a subselect keeps one row each.
            scoped = queryset.filter(pk__in=scoped.values("pk"))
        return scoped

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> Any:
        scoped = self._scope_choices(db_field, request, kwargs)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return self._explain_choices(formfield) if scoped else formfield

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> Any:
        scoped = self._scope_choices(db_field, request, kwargs)
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return self._explain_choices(formfield) if scoped else formfield

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        # modelform_factory builds a new class per call, so this stays per request.
        form.community_ids = admin_community_ids(request)
        return form

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        formset.form.community_ids = admin_community_ids(request)
        return formset

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form refuses this already; this guard keeps a custom form from slipping by.
        ids = admin_community_ids(request)
        community_id = getattr(obj, "community_id", None)
        if ids is not None and community_id is not None and community_id not in ids:
            raise PermissionDenied
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def _scope_choices(self, db_field: models.Field, request: HttpRequest, kwargs: dict) -> bool:
        """Limit the choices to one's communities; True if they were limited."""
        ids = admin_community_ids(request)
        if ids is None or "queryset" in kwargs or db_field.name in self.unscoped_choices:
            return False
        related_model = db_field.related_model
        if not isinstance(related_model, type):
            return False
        queryset = scoped_choices(related_model, ids)
        if queryset is None:
            return False
        kwargs["queryset"] = queryset
        return True

    @staticmethod
    def _explain_choices(formfield: Any) -> Any:
        if formfield is not None:
            formfield.error_messages["invalid_choice"] = _(
                "Choose within your own communities: that one is not open to you."
            )
            formfield.error_messages["invalid_pk_value"] = formfield.error_messages[
                "invalid_choice"
            ]
        return formfield


class GeoAdminMixin(LeafletGeoAdminMixin):
    """Leaflet map widgets for geometry, with form errors that say what to redraw."""

    widget = LeafletAdminWidget

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        if isinstance(db_field, GeometryField):
            kwargs.setdefault("form_class", GeometryFormField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class GeoModelAdmin(GeoAdminMixin, admin.ModelAdmin):
    """A ModelAdmin with Leaflet map widgets."""


class AreaMetricsAdmin:
    """Changelist column with the geodesic area from the queryset's `with_metrics()`."""

    metrics_field = "boundary"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset.with_metrics(self.metrics_field)

    @admin.display(description=_("area (m²)"), ordering="area_m2")
    def area(self, obj: Any) -> int | None:
        return round(obj.area_m2) if obj.area_m2 is not None else None
