"""Generated works (工程) with a status history that leads to their status."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import numpy as np

from apps.works.models import Work, WorkStatusChange, WorkType
from apps.works.workflow import WorkStatus as S

from .copy import NULL, Progress, copy_rows, literal
from .names import FACILITY_KINDS

if TYPE_CHECKING:
    from . import _City

# status, share, the moves (action, to status) after "create" that lead to it
PATHS: list[tuple[str, float, list[tuple[str, str]]]] = [
    (S.PROPOSED, 0.10, []),
    (S.APPROVED, 0.15, [("approve", S.APPROVED)]),
    (S.UNDER_CONSTRUCTION, 0.20, [("approve", S.APPROVED), ("start", S.UNDER_CONSTRUCTION)]),
    (
        S.SUSPENDED,
        0.03,
        [("approve", S.APPROVED), ("start", S.UNDER_CONSTRUCTION), ("suspend", S.SUSPENDED)],
    ),
    (
        S.COMPLETED,
        0.15,
        [("approve", S.APPROVED), ("start", S.UNDER_CONSTRUCTION), ("complete", S.COMPLETED)],
    ),
    (
        S.ACCEPTED,
        0.12,
        [
            ("approve", S.APPROVED),
            ("start", S.UNDER_CONSTRUCTION),
            ("complete", S.COMPLETED),
            ("accept", S.ACCEPTED),
        ],
    ),
    (
        S.OPEN_TO_PUBLIC,
        0.20,
        [
            ("approve", S.APPROVED),
            ("start", S.UNDER_CONSTRUCTION),
            ("complete", S.COMPLETED),
            ("accept", S.ACCEPTED),
            ("open", S.OPEN_TO_PUBLIC),
        ],
    ),
    (S.CANCELLED, 0.05, [("cancel", S.CANCELLED)]),
]
TYPE_NAMES = {
    WorkType.NEW_BUILD: "新建",
    WorkType.RENOVATION: "改造",
    WorkType.REPAIR: "维修",
    WorkType.MAINTENANCE: "养护",
}


def write(city: _City, connection, progress: Progress | None) -> None:
    n = city.spec.works
    if not n:
        return
    rng, g = city.rng, city.grids
    p = city.grid_weight / city.grid_weight.sum()
    grid = rng.choice(len(g), size=n, p=p)
    px, py = city.points_in(grid, g.x0, g.y0, g.x1, g.y1, margin=0.1)
    from .copy import points_ewkb, rectangles_ewkb

    area = rng.random(n) < 0.3
    dx, dy = (g.x1 - g.x0)[grid] * 0.08, (g.y1 - g.y0)[grid] * 0.08
    geoms = np.empty(n, dtype=object)
    geoms[~area] = points_ewkb(px[~area], py[~area])
    geoms[area] = rectangles_ewkb(px[area], py[area], (px + dx)[area], (py + dy)[area])
    types = list(TYPE_NAMES)
    kind_i = rng.integers(0, len(FACILITY_KINDS), n)
    type_i = rng.integers(0, len(types), n)
    shares = np.array([path[1] for path in PATHS])
    path_i = rng.choice(len(PATHS), size=n, p=shares / shares.sum())
    now = city.now
    work_ids = city.first[Work] + np.arange(n)
    rows: dict[str, list[str]] = {
        k: []
        for k in (
            "name",
            "work_type",
            "facility_kind",
            "status",
            "budget",
            "actual_cost",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "created_at",
        )
    }
    history: dict[str, list[str]] = {
        k: [] for k in ("work_id", "from_status", "to_status", "action", "role", "changed_at")
    }
    for i in range(n):
        status, _share, moves = PATHS[path_i[i]]
        created = now - datetime.timedelta(days=float(rng.uniform(20, 720)))
        span = (now - created).total_seconds()
        times = [
            created + datetime.timedelta(seconds=float(s))
            for s in np.sort(rng.uniform(0, span, len(moves)))
        ]
        kind_name = FACILITY_KINDS[kind_i[i]][1]
        work_type = types[type_i[i]]
        rows["name"].append(f"{kind_name}{TYPE_NAMES[work_type]}工程 {i + 1}")
        rows["work_type"].append(str(work_type))
        rows["facility_kind"].append(
            str(FACILITY_KINDS[kind_i[i]][0]) if work_type == WorkType.NEW_BUILD else ""
        )
        rows["status"].append(str(status))
        budget = float(rng.integers(5, 500)) * 10_000
        rows["budget"].append(f"{budget:.2f}")
        done = {action: at for (action, _to), at in zip(moves, times, strict=True)}
        rows["actual_cost"].append(
            f"{budget * float(rng.uniform(0.8, 1.15)):.2f}" if "complete" in done else NULL
        )
        approved = done.get("approve", created)
        planned_start = (approved + datetime.timedelta(days=15)).date()
        rows["planned_start"].append(planned_start.isoformat())
        rows["planned_end"].append(
            (planned_start + datetime.timedelta(days=int(rng.integers(30, 240)))).isoformat()
        )
        rows["actual_start"].append(done["start"].date().isoformat() if "start" in done else NULL)
        rows["actual_end"].append(
            done["complete"].date().isoformat() if "complete" in done else NULL
        )
        rows["created_at"].append(literal(created))
        previous = ""
        for (action, to_status), at in [
            (("create", S.PROPOSED), created),
            *zip(moves, times, strict=True),
        ]:
            history["work_id"].append(str(work_ids[i]))
            history["from_status"].append(previous)
            history["to_status"].append(str(to_status))
            history["action"].append(action)
            history["role"].append("planner")
            history["changed_at"].append(literal(at))
            previous = str(to_status)
    copy_rows(
        connection,
        Work,
        {
            "id": work_ids.astype(str),
            "community_id": city.community_id(g.row[grid]).astype(str),
            "geom": geoms,
            **{k: np.array(v, dtype=object) for k, v in rows.items()},
            "updated_at": np.array(rows["created_at"], dtype=object),
        },
        n,
        progress=progress,
        phase="works",
    )
    count = len(history["work_id"])
    copy_rows(
        connection,
        WorkStatusChange,
        {k: np.array(v, dtype=object) for k, v in history.items()},
        count,
    )
