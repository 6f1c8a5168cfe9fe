"""Who may do what in the ledger.

- Everyone (anonymous too) reads approved entries.
- Property staff enter and submit entries for the compounds their company manages: their
  membership's organisation must be the compound's property company (a compound without a
  property company is open to any property staff of its community).
- Community admins of the compound's community approve or return submitted entries and see
  every entry of their communities, drafts included.
- Superusers may do everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.regions.models import Compound

from .models import LedgerEntry
from .workflow import SUPERUSER, member_roles


def _staff_memberships(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, role=Role.PROPERTY_STAFF, is_active=True)


def compounds_for_staff(user: Any) -> QuerySet[Compound]:
    """Compounds `user` may enter ledger entries for (one query, Exists subselects)."""
    if not user.is_authenticated or not user.is_active:
        return Compound.objects.none()
    if user.is_superuser:
        return Compound.objects.all()
    in_community = _staff_memberships(user).filter(community=OuterRef("community"))
    own_company = in_community.filter(organisation=OuterRef("property_company"))
    return Compound.objects.filter(
        Exists(own_company) | (Q(property_company__isnull=True) & Exists(in_community))
    )


def ledger_roles(user: Any, compound: Compound) -> set[str]:
    """The roles `user` acts in on `compound`'s ledger ("property_staff" only for the
    compound's own property company)."""
    roles = member_roles(user, compound.community_id)
    if Role.PROPERTY_STAFF in roles and SUPERUSER not in roles:
        organisations = set(
            _staff_memberships(user)
            .filter(community_id=compound.community_id)
            .values_list("organisation_id", flat=True)
        )
        if compound.property_company_id not in organisations and compound.property_company_id:
            roles.discard(Role.PROPERTY_STAFF)
    return roles


def can_use_desk(user: Any) -> bool:
    """Property staff, community admins and superusers have a ledger desk."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user,
        is_active=True,
        role__in=[Role.PROPERTY_STAFF, Role.COMMUNITY_ADMIN],
    ).exists()


def entries_for_desk(user: Any) -> QuerySet[LedgerEntry]:
    """Entries `user` may open at the desk: their compounds' (staff) and their
    communities' (admins), any status."""
    entries = LedgerEntry.objects.all()
    if user.is_superuser:
        return entries
    admin_communities = Membership.objects.filter(
        user=user, role=Role.COMMUNITY_ADMIN, is_active=True
    ).values("community_id")
    return entries.filter(
        Q(community_id__in=admin_communities) | Q(compound__in=compounds_for_staff(user))
    )


def can_view_entry(user: Any, entry: LedgerEntry) -> bool:
    if entry.status == LedgerEntry.Status.APPROVED:
        return True
    return entries_for_desk(user).filter(pk=entry.pk).exists() if user.is_authenticated else False
