"""The case's quarterly joint meeting in Dongrui, published, with its three decisions.

The meeting decided the D1 fence rebuild funded by the developer 中交地产 (2,000,000+
yuan), 80+ parking spaces on Oxford Street (牛津街), and the D4 elevator overhaul paid by
the property company (500,000+ yuan). It took up the demo reports about the D1 fence and
the blocked fire lane (apps.reports.demo, found by their submission keys); the meeting is
dated three days after the fence report, which was deferred to wait for it. There is no
demo report about the D4 elevators, so that decision stands on its own.

Idempotent: the meeting is found by (community, title), decisions by their text, agenda
items by report, the photo by its fixed file name; only what differs is written. Reports
filed later (a reports demo loaded after this one) are linked on the next run.

In the demo's time (apps.core.demo.DemoClock) the fence report is five months old, so the
meeting is the case's late February: the works it decided follow (the fence rebuilt from
March to June, the parking spaces in spring, the elevators under way now). The report about
the fire lane is recent, so it is not on that meeting's agenda: the problem came back.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.accounts.models import Organisation, User
from apps.accounts.roles import Role
from apps.core.demo import Writer, demo_clock
from apps.core.photos import photo_process
from apps.regions.models import Community
from apps.reports.models import Report

from .models import (
    AgendaItem,
    JointMeeting,
    MeetingDecision,
    MeetingOutcome,
    MeetingOutcomePhoto,
    MeetingStatus,
    MeetingStatusChange,
)


def _key(name: str) -> str:
    return name.ljust(16, "-")  # the reports demo pads its submission keys to 16


FENCE_REPORT = _key("demo-dr-closed")  # 中交中央公园D1围墙多处破损倒塌
PARKING_REPORT = _key("demo-dr-accepted")  # D1-4栋门口车辆占用消防通道

MEETING: dict[str, Any] = {
    "community": "DR",
    "title": "东瑞社区季度联席会议",
    "place": "东瑞社区党群服务中心 Dongrui community service hall",
    "organisations": ["东瑞社区居委会", "中交物业", "中交地产", "东岸派出所"],
    "notes": "社区、物业、开发商、派出所共同议定三项民生实事。The community office, the property "
    "company, the developer and the police agreed on three fixes.",
    "agenda": [
        (FENCE_REPORT, "围墙倒塌，需确定出资方。The fence needs a funder."),
    ],
    "outcome": "联席会议议定：中交地产出资200万元以上重建中交中央公园D1围墙；"
    "修缮牛津街停车位80余个；物业公司出资50万元以上对D4栋电梯进行大修。"
    "各项工作进展将在此公示。\n"
    "The joint meeting agreed: 中交地产 funds the rebuild of the D1 fence (2,000,000+ yuan); "
    "80+ parking spaces on Oxford Street are repaired; the property company pays for the "
    "overhaul of the D4 elevators (500,000+ yuan). Progress will be posted here.",
}
# (text, payer, amount in yuan, days after the meeting it is due, report key)
DECISIONS: list[tuple[str, str, str | None, int, str | None]] = [
    (
        "中交中央公园D1围墙由中交地产出资重建，物业先设临时围挡。"
        "The developer rebuilds the D1 fence; the property company puts up a temporary "
        "barrier first.",
        "中交地产",
        "2000000",
        14,
        FENCE_REPORT,
    ),
    (
        "修缮牛津街停车位80余个，消防通道禁止停车。80+ parking spaces on Oxford Street are "
        "repaired; no parking in the fire lane.",
        "中交物业",
        None,
        100,
        None,
    ),
    (
        "中交中央公园D4-1、D4-2栋电梯由物业公司出资大修。"
        "The property company pays for the overhaul of the D4-1 and D4-2 elevators.",
        "中交物业",
        "500000",
        190,
        None,
    ),
]
PHOTO_NAME = "meetings/demo/dr-joint-meeting"
DAYS_AFTER_FENCE_REPORT = 3


def _drawn_photo() -> bytes:
    """A drawing standing in for the meeting's photo: a table with people around it."""
    image = Image.new("RGB", (640, 480), (235, 230, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 220, 520, 330), fill=(140, 90, 60))
    for i in range(5):
        x = 140 + i * 80
        draw.ellipse((x, 140, x + 50, 190), fill=(60, 60, 70))
        draw.rectangle((x - 5, 190, x + 55, 230), fill=(190, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class _MeetingsDemo:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def run(self) -> JointMeeting | None:
        community = Community.objects.filter(code=MEETING["community"]).first()
        if community is None:
            return None
        admin = (
            User.objects.filter(
                memberships__community=community, memberships__role=Role.COMMUNITY_ADMIN
            )
            .order_by("pk")
            .first()
        )
        reports = {
            str(r.idempotency_key): r
            for r in Report.objects.filter(
                idempotency_key__in=[FENCE_REPORT, PARKING_REPORT], community=community
            )
        }
        date = self._date(reports.get(FENCE_REPORT))
        meeting = JointMeeting.objects.filter(community=community, title=MEETING["title"]).first()
        values = {"date": date, "place": MEETING["place"], "notes": MEETING["notes"]}
        if meeting is None:
            meeting = JointMeeting.objects.create(
                community=community,
                title=MEETING["title"],
                status=MeetingStatus.PUBLISHED,
                created_by=admin,
                **values,
            )
            self.counts["created"] += 1
        elif any(getattr(meeting, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(meeting, k, v)
            meeting.save()
        organisations = set(
            Organisation.objects.filter(name__in=MEETING["organisations"]).values_list(
                "pk", flat=True
            )
        )
        if set(meeting.organisations.values_list("pk", flat=True)) != organisations:
            meeting.organisations.set(organisations)
        self.history(meeting, admin)
        self.agenda(meeting, reports, admin)
        self.decisions(meeting, reports, admin)
        self.outcome(meeting)
        return meeting

    @staticmethod
    def _date(fence: Report | None) -> datetime.date:
        if fence is None:  # no reports demo (yet): the case's date
            return demo_clock().day(datetime.date(2024, 2, 23))
        submitted = timezone.localtime(fence.submitted_at).date()
        return submitted + datetime.timedelta(days=DAYS_AFTER_FENCE_REPORT)

    def history(self, meeting: JointMeeting, admin: User | None) -> None:
        start = timezone.make_aware(datetime.datetime.combine(meeting.date, datetime.time(9)))
        steps = [
            ("create", "", MeetingStatus.DRAFT, start - datetime.timedelta(days=7)),
            ("hold", MeetingStatus.DRAFT, MeetingStatus.HELD, start + datetime.timedelta(hours=3)),
            (
                "publish",
                MeetingStatus.HELD,
                MeetingStatus.PUBLISHED,
                start + datetime.timedelta(days=1),
            ),
        ]
        for action, from_status, to_status, at in steps:
            row, created = MeetingStatusChange.objects.get_or_create(
                meeting=meeting,
                action=action,
                defaults={
                    "community_id": meeting.community_id,
                    "from_status": from_status,
                    "to_status": to_status,
                    "actor": admin,
                    "actor_role": Role.COMMUNITY_ADMIN,
                    "at": at,
                },
            )
            if not created and row.at != at:
                row.at = at
                row.save(update_fields=["at"])

    def agenda(self, meeting: JointMeeting, reports: dict[str, Report], admin: User | None) -> None:
        for order, (key, note) in enumerate(MEETING["agenda"], start=1):
            report = reports.get(key)
            if report is None:
                continue
            AgendaItem.objects.get_or_create(
                meeting=meeting,
                report=report,
                defaults={
                    "community_id": meeting.community_id,
                    "note": note,
                    "order": order,
                    "added_by": admin,
                },
            )

    def decisions(
        self, meeting: JointMeeting, reports: dict[str, Report], admin: User | None
    ) -> None:
        payers = dict(
            Organisation.objects.filter(name__in={d[1] for d in DECISIONS}).values_list(
                "name", "pk"
            )
        )
        for order, (text, payer, amount, days, report_key) in enumerate(DECISIONS, start=1):
            values = {
                "community_id": meeting.community_id,
                "payer_id": payers.get(payer),
                "amount": Decimal(amount) if amount else None,
                "due_date": meeting.date + datetime.timedelta(days=days),
                "order": order,
                "report_id": reports[report_key].pk if report_key in reports else None,
            }
            decision = MeetingDecision.objects.filter(meeting=meeting, text=text).first()
            if decision is None:
                MeetingDecision.objects.create(
                    meeting=meeting, text=text, created_by=admin, **values
                )
                continue
            changed = [k for k, v in values.items() if getattr(decision, k) != v]
            for k in changed:
                setattr(decision, k, values[k])
            if changed:
                decision.save(update_fields=changed)

    def outcome(self, meeting: JointMeeting) -> None:
        published = timezone.make_aware(
            datetime.datetime.combine(meeting.date + datetime.timedelta(days=1), datetime.time(9))
        )
        outcome, created = MeetingOutcome.objects.get_or_create(
            meeting=meeting,
            defaults={
                "community_id": meeting.community_id,
                "text": MEETING["outcome"],
                "published_at": published,
            },
        )
        if not created and (outcome.text, outcome.published_at) != (MEETING["outcome"], published):
            outcome.text, outcome.published_at = MEETING["outcome"], published
            outcome.save(update_fields=["text", "published_at", "updated_at"])
        if outcome.photos.filter(file=PHOTO_NAME + ".jpg").exists():
            return
        processed = photo_process(SimpleUploadedFile("meeting.jpg", _drawn_photo()))
        row = MeetingOutcomePhoto(
            outcome=outcome,
            community_id=meeting.community_id,
            width=processed.width,
            height=processed.height,
            original_name=processed.original_name,
            caption="联席会议现场 At the joint meeting",
        )
        for field_name, content, suffix in (
            ("file", processed.image, ".jpg"),
            ("thumbnail", processed.thumbnail, "-thumb.jpg"),
        ):
            path = PHOTO_NAME + suffix
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(content.read()))
            getattr(row, field_name).name = path
        row.save()


@transaction.atomic
def load_demo_data(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, int]:
    """Load the joint meeting (see the module docstring); return how many rows there are."""
    demo = _MeetingsDemo()
    meeting = demo.run()
    if verbosity >= 1 and out is not None:
        state = "created" if demo.counts["created"] else "present"
        out.write(f"Demo joint meeting: {state}.\n" if meeting else "Demo joint meeting: no DR.\n")
    if meeting is None:
        return {}
    return {
        "JointMeeting": 1,
        "MeetingDecision": meeting.decisions.count(),
        "AgendaItem": meeting.agenda_items.count(),
    }
