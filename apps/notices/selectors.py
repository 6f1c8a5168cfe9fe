"""Reads of the notice board. Public reads return published notices only."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from apps.regions.models import Community

from .models import Notice, NoticeAttachment

FEED_SIZE = 30


def _live_attachments() -> Prefetch:
    return Prefetch(
        "attachments",
        queryset=NoticeAttachment.objects.filter(removed=False).order_by("uploaded_at", "pk"),
        to_attr="live_attachments",
    )


def published_notices(community: Community, *, section: str | None = None) -> QuerySet[Notice]:
    """A community's published notices, newest first, attachments prefetched."""
    notices = Notice.objects.filter(community=community, status=Notice.Status.PUBLISHED)
    if section:
        notices = notices.filter(section=section)
    return (
        notices.select_related("compound")
        .prefetch_related(_live_attachments())
        .order_by("-published_at", "-pk")
    )


def feed_notices(community: Community) -> list[Notice]:
    return list(published_notices(community)[:FEED_SIZE])


def boards() -> QuerySet[Community]:
    """Communities with their number of published notices and the latest date."""
    published = Q(notices__status=Notice.Status.PUBLISHED)
    return Community.objects.annotate(
        published=Count("notices", filter=published),
        latest=Max("notices__published_at", filter=published),
    ).order_by("code")


def notice_with_attachments(pk: int) -> Notice | None:
    return (
        Notice.objects.select_related("community", "compound", "author")
        .prefetch_related(_live_attachments())
        .filter(pk=pk)
        .first()
    )
