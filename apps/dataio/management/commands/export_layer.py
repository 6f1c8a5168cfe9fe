"""manage.py export_layer <layer> <file>: write a map layer's rows to a GIS file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.layers import registry
from apps.dataio.formats import FORMAT_NAMES, FileRefusedError
from apps.dataio.services import layer_export
from apps.maps.api.params import BadParameterError, parse_bbox


class Command(BaseCommand):
    help = (
        "Export a map layer to GeoPackage (.gpkg), zipped Shapefile (.zip), GeoJSON, KML or "
        "CSV, chosen by the file's extension. By default every row; --user or --public "
        "apply that person's (or an anonymous visitor's) row rules."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("layer", help="a registered layer, e.g. grids")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=FORMAT_NAMES, help="when the extension does not say"
        )
        parser.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat: only features in this box")
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--user", help="export what this user may see")
        who.add_argument("--public", action="store_true", help="export what anyone may see")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["layer"] not in registry:
            names = ", ".join(layer.name for layer in registry)
            raise CommandError(f"No layer {options['layer']!r}; layers: {names}.")
        try:
            bbox = parse_bbox(options["bbox"])
        except BadParameterError as error:
            raise CommandError(error.message) from None
        user_model = get_user_model()
        if options["public"]:
            user: Any = AnonymousUser()
        elif options["user"]:
            try:
                user = user_model._default_manager.get(username=options["user"])
            except user_model.DoesNotExist:
                raise CommandError(f"No user {options['user']!r}.") from None
        else:
            # The operator at the console: every row, as a superuser would see them.
            user = user_model(username="export_layer", is_superuser=True, is_active=True)
        try:
            count = layer_export(
                layer_name=options["layer"],
                path=options["file"],
                kind=options["format"],
                user=user,
                bbox=bbox,
            )
        except FileRefusedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{options['layer']}: {count} features written to {options['file']}")
        )
