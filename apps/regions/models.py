"""Administrative areas down to the building: 区 → 街道 → 社区 → 网格 / 物业小区 → 楼栋.

All geometry is WGS 84 (EPSG:4326), GiST-indexed, and checked valid by the database.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.geo import (
    GeodesicArea,
    ValidGeometryConstraint,
    validate_geometry,
)
from apps.core.history import tracked_history
from apps.core.models import BilingualNameModel


def valid_geometry_constraint(model: str, field: str) -> ValidGeometryConstraint:
    return ValidGeometryConstraint(
        condition=Q(**{f"{field}__isvalid": True}),
        name=f"{model}_{field}_valid",
        violation_error_message=_("The shape is not a valid geometry (self-intersecting?)."),
    )


class AreaQuerySet(models.QuerySet):
    def with_metrics(self, field: str = "boundary") -> "AreaQuerySet":
        """Annotate `area_m2`, geodesic, computed in PostGIS."""
        return self.annotate(area_m2=GeodesicArea(field))


class District(BilingualNameModel):
    """区."""

    city = models.CharField(_("city"), max_length=100, default="长沙市")
    code = models.CharField(_("code"), max_length=32, unique=True)
    boundary = models.MultiPolygonField(
        _("boundary"), srid=4326, spatial_index=False, null=True, blank=True
    )

    history = tracked_history()

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]
        indexes = [GistIndex(fields=["boundary"], name="district_boundary_gist")]
        constraints = [valid_geometry_constraint("district", "boundary")]

    def clean(self) -> None:
        validate_geometry(self.boundary, field="boundary", allowed_types=("MultiPolygon",))


class Subdistrict(BilingualNameModel):
    """街道."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="subdistricts", verbose_name=_("district")
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    boundary = models.MultiPolygonField(
        _("boundary"), srid=4326, spatial_index=False, null=True, blank=True
    )

    history = tracked_history()

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["code"]
        indexes = [GistIndex(fields=["boundary"], name="subdistrict_boundary_gist")]
        constraints = [valid_geometry_constraint("subdistrict", "boundary")]

    def clean(self) -> None:
        validate_geometry(self.boundary, field="boundary", allowed_types=("MultiPolygon",))


class Community(BilingualNameModel):
    """社区: the unit people work in, and the key every row carries."""

    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("subdistrict"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    boundary = models.MultiPolygonField(_("boundary"), srid=4326, spatial_index=False)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    party_members = models.PositiveIntegerField(_("party members"), null=True, blank=True)
    integrity_team_size = models.PositiveIntegerField(
        _("integrity team size"), null=True, blank=True
    )  # 廉洁监督队伍
    service_hall_hours = models.CharField(
        _("service hall hours"), max_length=100, blank=True, help_text=_("e.g. 08:30–22:00")
    )

    history = tracked_history()

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["code"]
        indexes = [GistIndex(fields=["boundary"], name="community_boundary_gist")]
        constraints = [valid_geometry_constraint("community", "boundary")]

    def clean(self) -> None:
        validate_geometry(self.boundary, field="boundary", allowed_types=("MultiPolygon",))


class CommunityScopedQuerySet(AreaQuerySet):
    def in_communities(self, community_ids) -> "CommunityScopedQuerySet":
        return self.filter(community_id__in=community_ids)


class Grid(models.Model):
    """网格: a cell of a community that grid workers look after. Grids tile their community."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="grids", verbose_name=_("community")
    )
    code = models.CharField(_("code"), max_length=32, help_text=_('e.g. "DR-03"'))
    name = models.CharField(_("name"), max_length=200, blank=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    boundary = models.PolygonField(_("boundary"), srid=4326, spatial_index=False)

    history = tracked_history()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community", "code"]
        indexes = [GistIndex(fields=["boundary"], name="grid_boundary_gist")]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "code"],
                name="grid_code_unique_in_community",
                violation_error_message=_("This community already has a grid with that code."),
            ),
            valid_geometry_constraint("grid", "boundary"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def clean(self) -> None:
        validate_geometry(self.boundary, field="boundary", allowed_types=("Polygon",))


class Compound(BilingualNameModel):
    """物业小区: a residential compound managed by one property company."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="compounds", verbose_name=_("community")
    )
    boundary = models.PolygonField(_("boundary"), srid=4326, spatial_index=False)
    property_company = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="compounds",
        verbose_name=_("property company"),
    )

    history = tracked_history()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["community", "name"]
        indexes = [GistIndex(fields=["boundary"], name="compound_boundary_gist")]
        constraints = [valid_geometry_constraint("compound", "boundary")]

    def clean(self) -> None:
        validate_geometry(self.boundary, field="boundary", allowed_types=("Polygon",))


class Building(models.Model):
    """楼栋: a building with its footprint and its building head (楼栋长)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound,
        on_delete=models.CASCADE,
        related_name="buildings",
        verbose_name=_("compound"),
        null=True,
        blank=True,
    )
    number = models.CharField(_("number"), max_length=32, help_text=_('e.g. "D4-2栋"'))
    name = models.CharField(_("name"), max_length=200, blank=True)
    footprint = models.PolygonField(_("footprint"), srid=4326, spatial_index=False)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    building_head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_buildings",
        verbose_name=_("building head"),
    )

    history = tracked_history()

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community", "number"]
        indexes = [GistIndex(fields=["footprint"], name="building_footprint_gist")]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="building_number_unique_in_community",
                violation_error_message=_(
                    "This community already has a building with that number."
                ),
            ),
            valid_geometry_constraint("building", "footprint"),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        validate_geometry(self.footprint, field="footprint", allowed_types=("Polygon",))
        compound = self.compound if self.compound_id else None
        if compound is not None and compound.community_id != self.community_id:
            raise ValidationError(
                {"compound": _("This compound belongs to another community than the building.")}
            )
