"""A whole generated city for scale work: `generate_city(CitySpec(...))`.

Districts, subdistricts, communities, grids that tile them exactly, compounds, buildings,
facilities, works (with their status history) and resident reports (with their
transitions), placed around Changsha and written with COPY into the real tables, so every
constraint and index of the schema applies. The same spec (seed and `now` included) gives
the same city.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db import connections, transaction

from apps.facilities.models import Facility
from apps.regions.models import Building, Community, Compound, District, Grid, Subdistrict
from apps.reports.models import Category, Report, ReportTransition
from apps.works.models import Work, WorkStatusChange

from . import layout, reports, works
from .copy import (
    NULL,
    Progress,
    copy_rows,
    ids,
    indexes_and_keys_rebuilt,
    numbers,
    points_ewkb,
    rectangles_ewkb,
)
from .names import community_names, facility_rows

# Tables written with explicit ids, locked while we write so the ids stay ours.
ID_MODELS = (
    District,
    Subdistrict,
    Community,
    Grid,
    Compound,
    Building,
    Facility,
    Work,
    Report,
)

# From this many reports and buildings on, indexes and foreign keys of the big tables are
# dropped while loading and rebuilt after (see copy.indexes_and_keys_rebuilt).
BULK_REBUILD_ROWS = 100_000

DISTRICTS = [
    ("芙蓉区", "Furong"),
    ("天心区", "Tianxin"),
    ("岳麓区", "Yuelu"),
    ("开福区", "Kaifu"),
    ("雨花区", "Yuhua"),
    ("望城区", "Wangcheng"),
]


@dataclass(frozen=True)
class CitySpec:
    communities: int = 1_200
    grids: int = 20_000
    buildings: int = 300_000
    compounds: int = 6_000
    facilities: int = 12_000
    works: int = 3_000
    reports: int = 1_000_000
    seed: int = 1
    # Codes of everything generated start with this, so a city never collides with the demo.
    prefix: str = "GC"
    # Reports are spread over the year before this moment (default: now, to the hour).
    now: datetime.datetime | None = None
    days: int = 365

    def check(self) -> None:
        if self.communities < 1:
            raise ValueError("A city needs at least one community.")
        if self.grids < self.communities:
            raise ValueError("Every community needs at least one grid: grids ≥ communities.")
        for name in ("buildings", "compounds", "facilities", "works", "reports"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative.")
        if self.compounds > self.grids:
            raise ValueError("At most one compound per grid: compounds ≤ grids.")
        if self.buildings == 0 and self.compounds:
            raise ValueError("Compounds need buildings.")
        if len(self.prefix) > 12 or not self.prefix.isalnum():
            raise ValueError("The prefix is up to 12 letters or digits.")


@dataclass
class Timings:
    phases: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, step: Callable[[], None]) -> None:
        start = time.perf_counter()
        step()
        self.phases[name] = time.perf_counter() - start


def _next_ids(cursor, models_: tuple) -> dict[type, int]:
    first = {}
    for model in models_:
        table = model._meta.db_table
        cursor.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"')  # noqa: S608
        first[model] = cursor.fetchone()[0]
    return first


def _reset_sequences(cursor, models_: tuple) -> None:
    for model in (*models_, ReportTransition, WorkStatusChange):
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
            f'coalesce(max(id), 0) + 1, false) FROM "{table}"'
        )


def ensure_categories(using: str) -> list[Category]:
    from apps.reports.category_defaults import DEFAULT_CATEGORIES, category_values

    existing = set(Category.objects.using(using).values_list("code", flat=True))
    Category.objects.using(using).bulk_create(
        Category(code=row[0], **category_values(order, row))
        for order, row in enumerate(DEFAULT_CATEGORIES)
        if row[0] not in existing
    )
    return list(Category.objects.using(using).filter(is_active=True).order_by("sort_order", "pk"))


def generate_city(
    spec: CitySpec, *, using: str = "default", progress: Progress | None = None
) -> dict[str, float]:
    """Write the city of `spec` into database `using`; returns seconds per phase.

    One transaction: a failure leaves the database as it was.
    """
    spec.check()
    now = spec.now or datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    rng = np.random.default_rng(spec.seed)
    connection = connections[using]
    timings = Timings()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if Community.objects.using(using).filter(code__startswith=spec.prefix + "-").exists():
            raise ValueError(
                f"This database already holds a city with prefix {spec.prefix!r}: "
                "choose another --prefix or another database."
            )
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Keys are checked at the end of each statement, not at commit: the key rebuild
        # below may not alter tables with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        tables = ", ".join(f'"{m._meta.db_table}"' for m in ID_MODELS)
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        first = _next_ids(cursor, ID_MODELS)
        categories = ensure_categories(using)
        city = _City(spec, rng, first, now)

        timings.run("areas", lambda: city.write_areas(connection, progress))
        big = [m._meta.db_table for m in (Building, Report, ReportTransition)]
        # Rebuilding indexes pays off for big loads only; small cities keep them.
        rebuild = spec.reports + spec.buildings >= BULK_REBUILD_ROWS
        with indexes_and_keys_rebuilt(cursor, big if rebuild else [], timings.phases):
            timings.run("buildings", lambda: city.write_buildings(connection, progress))
            timings.run("facilities", lambda: city.write_facilities(connection, progress))
            timings.run("works", lambda: works.write(city, connection, progress))
            timings.run(
                "reports", lambda: reports.write(city, categories, connection, cursor, progress)
            )
        _reset_sequences(cursor, ID_MODELS)

    # Fresh statistics, so the planner sees a million rows rather than the empty tables.
    with connection.cursor() as cursor:
        start = time.perf_counter()
        for model in (*ID_MODELS, ReportTransition, WorkStatusChange):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        timings.phases["analyze"] = time.perf_counter() - start
    return timings.phases


class _City:
    """The generated shapes and numbers, shared by the writers."""

    def __init__(self, spec: CitySpec, rng: np.random.Generator, first: dict, now) -> None:
        self.spec = spec
        self.rng = rng
        self.first = first
        self.now = now
        self.communities = layout.community_cells(rng, spec.communities)
        radius = float(np.sqrt(spec.communities * layout.COMMUNITY_KM2 / np.pi))
        centres = layout.density_centres(rng)
        people = layout.density(centres, self.communities.cx, self.communities.cy, radius)
        self.grids_per_community = layout.allocate(
            spec.grids, self.communities.area_km2 * people, minimum=1
        )
        self.grids = layout.grid_cells(rng, self.communities, self.grids_per_community)
        self.grid_density = layout.density(centres, self.grids.cx, self.grids.cy, radius)
        weight = self.grids.area_km2 * self.grid_density * rng.lognormal(0, 0.4, len(self.grids))
        self.grid_weight = weight
        self.buildings_per_grid = layout.allocate(spec.buildings, weight)
        self.slots = layout.building_slots(self.grids, self.buildings_per_grid)
        # Compounds: the grids with the most buildings are likeliest to be one compound.
        candidates = np.flatnonzero(self.buildings_per_grid > 0)
        if spec.compounds > len(candidates):
            raise ValueError(
                f"Only {len(candidates)} grids have buildings: ask for fewer compounds."
            )
        p = self.buildings_per_grid[candidates].astype(float)
        chosen = rng.choice(candidates, size=spec.compounds, replace=False, p=p / p.sum())
        self.compound_grids = np.sort(chosen)
        self.compound_of_grid = np.full(len(self.grids), -1, dtype=np.int64)
        self.compound_of_grid[self.compound_grids] = first[Compound] + np.arange(spec.compounds)

    # ids ------------------------------------------------------------------------------
    def community_id(self, index: np.ndarray) -> np.ndarray:
        return self.first[Community] + index

    def grid_id(self, index: np.ndarray) -> np.ndarray:
        return self.first[Grid] + index

    def building_id(self, index: np.ndarray) -> np.ndarray:
        return self.first[Building] + index

    def community_code(self, index: np.ndarray) -> np.ndarray:
        return np.char.add(f"{self.spec.prefix}-", np.char.zfill((index + 1).astype(str), 5))

    # areas ----------------------------------------------------------------------------
    def write_areas(self, connection, progress: Progress | None) -> None:
        spec, c = self.spec, self.communities
        n = len(c)
        # Districts are sectors around the centre; subdistricts ~12 neighbouring communities.
        angle = np.arctan2(c.cy - layout.CENTRE_LAT, c.cx - layout.CENTRE_LON)
        n_districts = min(len(DISTRICTS), n)
        sector = ((angle + np.pi) / (2 * np.pi) * n_districts).astype(np.int64) % n_districts
        order = np.lexsort((c.cx, c.row, sector))
        per_sub = 12
        subdistrict_of = np.empty(n, dtype=np.int64)
        sub_district: list[int] = []
        next_sub = 0
        for d in range(n_districts):
            members = order[sector[order] == d]
            for start in range(0, len(members), per_sub):
                subdistrict_of[members[start : start + per_sub]] = next_sub
                sub_district.append(d)
                next_sub += 1
        district_ids = self.first[District] + np.arange(n_districts)
        copy_rows(
            connection,
            District,
            {
                "id": district_ids.astype(str),
                "code": np.array([f"{spec.prefix}-D{d + 1}" for d in range(n_districts)]),
                "name": np.array([DISTRICTS[d][0] for d in range(n_districts)]),
                "name_en": np.array([f"{DISTRICTS[d][1]} (generated)" for d in range(n_districts)]),
            },
            n_districts,
        )
        subs = np.arange(next_sub)
        copy_rows(
            connection,
            Subdistrict,
            {
                "id": (self.first[Subdistrict] + subs).astype(str),
                "district_id": district_ids[np.array(sub_district)].astype(str),
                "code": np.array([f"{spec.prefix}-S{s + 1:03d}" for s in subs]),
                "name": np.array([f"第{s + 1}街道" for s in subs]),
                "name_en": np.array([f"Subdistrict {s + 1}" for s in subs]),
            },
            next_sub,
        )
        index = np.arange(n)
        area = c.area_km2
        population = (area * self.grids_per_community * 700).astype(np.int64) + 2000
        names = community_names(self.rng, n)
        copy_rows(
            connection,
            Community,
            {
                "id": self.community_id(index).astype(str),
                "subdistrict_id": (self.first[Subdistrict] + subdistrict_of).astype(str),
                "code": self.community_code(index),
                "name": names,
                "name_en": np.char.add("Community ", (index + 1).astype(str)),
                "boundary": rectangles_ewkb(c.x0, c.y0, c.x1, c.y1, multi=True),
                "population": population.astype(str),
                "households": (population // 3).astype(str),
                "service_hall_hours": "08:30–17:30",
            },
            n,
            progress=progress,
            phase="areas",
        )
        g = self.grids
        gi = np.arange(len(g))
        first_of_parent = np.cumsum(self.grids_per_community) - self.grids_per_community
        local = gi - first_of_parent[g.row] + 1
        local_text = np.char.zfill(local.astype(str), 2)
        copy_rows(
            connection,
            Grid,
            {
                "id": self.grid_id(gi).astype(str),
                "community_id": self.community_id(g.row).astype(str),
                "code": np.char.add("W", local_text),
                "name": np.char.add(np.char.add("第", local.astype(str)), "网格"),
                "name_en": np.char.add("Grid ", local.astype(str)),
                "boundary": rectangles_ewkb(g.x0, g.y0, g.x1, g.y1),
            },
            len(g),
            progress=progress,
            phase="grids",
        )
        cg = self.compound_grids
        x0, y0, x1, y1 = layout.inset(g, layout.INSET / 2)
        copy_rows(
            connection,
            Compound,
            {
                "id": self.compound_of_grid[cg].astype(str),
                "community_id": self.community_id(g.row[cg]).astype(str),
                "name": np.char.add(names[g.row[cg]], np.char.add(local[cg].astype(str), "号小区")),
                "name_en": np.char.add("Compound ", (np.arange(len(cg)) + 1).astype(str)),
                "boundary": rectangles_ewkb(x0[cg], y0[cg], x1[cg], y1[cg]),
            },
            len(cg),
            progress=progress,
            phase="compounds",
        )

    # buildings ------------------------------------------------------------------------
    def write_buildings(self, connection, progress: Progress | None) -> None:
        s, rng = self.slots, self.rng
        n = len(s.grid)
        # A footprint fills 35–70 % of its slot each way, centred with a little wobble.
        fw = rng.uniform(0.35, 0.7, n) * (s.sx1 - s.sx0)
        fh = rng.uniform(0.35, 0.7, n) * (s.sy1 - s.sy0)
        cx = (s.sx0 + s.sx1) / 2 + rng.uniform(-0.1, 0.1, n) * (s.sx1 - s.sx0)
        cy = (s.sy0 + s.sy1) / 2 + rng.uniform(-0.1, 0.1, n) * (s.sy1 - s.sy0)
        self.footprints = (cx - fw / 2, cy - fh / 2, cx + fw / 2, cy + fh / 2)
        floors = rng.choice(
            [3, 6, 7, 11, 18, 26, 33], size=n, p=[0.1, 0.25, 0.2, 0.15, 0.15, 0.1, 0.05]
        )
        households = floors * rng.integers(2, 7, n)
        self.building_households = households
        grids_text = np.char.add(
            "W",
            np.char.zfill(
                (
                    s.grid
                    - (np.cumsum(self.grids_per_community) - self.grids_per_community)[
                        self.grids.row[s.grid]
                    ]
                    + 1
                ).astype(str),
                2,
            ),
        )
        number = np.char.add(
            np.char.add(grids_text, "-"), np.char.add((s.index + 1).astype(str), "栋")
        )
        copy_rows(
            connection,
            Building,
            {
                "id": self.building_id(np.arange(n)).astype(str),
                "community_id": self.community_id(self.grids.row[s.grid]).astype(str),
                "compound_id": ids(self.compound_of_grid[s.grid]),
                "number": number,
                "footprint": rectangles_ewkb(*self.footprints),
                "floors": floors.astype(str),
                "households": households.astype(str),
            },
            n,
            progress=progress,
            phase="buildings",
        )

    # facilities -----------------------------------------------------------------------
    def write_facilities(self, connection, progress: Progress | None) -> None:
        n = self.spec.facilities
        if not n:
            return
        rng, g = self.rng, self.grids
        p = self.grid_weight / self.grid_weight.sum()
        grid = rng.choice(len(g), size=n, p=p)
        kinds, geoms, names, statuses = facility_rows(rng, g, grid)
        completed = np.datetime64(self.now.replace(tzinfo=None), "D") - rng.integers(30, 3650, n)
        copy_rows(
            connection,
            Facility,
            {
                "id": (self.first[Facility] + np.arange(n)).astype(str),
                "community_id": self.community_id(g.row[grid]).astype(str),
                "kind": kinds,
                "geom": geoms,
                "name": names,
                "status": statuses,
                "completed_on": np.where(
                    statuses == "in_service",
                    np.datetime_as_string(np.asarray(completed), unit="D"),
                    NULL,
                ),
            },
            n,
            progress=progress,
            phase="facility",
        )

    def points_in(self, index: np.ndarray, x0, y0, x1, y1, margin: float = 0.02):
        u = self.rng.uniform(margin, 1 - margin, (2, len(index)))
        return x0[index] + u[0] * (x1 - x0)[index], y0[index] + u[1] * (y1 - y0)[index]


__all__ = ["CitySpec", "generate_city", "numbers", "points_ewkb"]
