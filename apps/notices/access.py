"""Who may do what on the notice board.

- Everyone (anonymous too) reads published notices, their attachments and the feeds.
- Staff of a community (community admins, grid workers, property staff) draft notices
  there and see its unpublished ones; the author or a community admin edits a draft.
- Community admins approve, return and withdraw notices of their community.
- Superusers may do everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.accounts.models import Membership
from apps.ledger.workflow import SUPERUSER, member_roles
from apps.regions.models import Community

from .models import ADMIN, DRAFTERS, EDITABLE_STATUSES, Notice


def notice_roles(user: Any, community_id: int) -> set[str]:
    return member_roles(user, community_id)


def can_draft(user: Any, community_id: int) -> bool:
    return bool(notice_roles(user, community_id) & (DRAFTERS | {SUPERUSER}))


def drafting_communities(user: Any) -> QuerySet[Community]:
    """Communities where `user` may draft notices."""
    if not user.is_authenticated:
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    ids = Membership.objects.filter(user=user, is_active=True, role__in=DRAFTERS).values(
        "community_id"
    )
    return Community.objects.filter(pk__in=ids)


def can_view(user: Any, notice: Notice) -> bool:
    return notice.status == Notice.Status.PUBLISHED or can_draft(user, notice.community_id)


def can_edit(user: Any, notice: Notice) -> bool:
    if notice.status not in EDITABLE_STATUSES:
        return False
    roles = notice_roles(user, notice.community_id)
    if roles & {ADMIN, SUPERUSER}:
        return True
    return notice.author_id == user.pk and bool(roles & DRAFTERS)


def notices_for_desk(user: Any) -> QuerySet[Notice]:
    """Notices of the communities `user` drafts for, any status."""
    return Notice.objects.filter(community__in=drafting_communities(user))
