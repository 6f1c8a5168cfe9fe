"""The case's works as data, read by apps.works.demo.

Each work names its facility by natural key (community, kind, name), its history as the
moves of the transition table with their dates, and its progress updates. The case gives:
15 fitness sites (5 done, among them the Wangfu Garden tennis court, all due by the end of
September), the D1 fence rebuilt with 2,000,000+ yuan from 中交地产, 80+ parking spaces on
Oxford Street, the D4 elevator overhaul paid by the property company (500,000+ yuan), and
the Gaopo garbage station with its road and smart toilet (trial from 21 July, in service
from August). The news report is of 21 July: that day is the demo's today. Dates are written
in the case's time, around 21 July 2024 (`apps.core.demo.CASE_TODAY`), and the loader moves
them to the demo's time; texts name dates as `{zh:2024-07-21}` (see `case_text`). Other
dates, contractors and progress texts are illustrative. As of 21 July: 5 of the 15 sites done,
the others on schedule but one (the Mawangdui fitness trail, waiting for equipment); the D1
fence and the Oxford Street parking done; the D4 elevators being overhauled; the Gaopo road
open, the station and the toilet finished, on trial from today and in service next month.
"""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date

FITNESS_PROGRAMME: dict[str, Any] = {
    "name": "芙蓉区公益性室外健身场所",
    "name_en": "Furong District public outdoor fitness sites",
    "district": "430102",
    "owner": "芙蓉区文化旅游体育局",
    "target_count": 15,
    "start_date": D(2024, 3, 1),
    # "All due by the end of September".
    "deadline": D(2024, 9, 30),
    "description": "全区15处公益性室外健身场所，9月底前全部完工。15 public outdoor fitness "
    "sites across the district, all due by the end of September.",
}
CONTRACTOR = "湘建示例工程有限公司"  # illustrative

# The fitness sites not yet done: facility name → (history, planned start, planned end,
# progress). History entries are (action, date, note).
FITNESS_UNDERWAY: dict[str, tuple[list[tuple[str, D, str]], D, D, list[tuple[D, int, str]]]] = {
    "马王堆篮球场": (
        [("approve", D(2024, 5, 20), ""), ("start", D(2024, 6, 1), "")],
        D(2024, 6, 1), D(2024, 8, 31),
        [(D(2024, 6, 20), 30, "场地平整完成。Ground levelled."),
         (D(2024, 7, 15), 70, "面层铺设完成。Surface laid.")],
    ),
    "马王堆乒乓球场": (
        [("approve", D(2024, 5, 28), ""), ("start", D(2024, 6, 10), "")],
        D(2024, 6, 10), D(2024, 9, 15),
        [(D(2024, 7, 20), 40, "基础浇筑完成。Foundations poured.")],
    ),
    "马王堆健身路径": (
        [("approve", D(2024, 6, 3), ""), ("start", D(2024, 6, 15), "")],
        D(2024, 6, 15), D(2024, 9, 20),
        [(D(2024, 7, 18), 10, "器材到货延迟。Equipment delivery delayed.")],
    ),
    "朝阳笼式足球场": (
        [("approve", D(2024, 6, 20), ""), ("start", D(2024, 7, 1), "")],
        D(2024, 7, 1), D(2024, 9, 25),
        [(D(2024, 7, 16), 25, "围网立柱安装。Cage posts going up.")],
    ),
    "朝阳乒乓球场": (
        [("approve", D(2024, 6, 20), ""), ("start", D(2024, 7, 1), "")],
        D(2024, 7, 1), D(2024, 9, 10),
        [(D(2024, 7, 17), 50, "球台已安装一半。Half the tables installed.")],
    ),
    "朝阳羽毛球场": (
        [("approve", D(2024, 6, 25), ""), ("start", D(2024, 7, 5), "")],
        D(2024, 7, 5), D(2024, 9, 25),
        [(D(2024, 7, 19), 35, "场地硬化。Court base hardened.")],
    ),
    "中交中央公园健身角": (
        [("approve", D(2024, 7, 10), "")], D(2024, 8, 15), D(2024, 9, 30), [],
    ),
    "马王堆羽毛球场": (
        [("approve", D(2024, 7, 12), "")], D(2024, 8, 20), D(2024, 9, 30), [],
    ),
    "马王堆门球场": (
        [("approve", D(2024, 7, 8), "选址调整后批准。Approved once the site was moved.")],
        D(2024, 8, 1), D(2024, 9, 30), [],
    ),
    # Proposed: waiting for approval, planned to be built by the deadline.
    "朝阳全民健身广场": ([], D(2024, 8, 10), D(2024, 9, 28), []),
}  # fmt: skip

