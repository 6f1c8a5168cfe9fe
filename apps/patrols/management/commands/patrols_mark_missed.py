"""Mark planned patrols whose shift ended without a start as missed (run e.g. hourly)."""

from django.core.management.base import BaseCommand

from apps.patrols.services import patrols_mark_missed


class Command(BaseCommand):
    help = "Mark planned patrols whose shift has ended without being started as missed."

    def handle(self, *args: object, **options: object) -> None:
        count = patrols_mark_missed()
        self.stdout.write(f"{count} patrol(s) marked as missed.")
