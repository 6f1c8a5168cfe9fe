"""Whom a report goes to is always a choice made on purpose: the dispatch form preselects
nobody, names who has the report now and whom the category suggests, and a dispatch sent
without a choice is refused in words with nothing typed lost. The console's row button and
the report page's open form offer the step that moves the report on."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.reports.states import Action, Status

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    return response.content.decode()


def open_details(html: str) -> list[str]:
    return re.findall(r'<details open data-action="([a-z_]+)"', html)


def test_a_dispatch_without_a_choice_is_refused_and_keeps_the_note(client, area, make_report):
    report = make_report(Status.ACCEPTED)
    client.force_login(area.people.admin)

    response = client.post(
        reverse("reports:act", args=[report.pk, Action.DISPATCH]),
        {"target": "", "note": "居民说晚上最危险"},
        **EN,
    )

    assert response.status_code == 400
    html = text(response)
    assert "Choose whom to dispatch the report to." in html
    assert "居民说晚上最危险</textarea>" in html  # what was typed is still there
    assert open_details(html) == ["dispatch"]  # beside the form it belongs to
    report.refresh_from_db()
    assert report.status == Status.ACCEPTED
    assert not report.transitions.filter(action=Action.DISPATCH).exists()


def test_the_redispatch_form_names_the_current_assignee_and_preselects_nobody(
    client, area, make_report
):
    report = make_report(Status.DISPATCHED, dispatched_to_organisation=None)
    report.dispatched_to_user = area.people.worker
    report.save(update_fields=["dispatched_to_user"])
    client.force_login(area.people.admin)

    html = text(client.get(reverse("reports:detail", args=[report.pk]), **EN))

    select = html[html.index('id="target-dispatch"') : html.index("</select>")]
    assert '<option value="" selected>Choose a handler…</option>' in select
    assert select.count(" selected>") == 1  # the empty choice, nothing else
    assert re.search(rf'value="user:{area.people.worker.pk}" >[^<]+\(current\)</option>', select)
    assert f"Now with: {area.people.worker}" in html
    # The page does not wait with the re-dispatch form open.
    assert "dispatch" not in open_details(html)


@pytest.mark.parametrize(
    ("status", "who", "button"),
    [
        (Status.SUBMITTED, "admin", "Accept"),
        (Status.ACCEPTED, "admin", "Dispatch"),
        (Status.DISPATCHED, "admin", None),  # the property company's turn
        (Status.DISPATCHED, "property", "Start work"),
        (Status.HANDLED, "worker", "Pass verification"),
        (Status.VERIFIED, "admin", "Close"),
    ],
)
def test_the_console_row_offers_the_step_that_moves_the_report_on(
    client, area, make_report, status, who, button
):
    report = make_report(status)
    client.force_login(getattr(area.people, who))

    html = text(client.get(reverse("reports:console"), **EN))

    row = html[html.index(f'data-report-id="{report.pk}"') :]
    row = row[: row.index("</tr>")]
    found = re.search(r'data-action="([a-z_]+)">([^<]+)</a>', row)
    if button is None:
        assert found is None and "Open the report" in row
    else:
        assert found and found.group(2) == button
        page = text(client.get(f"{reverse('reports:detail', args=[report.pk])}", **EN))
        assert open_details(page) == [found.group(1)]


def test_a_bulk_dispatch_without_a_choice_is_refused_once_and_dispatches_nothing(
    client, area, make_report
):
    ready = [make_report(Status.ACCEPTED) for _n in range(2)]
    client.force_login(area.people.admin)

    response = client.post(
        reverse("reports:bulk-dispatch"),
        {"reports": [str(r.pk) for r in ready], "target": ""},
        follow=True,
        **EN,
    )

    html = text(response)
    assert html.count("Choose whom to dispatch the ticked reports to.") == 1
    assert "Not dispatched" not in html
    for report in ready:
        report.refresh_from_db()
        assert report.status == Status.ACCEPTED
