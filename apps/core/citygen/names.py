"""Names and kinds for generated places: plausible, not real."""

from __future__ import annotations

import numpy as np

from apps.facilities.models import FacilityKind

from . import layout
from .copy import lines_ewkb, points_ewkb, rectangles_ewkb

FIRST = list("东西南北新和平安兴华阳光明德仁福瑞祥湘岳麓星沙雨花芙蓉天心开望城桂枫")
SECOND = list("塘园坡湖山桥井街里湾岭港门庄苑洲冲桥")


def community_names(rng: np.random.Generator, count: int) -> np.ndarray:
    a = rng.choice(FIRST, count)
    b = rng.choice(FIRST, count)
    c = rng.choice(SECOND, count)
    return np.char.add(np.char.add(np.char.add(a, b), c), "社区")


# kind, Chinese name, share, geometry ("point", "line" or "area")
FACILITY_KINDS = [
    (FacilityKind.GARBAGE_STATION, "垃圾站", 0.2, "point"),
    (FacilityKind.FITNESS_COURT, "健身场所", 0.12, "area"),
    (FacilityKind.CULTURE_CORRIDOR, "文化长廊", 0.04, "line"),
    (FacilityKind.PUBLIC_TOILET, "公厕", 0.12, "point"),
    (FacilityKind.PARKING, "停车场", 0.12, "area"),
    (FacilityKind.COURIER_REST_STATION, "快递小哥红色之家", 0.03, "point"),
    (FacilityKind.SERVICE_STATION, "一应驿站", 0.05, "point"),
    (FacilityKind.ELEVATOR, "电梯", 0.12, "point"),
    (FacilityKind.FENCE, "围墙", 0.06, "line"),
    (FacilityKind.DRAIN, "下水道", 0.08, "point"),
    (FacilityKind.SCHOOL, "学校", 0.03, "area"),
    (FacilityKind.SHOPS, "商铺", 0.03, "point"),
]
STATUSES = np.array(["in_service", "planned", "under_construction", "closed"])


def facility_rows(rng: np.random.Generator, grids: layout.Cells, grid: np.ndarray):
    """Kinds, hex EWKB shapes, names and statuses of facilities in the given grids."""
    n = len(grid)
    shares = np.array([k[2] for k in FACILITY_KINDS])
    which = rng.choice(len(FACILITY_KINDS), size=n, p=shares / shares.sum())
    kinds = np.array([str(k[0]) for k in FACILITY_KINDS])[which]
    shape = np.array([k[3] for k in FACILITY_KINDS])[which]
    x0, y0, x1, y1 = (a[grid] for a in (grids.x0, grids.y0, grids.x1, grids.y1))
    u = rng.uniform(0.1, 0.8, (2, n))
    px = x0 + u[0] * (x1 - x0)
    py = y0 + u[1] * (y1 - y0)
    dx, dy = (x1 - x0) * 0.1, (y1 - y0) * 0.1
    geoms = np.empty(n, dtype=object)
    point, line, area = shape == "point", shape == "line", shape == "area"
    geoms[point] = points_ewkb(px[point], py[point])
    geoms[line] = lines_ewkb(px[line], py[line], px[line] + dx[line], py[line])
    geoms[area] = rectangles_ewkb(px[area], py[area], px[area] + dx[area], py[area] + dy[area])
    label = np.array([k[1] for k in FACILITY_KINDS])[which]
    names = np.char.add(label, np.char.add((np.arange(n) + 1).astype(str), "号"))
    statuses = STATUSES[rng.choice(4, size=n, p=[0.88, 0.05, 0.05, 0.02])]
    return kinds, geoms, names, statuses
