"""Objects of the demo the permission matrix requests, and how to fill each URL's arguments.

Every URL pattern is requested with real objects of 东瑞社区 ("this community"), so a
"deny" proves the gate refuses a row that exists, and an "allow" shows a real page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from apps.accounts.models import User
from apps.facilities.models import Facility
from apps.ledger.models import LedgerEntry
from apps.meetings.models import AgendaItem, JointMeeting, MeetingDecision, MeetingOutcomePhoto
from apps.notices.models import Notice, NoticeAttachment
from apps.open311.models import Open311Submission
from apps.patrols.models import CheckIn, DutyShift, PatrolInstance, PatrolPlan
from apps.regions.models import Building, Community, Compound, Grid
from apps.reports.models import Report, ReportPhoto
from apps.reports.selectors import public_reports
from apps.station.models import BookableService, Parcel, SlotBooking, Tool, ToolLoan
from apps.works.models import Work

from .roles import HOME

# Secrets planted on the sample report and the demo resident for every case: no response
# may show them to a person not entitled to them.
SECRET_PHONE = "13812345678"
SECRET_EMAIL = "matrix-secret@example.org"
SECRET_REPORTER = "矩阵报事人"  # the reporter's display name (they did not ask to be anonymous)
SECRET_OWN_PHONE = "13987654321"  # the resident's private account phone


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name ("ns:name"), its pattern text and argument names."""

    name: str
    pattern: str
    arguments: tuple[str, ...]


def _arguments(pattern: Any) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern)))
    return tuple(pattern.regex.groupindex)


def all_routes() -> list[Route]:
    """Every URL pattern of the site (admin included), by name and pattern."""
    found: list[Route] = []

    def walk(patterns: Any, prefix: str, namespace: str, arguments: tuple[str, ...]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    inner,
                    arguments + _arguments(entry.pattern),
                )
            elif isinstance(entry, URLPattern):
                name = namespace + (entry.name or "")
                found.append(
                    Route(name, prefix + str(entry.pattern), arguments + _arguments(entry.pattern))
                )

    walk(get_resolver().url_patterns, "", "", ())
    return found


