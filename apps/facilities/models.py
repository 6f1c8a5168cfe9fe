"""Public facilities and their kinds. A kind decides which geometry types make sense."""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.geo import (
    GeodesicArea,
    GeodesicLength,
    ValidGeometryConstraint,
    validate_geometry,
)
from apps.core.history import tracked_history
from apps.core.models import BilingualNameModel

POINT = ("Point",)
LINE = ("LineString", "MultiLineString")
AREA = ("Polygon", "MultiPolygon")


class FacilityKind(models.TextChoices):
    GARBAGE_STATION = "garbage_station", _("Garbage station")  # 垃圾站
    FITNESS_COURT = "fitness_court", _("Fitness court")  # 健身场所
    CULTURE_CORRIDOR = "culture_corridor", _("Culture corridor")  # 文化长廊
    PUBLIC_TOILET = "public_toilet", _("Public toilet")  # 公厕
    PARKING = "parking", _("Parking")  # 停车位
    COURIER_REST_STATION = "courier_rest_station", _("Courier rest station")  # 快递小哥红色之家
    SERVICE_STATION = "service_station", _("Service station")  # 清风侠工作室 / 一应驿站
    ELEVATOR = "elevator", _("Elevator")  # 电梯
    FENCE = "fence", _("Fence")  # 围墙/围栏
    DRAIN = "drain", _("Drain")  # 下水道
    ROAD = "road", _("Road")  # 道路
    SCHOOL = "school", _("School")  # 学校
    SHOPS = "shops", _("Shop fronts")  # 商铺
    OTHER = "other", _("Other")


# The geometry types each kind may take. A corridor is walked along, so it is a line; a
# station is somewhere you go, so it is a point; a court may be drawn or just pinned.
KIND_GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {
    FacilityKind.GARBAGE_STATION: POINT + AREA,
    FacilityKind.FITNESS_COURT: POINT + AREA,
    FacilityKind.CULTURE_CORRIDOR: LINE,
    FacilityKind.PUBLIC_TOILET: POINT + AREA,
    FacilityKind.PARKING: POINT + LINE + AREA,
    FacilityKind.COURIER_REST_STATION: POINT,
    FacilityKind.SERVICE_STATION: POINT,
    FacilityKind.ELEVATOR: POINT,
    FacilityKind.FENCE: LINE,
    FacilityKind.DRAIN: POINT + LINE,
    FacilityKind.ROAD: LINE + AREA,
    FacilityKind.SCHOOL: POINT + AREA,
    FacilityKind.SHOPS: POINT + LINE + AREA,
    FacilityKind.OTHER: POINT + LINE + AREA,
}


class FacilityQuerySet(models.QuerySet):
    def with_metrics(self) -> "FacilityQuerySet":
        """Annotate geodesic `area_m2` (polygons) and `length_m` (lines), computed in PostGIS."""
        return self.annotate(area_m2=GeodesicArea("geom"), length_m=GeodesicLength("geom"))

    def in_communities(self, community_ids) -> "FacilityQuerySet":
        return self.filter(community_id__in=community_ids)


class Facility(BilingualNameModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        IN_SERVICE = "in_service", _("In service")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=32, choices=FacilityKind.choices)
    geom = models.GeometryField(_("location"), srid=4326, spatial_index=False)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.IN_SERVICE
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places, spaces or people.")
    )
    description = models.TextField(_("description"), blank=True)
    managing_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("managing organisation"),
    )
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        related_name="facilities",
        verbose_name=_("community"),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    history = tracked_history()

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["community", "kind", "name"]
        indexes = [
            GistIndex(fields=["geom"], name="facility_geom_gist"),
            models.Index(fields=["kind", "status"], name="facility_kind_status"),
        ]
        constraints = [
            ValidGeometryConstraint(
                condition=Q(geom__isvalid=True),
                name="facility_geom_valid",
                violation_error_message=_(
                    "The shape is not a valid geometry (self-intersecting?)."
                ),
            ),
        ]

    def clean(self) -> None:
        validate_geometry(
            self.geom,
            field="geom",
            allowed_types=KIND_GEOMETRY_TYPES.get(self.kind, ()),
            what=str(FacilityKind(self.kind).label) if self.kind in FacilityKind.values else "",
        )
