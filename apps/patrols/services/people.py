"""People on grids: assignments (Membership.grids), duty shifts and patrol settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Building, Community, Grid

from ..access import is_staff_of
from ..errors import ForbiddenError, PatrolError
from ..models import DutyShift, GridAssignmentChange, PatrolSettings

# Who can be placed on grids: the people the case puts there beside the grid worker.
ASSIGNABLE_ROLES = (
    Role.GRID_WORKER,
    Role.PROPERTY_STAFF,
    Role.PARTY_MEMBER,
    Role.POLICE_OFFICER,
    # Building heads (楼栋长) are residents: their resident membership carries their grids.
    Role.RESIDENT,
)


def _require_staff(by: User, community: Community) -> None:
    if not is_staff_of(by, community.pk):
        raise ForbiddenError(_("Only the community's staff may change this."))


def _grids_of(community: Community, grid_ids: Iterable[int]) -> list[Grid]:
    wanted = set(grid_ids)
    grids = list(Grid.objects.filter(community=community, pk__in=wanted))
    if len(grids) != len(wanted):
        raise PatrolError(
            _("Some of the chosen grids are not grids of %(community)s.")
            % {"community": community},
            errors={"grids": _("Choose grids of this community only.")},
        )
    return grids


def assignable_membership(*, community: Community, person: User) -> Membership:
    """The membership that carries `person`'s grids in `community`.

    Their grid worker / staff / party / police membership if they have one (the first in
    that order), else their resident membership when they head a building of the community.
    A building head with no membership yet gets a resident one, so they can be given grids.
    """
    memberships = {
        m.role: m
        for m in Membership.objects.filter(
            user=person, community=community, is_active=True, role__in=ASSIGNABLE_ROLES
        )
    }
    for role in ASSIGNABLE_ROLES:
        if role in memberships:
            return memberships[role]
    heads_here = Building.objects.filter(community=community, building_head=person).exists()
    if heads_here:
        membership, _created = Membership.objects.update_or_create(
            user=person, community=community, role=Role.RESIDENT, defaults={"is_active": True}
        )
        return membership
    raise PatrolError(
        _("%(person)s has no role in %(community)s that can be placed on grids.")
        % {"person": person, "community": community},
        errors={
            "person": _(
                "Choose a grid worker, property staff, party member, police officer or "
                "building head."
            )
        },
    )


@transaction.atomic
def grid_assignment_set(
    *, community: Community, person: User, grid_ids: Iterable[int], by: User
) -> Membership:
    """Make `person` cover exactly `grid_ids` in `community`; log each grid added/removed.

    Only the community's staff may do it; grids of other communities are refused.
    """
    _require_staff(by, community)
    grids = _grids_of(community, grid_ids)
    membership = assignable_membership(community=community, person=person)
    current = set(membership.grids.values_list("pk", flat=True))
    wanted = {grid.pk for grid in grids}
    _apply(membership, added=wanted - current, removed=current - wanted, by=by)
    return membership


@transaction.atomic
def grid_assignment_change(
    *,
    community: Community,
    person: User,
    add: Iterable[int] = (),
    remove: Iterable[int] = (),
    by: User,
) -> Membership:
    """Give `person` the grids `add` and take away `remove`, keeping their other grids."""
    _require_staff(by, community)
    add_ids = {grid.pk for grid in _grids_of(community, add)}
    remove_ids = {grid.pk for grid in _grids_of(community, remove)}
    if add_ids & remove_ids:
        raise PatrolError(_("A grid cannot be both added and removed."))
    membership = assignable_membership(community=community, person=person)
    current = set(membership.grids.values_list("pk", flat=True))
    _apply(membership, added=add_ids - current, removed=remove_ids & current, by=by)
    return membership


def _apply(membership: Membership, *, added: set[int], removed: set[int], by: User) -> None:
    if added:
        membership.grids.add(*added)
    if removed:
        membership.grids.remove(*removed)
    bulk_create_with_history(
        [
            GridAssignmentChange(
                community_id=membership.community_id,
                membership=membership,
                grid_id=grid_id,
                action=action,
                by=by,
            )
            for action, ids in (
                (GridAssignmentChange.Action.ADDED, sorted(added)),
                (GridAssignmentChange.Action.REMOVED, sorted(removed)),
            )
            for grid_id in ids
        ],
        GridAssignmentChange,
        default_user=by,
    )


@transaction.atomic
def duty_shift_create(
    *,
    grid: Grid,
    person: User,
    start_time: dt.time,
    end_time: dt.time,
    weekday: int | None = None,
    on_date: dt.date | None = None,
    note: str = "",
    by: User,
) -> DutyShift:
    """Put `person` on duty for `grid` weekly (`weekday`) or on one date (`on_date`)."""
    _require_staff(by, grid.community)
    if not Membership.objects.filter(
        user=person, community_id=grid.community_id, is_active=True
    ).exists():
        raise PatrolError(
            _("%(person)s is not a member of this community.") % {"person": person},
            errors={"person": _("Choose someone of this community.")},
        )
    shift = DutyShift(
        community_id=grid.community_id,
        grid=grid,
        person=person,
        weekday=weekday,
        on_date=on_date,
        start_time=start_time,
        end_time=end_time,
        note=note,
    )
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def duty_shift_delete(*, shift: DutyShift, by: User) -> None:
    _require_staff(by, shift.grid.community)
    shift.delete()


@transaction.atomic
def patrol_settings_set(
    *, community: Community, required_roles: Iterable[str], by: User
) -> PatrolSettings:
    """The roles every patrol team of `community` must include."""
    _require_staff(by, community)
    roles = sorted(set(required_roles))
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise PatrolError(_("Unknown roles: %(roles)s.") % {"roles": ", ".join(unknown)})
    settings, _created = PatrolSettings.objects.update_or_create(
        community=community, defaults={"required_roles": roles}
    )
    return settings
