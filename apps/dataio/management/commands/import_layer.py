"""manage.py import_layer <layer> <file>: upsert a GIS file's features into a map layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.dataio.formats import FORMAT_NAMES, FileRefusedError
from apps.dataio.importers import IMPORTERS
from apps.dataio.progress import TextProgress
from apps.dataio.services import ImportRefusedError, ImportReport, layer_import


class Command(BaseCommand):
    help = (
        "Import a GeoPackage, zipped Shapefile, GeoJSON, KML or CSV file into a layer "
        f"({', '.join(IMPORTERS)}), updating rows with the same natural key. All or nothing: "
        "if any row is refused, nothing is written and every refused row is listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("layer", choices=list(IMPORTERS), help="the layer to import into")
        parser.add_argument("file", type=Path, help="the file (.gpkg, .zip, .geojson, .kml, .csv)")
        parser.add_argument(
            "--format", choices=FORMAT_NAMES, help="when the extension does not say"
        )
        parser.add_argument(
            "--lon", help="CSV: the longitude column (default: lon, lng, longitude, x)"
        )
        parser.add_argument("--lat", help="CSV: the latitude column (default: lat, latitude, y)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="SOURCE=TARGET",
            help="rename a column of the file, e.g. --map WGBH=code (repeatable)",
        )
        parser.add_argument(
            "--from-gcj02",
            action="store_true",
            help="the coordinates are GCJ-02 (digitised on AMap/Gaode): convert them to WGS 84",
        )
        parser.add_argument(
            "--community",
            metavar="CODE",
            help="the community of rows that name none (otherwise: the one they lie in)",
        )
        parser.add_argument("--source-layer", help="the layer inside a multi-layer file")
        parser.add_argument("--dry-run", action="store_true", help="check and report; save nothing")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows and list the refused ones, instead of all or nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mapping = {}
        for item in options["map"]:
            source, sep, target = item.partition("=")
            if not sep or not source or not target:
                raise CommandError(f"--map needs SOURCE=TARGET, got {item!r}.")
            mapping[source] = target
        try:
            report = layer_import(
                layer_name=options["layer"],
                path=options["file"],
                kind=options["format"],
                lon=options["lon"],
                lat=options["lat"],
                mapping=mapping,
                from_gcj02_datum=options["from_gcj02"],
                community_code=options["community"],
                source_layer=options["source_layer"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                progress=TextProgress(cast(TextIO, self.stderr._out)),
            )
        except FileRefusedError as error:
            raise CommandError(str(error)) from None
        except ImportRefusedError as error:
            self._print(error.report)
            raise CommandError(str(error)) from None
        self._print(report)

    def _print(self, report: ImportReport) -> None:
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        for label in report.repaired:
            self.stdout.write(f"row {label}: invalid geometry repaired (same type and area)")
        for label, reason in report.refused:
            self.stderr.write(f"row {label}: {reason}")
        verb = "would be" if report.dry_run else "were"
        summary = (
            f"{report.layer}: {report.rows} rows read; {report.created} {verb} created, "
            f"{report.updated} {verb} updated, {report.unchanged} unchanged, "
            f"{len(report.refused)} refused"
        )
        if report.dry_run:
            summary += " (dry run: nothing saved)"
        self.stdout.write(summary, style_func=self.style.SUCCESS if not report.refused else None)
