"""Generated resident reports: where (near buildings, denser where people are), what, when
(over the past year, by day more than by night), and how far each got, with due times
from the category's SLA and one transition row per step taken."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from apps.reports.models import Report, ReportTransition
from apps.reports.models.reports import CODE_ALPHABET, CODE_LENGTH

from . import layout
from .copy import NULL, Progress, copy_rows, default_columns, ids, points_ewkb, timestamps

if TYPE_CHECKING:
    from apps.reports.models import Category

    from . import _City

# How common each category is (by code); others get 0.02.
CATEGORY_SHARE = {
    "repair": 0.30,
    "sanitation": 0.16,
    "garbage": 0.12,
    "elevator": 0.06,
    "drain": 0.07,
    "parking": 0.10,
    "safety": 0.03,
    "noise": 0.06,
    "complaint_property": 0.03,
    "complaint_community": 0.01,
    "other": 0.06,
}
DESCRIPTIONS = {
    "repair": ["楼道灯不亮", "单元门禁坏了", "屋顶漏水", "水管爆裂", "窗户玻璃破损"],
    "sanitation": ["路面有积水和垃圾", "绿化带杂物堆积", "楼道里有小广告"],
    "garbage": ["垃圾桶满了没人清运", "垃圾站异味大", "建筑垃圾乱堆"],
    "elevator": ["电梯停运", "电梯异响", "电梯按钮失灵"],
    "drain": ["下水道堵塞", "井盖缺失", "化粪池外溢"],
    "parking": ["车辆占用消防通道", "乱停车堵路", "充电桩损坏"],
    "safety": ["夜间有陌生人徘徊", "围墙有缺口"],
    "noise": ["夜间施工噪音", "广场舞音响太吵"],
}
# Share of each hour of the day (Asia/Shanghai) in submissions.
HOURLY = np.array(
    [
        1,
        0.5,
        0.3,
        0.3,
        0.3,
        0.5,
        1.5,
        3,
        5,
        6,
        6,
        5.5,
        4,
        4.5,
        5.5,
        5.5,
        5,
        4.5,
        4.5,
        5,
        4.5,
        3.5,
        2.5,
        1.5,
    ]
)
HOUR = np.timedelta64(3600, "s")


def tracking_codes(seed: int, count: int, taken: set[str]) -> np.ndarray:
    """`count` distinct tracking codes, none of them in `taken`. They come from their own
    generator, so the codes already in the database change none of the city's other draws."""
    rng = np.random.default_rng([seed, len(CODE_ALPHABET)])
    space = len(CODE_ALPHABET) ** CODE_LENGTH
    alphabet = np.frombuffer(CODE_ALPHABET.encode(), dtype=np.uint8)
    codes = np.empty(0, dtype=f"<U{CODE_LENGTH}")
    while len(codes) < count:
        values = rng.integers(0, space, count - len(codes) + 16)
        digits = np.empty((len(values), CODE_LENGTH), dtype=np.uint8)
        for position in range(CODE_LENGTH - 1, -1, -1):
            digits[:, position] = alphabet[values % len(CODE_ALPHABET)]
            values //= len(CODE_ALPHABET)
        drawn = digits.view(f"S{CODE_LENGTH}").ravel().astype(str)
        codes = np.concatenate([codes, drawn])
        _unique, first = np.unique(codes, return_index=True)
        codes = codes[np.sort(first)]  # the first of each, in drawing order
        if taken:
            codes = codes[~np.isin(codes, list(taken))]
    return codes[:count]


