"""Demo notice board: Dongrui's notices in all three sections, and one of Shida's.

Drafted by the demo grid worker or property staff, approved by the demo community admin
through the services (so each notice has its history), then dated to the case's days. The
D4 finance notice links to the D4 ledger and carries a small PDF. One notice waits for
approval. A second run finds each notice by (community, title) and changes nothing.

Dates are written in the case's time and moved by `demo_clock()`; titles and bodies name
dates as `{zh:…}` (`apps.core.demo.case_text`). On another demo today a notice is found by
its title of the previous demo today, and its title, body and times are moved.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from apps.accounts.models import User
from apps.core.demo import DemoClock, Writer, case_text, demo_clock, previous_demo_clock
from apps.regions.models import Community, Compound

from .models import Notice, NoticeAttachment, NoticeEvent
from .services import notice_create, notice_transition

D = datetime.date
S = Notice.Section

# (community, section, title, body, author, compound, published on (None: pending), pdf)
NOTICES: list[tuple[str, str, str, str, str, str, D | None, bool]] = [
    (
        "DR",
        S.PARTY,
        "{zh-month:2024-07-01}主题党日活动通知",
        "社区党委定于{zh:2024-07-01}上午9:00在党建文化长廊开展主题党日活动，请全体党员准时参加。\n"
        "The community Party committee holds its Party day on {en:2024-07-01}, 9:00, "
        "at the culture corridor.",
        "gridworker",
        "",
        D(2024, 6, 25),
        False,
    ),
    (
        "DR",
        S.PARTY,
        "近半年党费收缴情况公示",
        "社区党委现有党员52名，近半年党费已按时足额收缴，明细见社区公示栏。\n"
        "All 52 Party members paid their dues for the past half-year.",
        "communityadmin",
        "",
        D(2024, 7, 5),
        False,
    ),
    (
        "DR",
        S.GOVERNMENT,
        "季度联席会议议定事项",
        "联席会议议定：中交中央公园D1围墙改造（开发商出资200万元）、牛津街新增80余个停车位、"
        "D4栋电梯大修（物业公司出资50万元以上）。实施情况将图文反馈。\n"
        "The joint meeting agreed the D1 fence rebuild, 80+ parking spaces on Oxford Street "
        "and the "
        "D4 elevator overhaul. Progress will be reported back with pictures and text.",
        "communityadmin",
        "",
        D(2024, 2, 26),
        False,
    ),
    (
        "DR",
        S.GOVERNMENT,
        "服务大厅延时服务至22:00",
        "为方便上班族办事，社区服务大厅工作日延时服务至22:00。\n"
        "The service hall now stays open until 22:00 on working days.",
        "gridworker",
        "",
        D(2024, 3, 1),
        False,
    ),
    (
        "DR",
        S.FINANCE,
        "中交中央公园D4 近半年公共收益公示",
        "D4小区近半年停车费、电梯广告等公共收益及支出明细如下，详见公共收益台账。\n"
        "Public income (parking, lift advertising) and spending of D4 for the past half-year.",
        "property",
        "中交中央公园D4",
        D(2024, 7, 10),
        True,
    ),
    (
        "DR",
        S.FINANCE,
        "中交中央公园D1 近半年公共收益公示",
        "D1小区近半年公共收益及支出明细，详见公共收益台账。\n"
        "Public income and spending of D1 for the past half-year.",
        "property",
        "中交中央公园D1",
        D(2024, 7, 16),
        False,
    ),
    (
        "DR",
        S.GOVERNMENT,
        "关于开展高龄津贴年审的通知",
        "请80周岁以上老人或家属于{zh:2024-09-30}前携带身份证到服务大厅办理年审。\n"
        "Residents aged 80+ (or family) please renew the old-age allowance at the hall "
        "by {en:2024-09-30}.",
        "gridworker",
        "",
        None,
        False,
    ),
    (
        "SD",
        S.GOVERNMENT,
        "高坡垃圾站试运行公告",
        "高坡垃圾站及配套道路、智慧公厕已建成，{zh:2024-07-21}试运行，{zh-month:next}起正式"
        "投入使用。\nThe Gaopo garbage station, its road and smart toilet open for a trial on "
        "{en:2024-07-21}, in service from {en-month:next}.",
        "admin",
        "",
        D(2024, 7, 18),
        False,
    ),
]

# A minimal valid one-page PDF ("%PDF-" signature, one empty page), for the demo attachment.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _date_events(notice: Notice, day: D, clock: DemoClock) -> None:
    """Published at 10:00 on `day`; each earlier step a day before the next."""
    published = clock.moment(day, 10)
    Notice.objects.filter(pk=notice.pk).update(published_at=published)
    events = list(notice.events.order_by("pk"))
    for offset, event in enumerate(events):
        hours_before = 24 * (len(events) - offset - 1)
        NoticeEvent.objects.filter(pk=event.pk).update(
            at=published - datetime.timedelta(hours=hours_before)
        )


def _attach_demo_pdf(notice: Notice, author: User) -> None:
    # A fixed name: reloading the demo (every browser test does) reuses the same file.
    name = f"notices/{notice.community_id}/demo-{notice.pk}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(DEMO_PDF))
    NoticeAttachment.objects.create(
        community_id=notice.community_id,
        notice=notice,
        file=name,
        kind=NoticeAttachment.Kind.PDF,
        content_type="application/pdf",
        original_name="D4公共收益明细.pdf",
        size=len(DEMO_PDF),
        uploaded_by=author,
    )
    NoticeEvent.objects.create(
        community_id=notice.community_id,
        notice=notice,
        action="attach",
        from_status=notice.status,
        to_status=notice.status,
        actor=author,
        actor_role="property_staff",
        note="D4公共收益明细.pdf",
    )


def load_demo_data(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, Any]:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["gridworker", "communityadmin", "property", "admin"]
        )
    }
    communities = {c.code: c for c in Community.objects.filter(code__in=["DR", "SD"])}
    approver = people.get("communityadmin")
    created = 0
    clock, previous = demo_clock(), previous_demo_clock()
    for code, section, case_title, case_body, author_name, compound_name, case_day, pdf in NOTICES:
        community = communities.get(code)
        author = people.get(author_name)
        if community is None or author is None or approver is None:
            continue
        title, body = case_text(case_title, clock), case_text(case_body, clock)
        day = clock.day(case_day) if case_day else None
        found = Notice.objects.filter(community=community, title=title).first()
        if found is None and previous is not None:
            found = Notice.objects.filter(
                community=community, title=case_text(case_title, previous)
            ).first()
        if found is not None:
            if previous is not None:  # another demo today: move the notice loaded before
                Notice.objects.filter(pk=found.pk).update(title=title, body=body)
                if day is not None and found.published_at is not None:
                    _date_events(found, day, clock)
            continue
        compound = (
            Compound.objects.filter(community=community, name=compound_name).first()
            if compound_name
            else None
        )
        notice = notice_create(
            actor=author,
            community=community,
            section=section,
            title=title,
            body=body,
            compound=compound,
        )
        if pdf:
            _attach_demo_pdf(notice, author)
        notice = notice_transition(notice=notice, action="submit", actor=author)
        if day is not None:
            # Shida has no demo admin: its notice is approved by the superuser.
            approver_here = approver if code == "DR" else author
            notice = notice_transition(notice=notice, action="approve", actor=approver_here)
            _date_events(notice, day, clock)
        created += 1
    if verbosity >= 1 and out is not None:
        out.write(f"Notices demo: {created} notices created.\n")
    return {"Notice": Notice.objects.filter(community__in=communities.values()).count()}
