"""The "reports" map layer (who sees which rows, and never personal data) and the demo."""

from __future__ import annotations

import pytest

from apps.core.demo import load_demo
from apps.core.layers import registry
from apps.reports.models import Category, Report, ReportPhoto, ReportTransition
from apps.reports.states import Status

pytestmark = pytest.mark.django_db
PRIVATE = {
    "code", "description", "contact_phone", "contact_email", "reporter", "reporter_id",
    "is_anonymous", "idempotency_key", "duty_worker", "dispatched_to_user",
}  # fmt: skip


def features(client, **params):
    response = client.get("/api/layers/reports.geojson", params)
    assert response.status_code == 200
    return response.json()["features"]


def test_the_reports_layer_is_registered_once_with_public_fields_only():
    layer = registry.get("reports")
    assert layer.geometry_type == "Point"
    assert not PRIVATE & set(layer.fields)
    assert not any("phone" in name or "mail" in name for name in layer.fields)


def test_anonymous_visitors_see_accepted_reports_of_public_categories_only(
    client, area, make_report
):
    public = make_report(Status.ACCEPTED, contact_phone="13933334444")
    make_report(Status.SUBMITTED)  # not yet looked at by staff
    make_report(Status.REJECTED)
    make_report(Status.ACCEPTED, category=Category.objects.get(code="complaint_property"))

    rows = features(client, community=area.community.pk)

    assert [f["id"] for f in rows] == [public.pk]
    assert rows[0]["properties"]["name"] == "物业报修"
    assert "13933334444" not in str(rows) and public.code not in str(rows)
    assert public.description not in str(rows)


def test_staff_see_every_report_of_their_scope_on_the_layer(client, area, make_report):
    waiting = make_report(Status.SUBMITTED)
    complaint = make_report(
        Status.ACCEPTED, category=Category.objects.get(code="complaint_community")
    )
    client.force_login(area.people.admin)
    ids = {f["id"] for f in features(client, community=area.community.pk)}
    assert {waiting.pk, complaint.pk} <= ids

    client.force_login(area.people.outsider)  # another community's admin
    ids = {f["id"] for f in features(client, community=area.community.pk)}
    assert waiting.pk not in ids and complaint.pk not in ids


def test_the_demo_has_reports_in_every_state_in_dongrui_and_one_in_shida(settings):
    from gridmap.settings.base import MEDIA_ROOT

    settings.MEDIA_ROOT = str(MEDIA_ROOT)  # where the session's demo stored its photos
    demo = Report.objects.filter(idempotency_key__startswith="demo-")
    dongrui = set(demo.filter(community__code="DR").values_list("status", flat=True))
    assert dongrui == set(Status.values)
    assert demo.filter(community__code="SD").count() == 1
    assert demo.filter(rework_count__gt=0).exists()
    feedback = ReportPhoto.objects.filter(report__in=demo, stage=ReportPhoto.Stage.FEEDBACK)
    assert feedback.count() >= 1 and all(p.file.storage.exists(p.file.name) for p in feedback)


def test_every_demo_step_is_one_the_table_allows_by_a_demo_account():
    from apps.reports.workflow import RULES

    steps = ReportTransition.objects.filter(report__idempotency_key__startswith="demo-")
    for step in steps.exclude(action="submit"):
        assert RULES[step.action].moves[step.from_status] == step.to_status
        assert step.actor is None or step.actor.username in {
            "communityadmin", "gridworker", "property", "police",
        }  # fmt: skip


def test_loading_the_demo_again_changes_nothing():
    before = (Report.objects.count(), ReportTransition.objects.count(), ReportPhoto.objects.count())
    load_demo()
    after = (Report.objects.count(), ReportTransition.objects.count(), ReportPhoto.objects.count())
    assert after == before