def write(city: _City, categories: list[Category], connection, cursor, progress) -> None:
    n = city.spec.reports
    if not n:
        return
    rng, g, s = city.rng, city.grids, city.slots
    # Where: 85 % next to a building (weighted by households), the rest anywhere in a grid.
    near = rng.random(n) < (0.85 if len(s.grid) else 0.0)
    n_near = int(near.sum())
    building = np.full(n, -1, dtype=np.int64)
    grid = np.empty(n, dtype=np.int64)
    x = np.empty(n)
    y = np.empty(n)
    if n_near:
        w = city.building_households.astype(float)
        chosen = rng.choice(len(w), size=n_near, p=w / w.sum())
        building[near] = chosen
        grid[near] = s.grid[chosen]
        x[near], y[near] = city.points_in(chosen, s.sx0, s.sy0, s.sx1, s.sy1, margin=0.05)
    far = ~near
    p = city.grid_weight / city.grid_weight.sum()
    grid[far] = rng.choice(len(g), size=int(far.sum()), p=p)
    x[far], y[far] = city.points_in(grid[far], g.x0, g.y0, g.x1, g.y1)
    distance = np.full(n, np.nan)
    if n_near:
        fx0, fy0, fx1, fy1 = (a[building[near]] for a in city.footprints)
        dx = np.maximum(np.maximum(fx0 - x[near], 0), x[near] - fx1) * layout.KM_PER_DEG_LON
        dy = np.maximum(np.maximum(fy0 - y[near], 0), y[near] - fy1) * layout.KM_PER_DEG_LAT
        distance[near] = np.hypot(dx, dy) * 1000

    # What.
    share = np.array([CATEGORY_SHARE.get(c.code, 0.02) for c in categories])
    cat = rng.choice(len(categories), size=n, p=share / share.sum())
    accept_h = np.array([c.accept_hours for c in categories], dtype=float)[cat]
    dispatch_h = np.array([c.dispatch_hours for c in categories], dtype=float)[cat]
    handle_h = np.array([c.handle_hours for c in categories], dtype=float)[cat]
    descriptions = np.empty(n, dtype=object)
    for i, c in enumerate(categories):
        mine = cat == i
        texts = DESCRIPTIONS.get(c.code, [f"{c.name}问题"])
        descriptions[mine] = np.array(texts, dtype=object)[rng.integers(0, len(texts), mine.sum())]

    # When: a day of the past year, an hour by the daily rhythm (Beijing time = UTC+8).
    now = np.datetime64(city.now.replace(tzinfo=None), "s")
    day_start = np.asarray(now - np.timedelta64(city.spec.days, "D")).astype("datetime64[D]")
    days = rng.integers(0, city.spec.days + 1, n)
    hours = rng.choice(24, size=n, p=HOURLY / HOURLY.sum())
    seconds = rng.integers(0, 3600, n)
    submitted = (
        day_start.astype("datetime64[s]")
        + days * np.timedelta64(1, "D")
        + (hours - 8) * HOUR
        + seconds * np.timedelta64(1, "s")
    )
    # Recent submissions beyond "now" wrap back a day, keeping the daily rhythm.
    submitted = np.where(submitted > now, submitted - np.timedelta64(1, "D"), submitted)

    # How far: each step takes an exponential time; slow cases wait three times as long.
    def hours_to(mean: np.ndarray) -> np.ndarray:
        return rng.exponential(np.maximum(mean, 0.05))

    slow = np.where(rng.random(n) < 0.08, 3.0, 1.0)
    t_accept = hours_to(accept_h * 0.4) * slow
    t_dispatch = t_accept + hours_to(0.4 * (dispatch_h - accept_h) + 0.3) * slow
    skip_start = rng.random(n) < 0.2  # fixed on the spot: handled straight from dispatched
    t_start = t_dispatch + np.where(skip_start, 0, hours_to(0.1 * handle_h))
    t_handle = t_start + hours_to(0.35 * handle_h) * slow
    t_verify = t_handle + hours_to(np.full(n, 10.0))
    t_close = t_verify + hours_to(np.full(n, 20.0))
    confirm = rng.random(n) < 0.35
    t_confirm = t_close + hours_to(np.full(n, 30.0))
    age = (now - submitted) / HOUR
    rejected = (rng.random(n) < 0.04) & (t_accept <= age)
    # A few get stuck at some step and stay there (the overdue ones staff chase).
    stall = np.where(rng.random(n) < 0.02, rng.integers(1, 5, n), 99)
    steps = np.stack([t_accept, t_dispatch, t_start, t_handle, t_verify, t_close])
    reached = (steps <= age).sum(axis=0)
    reached = np.minimum(reached, stall)
    reached = np.where(rejected, 1, reached)
    status_of = np.array(
        ["submitted", "accepted", "dispatched", "in_progress", "handled", "verified", "closed"]
    )
    status = np.where(rejected, "rejected", status_of[reached])
    # Fixed on the spot: handled straight after dispatch, never "in progress".
    status = np.where(skip_start & (status == "in_progress"), "dispatched", status)

    def at(hours: np.ndarray, mask: np.ndarray) -> np.ndarray:
        when = submitted + (hours * 3600).astype("timedelta64[s]")
        return np.where(mask, when, np.datetime64("NaT"))

    accepted_at = at(t_accept, (reached >= 1) & ~rejected)
    dispatched_at = at(t_dispatch, (reached >= 2) & ~rejected)
    handled_at = at(t_handle, (reached >= 4) & ~rejected)
    closed_at = at(t_close, (reached >= 6) & ~rejected)
    confirmed_at = at(t_confirm, (reached >= 6) & confirm & (t_confirm <= age) & ~rejected)
    due = {
        name: submitted + (h * 3600).astype("timedelta64[s]")
        for name, h in (
            ("accept_due", accept_h),
            ("dispatch_due", dispatch_h),
            ("handle_due", handle_h),
        )
    }
    sources = np.array(["web", "open311", "staff"])[rng.choice(3, size=n, p=[0.8, 0.1, 0.1])]

    taken = set(Report.objects.using(connection.alias).values_list("code", flat=True))
    codes = tracking_codes(city.spec.seed, n, taken)
    report_ids = city.first[Report] + np.arange(n)
    updated = np.maximum.reduce(
        [
            submitted,
            np.where(np.isnat(accepted_at), submitted, accepted_at),
            np.where(np.isnat(dispatched_at), submitted, dispatched_at),
            np.where(np.isnat(handled_at), submitted, handled_at),
            np.where(np.isnat(closed_at), submitted, closed_at),
        ]
    )
    community_ids = city.community_id(g.row[grid])
    submitted_text = timestamps(submitted)
    copy_rows(
        connection,
        Report,
        {
            "id": report_ids.astype(str),
            "code": codes,
            "community_id": community_ids.astype(str),
            "grid_id": city.grid_id(grid).astype(str),
            "building_id": ids(np.where(building >= 0, city.building_id(building), -1)),
            "building_distance_m": np.where(
                np.isnan(distance), NULL, np.char.mod("%.1f", np.nan_to_num(distance))
            ),
            "category_id": np.array([c.pk for c in categories])[cat].astype(str),
            "description": descriptions,
            "location": points_ewkb(x, y),
            "status": status,
            "source": sources,
            "is_anonymous": "t",
            "submitted_at": submitted_text,
            "accepted_at": timestamps(accepted_at),
            "dispatched_at": timestamps(dispatched_at),
            "handled_at": timestamps(handled_at),
            "closed_at": timestamps(closed_at),
            "confirmed_at": timestamps(confirmed_at),
            **{name: timestamps(value) for name, value in due.items()},
            "created_at": submitted_text,
            "updated_at": timestamps(updated),
        },
        n,
        progress=progress,
        phase="reports",
    )
    # The steps with no column of their own: start, verify and reject times.
    started = (reached >= 3) & ~skip_start & ~rejected
    verified = (reached >= 5) & ~rejected
    cursor.execute("DROP TABLE IF EXISTS citygen_steps")
    cursor.execute(
        "CREATE TEMP TABLE citygen_steps (report_id bigint PRIMARY KEY, skip_start boolean, "
        "started_at timestamptz, verified_at timestamptz, rejected_at timestamptz) ON COMMIT DROP"
    )
    steps_columns = {
        "report_id": report_ids.astype(str),
        "skip_start": np.where(skip_start, "t", "f"),
        "started_at": timestamps(at(t_start, started)),
        "verified_at": timestamps(at(t_verify, verified)),
        "rejected_at": timestamps(at(t_accept, rejected)),
    }
    _copy_plain(cursor, "citygen_steps", steps_columns, n)
    _write_transitions(connection, cursor, city.first[Report], progress)
    cursor.execute("DROP TABLE citygen_steps")


