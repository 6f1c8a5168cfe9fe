"""The tracking page stops asking "is it fixed?" once the resident has said it is."""

from __future__ import annotations

import pytest

from apps.reports.states import Status

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def page_text(client, code: str) -> str:
    response = client.get(f"/r/{code}/", **ZH)
    assert response.status_code == 200
    return response.content.decode()


def test_the_tracking_page_asks_before_the_resident_confirms(client, area, make_report):
    report = make_report(Status.HANDLED)
    html = page_text(client, report.code)
    assert "问题解决了吗？" in html
    assert 'id="confirmed-note"' not in html


def test_after_confirming_the_page_thanks_instead_of_asking_again(client, area, make_report):
    report = make_report(Status.HANDLED)
    client.post(f"/r/{report.code}/confirm/", {"note": "谢谢"}, **ZH)
    report.refresh_from_db()
    assert report.confirmed_at is not None

    html = page_text(client, report.code)

    assert "问题解决了吗？" not in html
    assert "确认问题已解决" in html
    assert "是的，已解决" not in html
    assert 'id="confirm-form"' not in html
