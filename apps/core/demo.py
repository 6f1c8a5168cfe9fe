"""Load the case's demo data from fixtures/demo/ into the database.

Idempotent: every record is looked up by its natural key and saved only when something
differs, so a second run writes nothing. Objects are validated with `full_clean()` before
they are saved, so the demo obeys the same rules as data entered by people. Existing rows
that are not in the files are left alone, and passwords are only set on new accounts.

The demo tells one story in time (`DemoClock`): the seed is a news report of 21 July, and
that day is the demo's "today". Dates the seed states as calendar facts (Dongrui was
established on 2020-01-06) are kept; every other date of the case is written in the files and
in `apps/*/demo_case.py` as a 2024 date around 21 July 2024 (`CASE_TODAY`) and moved by the
same number of days, so that 21 July lands on the demo's today and every distance of the case
is kept (30 September is 71 days ahead).

The demo's today is the day of the first load (Asia/Shanghai). A later run reads it back from
the loaded data (`loaded_demo_today`) and changes nothing: the story ages like real data
does. `load_demo(today=...)` (`manage.py load_demo --today YYYY-MM-DD`) moves the whole story
to another day: the dated records are updated in place, matched by keys without dates.
"""

from __future__ import annotations

import datetime
import json
import re
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.gis.geos import GEOSGeometry
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from apps.accounts.models import Membership, Organisation, User
from apps.accounts.roles import Role
from apps.accounts.services import roles_ensure
from apps.facilities.models import Facility
from apps.regions.models import Building, Community, Compound, District, Grid, Subdistrict

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


class Writer(Protocol):
    """Where progress goes: a text stream or a management command's stdout."""

    def write(self, text: str, /) -> object: ...


def demo_records() -> dict[str, Any]:
    """The non-spatial demo records: districts, subdistricts, organisations, accounts."""
    return json.loads((DEMO_DIR / "records.json").read_text(encoding="utf-8"))


def demo_features(layer: str) -> Iterator[tuple[dict[str, Any], GEOSGeometry]]:
    """(properties, geometry) of each feature of fixtures/demo/<layer>.geojson."""
    collection = json.loads((DEMO_DIR / f"{layer}.geojson").read_text(encoding="utf-8"))
    for feature in collection["features"]:
        geometry = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        yield feature["properties"], geometry


# The day of the news report the case comes from; the case's dates are written around it.
CASE_TODAY = datetime.date(2024, 7, 21)
# The core record that carries the loaded demo's today: the Dongrui fitness square, finished
# on CASE_SQUARE_DONE in the case's time.
CASE_SQUARE = ("DR", "fitness_court", "东瑞社区健身广场")
CASE_SQUARE_DONE = datetime.date(2024, 6, 28)
# Set by load_demo while the loaders run, so that every loader reads the same day.
_loading_today: ContextVar[datetime.date | None] = ContextVar("demo_today", default=None)
# The today of the demo that was in the database before this load (None: a first load).
_previous_today: ContextVar[datetime.date | None] = ContextVar("previous_today", default=None)


@dataclass(frozen=True)
class DemoClock:
    """The demo's today and the shift from the case's dates to the demo's dates."""

    today: datetime.date

    @property
    def shift(self) -> datetime.timedelta:
        return self.today - CASE_TODAY

    def day(self, case_day: datetime.date) -> datetime.date:
        """The demo's date of a date written in the case's time (around 21 July 2024)."""
        return case_day + self.shift

    def at(self, case_day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        """`hour`:`minute` in Asia/Shanghai on the demo's date of `case_day`."""
        return self.moment(self.day(case_day), hour, minute)

    def moment(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        """`hour`:`minute` in Asia/Shanghai on `day`, a date already in the demo's time."""
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, minute)), local_zone()
        )

    def now(self) -> datetime.datetime:
        """The demo's now: the time of day now, on the demo's today."""
        real = timezone.localtime(timezone.now(), local_zone())
        if real.date() == self.today:
            return real
        return self.moment(self.today, real.hour, real.minute)

    def next_month(self) -> datetime.date:
        """The first day of the month after the demo's today."""
        return (self.today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)


