"""Audit history: who changed what and when, through the web, the REST API and the admin;
a deleted record is restored from the admin with every field and every relation."""

# `world` is a fixture imported from the works tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.accounts.models import Membership, User
from apps.core.history import HistoryRestoreError, history_restore
from apps.patrols.models import PatrolPlan
from apps.regions.models import Grid
from apps.reports.models import Report
from apps.works.models import (
    Work,
    WorkFunder,
    WorkPhoto,
    WorkProgress,
    WorkReport,
    WorkStatusChange,
)
from apps.works.workflow import WorkStatus
from tests.factories import make_organisation, make_superuser
from tests.works.conftest import make_work, world  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db

# Links the app keeps outside history on purpose (system messages, re-sent by the workflow).
UNTRACKED = {"reports.notification", "reports.reportreminder"}


def _value(value: Any) -> Any:
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    return value


def _row(obj: models.Model) -> tuple:
    return tuple((f.attname, _value(getattr(obj, f.attname))) for f in obj._meta.concrete_fields)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The row and every row or link that points at it (reverse FKs, M2M both ways)."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    found: dict[str, Any] = {"self": _row(obj)}
    for rel in obj._meta.related_objects:
        related = rel.related_model
        label = f"{related._meta.label_lower}.{rel.field.name}"
        if related._meta.label_lower in UNTRACKED:
            continue
        if rel.many_to_many:
            found[label] = sorted(
                getattr(obj, rel.get_accessor_name()).values_list("pk", flat=True)
            )
        else:
            rows = related._default_manager.filter(**{rel.field.name: obj.pk})
            found[label] = sorted(_row(r) for r in rows)
    for field in obj._meta.many_to_many:
        found[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return found


def admin_client(user: User | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user or make_superuser())
    return client


def admin_delete(client: Client, obj: models.Model) -> None:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not type(obj)._default_manager.filter(pk=obj.pk).exists()


def admin_restore(client: Client, obj: models.Model) -> str:
    listing = client.get(reverse("admin-deleted-records")).content.decode()
    assert f'data-model="{obj._meta.label_lower}" data-pk="{obj.pk}"' in listing
    response = client.post(
        reverse("admin-deleted-records"),
        {"model": obj._meta.label_lower, "pk": obj.pk},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_progress_recorded_on_the_web_page_keeps_who_and_when(world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.planner)
    before = datetime.datetime.now(datetime.UTC)
    response = client.post(
        reverse("works:progress", args=[work.pk]),
        {"on": "2024-07-01", "percent": "55", "text": "Half way"},
    )
    assert response.status_code == 302
    progress = WorkProgress.objects.get(work=work)
    record = progress.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.planner
    assert record.history_date >= before
    assert record.percent == 55 and record.text == "Half way"


def test_a_change_through_the_rest_api_with_a_token_keeps_the_token_user(world):
    work = make_work(world.here, status=WorkStatus.UNDER_CONSTRUCTION)
    token = Token.objects.create(user=world.planner)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    day = datetime.date.today() - datetime.timedelta(days=1)
    response = api.post(
        f"/api/v1/works/{work.pk}/progress/",
        {"on": day.isoformat(), "percent": 40, "text": "主体完成"},
        format="json",
    )
    assert response.status_code == 201, response.content
    record = WorkProgress.objects.get(work=work).history.get()
    assert (record.history_type, record.history_user, record.text) == (
        "+",
        world.planner,
        "主体完成",
    )


def test_a_change_in_the_admin_is_listed_on_the_records_history_page(world):
    client = admin_client(world.superuser)
    grid = Grid.objects.filter(community__isnull=False).first()
    assert grid is not None
    url = reverse("admin:regions_grid_change", args=[grid.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: field.widget.format_value(form.initial.get(name)) or ""
        for name, field in form.fields.items()
    }
    data.update({name: value for name, value in form.initial.items() if value is not None})
    data["name"] = "改名后的网格"
    data["_save"] = "Save"
    data = {k: (v.pk if isinstance(v, models.Model) else v) for k, v in data.items()}
    if isinstance(data.get("boundary"), GEOSGeometry):
        data["boundary"] = data["boundary"].geojson
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = grid.history.latest()
    assert (latest.history_type, latest.history_user, latest.name) == (
        "~",
        world.superuser,
        "改名后的网格",
    )
    page = client.get(reverse("admin:regions_grid_history", args=[grid.pk])).content.decode()
    assert "改名后的网格" in page and world.superuser.username in page
    assert "Changed" in page


def _richest_work() -> Work:
    work = (
        Work.objects.annotate(
            n=Count("funders", distinct=True)
            + Count("photos", distinct=True)
            + Count("status_changes", distinct=True)
            + Count("reports", distinct=True)
        )
        .order_by("-n", "pk")
        .first()
    )
    assert work is not None
    return work


def test_a_work_deleted_in_the_admin_is_restored_with_every_field_and_relation(world):
    work = _richest_work()
    # Besides its own steps and progress: a funder (cascade), a photo (cascade, file
    # field) and a linked report (through model). SET_NULL links: the grid test.
    WorkFunder.objects.create(work=work, organisation=make_organisation(), amount="120000.50")
    WorkPhoto.objects.create(
        work=work,
        status_change=WorkStatusChange.objects.create(
            work=work, to_status=work.status, action="create"
        ),
        stage="after",
        image="works/x.jpg",
        thumbnail="works/x-thumb.jpg",
        width=4,
        height=3,
    )
    report = Report.objects.exclude(works=work).first()
    assert report is not None
    WorkReport.objects.create(work=work, report=report)
    before = snapshot(work)
    linked = [name for name, rows in before.items() if name != "self" and rows]
    assert len(linked) >= 5, linked
    client = admin_client(world.superuser)
    admin_delete(client, work)
    deletion = Work.history.filter(id=work.pk).latest()
    assert (deletion.history_type, deletion.history_user) == ("-", world.superuser)

    page = admin_restore(client, work)
    assert "is restored" in page
    assert snapshot(work) == before
    restored = Work.history.filter(id=work.pk).latest()
    assert (restored.history_type, restored.history_change_reason) == ("+", "restored")
    assert restored.history_user == world.superuser


def test_a_deleted_grid_is_restored_with_its_reports_memberships_and_patrol_plans(world):
    grid = (
        Grid.objects.annotate(
            n=Count("reports", distinct=True)
            + Count("memberships", distinct=True)
            + Count("patrol_plans", distinct=True)
        )
        .order_by("-n", "pk")
        .first()
    )
    assert grid is not None
    before = snapshot(grid)
    linked = [v for k, v in before.items() if k != "self" and v]
    assert len(linked) >= 2, before.keys()
    client = admin_client(world.superuser)
    admin_delete(client, grid)
    admin_restore(client, grid)
    assert snapshot(grid) == before


def test_a_deleted_report_is_restored_with_its_photos_and_transitions(world):
    report = (
        Report.objects.filter(
            agenda_items__isnull=True,
            work_links__isnull=True,
            open311__isnull=True,
            meeting_decisions__isnull=True,
        )
        .annotate(n=Count("photos", distinct=True) + Count("transitions", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    assert report is not None
    before = snapshot(report)
    assert before["reports.reportphoto.report"] and before["reports.reporttransition.report"]
    client = admin_client(world.superuser)
    admin_delete(client, report)
    admin_restore(client, report)
    assert snapshot(report) == before


def test_restoring_a_record_that_was_never_deleted_is_refused_with_a_message(world):
    work = make_work(world.here)
    with (
        translation.override("en"),
        pytest.raises(HistoryRestoreError, match="There is no deleted"),
    ):
        history_restore(model=Work, pk=work.pk)
    client = admin_client(world.superuser)
    response = client.post(
        reverse("admin-deleted-records"), {"model": "works.work", "pk": work.pk}, follow=True
    )
    assert "There is no deleted work" in response.content.decode()


def test_a_community_admin_cannot_restore_another_communitys_record(world):
    theirs = make_work(world.other)
    admin_delete(admin_client(world.superuser), theirs)
    client = admin_client(world.admin_here)
    listing = client.get(reverse("admin-deleted-records")).content.decode()
    assert f'data-pk="{theirs.pk}"' not in listing
    response = client.post(
        reverse("admin-deleted-records"), {"model": "works.work", "pk": theirs.pk}
    )
    assert response.status_code == 403
    assert not Work.objects.filter(pk=theirs.pk).exists()


def test_user_history_never_keeps_the_password_hash(world):
    user = world.resident
    user.set_password("a-new-secret-123")
    user.save()
    fields = {f.name for f in User.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields
    assert user.history.count() >= 1


def test_membership_and_patrol_plan_links_to_a_grid_are_cut_links_on_the_deletion_record(world):
    grid = Grid.objects.filter(memberships__isnull=False).first()
    assert grid is not None
    members = set(Membership.objects.filter(grids=grid).values_list("pk", flat=True))
    plans = set(PatrolPlan.objects.filter(grids=grid).values_list("pk", flat=True))
    pk = grid.pk
    grid.delete()
    record = Grid.history.filter(id=pk).latest()
    cut = {link["through"]: set(link["pks"]) for link in record.deleted_links if "through" in link}
    assert cut.get("accounts.membership_grids") == members
    if plans:
        assert cut.get("patrols.patrolplan_grids") == plans
