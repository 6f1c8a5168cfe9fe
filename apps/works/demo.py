"""Load the case's programme and works (apps.works.demo_case) on top of the core demo.

Facilities, organisations, communities and people come from the core demo, found by natural
key. Each work's status is written with its whole history of status changes, one per move
of the transition table, so the demo reads as if people had pressed the buttons; a test
checks that every recorded step is a move the table allows. Facilities are never changed
here (the core demo owns them), so a second run of `load_demo` changes nothing.

Dates: the case's dates (demo_case) are moved to the demo's time by `demo_clock()`, so the
news report's 21 July is the demo's today; records are matched by keys without dates, so a
load on another demo today moves them in place.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import MultiPoint

from apps.accounts.models import Organisation, User
from apps.core.demo import DemoClock, Writer, _Loader, case_text, demo_clock
from apps.facilities.models import Facility
from apps.regions.models import Community, District

from .demo_case import CASE_WORKS, CONTRACTOR, FITNESS_PROGRAMME, FITNESS_UNDERWAY
from .models import Programme, Work, WorkFunder, WorkProgress, WorkStatusChange, WorkType
from .workflow import MOVES_BY_ACTION, WorkStatus

D = datetime.date
ROLES = {"planner": "planner", "communityadmin": "community_admin"}


def status_after(history: list[tuple[str, D, str]]) -> str:
    """The status a work reaches from "proposed" through the moves of `history`."""
    status = WorkStatus.PROPOSED
    for action, _day, _note in history:
        target = MOVES_BY_ACTION[action].target
        assert target is not None, "the demo does not resume works"
        status = WorkStatus(target)
    return status


class _WorksDemo:
    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.clock: DemoClock = demo_clock()
        self.orgs = {o.name: o for o in Organisation.objects.all()}
        self.communities = {c.code: c for c in Community.objects.all()}
        people = User.objects.filter(username__in=list(ROLES))
        self.users = {u.username: u for u in people}

    def facility(self, community: str, kind: str, name: str) -> Facility:
        return Facility.objects.get(community=self.communities[community], kind=kind, name=name)

    def work(self, community: str, name: str, history: list, **values: Any) -> Work:
        values = {
            "name_en": "",
            "programme": None,
            "facility": None,
            "facility_kind": "",
            "contractor": None,
            "budget": None,
            "actual_cost": None,
            "actual_start": None,
            "actual_end": None,
            "description": "",
            **values,
            "status": status_after(history),
        }
        key = {"community": self.communities[community], "name": name}
        return self.loader.upsert(Work, key, values)

    def in_demo_time(self, history: list[tuple[D, Any, str]]) -> list[tuple[D, Any, str]]:
        """(case date, x, text) entries moved to the demo's time."""
        day, text = self.clock.day, case_text
        return [(day(when), x, text(note, self.clock)) for when, x, note in history]

    def history(self, work: Work, history: list[tuple[str, D, str]], by: str) -> None:
        """The work's creation (a month before its first move), then each move, once each.
        Dates are the demo's."""
        first = history[0][1] if history else work.planned_start or self.clock.days_ago(30)
        steps = [("create", first - datetime.timedelta(days=30), ""), *history]
        previous: str = ""
        for action, day, note in steps:
            target = WorkStatus.PROPOSED if action == "create" else MOVES_BY_ACTION[action].target
            to_status = str(target)
            self.loader.upsert(
                WorkStatusChange,
                {"work": work, "action": action, "to_status": to_status},
                {
                    "from_status": previous,
                    "changed_at": self.clock.moment(day),
                    "changed_by": self.users.get(by),
                    "role": ROLES[by],
                    "note": note,
                },
            )
            previous = to_status

    def progress(self, work: Work, updates: list[tuple[D, int, str]], by: str) -> None:
        # Keyed by percent, not by date: a load on another demo today moves the update.
        for day, percent, text in updates:
            self.loader.upsert(
                WorkProgress,
                {"work": work, "percent": percent},
                {"on": day, "text": text, "recorded_by": self.users.get(by)},
            )

    def funders(self, work: Work, funders: list[tuple[str, str, str]]) -> None:
        for organisation, amount, note in funders:
            self.loader.upsert(
                WorkFunder,
                {"work": work, "organisation": self.orgs[organisation]},
                {"amount": Decimal(amount), "note": note},
            )

    def run(self) -> None:
        self.fitness()
        for spec in CASE_WORKS:
            self.case_work(spec)

    def fitness(self) -> None:
        spec = dict(FITNESS_PROGRAMME)
        spec["start_date"] = self.clock.day(spec["start_date"])
        spec["deadline"] = self.clock.day(spec["deadline"])
        spec["district"] = District.objects.get(code=spec["district"])
        spec["owner"] = self.orgs[spec["owner"]]
        name = spec.pop("name")
        programme = self.loader.upsert(Programme, {"name": name}, {"budget": None, **spec})
        courts = Facility.objects.filter(
            kind="fitness_court", community__subdistrict__district=programme.district
        ).select_related("community")
        planned: tuple[Any, Any]
        actual: tuple[Any, Any]
        for court in courts:
            if court.status == Facility.Status.IN_SERVICE:
                history, planned, actual, updates = self.finished_site(court)
            else:
                history, start, end, updates = FITNESS_UNDERWAY[court.name]
                history = self.moves_in_demo_time(history)
                updates = self.in_demo_time(updates)
                start, end = self.clock.day(start), self.clock.day(end)
                started = any(action == "start" for action, _d, _n in history)
                planned, actual = (start, end), (start if started else None, None)
            work = self.work(
                court.community.code,
                court.name,
                history,
                name_en=court.name_en,
                programme=programme,
                facility=court,
                # The tennis court was there before: the programme converted it.
                work_type=WorkType.RENOVATION
                if court.name == "王府花园网球场"
                else WorkType.NEW_BUILD,
                geom=court.geom,
                contractor=self.orgs[CONTRACTOR],
                planned_start=planned[0],
                planned_end=planned[1],
                actual_start=actual[0],
                actual_end=actual[1],
                description=court.description,
            )
            self.progress(work, updates, "planner")
            self.history(work, history, "planner")

    def moves_in_demo_time(self, history: list[tuple[str, D, str]]) -> list[tuple[str, D, str]]:
        day, text = self.clock.day, case_text
        return [(action, day(when), text(note, self.clock)) for action, when, note in history]

    def finished_site(self, court: Facility) -> tuple[list, tuple[D, D], tuple[D, D], list]:
        """History, planned and actual dates, progress of a site in service since
        `completed_on` (already in the demo's time): 75 days of works, inspection 3 days and
        opening 5 days after."""
        done = court.completed_on or self.clock.days_ago(20)
        start = done - datetime.timedelta(days=75)
        history = [
            ("approve", start - datetime.timedelta(days=10), ""),
            ("start", start, ""),
            ("complete", done, "完工。Completed."),
            ("accept", done + datetime.timedelta(days=3), "验收合格。Passed inspection."),
            ("open", done + datetime.timedelta(days=5), "免费开放。Open to all, free."),
        ]
        updates = [
            (start + datetime.timedelta(days=30), 45, "主体施工。Main works underway."),
            (done, 100, "完工，准备验收。Finished, ready for inspection."),
        ]
        return history, (start, done + datetime.timedelta(days=5)), (start, done), updates

    def case_work(self, spec: dict[str, Any]) -> None:
        community = spec["community"]
        if "facility" in spec:
            facility = self.facility(community, *spec["facility"])
            geom = facility.geom
        else:
            facility = None
            points = [self.facility(community, *key).geom for key in spec["site"]]
            geom = MultiPoint(*points, srid=4326)
        contractor = spec.get("contractor")
        budget = spec.get("budget")
        day = self.clock.day

        def maybe(value: D | None) -> D | None:
            return day(value) if value else None

        work = self.work(
            community,
            spec["name"],
            self.moves_in_demo_time(spec["history"]),
            name_en=spec["name_en"],
            facility=facility,
            work_type=spec["work_type"],
            geom=geom,
            contractor=self.orgs[contractor] if contractor else None,
            budget=Decimal(budget) if budget else None,
            planned_start=maybe(spec["planned"][0]),
            planned_end=maybe(spec["planned"][1]),
            actual_start=maybe(spec["actual"][0]),
            actual_end=maybe(spec["actual"][1]),
            description=spec.get("description") or (facility.description if facility else ""),
        )
        self.funders(work, spec.get("funders", []))
        self.progress(work, self.in_demo_time(spec["progress"]), spec["by"])
        self.history(work, self.moves_in_demo_time(spec["history"]), spec["by"])


def load_demo_data(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, int]:
    """Load (or refresh) the demo's programme and works; return how many of each there are."""
    loader = _Loader(verbosity=verbosity, out=out)
    _WorksDemo(loader).run()
    if verbosity >= 1:
        changes = loader.changes
        loader.say(
            f"Works demo: {changes['created']} created, {changes['updated']} updated, "
            f"{changes['unchanged']} unchanged."
        )
    return dict(loader.counts)