def local_today() -> datetime.date:
    """Today's date in Asia/Shanghai (the case's time zone), whatever the server's zone."""
    return timezone.localtime(timezone.now(), local_zone()).date()


def local_zone() -> datetime.tzinfo:
    return zoneinfo.ZoneInfo("Asia/Shanghai")


def loaded_demo_today() -> datetime.date | None:
    """The today of the demo in the database (None when no demo is loaded)."""
    community, kind, name = CASE_SQUARE
    done = (
        Facility.objects.filter(community__code=community, kind=kind, name=name)
        .values_list("completed_on", flat=True)
        .first()
    )
    return done + (CASE_TODAY - CASE_SQUARE_DONE) if done else None


def demo_today() -> datetime.date:
    """The demo's today: the day being loaded, else the loaded demo's, else today."""
    return _loading_today.get() or loaded_demo_today() or local_today()


def demo_clock() -> DemoClock:
    """The one clock every demo loader (and every test of demo dates) reads."""
    return DemoClock(demo_today())


def previous_demo_clock() -> DemoClock | None:
    """During a load on another demo today: the clock the database's demo was loaded with,
    for loaders whose records are found by a text that names dates."""
    previous = _previous_today.get()
    return DemoClock(previous) if previous and previous != demo_today() else None


_CASE_DATE_IN_TEXT = re.compile(r"\{(zh|en|zh-month|en-month|zh-half):(\d{4}-\d{2}-\d{2}|next)\}")


def case_text(text: str, clock: DemoClock | None = None) -> str:
    """`text` with its case dates written in the demo's time.

    A text names a date of the case as `{zh:2024-07-21}` (7月21日), `{en:2024-07-21}`
    (21 July), `{zh-month:2024-08-01}` (8月), `{en-month:2024-08-01}` (August), or
    `{zh-half:2024-06-30}` (2024年上半年: the half-year that date falls in). `next` instead of
    a date is the first day of the month after the demo's today: the case's "from August"
    said on 21 July is "from next month", whatever the demo's today.
    """
    clock = clock or demo_clock()

    def written(match: re.Match[str]) -> str:
        style, value = match.groups()
        day = (
            clock.next_month() if value == "next" else clock.day(datetime.date.fromisoformat(value))
        )
        return {
            "zh": f"{day.month}月{day.day}日",
            "en": f"{day.day} {day:%B}",
            "zh-month": f"{day.month}月",
            "en-month": f"{day:%B}",
            "zh-half": f"{day.year}年{'上' if day.month <= 6 else '下'}半年",
        }[style]

    return _CASE_DATE_IN_TEXT.sub(written, text)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _case_date(value: str | None) -> datetime.date | None:
    """A date of the files in the case's time, moved to the demo's time."""
    day = _date(value)
    return demo_clock().day(day) if day else None


