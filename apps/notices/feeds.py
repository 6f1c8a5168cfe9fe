"""RSS 2.0 and Atom feeds of a community's published notices (django.contrib.syndication)."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import gettext as _

from apps.regions.models import Community

from .models import Notice
from .selectors import feed_notices


class NoticeRssFeed(Feed):
    request: HttpRequest

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One Feed instance serves every request: work on a copy that knows its request,
        # for absolute enclosure URLs, rather than writing the request onto shared state.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request: HttpRequest, code: str) -> Community:  # type: ignore[override]
        return get_object_or_404(Community, code=code)

    def title(self, community: Community) -> str:
        return _("Notices of %(community)s") % {"community": community.name}

    def link(self, community: Community) -> str:
        return reverse("notices:board", args=[community.code])

    def description(self, community: Community) -> str:
        return _("Party affairs, government affairs and finance notices of %(community)s.") % {
            "community": community.name
        }

    def items(self, community: Community) -> list[Notice]:
        notices = feed_notices(community)
        for notice in notices:
            notice.community = community  # known already: no query per item for its code
        return notices

    def item_title(self, notice: Notice) -> str:
        return f"[{notice.get_section_display()}] {notice.title}"

    def item_description(self, notice: Notice) -> str:
        return notice.body

    def item_link(self, notice: Notice) -> str:
        return reverse("notices:notice", args=[notice.community.code, notice.pk])

    def item_guid(self, notice: Notice) -> str:
        return self.request.build_absolute_uri(self.item_link(notice))

    def item_pubdate(self, notice: Notice) -> Any:
        return notice.published_at

    def item_updateddate(self, notice: Notice) -> Any:
        return notice.published_at

    def item_categories(self, notice: Notice) -> list[str]:
        return [str(notice.get_section_display())]

    def item_enclosures(self, notice: Notice) -> list[Enclosure]:
        return [
            Enclosure(
                self.request.build_absolute_uri(
                    reverse("notices:attachment", args=[attachment.pk])
                ),
                str(attachment.size),
                attachment.content_type,
            )
            for attachment in getattr(notice, "live_attachments", [])
        ]


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, community: Community) -> str:
        return self.description(community)
