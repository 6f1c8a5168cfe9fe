"""Input from the patrol pages, checked field by field with messages a person can act on."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, LineString, Point
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.core.geo import describe_unreadable_geometry, validate_geometry
from apps.regions.models import Community, Grid

from .access import staff_communities
from .errors import PatrolError
from .models import Recurrence, Weekday
from .schedule import MAX_SPAN_DAYS
from .services.plans import CheckpointData, PlanData, TeamSeat

# Roles a joint patrol team is drawn from.
TEAM_ROLES = (
    Role.GRID_WORKER,
    Role.PROPERTY_STAFF,
    Role.POLICE_OFFICER,
    Role.PARTY_MEMBER,
    Role.COMMUNITY_ADMIN,
)
MAX_CHECKPOINTS = 50
MAX_TEAM = 30


def _time(value: Any) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _geometry(value: Any) -> GEOSGeometry | None:
    if value in (None, ""):
        return None
    text = value if isinstance(value, str) else json.dumps(value)
    try:
        geom = GEOSGeometry(text, srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError):
        raise ValueError(describe_unreadable_geometry(text)) from None
    geom.srid = 4326
    return geom


class PlanPayload:
    """The planning form's JSON, turned into PlanData or a PatrolError listing each bad field.

    Expected keys: community, name, grids (ids), route (GeoJSON LineString or null),
    checkpoints ([{name, lat, lng}]), team ([{person, role}]), start_time, end_time
    ("HH:MM"), recurrence (once | daily | weekly), weekdays ([0..6]), starts_on, until
    ("YYYY-MM-DD"), notes.
    """

    def __init__(self, payload: Any, *, user: Any, community: Community | None = None) -> None:
        self.payload = payload if isinstance(payload, dict) else {}
        self.user = user
        self.fixed_community = community
        self.errors: dict[str, str] = {}

    def error(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def clean(self) -> PlanData:
        p = self.payload
        community = self._community()
        name = str(p.get("name") or "").strip()[:200]
        if not name:
            self.error("name", _("Give the patrol a name, e.g. “Night joint patrol”."))
        start, end = _time(p.get("start_time")), _time(p.get("end_time"))
        if start is None:
            self.error("start_time", _("Give the time the shift starts, as HH:MM."))
        if end is None:
            self.error("end_time", _("Give the time the shift ends, as HH:MM."))
        if start is not None and start == end:
            self.error("end_time", _("The shift must end at another time than it starts."))
        recurrence, weekdays, starts_on, until = self._recurrence()
        grids = self._grids(community)
        route = self._route()
        if not grids and route is None and "grids" not in self.errors:
            self.error("grids", _("Choose at least one grid, or draw a route on the map."))
        checkpoints = self._checkpoints()
        team = self._team(community)
        if self.errors or community is None:
            raise PatrolError(_("Please correct the marked fields."), errors=self.errors)
        assert start is not None and end is not None and starts_on and until
        return PlanData(
            community=community,
            name=name,
            start_time=start,
            end_time=end,
            recurrence=recurrence,
            weekdays=weekdays,
            starts_on=starts_on,
            until=until,
            grids=grids,
            route=route,
            checkpoints=checkpoints,
            team=team,
            notes=str(p.get("notes") or "").strip()[:4000],
        )

    def _community(self) -> Community | None:
        if self.fixed_community is not None:
            return self.fixed_community
        value = str(self.payload.get("community") or "")
        community = None
        if value.isdigit():
            community = Community.objects.filter(
                pk=int(value), pk__in=staff_communities(self.user)
            ).first()
        if community is None:
            self.error("community", _("Choose one of the communities you manage."))
        return community

    def _recurrence(self) -> tuple[str, list[int], dt.date | None, dt.date | None]:
        p = self.payload
        recurrence = str(p.get("recurrence") or Recurrence.ONCE)
        if recurrence not in Recurrence.values:
            self.error("recurrence", _("Choose once, every day, or chosen weekdays."))
            recurrence = Recurrence.ONCE
        starts_on = _date(p.get("starts_on"))
        if starts_on is None:
            self.error("starts_on", _("Give the first day as YYYY-MM-DD."))
        until = starts_on if recurrence == Recurrence.ONCE else _date(p.get("until"))
        if recurrence != Recurrence.ONCE and until is None:
            self.error("until", _("Give the last day the patrol repeats, as YYYY-MM-DD."))
        if starts_on and until:
            if until < starts_on:
                self.error("until", _("The last day cannot be before the first day."))
            elif (until - starts_on).days >= MAX_SPAN_DAYS:
                self.error(
                    "until",
                    _("A plan can repeat for at most %(days)d days; make a new plan after that.")
                    % {"days": MAX_SPAN_DAYS},
                )
        weekdays: list[int] = []
        if recurrence == Recurrence.WEEKLY:
            raw = p.get("weekdays") or []
            raw = raw if isinstance(raw, list) else [raw]
            weekdays = sorted(
                {int(d) for d in raw if str(d).isdigit() and int(d) in Weekday.values}
            )
            if not weekdays or len(weekdays) != len({str(d) for d in raw}):
                self.error("weekdays", _("Choose the weekdays the patrol runs on."))
        return recurrence, weekdays, starts_on, until

    def _grids(self, community: Community | None) -> list[Grid]:
        raw = self.payload.get("grids") or []
        if not isinstance(raw, list) or not all(str(v).isdigit() for v in raw):
            self.error("grids", _("Grids must be given by their ids."))
            return []
        ids = {int(v) for v in raw}
        if community is None or not ids:
            return []
        grids = list(Grid.objects.filter(community=community, pk__in=ids).order_by("code"))
        if len(grids) != len(ids):
            self.error("grids", _("Choose grids of this community only."))
        return grids

    def _route(self) -> LineString | None:
        try:
            route = _geometry(self.payload.get("route"))
        except ValueError as error:
            self.error("route", str(error))
            return None
        if route is None:
            return None
        try:
            validate_geometry(
                route, field="route", allowed_types=("LineString",), what=_("The route")
            )
        except forms.ValidationError as error:
            self.error("route", " ".join(error.message_dict.get("route", [str(error)])))
            return None
        return route  # type: ignore[return-value]

    def _checkpoints(self) -> list[CheckpointData]:
        raw = self.payload.get("checkpoints") or []
        if not isinstance(raw, list) or len(raw) > MAX_CHECKPOINTS:
            self.error(
                "checkpoints", _("Give at most %(max)d checkpoints.") % {"max": MAX_CHECKPOINTS}
            )
            return []
        out = []
        for number, item in enumerate(raw, start=1):
            item = item if isinstance(item, dict) else {}
            name = str(item.get("name") or "").strip()[:200]
            if not name:
                self.error(
                    "checkpoints",
                    _("Checkpoint %(n)d needs a name (a gate, the garbage station…).")
                    % {"n": number},
                )
                continue
            try:
                lon, lat = float(item.get("lng", "")), float(item.get("lat", ""))
            except (TypeError, ValueError):
                lon = lat = float("nan")
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                self.error(
                    "checkpoints",
                    _("Checkpoint “%(name)s” has no valid position: place it on the map.")
                    % {"name": name},
                )
                continue
            out.append(CheckpointData(name=name, location=Point(lon, lat, srid=4326)))
        return out

    def _team(self, community: Community | None) -> list[TeamSeat]:
        raw = self.payload.get("team") or []
        if not isinstance(raw, list) or not raw:
            self.error("team", _("Add at least one person to the team."))
            return []
        if len(raw) > MAX_TEAM:
            self.error("team", _("A team has at most %(max)d people.") % {"max": MAX_TEAM})
            return []
        if community is None:
            return []
        wanted: list[tuple[int, str]] = []
        for item in raw:
            item = item if isinstance(item, dict) else {}
            person_id, role = str(item.get("person") or ""), str(item.get("role") or "")
            if not person_id.isdigit() or role not in TEAM_ROLES:
                self.error("team", _("Each team member needs a person and a role."))
                return []
            wanted.append((int(person_id), role))
        if len({person for person, _role in wanted}) != len(wanted):
            self.error("team", _("Each person can be on the team once."))
            return []
        memberships = {
            (m.user_id, m.role): m
            for m in Membership.objects.filter(
                community=community,
                is_active=True,
                user_id__in=[person for person, _role in wanted],
            ).select_related("user", "organisation")
        }
        seats = []
        for person, role in wanted:
            membership = memberships.get((person, role))
            if membership is None:
                self.error(
                    "team",
                    _("Someone on the team is not a %(role)s of %(community)s.")
                    % {"role": Role(role).label, "community": community},
                )
                return []
            seats.append(TeamSeat(membership.user, role, membership.organisation))
        return seats


class DutyShiftForm(forms.Form):
    """One duty shift for the roster page."""

    grid = forms.ModelChoiceField(queryset=Grid.objects.none(), label=gettext_lazy("Grid"))
    person = forms.ModelChoiceField(queryset=User.objects.none(), label=gettext_lazy("Person"))
    weekday = forms.TypedChoiceField(
        choices=[("", gettext_lazy("— one date —")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=gettext_lazy("Every"),
    )
    on_date = forms.DateField(
        required=False,
        label=gettext_lazy("or on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_time = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=gettext_lazy("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=gettext_lazy("An end before the start means the next morning."),
    )
    note = forms.CharField(required=False, max_length=200, label=gettext_lazy("Note"))

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.filter(community=community)  # type: ignore[attr-defined]
        members = Membership.objects.filter(
            community=community, is_active=True, role__in=TEAM_ROLES
        ).values("user_id")
        self.fields["person"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=members, is_active=True
        ).order_by("display_name", "username")
        self.fields["person"].label_from_instance = str  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_weekday = cleaned.get("weekday") is not None
        has_date = cleaned.get("on_date") is not None
        if has_weekday == has_date:
            raise forms.ValidationError(_("Choose either a weekday or a date (not both)."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start is not None and start == end:
            self.add_error("end_time", _("The shift must end at another time than it starts."))
        return cleaned