class Samples:
    """Looked up once per test (the demo's ids are the same in every test)."""

    def __init__(self) -> None:
        home = Community.objects.get(code=HOME)
        self.community = home
        public = public_reports().filter(community=home, grid__code__in=["DR-01", "DR-02"])
        report = public.filter(photos__isnull=False).order_by("pk").first() or (
            public.order_by("pk").first()
        )
        assert report is not None, "the demo has public reports in DR-01/DR-02"
        self.report: Report = report
        self.photo = ReportPhoto.objects.filter(report=self.report).order_by("pk").first()
        self.meeting = JointMeeting.objects.filter(community=home).order_by("pk").first()
        self.agenda_item = AgendaItem.objects.filter(meeting__community=home).order_by("pk").first()
        self.decision = (
            MeetingDecision.objects.filter(meeting__community=home).order_by("pk").first()
        )
        self.meeting_photo = (
            MeetingOutcomePhoto.objects.filter(community=home).order_by("pk").first()
        )
        self.work = Work.objects.filter(community=home).order_by("pk").first()
        self.compound = Compound.objects.filter(community=home).order_by("pk").first()
        self.booking = SlotBooking.objects.filter(community=home).order_by("pk").first()
        self.bookable = BookableService.objects.filter(community=home).order_by("pk").first()
        self.tool = Tool.objects.filter(community=home).order_by("pk").first()
        self.loan = ToolLoan.objects.filter(community=home).order_by("pk").first()
        self.parcel = Parcel.objects.filter(community=home).order_by("pk").first()
        self.notice = Notice.objects.filter(community=home).order_by("pk").first()
        self.attachment = (
            NoticeAttachment.objects.filter(notice__community=home).order_by("pk").first()
        )
        self.plan = PatrolPlan.objects.filter(community=home).order_by("pk").first()
        self.patrol = (
            PatrolInstance.objects.filter(community=home, track__isnull=False)
            .order_by("pk")
            .first()
            or PatrolInstance.objects.filter(community=home).order_by("pk").first()
        )
        self.checkin = CheckIn.objects.filter(community=home).order_by("pk").first()
        self.shift = DutyShift.objects.filter(community=home).order_by("pk").first()
        self.open311 = Open311Submission.objects.filter(community=home).order_by("pk").first()
        self.resident = User.objects.get(username="resident")
        self.grid = Grid.objects.filter(community=home).order_by("code").first()
        self.building = Building.objects.filter(community=home).order_by("pk").first()
        self.facility = Facility.objects.filter(community=home).order_by("pk").first()
        self.entry = LedgerEntry.objects.filter(community=home).order_by("pk").first()

    def plant_secrets(self) -> None:
        """The sample report: filed by a named reporter, with contact details; and a private
        phone on the demo resident's account."""
        # A reporter of their own (the demo resident also books at the station, where the
        # desk rightly sees their name), who did not ask to stay anonymous.
        reporter = User.objects.create_user(
            username="matrix-reporter", display_name=SECRET_REPORTER, password=None
        )
        Report.objects.filter(pk=self.report.pk).update(
            reporter=reporter,
            is_anonymous=False,
            contact_phone=SECRET_PHONE,
            contact_email=SECRET_EMAIL,
        )
        User.objects.filter(pk=self.resident.pk).update(phone=SECRET_OWN_PHONE)

    def tile(self, z: int = 15) -> tuple[int, int, int]:
        """The Web Mercator tile holding the sample report."""
        lon, lat = self.report.location.x, self.report.location.y
        n = 2**z
        x = int((lon + 180.0) / 360.0 * n)
        y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
        return z, x, y

    def station_id(self) -> int:
        return self.tool.facility_id if self.tool else 0

    def _api_object(self, route: str, argument: str) -> Any:
        resource = route.split(":", 1)[1]
        if resource.startswith("tracking-"):
            return self.report.code
        prefixes: list[tuple[str, Any]] = [
            ("community-", self.community),
            ("grid-", self.grid),
            ("compound-", self.compound),
            ("building-", self.building),
            ("facility-", self.facility),
            ("report-", self.report),
            ("work-", self.work),
            ("notice-attachment-", self.attachment),
            ("notice-", self.notice),
            ("ledger-entry-", self.entry),
            ("patrol-plan-", self.plan),
            ("planning-plan-", self.plan),
            ("duty-shift-", self.shift),
            ("planning-patrol-", self.patrol),
            ("patrol-", self.patrol),
            ("station-bookable-", self.bookable),
            ("station-tool-", self.tool),
            ("my-booking-", self.booking),
            ("desk-booking-", self.booking),
            ("my-loan-", self.loan),
            ("desk-loan-", self.loan),
            ("desk-parcel-", self.parcel),
            ("meeting-", self.meeting),
            ("programme-", self.work.programme if self.work else None),
        ]
        if resource.startswith("station-desk-"):
            return self.station_id()
        for prefix, obj in prefixes:
            if resource.startswith(prefix):
                return getattr(obj, "pk", 0)
        return 0

    def value(self, route: str, argument: str) -> Any:
        """The value of URL argument `argument` of route `route`."""
        namespace = route.split(":", 1)[0] if ":" in route else ""
        by_route: dict[tuple[str, str], Any] = {
            ("reports:photo", "pk"): getattr(self.photo, "pk", 0),
            ("reports:photo", "variant"): "thumb",
            ("reports:act", "action"): "accept",
            ("meetings:agenda-remove", "item"): getattr(self.agenda_item, "pk", 0),
            ("meetings:decision-remove", "decision"): getattr(self.decision, "pk", 0),
            ("meetings:photo-remove", "photo"): getattr(self.meeting_photo, "pk", 0),
            ("meetings:transition", "action"): "schedule",
            ("meetings:photo", "pk"): getattr(self.meeting_photo, "pk", 0),
            ("meetings:photo", "variant"): "thumb",
            ("ledger:compound", "compound_id"): getattr(self.compound, "pk", 0),
            ("station:bookable", "bookable_id"): getattr(self.bookable, "pk", 0),
            ("station:tool", "tool_id"): getattr(self.tool, "pk", 0),
            ("station:booking", "pk"): getattr(self.booking, "pk", 0),
            ("station:booking_change", "pk"): getattr(self.booking, "pk", 0),
            ("station:loan", "pk"): getattr(self.loan, "pk", 0),
            ("station:loan_change", "pk"): getattr(self.loan, "pk", 0),
            ("notices:attachment", "pk"): getattr(self.attachment, "pk", 0),
            ("notices:attachment_remove", "pk"): getattr(self.attachment, "pk", 0),
            ("notices:notice", "code"): HOME,
            ("patrols:api-checkin", "pk"): getattr(self.checkin, "pk", 0),
            ("patrols:roster-delete", "pk"): getattr(self.shift, "pk", 0),
            ("api:meeting-agenda-remove", "item_id"): getattr(self.agenda_item, "pk", 0),
            ("api:meeting-decision-remove", "decision_id"): getattr(self.decision, "pk", 0),
            ("api:meeting-outcome-photo-remove", "photo_id"): getattr(self.meeting_photo, "pk", 0),
            ("api:patrol-check-in", "checkin_id"): getattr(self.checkin, "pk", 0),
            ("open311:token", "token"): getattr(self.open311, "token", "x"),
            ("open311:request", "request_id"): self.report.pk,
            ("open311:service", "code"): self.report.category.code,
            ("admin:auth_user_password_change", "id"): self.resident.pk,
            ("admin:accounts_user_password_change", "id"): self.resident.pk,
        }
        if (route, argument) in by_route:
            return by_route[(route, argument)]
        if namespace == "api" and argument in ("pk", "code"):
            return self._api_object(route, argument)
        per_namespace: dict[str, Any] = {
            "reports": self.report.pk,
            "meetings": getattr(self.meeting, "pk", 0),
            "works": getattr(self.work, "pk", 0),
            "ledger": 0,
            "station": getattr(self.parcel, "pk", 0),
            "notices": getattr(self.notice, "pk", 0),
            "patrols": getattr(self.patrol, "pk", 0),
        }
        if argument == "pk" and namespace in per_namespace:
            if route.startswith("patrols:api-plan") or route.startswith("patrols:plan"):
                return getattr(self.plan, "pk", 0)
            return per_namespace[namespace]
        generic: dict[str, Any] = {
            "code": self.report.code if namespace == "reports" else HOME,
            "facility_id": self.station_id(),
            "compound_id": getattr(self.compound, "pk", 0),
            "format": "json",
            "fmt": "json",
            "layer": "reports",
            "name": "reports",
            "collection": "reports",
            "collection_id": "reports",
            "feature_id": self.report.pk,
            "z": self.tile()[0],
            "x": self.tile()[1],
            "y": self.tile()[2],
            "table": "grid",
            "path": "nowhere",
            "uidb64": "MQ",
            "token": "set-password",
            "request_id": self.report.pk,
        }
        return generic.get(argument, 0)