# Works outside the programme. `facility` is (kind, name) in the work's community;
# `site` lists facilities whose points make the site when there is no single facility.
CASE_WORKS: list[dict[str, Any]] = [
    {
        "community": "DR",
        "name": "中交中央公园D1围墙重建",
        "name_en": "CCCC Central Park D1 fence rebuild",
        "facility": ("fence", "中交中央公园D1围墙"),
        "work_type": "renovation",
        "contractor": CONTRACTOR,
        "budget": "2000000",
        "funders": [("中交地产", "2000000", "200万元以上 2,000,000+ yuan")],
        "planned": (D(2024, 3, 10), D(2024, 6, 30)),
        "actual": (D(2024, 3, 12), D(2024, 6, 25)),
        "by": "communityadmin",
        "history": [
            ("approve", D(2024, 3, 1), "联席会议议定。Agreed at the joint meeting."),
            ("start", D(2024, 3, 12), ""),
            ("complete", D(2024, 6, 25), "新围墙完工。New fence finished."),
            ("accept", D(2024, 7, 2), "社区与业主代表验收。Inspected with residents."),
        ],
        "progress": [
            (D(2024, 4, 20), 40, "旧围墙拆除完成。Old fence removed."),
            (D(2024, 6, 25), 100, "新围墙完工。New fence finished."),
        ],
        "description": "开发商出资200万元以上重建围墙。The developer pays 2,000,000+ yuan "
        "to rebuild the fence.",
    },
    {
        "community": "DR",
        "name": "牛津街停车位修缮",
        "name_en": "Oxford Street parking repair (80+ spaces)",
        "facility": ("parking", "牛津街停车位"),
        "work_type": "repair",
        "planned": (D(2024, 4, 1), D(2024, 5, 31)),
        "actual": (D(2024, 4, 3), D(2024, 5, 28)),
        "by": "communityadmin",
        "history": [
            ("approve", D(2024, 3, 25), ""),
            ("start", D(2024, 4, 3), ""),
            ("complete", D(2024, 5, 28), ""),
            ("accept", D(2024, 5, 30), ""),
            ("open", D(2024, 6, 1), "80余个车位投入使用。80+ spaces in use."),
        ],
        "progress": [(D(2024, 5, 28), 100, "80个车位划线完成。80 spaces marked.")],
        "description": "修缮牛津街停车位80余个。80+ parking spaces on Oxford Street repaired.",
    },
    {
        "community": "DR",
        "name": "中交中央公园D4电梯大修",
        "name_en": "CCCC Central Park D4 elevator overhaul",
        "site": [("elevator", "中交中央公园D4-1栋电梯"), ("elevator", "中交中央公园D4-2栋电梯")],
        "work_type": "renovation",
        "budget": "500000",
        "funders": [("中交物业", "500000", "50万元以上 500,000+ yuan")],
        "planned": (D(2024, 6, 1), D(2024, 8, 31)),
        "actual": (D(2024, 6, 5), None),
        "by": "communityadmin",
        "history": [
            ("approve", D(2024, 5, 25), ""),
            ("start", D(2024, 6, 5), ""),
        ],
        "progress": [
            (D(2024, 7, 1), 50, "D4-1栋电梯完成。D4-1 done."),
        ],
        "description": "D4-1、D4-2栋电梯大修，物业公司出资50万元以上。Overhaul of the D4-1 "
        "and D4-2 elevators, paid by the property company (500,000+ yuan).",
    },
    {
        "community": "SD",
        "name": "高坡垃圾站新建",
        "name_en": "Gaopo garbage station (new)",
        "facility": ("garbage_station", "高坡垃圾站"),
        "work_type": "new_build",
        "contractor": CONTRACTOR,
        "planned": (D(2024, 4, 15), D(2024, 7, 31)),
        "actual": (D(2024, 4, 15), D(2024, 7, 20)),
        "by": "planner",
        "history": [
            ("approve", D(2024, 4, 1), ""),
            ("start", D(2024, 4, 15), ""),
            (
                "complete",
                D(2024, 7, 20),
                "完工，{zh:2024-07-21}起试运行，{zh-month:next}起正式投入使用。Finished; "
                "trial run from {en:2024-07-21}, in service from {en-month:next}.",
            ),
        ],
        "progress": [
            (D(2024, 6, 10), 60, "主体结构完成。Structure finished."),
            (D(2024, 7, 20), 100, "完工，准备试运行。Finished, ready for the trial run."),
        ],
    },
    {
        "community": "SD",
        "name": "高坡道路改造",
        "name_en": "Gaopo access road renovation",
        "facility": ("road", "高坡道路"),
        "work_type": "renovation",
        "contractor": CONTRACTOR,
        "planned": (D(2024, 5, 1), D(2024, 7, 31)),
        "actual": (D(2024, 5, 1), D(2024, 7, 15)),
        "by": "planner",
        "history": [
            ("approve", D(2024, 4, 1), ""),
            ("start", D(2024, 5, 1), ""),
            ("complete", D(2024, 7, 15), ""),
            ("accept", D(2024, 7, 18), ""),
            ("open", D(2024, 7, 20), ""),
        ],
        "progress": [(D(2024, 7, 15), 100, "路面铺装完成。Road surfaced.")],
    },
    {
        "community": "SD",
        "name": "高坡智慧公厕新建",
        "name_en": "Gaopo smart public toilet (new)",
        "facility": ("public_toilet", "高坡智慧公厕"),
        "work_type": "new_build",
        "contractor": CONTRACTOR,
        "planned": (D(2024, 5, 10), D(2024, 7, 31)),
        "actual": (D(2024, 5, 10), D(2024, 7, 20)),
        "by": "planner",
        "history": [
            ("approve", D(2024, 4, 1), ""),
            ("start", D(2024, 5, 10), ""),
            (
                "complete",
                D(2024, 7, 20),
                "完工，与垃圾站同日试运行，{zh-month:next}起开放。Finished; trial run "
                "with the station, open from {en-month:next}.",
            ),
        ],
        "progress": [(D(2024, 7, 20), 100, "设备调试完成。Equipment commissioned.")],
    },
]
