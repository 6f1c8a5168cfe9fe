"""Load the case's demo data from fixtures/demo/ into the database.

Idempotent: every record is looked up by its natural key and saved only when something
differs, so a second run writes nothing. Objects are validated with `full_clean()` before
they are saved, so the demo obeys the same rules as data entered by people. Existing rows
that are not in the files are left alone, and passwords are only set on new accounts.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.gis.geos import GEOSGeometry
from django.db import models, transaction
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


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


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
                "description": p.get("description", ""),
                "managing_organisation": organisations.get(p.get("managing_organisation", "")),
                "completed_on": _date(p.get("completed_on")),
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


def load_demo(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, int]:
    """Load (or refresh) the demo data and demo accounts; return how many of each there are.

    Runs in one transaction. With `verbosity` ≥ 1 a summary, with ≥ 2 every change, is
    written to `out`.
    """
    with transaction.atomic():
        counts = _Loader(verbosity=verbosity, out=out).run()
        for loader in _app_demo_loaders():
            counts.update(loader(verbosity=verbosity, out=out))
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
