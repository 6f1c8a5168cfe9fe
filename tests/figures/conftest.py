"""Fixtures of the figures tests: the shared small world (tests/figures/world.py) and the
hand-built May 2024 reports described in test_figures_arithmetic.py."""

from collections.abc import Iterator

import pytest
from django.db import transaction

from apps.reports import services
from apps.reports.models import Report

from .world import INSIDE_GRID2, H, World, build_world, close, cst, file_report, handle

T0 = cst(2024, 5, 6, 9)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def may(world: World) -> dict[str, Report]:
    return build_may(world)


@pytest.fixture(scope="module")
def may_once(django_db_setup, django_db_blocker) -> Iterator[tuple[World, dict[str, Report]]]:
    """A world with the May reports, built once for a module that only reads them, in a
    transaction rolled back after the module (each test's own transaction nests inside it
    as a savepoint, so nothing a test does leaks into the next)."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world, build_may(world)
        transaction.set_rollback(True)


def build_may(world: World) -> dict[str, Report]:
    """The reports of test_figures_arithmetic.py's table, moved through the services."""
    reports: dict[str, Report] = {}
    a = handle(file_report(T0), world, accepted=T0 + H, handled=T0 + 10 * H)
    reports["A"] = close(a, world, at=T0 + 12 * H)
    b = handle(file_report(T0), world, accepted=T0 + H, handled=T0 + 80 * H, worker=world.admin2)
    reports["B"] = close(b, world, at=T0 + 90 * H)
    c = handle(file_report(T0), world, accepted=T0 + H, handled=T0 + 100 * H, defer_hours=48)
    reports["C"] = close(c, world, at=T0 + 110 * H)
    reports["D"] = services.report_accept(report=file_report(T0), actor=world.admin_here, at=T0 + H)
    reports["E"] = services.report_reject(
        report=file_report(T0), actor=world.admin_here, reason="不属于报事范围。", at=T0 + H
    )
    reports["F"] = file_report(T0, category="sanitation", where=INSIDE_GRID2)
    g = handle(
        file_report(T0),
        world,
        accepted=T0 + H,
        handled=T0 + 5 * H,
        fail_then_handle=T0 + 20 * H,
    )
    reports["G"] = close(g, world, at=T0 + 30 * H)
    return reports
