"""`manage.py load_demo`: load or refresh the case's demo data and demo accounts."""

import datetime

from django.core.management.base import BaseCommand

from apps.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data (fixtures/demo/) and demo accounts. Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The demo's today (YYYY-MM-DD), the case's 21 July. Default: the loaded "
            "demo's today, or today on a first load. Another day moves the whole story there.",
        )

    def handle(self, *args, **options) -> None:
        counts = load_demo(
            verbosity=options["verbosity"], out=self.stdout, today=options.get("today")
        )
        if options["verbosity"] >= 1:
            for model, count in sorted(counts.items()):
                self.stdout.write(f"  {model:<12} {count:>4}")
