"""Reads about joint meetings: who sees which, the reports an agenda can take, and the
published outcomes a report's tracking page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.reports.models import Report

from . import access
from .models import (
    AgendaItem,
    JointMeeting,
    MeetingDecision,
    MeetingOutcomePhoto,
    MeetingStatus,
)

SEARCH_LIMIT = 20


def meetings_visible_to(user: Any) -> QuerySet[JointMeeting]:
    """Meetings of the communities where the user is a community admin or planner."""
    return (
        JointMeeting.objects.filter(community__in=access.viewable_communities(user))
        .select_related("community")
        .annotate(
            agenda_count=Count("agenda_items", distinct=True),
            decision_count=Count("decisions", distinct=True),
        )
        .order_by("-date", "-pk")
    )


def meeting_for(user: Any, pk: int) -> JointMeeting | None:
    """One meeting the user may see, with everything its page shows."""
    return (
        JointMeeting.objects.filter(pk=pk, community__in=access.viewable_communities(user))
        .select_related("community", "outcome")
        .prefetch_related(
            "organisations",
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("report__category", "report__grid"),
            ),
            Prefetch(
                "decisions",
                queryset=MeetingDecision.objects.select_related("payer", "report"),
            ),
            Prefetch("status_changes__actor"),
        )
        .first()
    )


def outcome_photos(meeting: JointMeeting) -> list[MeetingOutcomePhoto]:
    outcome = getattr(meeting, "outcome", None)  # None until an outcome is written
    return list(outcome.photos.all()) if outcome is not None else []


def agenda_candidates(meeting: JointMeeting, query: str) -> QuerySet[Report]:
    """Reports of the meeting's community matching `query` (tracking code, words of the
    description, category or grid), not on the agenda yet; most "me too"s first."""
    text = (query or "").strip()
    reports = Report.objects.filter(community_id=meeting.community_id).exclude(
        agenda_items__meeting=meeting
    )
    if text:
        reports = reports.filter(
            Q(code=text.upper())
            | Q(description__icontains=text)
            | Q(category__name__icontains=text)
            | Q(category__name_en__icontains=text)
            | Q(grid__code__iexact=text)
        )
    return reports.select_related("category", "grid").order_by("-me_too_count", "-submitted_at")[
        :SEARCH_LIMIT
    ]


@dataclass(frozen=True)
class PublishedOutcome:
    """What a report's tracking page shows of a meeting that decided it."""

    meeting: JointMeeting
    text: str
    published_at: Any
    organisations: list[str]
    decisions: list[MeetingDecision]
    photos: list[MeetingOutcomePhoto]


def published_outcomes_for(report: Report) -> list[PublishedOutcome]:
    """Published meetings that had the report on their agenda or decided on it, newest
    first, with their decisions about this report. Four queries, however many meetings."""
    meetings = (
        JointMeeting.objects.filter(status=MeetingStatus.PUBLISHED)
        .filter(Q(agenda_items__report=report) | Q(decisions__report=report))
        .distinct()
        .select_related("outcome")
        .prefetch_related(
            "organisations",
            Prefetch(
                "decisions",
                queryset=MeetingDecision.objects.filter(report=report).select_related("payer"),
                to_attr="report_decisions",
            ),
            Prefetch("outcome__photos"),
        )
        .order_by("-date", "-pk")
    )
    out = []
    for meeting in meetings:
        outcome = getattr(meeting, "outcome", None)
        if outcome is None:
            continue
        out.append(
            PublishedOutcome(
                meeting=meeting,
                text=outcome.text,
                published_at=outcome.published_at,
                organisations=[o.name for o in meeting.organisations.all()],
                decisions=list(meeting.report_decisions),
                photos=list(outcome.photos.all()),
            )
        )
    return out