def _copy_plain(cursor, table: str, columns: dict[str, np.ndarray], n: int) -> None:
    import io

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    chunk = 200_000
    for start in range(0, n, chunk):
        parts = [values[start : start + chunk] for values in columns.values()]
        text = "\n".join("\t".join(row) for row in zip(*parts, strict=True)) + "\n"
        cursor.cursor.copy_expert(sql, io.StringIO(text))


# action, from, to, role, time expression, note, public, which reports
STEPS = [
    ("submit", "", "submitted", "resident", "r.submitted_at", "", False, "TRUE"),
    (
        "reject",
        "submitted",
        "rejected",
        "community_admin",
        "s.rejected_at",
        "不属于受理范围，已告知其他渠道。",
        True,
        "s.rejected_at IS NOT NULL",
    ),
    (
        "accept",
        "submitted",
        "accepted",
        "community_admin",
        "r.accepted_at",
        "",
        False,
        "r.accepted_at IS NOT NULL",
    ),
    (
        "dispatch",
        "accepted",
        "dispatched",
        "community_admin",
        "r.dispatched_at",
        "",
        False,
        "r.dispatched_at IS NOT NULL",
    ),
    (
        "start",
        "dispatched",
        "in_progress",
        "property_staff",
        "s.started_at",
        "",
        False,
        "s.started_at IS NOT NULL",
    ),
    (
        "handle",
        "in_progress",
        "handled",
        "property_staff",
        "r.handled_at",
        "已处理完毕。",
        True,
        "r.handled_at IS NOT NULL AND NOT s.skip_start",
    ),
    (
        "handle",
        "dispatched",
        "handled",
        "grid_worker",
        "r.handled_at",
        "已现场处理。",
        True,
        "r.handled_at IS NOT NULL AND s.skip_start",
    ),
    (
        "verify",
        "handled",
        "verified",
        "grid_worker",
        "s.verified_at",
        "",
        False,
        "s.verified_at IS NOT NULL",
    ),
    (
        "close",
        "verified",
        "closed",
        "community_admin",
        "r.closed_at",
        "已结案，感谢反馈。",
        True,
        "r.closed_at IS NOT NULL",
    ),
    (
        "confirm",
        "closed",
        "closed",
        "resident",
        "r.confirmed_at",
        "",
        True,
        "r.confirmed_at IS NOT NULL",
    ),
]


