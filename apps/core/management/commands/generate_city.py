"""`manage.py generate_city`: a whole generated city for scale tests and benchmarks."""

from __future__ import annotations

import datetime
import time
from dataclasses import fields
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from apps.core.citygen import CitySpec, generate_city
from apps.dataio.progress import TextProgress

COUNTS = ("communities", "grids", "buildings", "compounds", "facilities", "works", "reports")


class Command(BaseCommand):
    help = (
        "Generate a city around Changsha (communities, grids that tile them, compounds, "
        "buildings, facilities, works and reports) with COPY, into the real schema. "
        "Default size: 1,200 communities, 20,000 grids, 300,000 buildings, 1,000,000 reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = {f.name: f.default for f in fields(CitySpec)}
        for name in COUNTS:
            parser.add_argument(
                f"--{name}",
                type=int,
                default=None,
                help=f"how many {name} (default {defaults[name]:,}, times --scale)",
            )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="multiply every default count by this (e.g. 0.01 for a small city)",
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same city")
        parser.add_argument(
            "--prefix", default="GC", help="code prefix of everything generated (default GC)"
        )
        parser.add_argument(
            "--now",
            default=None,
            help="ISO time the year of reports ends at (default: now, to the hour)",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="database alias (default: the one DATABASE_URL names)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        defaults = {f.name: f.default for f in fields(CitySpec)}
        scale = options["scale"]
        if scale <= 0:
            raise CommandError("--scale must be above 0.")
        counts = {
            name: options[name]
            if options[name] is not None
            else max(1 if name in ("communities", "grids") else 0, round(defaults[name] * scale))
            for name in COUNTS
        }
        now = None
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(f"--now: {error}") from error
            if now.tzinfo is None:
                now = now.replace(tzinfo=datetime.UTC)
        spec = CitySpec(**counts, seed=options["seed"], prefix=options["prefix"], now=now)
        try:
            spec.check()
        except ValueError as error:
            raise CommandError(str(error)) from error
        verbose = options["verbosity"] >= 1
        if verbose:
            self.stdout.write(
                "Generating " + ", ".join(f"{counts[n]:,} {n}" for n in COUNTS) + " …"
            )
        start = time.perf_counter()
        try:
            phases = generate_city(
                spec,
                using=options["database"],
                progress=TextProgress(cast(TextIO, self.stderr._out)) if verbose else None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if verbose:
            for name, seconds in phases.items():
                self.stdout.write(f"  {name:<11} {seconds:7.1f} s")
            self.stdout.write(f"Done in {time.perf_counter() - start:.1f} s.")
