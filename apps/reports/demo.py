"""Demo reports in Dongrui (one in each state, and one sent back for rework) and one in Shida.

Each report is filed and moved on through the services, as the demo accounts would do it
from the pages (with times in the recent past), so every step is a recorded transition the
table allows. The feedback photos are drawn here with Pillow, re-encoded by the same photo
pipeline as uploads, and stored under fixed names, so reloading writes no new files.

Idempotent: a report is identified by its submission key ("demo-…"); one that exists is
left alone, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.accounts.models import Organisation, User
from apps.core.demo import Writer, demo_clock
from apps.core.photos import photo_process

from . import notifications, services
from .models import Report, ReportPhoto
from .services import categories_ensure
from .states import Action

H = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class DemoReport:
    key: str
    category: str
    description: str
    lon: float
    lat: float
    hours_ago: float
    # (action, by, hours after submission, note, extra): by is a demo username, or
    # "resident" for the tracking-code holder.
    steps: tuple[tuple[str, str, float, str, dict[str, Any]], ...] = ()
    reporter: str = ""
    contact_email: str = ""
    me_toos: int = 0
    feedback_photo: str = ""  # a colour theme for the drawn feedback photo

    @property
    def submission_key(self) -> str:
        return self.key.ljust(16, "-")  # submission keys are at least 16 characters


PROPERTY = {"organisation": "中交物业"}
POLICE = {"organisation": "东岸派出所"}

# Points are placed beside the demo buildings (their footprint centroids, read from PostGIS).
DEMO_REPORTS = (
    DemoReport(
        "demo-dr-submitted",
        "drain",
        "D2-3栋北侧下水道井盖松动，踩上去会晃，晚上看不清很危险。",
        113.02946,
        28.19224,
        hours_ago=2.5,
        me_toos=2,
    ),
    DemoReport(
        "demo-dr-accepted",
        "parking",
        "D1-4栋门口夜间经常有车辆占用消防通道。",
        113.02815,
        28.19195,
        hours_ago=5,
        steps=(("accept", "gridworker", 0.5, "", {}),),
    ),
    DemoReport(
        "demo-dr-rejected",
        "other",
        "希望小区里增加一台自动售货机。",
        113.03170,
        28.19005,
        hours_ago=30,
        steps=(("reject", "communityadmin", 2, "不属于报事报修范围，已作为建议转告物业。", {}),),
    ),
    DemoReport(
        "demo-dr-dispatched",
        "elevator",
        "D1-2栋2号电梯经常停在5楼不动，老人上下楼很不方便。",
        113.02810,
        28.19062,
        hours_ago=30,
        steps=(
            ("accept", "gridworker", 0.5, "", {}),
            ("dispatch", "communityadmin", 1.5, "请物业尽快安排维保单位检修。", PROPERTY),
        ),
    ),
    DemoReport(
        "demo-dr-in-progress",
        "garbage",
        "D4-2栋旁垃圾桶满溢，两天没有清运，气味很大。",
        113.02905,
        28.18915,
        hours_ago=10,
        steps=(
            ("accept", "communityadmin", 1, "", {}),
            ("dispatch", "communityadmin", 1.2, "", PROPERTY),
            ("start", "property", 3, "已安排清运车，今天下午到。", {}),
        ),
    ),
    DemoReport(
        "demo-dr-handled",
        "sanitation",
        "D2-1栋前花坛堆了很多装修垃圾。",
        113.02930,
        28.19060,
        hours_ago=20,
        reporter="resident",
        steps=(
            ("accept", "communityadmin", 1, "", {}),
            ("dispatch", "communityadmin", 1.5, "", {"user": "gridworker"}),
            ("handle", "gridworker", 6, "已联系装修业主和施工方，装修垃圾已全部清走。", {}),
        ),
        feedback_photo="garden",
    ),
    DemoReport(
        "demo-dr-verified",
        "repair",
        "D3-1栋2单元楼道灯不亮，晚上上下楼摸黑。",
        113.03175,
        28.19095,
        hours_ago=50,
        steps=(
            ("accept", "communityadmin", 1, "", {}),
            ("dispatch", "communityadmin", 2, "", PROPERTY),
            ("start", "property", 5, "", {}),
            ("handle", "property", 20, "已更换2单元1至6楼的声控灯。", {}),
            ("verify", "communityadmin", 26, "夜间现场查看，灯已亮。", {}),
        ),
        feedback_photo="stairs",
    ),
    DemoReport(
        "demo-dr-closed",
        "repair",
        "中交中央公园D1围墙多处破损倒塌，有安全隐患。",
        113.02675,
        28.19100,
        # Five months before the news report (the case's 20 February): the joint meeting
        # three days later had the fence rebuilt (apps.works.demo_case, from March to June).
        hours_ago=24 * 152,
        reporter="resident",
        contact_email="resident@example.org",
        me_toos=3,
        steps=(
            ("accept", "gridworker", 0.5, "", {}),
            ("dispatch", "communityadmin", 1, "先设置临时围挡，重建方案提交联席会议。", PROPERTY),
            ("start", "property", 3, "", {}),
            (
                "defer",
                "communityadmin",
                30,
                "围墙重建需联席会议决定出资方，延期两周。",
                {"hours": 336},
            ),
            (
                "handle",
                "property",
                24 * 12,
                "临时围挡已设置；联席会议议定由开发商出资重建围墙，重建进度见工程公示。",
                {},
            ),
            ("verify", "gridworker", 24 * 13, "", {}),
            ("close", "communityadmin", 24 * 13 + 2, "感谢居民监督。", {}),
        ),
        feedback_photo="fence",
    ),
    DemoReport(
        "demo-dr-disputed",
        "noise",
        "D4-1栋楼下广场晚上十点后音响声音还很大。",
        113.02735,
        28.18880,
        hours_ago=72,
        steps=(
            ("accept", "communityadmin", 1, "", {}),
            ("dispatch", "communityadmin", 1.5, "", POLICE),
            ("handle", "police", 20, "已与广场舞队沟通，晚九点半前结束。", {}),
            ("dispute", "resident", 48, "昨晚十点半还在放音乐。", {}),
        ),
    ),
    DemoReport(
        "demo-sd-submitted",
        "garbage",
        "高坡垃圾站门口有垃圾散落，没有及时清扫。",
        112.94150,
        28.18880,
        hours_ago=1,
    ),
)

THEMES = {
    "garden": ((120, 170, 90), (90, 70, 50)),
    "stairs": ((210, 205, 190), (250, 240, 160)),
    "fence": ((150, 160, 170), (70, 110, 60)),
}


def _drawn_photo(theme: str) -> bytes:
    """A small JPEG standing in for a worker's photo: a background and a few shapes."""
    background, accent = THEMES[theme]
    image = Image.new("RGB", (640, 480), background)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.rectangle((40 + i * 95, 260 - i * 12, 110 + i * 95, 440), fill=accent)
    draw.ellipse((470, 40, 590, 160), fill=(250, 250, 235))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class _ReportsDemo:
    def __init__(self) -> None:
        self.users = {u.username: u for u in User.objects.filter(username__in=self._usernames())}
        self.counts: Counter[str] = Counter()
        self.now = demo_clock().now().replace(second=0, microsecond=0)

    @staticmethod
    def _usernames() -> set[str]:
        names = {"gridworker", "communityadmin", "property", "police", "resident"}
        for demo in DEMO_REPORTS:
            names.update(s[4]["user"] for s in demo.steps if "user" in s[4])
        return names

    def load(self, demo: DemoReport) -> bool:
        if Report.objects.filter(idempotency_key=demo.submission_key).exists():
            return False
        submitted = self.now - demo.hours_ago * H
        reporter = self.users.get(demo.reporter) if demo.reporter else None
        report = services.report_submit(
            category=demo.category,
            description=demo.description,
            lon=demo.lon,
            lat=demo.lat,
            reporter=reporter,
            contact_email=demo.contact_email,
            idempotency_key=demo.submission_key,
            client_ip=f"demo:{demo.key}",
            at=submitted,
        ).report
        for n in range(demo.me_toos):
            services.report_me_too(report=report, client_ip=f"demo:{demo.key}:{n}")
        for action, by, after, note, extra in demo.steps:
            report = self.step(report, action, by, submitted + after * H, note, extra)
            if action == Action.HANDLE and demo.feedback_photo:
                self.photo(report, demo)
        return True

    def step(
        self, report: Report, action: str, by: str, at: datetime.datetime, note: str, extra: dict
    ) -> Report:
        actor: Any = self.users.get(by)  # None for the resident's own steps
        if action == Action.ACCEPT:
            return services.report_accept(report=report, actor=actor, note=note, at=at)
        if action == Action.REJECT:
            return services.report_reject(report=report, actor=actor, reason=note, at=at)
        if action == Action.DISPATCH:
            to_user = self.users.get(extra.get("user", ""))
            organisation = Organisation.objects.filter(name=extra.get("organisation", "")).first()
            return services.report_dispatch(
                report=report,
                actor=actor,
                to_user=to_user,
                to_organisation=organisation,
                note=note,
                at=at,
            )
        if action == Action.START:
            return services.report_start(report=report, actor=actor, note=note, at=at)
        if action == Action.HANDLE:
            return services.report_handle(report=report, actor=actor, feedback=note, at=at)
        if action == Action.VERIFY:
            return services.report_verify(report=report, actor=actor, note=note, at=at)
        if action == Action.CLOSE:
            return services.report_close(report=report, actor=actor, note=note, at=at)
        if action == Action.DEFER:
            return services.report_defer(
                report=report,
                actor=actor,
                hours=extra["hours"],
                reason=note,
                at=at,
            )
        if action == Action.DISPUTE:
            return services.report_dispute(report=report, reason=note, at=at)
        raise ValueError(f"The demo does not know the step {action!r}.")

    def photo(self, report: Report, demo: DemoReport) -> None:
        """Attach the drawn feedback photo to the report's handling step."""
        transition = report.transitions.filter(action=Action.HANDLE).latest("at")
        name = f"reports/demo/{demo.key}"
        drawn = SimpleUploadedFile(f"{demo.feedback_photo}.jpg", _drawn_photo(demo.feedback_photo))
        processed = photo_process(drawn)
        row = ReportPhoto(
            report=report,
            community_id=report.community_id,
            transition=transition,
            stage=ReportPhoto.Stage.FEEDBACK,
            width=processed.width,
            height=processed.height,
            original_name=processed.original_name,
        )
        for field_name, content, suffix in (
            ("file", processed.image, ".jpg"),
            ("thumbnail", processed.thumbnail, "-thumb.jpg"),
        ):
            path = name + suffix
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(content.read()))
            getattr(row, field_name).name = path
        row.save()


def load_demo_data(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, int]:
    """File the demo reports that are not there yet; return how many demo reports exist."""
    categories_ensure()  # a flushed test database has lost the migration's categories
    demo = _ReportsDemo()
    with notifications.email_muted():  # demo data mails nobody
        created = sum(demo.load(report) for report in DEMO_REPORTS)
    if verbosity >= 1 and out is not None:
        out.write(f"Demo reports: {created} created, {len(DEMO_REPORTS) - created} unchanged.\n")
    keys = [d.submission_key for d in DEMO_REPORTS]
    return {"Report": Report.objects.filter(idempotency_key__in=keys).count()}