class _Loader:
    def __init__(self, *, verbosity: int, out: Writer | None) -> None:
        self.verbosity = verbosity
        self.out = out
        self.counts: Counter[str] = Counter()
        self.changes: Counter[str] = Counter()
        self._password: str | None = None

    def say(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message + "\n")

    def demo_password(self, raw: str) -> str:
        # Hash once per run: the project's hasher is deliberately slow.
        if self._password is None:
            self._password = make_password(raw)
        return self._password

    def upsert(
        self,
        model: type[models.Model],
        key: dict[str, Any],
        values: dict[str, Any],
        *,
        on_create: dict[str, Any] | None = None,
        many: dict[str, set[int]] | None = None,
    ) -> Any:
        """Find by natural `key`; create, or update what differs; else touch nothing.

        `on_create` values (callables are called) are set on new rows only; `many` gives
        many-to-many fields as sets of primary keys.
        """
        found = model._default_manager.filter(**key).first()
        created = found is None
        if found is None:
            extra = {k: v() if callable(v) else v for k, v in (on_create or {}).items()}
            obj = model(**key, **extra)
        else:
            obj = found
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        for name in changed:
            setattr(obj, name, values[name])
        if created or changed:
            # An empty optional geometry has nothing to validate, and Django cannot evaluate
            # an `isvalid` check constraint on NULL, so leave such fields out.
            empty_geometry = [
                f.name
                for f in model._meta.concrete_fields
                if getattr(f, "geom_type", None) and getattr(obj, f.attname) is None
            ]
            obj.full_clean(exclude=empty_geometry)
            obj.save()
        for name, wanted in (many or {}).items():
            if set(getattr(obj, name).values_list("pk", flat=True)) != wanted:
                getattr(obj, name).set(wanted)
                changed.append(name)
        self.counts[model.__name__] += 1
        self.changes["created" if created else "updated" if changed else "unchanged"] += 1
        if self.verbosity >= 2 and (created or changed):
            action = "created" if created else "updated " + ", ".join(changed)
            self.say(f"  {model.__name__} {obj}: {action}")
        return obj

    def run(self) -> dict[str, int]:
        roles_ensure()
        self.counts["Group"] = len(Role)
        records = demo_records()
        districts = {
            r["code"]: self.upsert(
                District,
                {"code": r["code"]},
                {"name": r["name"], "name_en": r["name_en"], "city": r["city"]},
            )
            for r in records["districts"]
        }
        subdistricts = {
            r["code"]: self.upsert(
                Subdistrict,
                {"code": r["code"]},
                {"name": r["name"], "name_en": r["name_en"], "district": districts[r["district"]]},
            )
            for r in records["subdistricts"]
        }
        organisations = {
            r["name"]: self.upsert(
                Organisation, {"name": r["name"]}, {"name_en": r["name_en"], "kind": r["kind"]}
            )
            for r in records["organisations"]
        }
        communities = self.communities(subdistricts)
        grids = self.grids(communities)
        compounds = self.compounds(communities, organisations)
        users = self.accounts(records, communities, grids, organisations)
        self.buildings(communities, compounds, users)
        self.facilities(communities, organisations)
        if self.verbosity >= 1:
            self.say(
                f"Demo data: {self.changes['created']} created, {self.changes['updated']} updated, "
                f"{self.changes['unchanged']} unchanged."
            )
        return dict(self.counts)

    def communities(self, subdistricts: dict[str, Subdistrict]) -> dict[str, Community]:
        out = {}
        for p, geom in demo_features("communities"):
            values = {
                "subdistrict": subdistricts[p["subdistrict"]],
                "name": p["name"],
                "name_en": p["name_en"],
                "boundary": geom,
                "established_on": _date(p.get("established_on")),
                "population": p.get("population"),
                "households": p.get("households"),
                "party_members": p.get("party_members"),
                "integrity_team_size": p.get("integrity_team_size"),
                "service_hall_hours": p.get("service_hall_hours", ""),
            }
            out[p["code"]] = self.upsert(Community, {"code": p["code"]}, values)
        return out

    def grids(self, communities: dict[str, Community]) -> dict[tuple[str, str], Grid]:
        out = {}
        for p, geom in demo_features("grids"):
            key = {"community": communities[p["community"]], "code": p["code"]}
            values = {"name": p["name"], "name_en": p["name_en"], "boundary": geom}
            out[p["community"], p["code"]] = self.upsert(Grid, key, values)
        return out

    def compounds(self, communities, organisations) -> dict[tuple[str, str], Compound]:
        out = {}
        for p, geom in demo_features("compounds"):
            key = {"community": communities[p["community"]], "name": p["name"]}
            values = {
                "name_en": p["name_en"],
                "boundary": geom,
                "property_company": organisations.get(p.get("property_company", "")),
            }
            out[p["community"], p["name"]] = self.upsert(Compound, key, values)
        return out

    def accounts(self, records, communities, grids, organisations) -> dict[str, User]:
        users = {}
        groups = dict(Group.objects.filter(name__in=Role.values).values_list("name", "pk"))
        for r in records["building_heads"]:
            # Building heads are on the map, but have no demo login.
            users[r["username"]] = self.upsert(
                User,
                {"username": r["username"]},
                {"display_name": r["display_name"]},
                on_create={"password": _unusable_password},
            )
        for r in records["accounts"]:
            login = r.get("login", True)
            password = (lambda: self.demo_password(records["password"])) if login else None
            superuser = r.get("superuser", False)
            values = {
                "display_name": r["display_name"],
                "work_phone": r.get("work_phone", ""),
                "is_staff": superuser or r.get("staff", False),
                "is_superuser": superuser,
            }
            # Each role is a group of the same name: demo people get their roles' permissions.
            roles = {m["role"] for m in r["memberships"]}
            user = self.upsert(
                User,
                {"username": r["username"]},
                values,
                on_create={"password": password or _unusable_password},
                many={"groups": {groups[role] for role in roles}},
            )
            users[r["username"]] = user
            for m in r["memberships"]:
                community = communities[m["community"]]
                wanted = {grids[m["community"], code].pk for code in m.get("grids", [])}
                self.upsert(
                    Membership,
                    {"user": user, "community": community, "role": m["role"]},
                    {
                        "organisation": organisations.get(m.get("organisation", "")),
                        "is_active": True,
                    },
                    many={"grids": wanted},
                )
        return users

    def buildings(self, communities, compounds, users) -> None:
        for p, geom in demo_features("buildings"):
            key = {"community": communities[p["community"]], "number": p["number"]}
            values = {
                "compound": compounds[p["community"], p["compound"]],
                "name": p.get("name", ""),
                "footprint": geom,
                "floors": p.get("floors"),
                "households": p.get("households"),
                "building_head": users.get(p.get("building_head", "")),
            }
            self.upsert(Building, key, values)

    def facilities(self, communities, organisations) -> None:
        for p, geom in demo_features("facilities"):
            key = {"community": communities[p["community"]], "kind": p["kind"], "name": p["name"]}
            values = {
                "name_en": p.get("name_en", ""),
                "geom": geom,
                "status": p.get("status", Facility.Status.IN_SERVICE),
                "opening_hours": p.get("opening_hours", ""),
                "capacity": p.get("capacity"),
                "description": case_text(p.get("description", "")),
                "managing_organisation": organisations.get(p.get("managing_organisation", "")),
                "completed_on": _case_date(p.get("completed_on")),
            }
            self.upsert(Facility, key, values)


