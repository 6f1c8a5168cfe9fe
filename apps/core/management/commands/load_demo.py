"""`manage.py load_demo`: load or refresh the case's demo data and demo accounts."""

from django.core.management.base import BaseCommand

from apps.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data (fixtures/demo/) and demo accounts. Safe to run again."

    def handle(self, *args, **options) -> None:
        counts = load_demo(verbosity=options["verbosity"], out=self.stdout)
        if options["verbosity"] >= 1:
            for model, count in sorted(counts.items()):
                self.stdout.write(f"  {model:<12} {count:>4}")
