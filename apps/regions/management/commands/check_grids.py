"""`manage.py check_grids [--community CODE]`: do the grids tile their communities?"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.regions.models import Community
from apps.regions.services import community_grid_coverage


def _where(geom) -> str:
    point = geom.point_on_surface
    return f"near {point.x:.6f},{point.y:.6f}"


class Command(BaseCommand):
    help = "Report gaps and overlaps between each community's grids; fail if there are any."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--community", metavar="CODE", help="check only this community")

    def handle(self, *args, **options) -> None:
        communities = Community.objects.order_by("code")
        if options["community"]:
            communities = communities.filter(code=options["community"])
            if not communities.exists():
                raise CommandError(
                    _("No community has the code %(code)s.") % {"code": options["community"]}
                )
        failed = []
        for community in communities:
            coverage = community_grid_coverage(community=community)
            label = f"{community.code} {community.name}"
            if coverage.ok:
                self.stdout.write(f"{label}: OK")
                continue
            failed.append(community.code)
            self.stdout.write(
                f"{label}: {len(coverage.gaps)} gap(s) {coverage.gap_area_m2:.1f} m², "
                f"{len(coverage.overlaps)} overlap(s) {coverage.overlap_area_m2:.1f} m², "
                f"{len(coverage.outside)} part(s) outside {coverage.outside_area_m2:.1f} m²"
            )
            for gap in coverage.gaps:
                self.stdout.write(f"  gap {gap.area_m2:.1f} m² {_where(gap.geom)}")
            for overlap in coverage.overlaps:
                self.stdout.write(
                    f"  overlap {overlap.grid_code_a} × {overlap.grid_code_b} "
                    f"{overlap.area_m2:.1f} m² {_where(overlap.geom)}"
                )
            for part in coverage.outside:
                self.stdout.write(
                    f"  outside {part.grid_code} {part.area_m2:.1f} m² {_where(part.geom)}"
                )
        if failed:
            raise CommandError(
                _(
                    "The grids of %(communities)s do not tile the community: see the gaps and "
                    "overlaps above."
                )
                % {"communities": ", ".join(failed)}
            )
