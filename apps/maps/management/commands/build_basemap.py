"""manage.py build_basemap <file.pmtiles>: a vector basemap of our own data, for intranets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.maps.basemap_file import basemap_build


class Command(BaseCommand):
    help = (
        "Write a PMTiles vector basemap of the communities' area (communities, compounds, "
        "buildings, facility lines) from the database; serve it with "
        "GRIDMAP_BASEMAP=pmtiles:<file>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the .pmtiles file to write")
        parser.add_argument("--min-zoom", type=int, default=12)
        parser.add_argument("--max-zoom", type=int, default=15)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            built = basemap_build(
                path=options["path"], min_zoom=options["min_zoom"], max_zoom=options["max_zoom"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wrote {built.path}: {built.tiles} tiles, zoom {built.min_zoom}–{built.max_zoom}, "
            f"{built.bytes / 1024:.0f} KiB. Serve it with GRIDMAP_BASEMAP=pmtiles:{built.path}"
        )
