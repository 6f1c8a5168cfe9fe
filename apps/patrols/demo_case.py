"""The patrol side of the Dongrui demo: who covers which grid, duty rosters, and the
nightly joint patrol (grid worker + property staff + police officer + party member).

Positions are illustrative, placed on the demo's grids and compounds (WGS 84 lon/lat).
"""

from __future__ import annotations

import datetime as dt

COMMUNITY = "DR"
ADMIN = "communityadmin"

# Extra demo people (no login) who stand beside the demo accounts on the grids.
PEOPLE = [
    {
        "username": "property-dr2",
        "display_name": "罗建华",
        "role": "property_staff",
        "organisation": "瑞安物业",
        "grids": ["DR-03", "DR-05"],
    },
    {
        "username": "partymember-dr2",
        "display_name": "钱秀英",
        "role": "party_member",
        "organisation": "",
        "grids": ["DR-04", "DR-05"],
    },
]
# Building heads placed on the grid of their building (their resident membership).
BUILDING_HEADS = {"head-01": ["DR-01"], "head-05": ["DR-02"], "head-09": ["DR-03"]}

# Duty rosters (值班表): grid codes → (person, weekdays, from, until).
WEEKDAYS = [0, 1, 2, 3, 4]
WEEKEND = [5, 6]
ROSTER = [
    (["DR-01", "DR-02"], "gridworker", WEEKDAYS, dt.time(8, 30), dt.time(18, 0)),
    (["DR-01", "DR-02"], "gridworker-dr3", WEEKEND, dt.time(9, 0), dt.time(17, 0)),
    (["DR-03", "DR-04"], "gridworker-dr2", WEEKDAYS, dt.time(8, 30), dt.time(18, 0)),
    (["DR-03", "DR-04"], "gridworker", WEEKEND, dt.time(9, 0), dt.time(17, 0)),
    (["DR-05"], "gridworker-dr3", WEEKDAYS, dt.time(8, 30), dt.time(18, 0)),
    (["DR-05"], "gridworker-dr2", WEEKEND, dt.time(9, 0), dt.time(17, 0)),
    # The evening watch until the night patrol takes over.
    (
        ["DR-01", "DR-02", "DR-03", "DR-04", "DR-05"],
        "gridworker-dr2",
        [0, 2, 4],
        dt.time(18, 0),
        dt.time(22, 0),
    ),
    (
        ["DR-01", "DR-02", "DR-03", "DR-04", "DR-05"],
        "gridworker-dr3",
        [1, 3, 5, 6],
        dt.time(18, 0),
        dt.time(22, 0),
    ),
]

NIGHT_PATROL = {
    "name": "东瑞社区夜间联合巡逻",
    "grids": ["DR-01", "DR-02", "DR-04"],
    "start_time": dt.time(22, 0),
    "end_time": dt.time(6, 0),
    "notes": "网格员、物业、社区民警、党员四方联合，守好“下半夜”。",
    "team": [
        ("gridworker", "grid_worker"),
        ("property", "property_staff"),
        ("police", "police_officer"),
        ("partymember", "party_member"),
    ],
    # From the service station north between the D1 and D2 compounds, east, and back by
    # the culture corridor.
    "route": [
        (113.0284900, 28.1878600),
        (113.0286000, 28.1886000),
        (113.0286000, 28.1900000),
        (113.0286200, 28.1924000),
        (113.0310000, 28.1924000),
        (113.0310000, 28.1901000),
        (113.0297000, 28.1901000),
        (113.0297000, 28.1880000),
        (113.0284900, 28.1878600),
    ],
    "checkpoints": [
        ("一应驿站门口", (113.0284900, 28.1878600)),
        ("中交中央公园D1东门", (113.0286100, 28.1912000)),
        ("D2北侧地下车库入口", (113.0300000, 28.1924000)),
        ("牛津街停车位", (113.0297000, 28.1899500)),
        ("党建文化长廊", (113.0297000, 28.1884000)),
    ],
}

DAY_PATROL = {
    "name": "东瑞家园白天巡查",
    "grids": ["DR-03", "DR-05"],
    "start_time": dt.time(9, 0),
    "end_time": dt.time(11, 0),
    "weekdays": [1, 3],
    "notes": "",
    "team": [("gridworker-dr2", "grid_worker"), ("property-dr2", "property_staff")],
    "route": None,
    "checkpoints": [("东瑞家园大门", (113.0318000, 28.1886800))],
}

# The completed nights before today (days back → how the night went). "early" ended at
# 00:40, leaving the second half of the night unwatched; "missed" was never started;
# "remote" has one check-in made from away from its checkpoint.
PAST_NIGHTS = {1: "full", 2: "remote", 3: "early", 4: "missed", 5: "full", 6: "full"}
