"""`manage.py demo_logins`: the demo accounts you can log in with."""

import unicodedata

from django.core.management.base import BaseCommand

from apps.core.demo import demo_features, demo_records


def display_width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Command(BaseCommand):
    help = "Print the demo logins (username, password, role, community)."

    def handle(self, *args, **options) -> None:
        records = demo_records()
        names = {p["code"]: p["name"] for p, _geom in demo_features("communities")}
        rows = [
            (
                account["username"],
                records["password"],
                account["role"],
                "、".join(names[m["community"]] for m in account["memberships"]) or "*",
            )
            for account in records["accounts"]
            if account.get("login", True)
        ]
        header = ("username", "password", "role", "community")
        table = [header, *rows]
        widths = [max(display_width(row[i]) for row in table) for i in range(len(header))]
        self.stdout.write("Demo logins (demo data only, never on a real deployment):")
        for row in [header, tuple("-" * w for w in widths), *rows]:
            cells = [
                cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths, strict=True)
            ]
            self.stdout.write("  " + "  ".join(cells).rstrip())
