"""Regenerate the patrols of every active plan (idempotent; after editing plans in bulk)."""

from django.core.management.base import BaseCommand

from apps.patrols.models import PatrolPlan
from apps.patrols.services import patrol_plan_generate


class Command(BaseCommand):
    help = "Make every active plan's patrols match its schedule from now on (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        totals = {"created": 0, "updated": 0, "cancelled": 0, "restored": 0}
        for plan in PatrolPlan.objects.filter(is_active=True):
            for key, value in patrol_plan_generate(plan=plan).items():
                totals[key] += value
        self.stdout.write(", ".join(f"{value} {key}" for key, value in totals.items()))
