"""Who may do what at a station.

- Everyone (anonymous too) sees stations, their services, hours and free places.
- People with an active membership in the station's community (residents, and staff too)
  book slots and borrow tools there; the booker is the booking's "owner".
- The desk (confirming, handing out, taking back, parcels) is for the community admins and
  property staff of the station's community: the community office and the property company
  share the service hall. Grid workers work outdoors and have no desk role.
- Superusers may do everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.facilities.models import Facility
from apps.ledger.workflow import SUPERUSER, member_roles

from .models import STATION_KINDS
from .models.bookings import OWNER, STAFF


def station_roles(user: Any, community_id: int) -> set[str]:
    return member_roles(user, community_id)


def is_member(user: Any, community_id: int) -> bool:
    return bool(station_roles(user, community_id))


def is_desk_staff(user: Any, community_id: int) -> bool:
    return bool(station_roles(user, community_id) & (STAFF | {SUPERUSER}))


def roles_on(user: Any, record: Any, owner_field: str) -> set[str]:
    """Roles on a booking, loan or parcel: membership roles plus "owner" for its person."""
    roles = station_roles(user, record.community_id)
    if user.is_authenticated and getattr(record, f"{owner_field}_id") == user.pk:
        roles.add(OWNER)
    return roles


def stations_staffed_by(user: Any) -> QuerySet[Facility]:
    """Stations whose desk `user` may use."""
    stations = Facility.objects.filter(kind__in=STATION_KINDS)
    if not user.is_authenticated:
        return stations.none()
    if user.is_superuser:
        return stations
    communities = Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.COMMUNITY_ADMIN, Role.PROPERTY_STAFF]
    ).values("community_id")
    return stations.filter(community_id__in=communities)