def _unusable_password() -> str:
    return make_password(None)


def _same(obj: models.Model, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    current = getattr(obj, name)
    if isinstance(value, GEOSGeometry):
        # Exact coordinates: the files hold 7 decimals and PostGIS returns the same doubles.
        return current is not None and current.srid == value.srid and current.equals_exact(value)
    return current == value


def load_demo(
    *, verbosity: int = 0, out: Writer | None = None, today: datetime.date | None = None
) -> dict[str, int]:
    """Load (or refresh) the demo data and demo accounts; return how many of each there are.

    `today` is the demo's today (the case's 21 July); by default the loaded demo's, or the
    real today on a first load. Runs in one transaction. With `verbosity` ≥ 1 a summary, with
    ≥ 2 every change, is written to `out`.
    """
    with transaction.atomic():
        previous = loaded_demo_today()
        token = _loading_today.set(today or previous or local_today())
        previous_token = _previous_today.set(previous)
        try:
            counts = _Loader(verbosity=verbosity, out=out).run()
            for loader in _app_demo_loaders():
                counts.update(loader(verbosity=verbosity, out=out))
        finally:
            _loading_today.reset(token)
            _previous_today.reset(previous_token)
        return counts


def _app_demo_loaders() -> list[Callable[..., dict[str, int]]]:
    """`load_demo_data(*, verbosity, out) -> counts` of each app that has a `demo` module.

    Apps are taken in INSTALLED_APPS order, so an app's demo can use the demo of the apps
    listed before it (reports before works, say). The core demo above comes first.
    """
    loaders = []
    for config in django_apps.get_app_configs():
        if config.name == "apps.core" or not config.name.startswith("apps."):
            continue
        if module_has_submodule(config.module, "demo"):
            loaders.append(import_module(f"{config.name}.demo").load_demo_data)
    return loaders
