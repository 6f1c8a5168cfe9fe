"""The shapes of a generated city: communities as cells of a lattice clipped to an oval
city outline, grids as sub-cells that tile their community exactly, buildings in slots
inside their grid. Everything is an axis-aligned rectangle whose shared edges use the very
same float values, so tiling is exact (no slivers, no overlaps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Changsha, 五一广场.
CENTRE_LON, CENTRE_LAT = 112.977, 28.196
KM_PER_DEG_LAT = 111.32
KM_PER_DEG_LON = KM_PER_DEG_LAT * float(np.cos(np.radians(CENTRE_LAT)))
COMMUNITY_KM2 = 0.6  # a city community is about 0.6 km²
ASPECT = 1.25  # the city is wider east–west than north–south


def allocate(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (largest remainder), each at
    least `minimum`."""
    n = len(weights)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    base = np.full(n, minimum, dtype=np.int64)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total is smaller than the minimum per part")
    share = weights / weights.sum() * rest
    counts = np.floor(share).astype(np.int64)
    left = rest - int(counts.sum())
    if left:
        order = np.argsort(-(share - counts), kind="stable")
        counts[order[:left]] += 1
    return base + counts


def jittered_breaks(
    rng: np.random.Generator, start: float, stop: float, parts: int, jitter: float = 0.3
) -> np.ndarray:
    """parts+1 increasing break points from start to stop (ends exact), evenly spaced ±jitter."""
    step = (stop - start) / parts
    inner = start + step * (np.arange(1, parts) + rng.uniform(-jitter, jitter, parts - 1))
    return np.concatenate([[start], inner, [stop]])


@dataclass
class Cells:
    """Rectangles in degrees, with the density of people at their centre."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    row: np.ndarray  # the lattice row (communities) or the parent cell (grids)

    @property
    def cx(self) -> np.ndarray:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> np.ndarray:
        return (self.y0 + self.y1) / 2

    @property
    def area_km2(self) -> np.ndarray:
        return (self.x1 - self.x0) * KM_PER_DEG_LON * (self.y1 - self.y0) * KM_PER_DEG_LAT

    def __len__(self) -> int:
        return len(self.x0)


def community_cells(rng: np.random.Generator, count: int) -> Cells:
    """`count` cells: rows of an oval, each row split into cells of jittered width."""
    b_km = np.sqrt(count * COMMUNITY_KM2 / (ASPECT * np.pi))
    a_km = ASPECT * b_km
    rows = int(max(1, min(count, round(2 * b_km / np.sqrt(COMMUNITY_KM2)))))
    height = 2 * b_km / rows
    yc = -b_km + height * (np.arange(rows) + 0.5)
    half = a_km * np.sqrt(np.clip(1 - (yc / b_km) ** 2, 0.05, 1))
    per_row = allocate(count, half, minimum=1)
    cell_w = 2 * half.sum() / count
    x0s, x1s, y0s, y1s, row_of = [], [], [], [], []
    for r in range(rows):
        n = int(per_row[r])
        width = n * cell_w
        left = -width / 2 + rng.uniform(-0.3, 0.3) * cell_w  # a ragged edge
        xs = jittered_breaks(rng, left, left + width, n)
        y0, y1 = -b_km + height * r, -b_km + height * (r + 1)
        x0s.append(xs[:-1])
        x1s.append(xs[1:])
        y0s.append(np.full(n, y0))
        y1s.append(np.full(n, y1))
        row_of.append(np.full(n, r))

    def lon(km):
        return CENTRE_LON + np.concatenate(km) / KM_PER_DEG_LON

    def lat(km):
        return CENTRE_LAT + np.concatenate(km) / KM_PER_DEG_LAT

    return Cells(lon(x0s), lat(y0s), lon(x1s), lat(y1s), np.concatenate(row_of))


def density_centres(rng: np.random.Generator) -> np.ndarray:
    """Four secondary centres, in units of the city's radius."""
    return rng.uniform(-0.7, 0.7, (4, 2))


def density(centres: np.ndarray, lon: np.ndarray, lat: np.ndarray, radius_km: float):
    """People per area: a dense old centre, a few secondary centres and a thin base."""
    x = (lon - CENTRE_LON) * KM_PER_DEG_LON / radius_km
    y = (lat - CENTRE_LAT) * KM_PER_DEG_LAT / radius_km
    value = 0.12 + np.exp(-(x**2 + y**2) / (2 * 0.3**2))
    for cx, cy in centres:
        value = value + 0.5 * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 0.12**2))
    return value


def grid_cells(rng: np.random.Generator, communities: Cells, per_community: np.ndarray) -> Cells:
    """Split each community into its number of grids: rows of cells, exactly tiling it."""
    x0s, x1s, y0s, y1s, parents = [], [], [], [], []
    for c in range(len(communities)):
        g = int(per_community[c])
        cx0, cy0, cx1, cy1 = (
            communities.x0[c],
            communities.y0[c],
            communities.x1[c],
            communities.y1[c],
        )
        w = (cx1 - cx0) * KM_PER_DEG_LON
        h = (cy1 - cy0) * KM_PER_DEG_LAT
        rows = int(min(g, max(1, round(np.sqrt(g * h / w)))))
        ys = jittered_breaks(rng, cy0, cy1, rows, 0.2)
        for r, n in enumerate(allocate(g, np.ones(rows))):
            xs = jittered_breaks(rng, cx0, cx1, int(n), 0.25)
            x0s.append(xs[:-1])
            x1s.append(xs[1:])
            y0s.append(np.full(int(n), ys[r]))
            y1s.append(np.full(int(n), ys[r + 1]))
            parents.append(np.full(int(n), c))
    return Cells(
        np.concatenate(x0s),
        np.concatenate(y0s),
        np.concatenate(x1s),
        np.concatenate(y1s),
        np.concatenate(parents),
    )


INSET = 0.04  # buildings and compounds keep this share of a grid's size from its edges


def inset(cells: Cells, share: float = INSET) -> tuple[np.ndarray, ...]:
    dx = (cells.x1 - cells.x0) * share
    dy = (cells.y1 - cells.y0) * share
    return cells.x0 + dx, cells.y0 + dy, cells.x1 - dx, cells.y1 - dy


@dataclass
class Slots:
    """One slot per building inside its grid: the building sits in it, its reports near it."""

    grid: np.ndarray
    index: np.ndarray  # the building's number within its grid, from 0
    sx0: np.ndarray
    sy0: np.ndarray
    sx1: np.ndarray
    sy1: np.ndarray


def building_slots(grids: Cells, per_grid: np.ndarray) -> Slots:
    """Lay each grid's buildings on a lattice of slots inside the grid's inset."""
    gx0, gy0, gx1, gy1 = inset(grids)
    grid = np.repeat(np.arange(len(grids)), per_grid)
    first = np.repeat(np.cumsum(per_grid) - per_grid, per_grid)
    index = np.arange(len(grid)) - first
    n = per_grid[grid]
    w = (gx1 - gx0)[grid] * KM_PER_DEG_LON
    h = (gy1 - gy0)[grid] * KM_PER_DEG_LAT
    cols = np.maximum(1, np.ceil(np.sqrt(n * w / h))).astype(np.int64)
    rows = np.ceil(n / cols).astype(np.int64)
    col, row = index % cols, index // cols
    sw = (gx1 - gx0)[grid] / cols
    sh = (gy1 - gy0)[grid] / rows
    sx0 = gx0[grid] + col * sw
    sy0 = gy0[grid] + row * sh
    return Slots(grid, index, sx0, sy0, sx0 + sw, sy0 + sh)
