"""List reports due soon or overdue, and remind the people who must act (run from cron).

    manage.py report_reminders [--within HOURS] [--community CODE] [--dry-run]

Each report stage is reminded once (due soon, then overdue), so running it every few
minutes is safe. Example crontab line: */15 * * * * cd /srv/gridmap && .venv/bin/python
manage.py report_reminders --within 2
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.regions.models import Community
from apps.reports.models import ReportReminder
from apps.reports.services import reminders_send
from apps.reports.states import Stage


class Command(BaseCommand):
    help = "List reports due soon or overdue and notify the people who must act (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within", type=float, default=2.0, help="hours ahead counted as due soon (2)"
        )
        parser.add_argument("--community", help="only this community (its code)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list only: record and send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["within"] < 0:
            raise CommandError("--within must be zero or more hours.")
        community_ids = None
        if options["community"]:
            community = Community.objects.filter(code=options["community"]).first()
            if community is None:
                raise CommandError(f"No community with the code {options['community']!r}.")
            community_ids = [community.pk]
        now = timezone.now()
        reminders = reminders_send(
            within_hours=options["within"],
            now=now,
            dry_run=options["dry_run"],
            community_ids=community_ids,
        )
        for r in reminders:
            minutes = round(abs((r.due - now).total_seconds()) / 60)
            when = f"{minutes // 60} h {minutes % 60:02d} min"
            state = (
                f"overdue by {when}" if r.kind == ReportReminder.Kind.OVERDUE else f"due in {when}"
            )
            outcome = (
                "already reminded"
                if r.already
                else "dry run"
                if options["dry_run"]
                else f"notified {r.notified}"
            )
            self.stdout.write(
                f"{r.report.code}  {r.report.category.code:<20} {Stage(r.stage).value:<9} "
                f"{state:<24} {outcome}"
            )
        sent = sum(1 for r in reminders if not r.already and not options["dry_run"])
        self.stdout.write(f"{len(reminders)} report(s) due or overdue; {sent} reminder(s) sent.")
