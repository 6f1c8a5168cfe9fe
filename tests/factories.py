"""Small factories with explicit geometries, for tests that need their own rows.

Every helper saves one row and returns it; keyword arguments override the defaults.
Codes start with "T" and a counter, so they never clash with the demo data or each other.
Default shapes are small squares south of Changsha, well away from the demo communities.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon

from apps.accounts.models import Membership, Organisation, User
from apps.accounts.roles import ROLE_PERMISSIONS, Role
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Building, Community, Compound, District, Grid, Subdistrict

_serial = itertools.count(1)

# South-west corner of the test area (lon, lat): open country south of Changsha.
ORIGIN = (112.90, 27.90)


def next_code(prefix: str = "T") -> str:
    return f"{prefix}{next(_serial):05d}"


def square(x: float = ORIGIN[0], y: float = ORIGIN[1], size: float = 0.001) -> Polygon:
    """An axis-aligned square with its south-west corner at (x, y), in degrees."""
    ring = ((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y))
    return Polygon(ring, srid=4326)


def bowtie(x: float = ORIGIN[0], y: float = ORIGIN[1], size: float = 0.001) -> Polygon:
    """A self-intersecting "bow-tie": its edges cross at the centre of the square."""
    ring = ((x, y), (x + size, y + size), (x + size, y), (x, y + size), (x, y))
    return Polygon(ring, srid=4326)


def line(x: float = ORIGIN[0], y: float = ORIGIN[1], length: float = 0.001) -> LineString:
    """An east-going line of `length` degrees."""
    return LineString((x, y), (x + length, y), srid=4326)


def point(x: float = ORIGIN[0], y: float = ORIGIN[1]) -> Point:
    return Point(x, y, srid=4326)


def make_district(**kwargs: Any) -> District:
    code = next_code("TD")
    defaults = {"code": code, "name": f"测试区 {code}", "name_en": f"Test district {code}"}
    return District.objects.create(**{**defaults, **kwargs})


def make_subdistrict(**kwargs: Any) -> Subdistrict:
    code = next_code("TS")
    defaults = {"code": code, "name": f"测试街道 {code}", "name_en": f"Test subdistrict {code}"}
    if "district" not in kwargs:
        defaults["district"] = make_district()
    return Subdistrict.objects.create(**{**defaults, **kwargs})


def make_community(*, x: float = ORIGIN[0], y: float = ORIGIN[1], **kwargs: Any) -> Community:
    """A community whose boundary is a 0.01° square at (x, y)."""
    code = next_code("TC")
    defaults = {
        "code": code,
        "name": f"测试社区 {code}",
        "name_en": f"Test community {code}",
        "boundary": MultiPolygon(square(x, y, 0.01), srid=4326),
    }
    if "subdistrict" not in kwargs:
        defaults["subdistrict"] = make_subdistrict()
    return Community.objects.create(**{**defaults, **kwargs})


def _inside(community: Community) -> tuple[float, float]:
    """A corner just inside the community's boundary, for shapes placed in it."""
    xmin, ymin, _xmax, _ymax = community.boundary.extent
    return xmin + 0.001, ymin + 0.001


def make_grid(community: Community | None = None, **kwargs: Any) -> Grid:
    community = community or make_community()
    defaults = {
        "community": community,
        "code": next_code("TG"),
        "name": "测试网格",
        "boundary": square(*_inside(community), 0.002),
    }
    return Grid.objects.create(**{**defaults, **kwargs})


def make_compound(community: Community | None = None, **kwargs: Any) -> Compound:
    community = community or make_community()
    defaults = {
        "community": community,
        "name": f"测试小区 {next_code('TP')}",
        "boundary": square(*_inside(community), 0.002),
    }
    return Compound.objects.create(**{**defaults, **kwargs})


def make_building(community: Community | None = None, **kwargs: Any) -> Building:
    community = community or make_community()
    defaults = {
        "community": community,
        "number": next_code("TB"),
        "footprint": square(*_inside(community), 0.0002),
    }
    return Building.objects.create(**{**defaults, **kwargs})


def make_facility(
    community: Community | None = None, *, kind: str = FacilityKind.FITNESS_COURT, **kwargs: Any
) -> Facility:
    community = community or make_community()
    defaults = {
        "community": community,
        "kind": kind,
        "name": f"测试设施 {next_code('TF')}",
        "geom": point(*_inside(community)),
    }
    return Facility.objects.create(**{**defaults, **kwargs})


def make_organisation(**kwargs: Any) -> Organisation:
    code = next_code("TO")
    defaults = {"name": f"测试物业 {code}", "kind": Organisation.Kind.PROPERTY_COMPANY}
    return Organisation.objects.create(**{**defaults, **kwargs})


def make_user(**kwargs: Any) -> User:
    username = kwargs.pop("username", None) or next_code("tuser").lower()
    return User.objects.create_user(username=username, password="a-long-test-password", **kwargs)


def make_superuser(**kwargs: Any) -> User:
    return make_user(is_staff=True, is_superuser=True, **kwargs)


def role_group(role: str) -> Group:
    """The Django group of `role` with its ROLE_PERMISSIONS (created if missing)."""
    group, _created = Group.objects.get_or_create(name=str(role))
    wanted = ROLE_PERMISSIONS[role]
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in (name.split(".", 1) for name in wanted)
    ]
    group.permissions.add(*permissions)
    return group


def make_member(
    community: Community,
    *,
    user: User | None = None,
    role: str = Role.COMMUNITY_ADMIN,
    grids: list[Grid] | tuple[Grid, ...] = (),
    staff: bool = True,
) -> Membership:
    """A person with `role` in `community`: in the role's group, staff by default."""
    user = user or make_user(is_staff=staff)
    user.groups.add(role_group(role))
    membership = Membership.objects.create(user=user, community=community, role=role)
    membership.grids.set(grids)
    return membership