def _write_transitions(connection, cursor, first_report: int, progress: Progress | None) -> None:
    """One INSERT … SELECT per step: the database writes the millions of rows itself."""
    table = ReportTransition._meta.db_table
    given = [
        "report_id",
        "community_id",
        "action",
        "from_status",
        "to_status",
        "actor_role",
        "at",
        "note",
        "note_is_public",
        "target_role",
    ]
    defaults = default_columns(ReportTransition, given, connection)
    columns = ", ".join(f'"{c}"' for c in [*given, *defaults])
    extra = "".join(", %s" for _ in defaults)
    report_table = Report._meta.db_table
    for done, (action, from_s, to_s, role, when, note, public, which) in enumerate(STEPS, 1):
        target = "'property_staff'" if action == "dispatch" else "''"
        cursor.execute(
            f'INSERT INTO "{table}" ({columns}) '  # noqa: S608
            f"SELECT r.id, r.community_id, %s, %s, %s, %s, {when}, %s, %s, {target}{extra} "
            f'FROM "{report_table}" r JOIN citygen_steps s ON s.report_id = r.id '
            f"WHERE r.id >= %s AND {which}",
            [
                action,
                from_s,
                to_s,
                role,
                note,
                public,
                *[None if v == NULL else v for v in defaults.values()],
                first_report,
            ],
        )
        if progress:
            progress("history", done, len(STEPS))
