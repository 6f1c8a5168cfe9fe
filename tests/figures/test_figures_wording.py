"""Headings and figure labels say each thing once, in the page's language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_figure_tiles_name_each_rate_once(world, may):
    html = world.client("admin_here").get(reverse("figures:dashboard"), ZH).content.decode()
    summary = html[html.index('id="summary"') :]
    summary = summary[: summary.index("</section>")]
    labels = re.findall(r"</span><span>([^<]+)</span>", summary)
    assert "结案率" in labels and "按期结案率" in labels
    assert all(label.split()[0] != label.split()[-1] or len(label.split()) == 1 for label in labels)
    assert "结案率 结案率" not in html and "按期结案率 按期结案率" not in html


def test_the_joint_meetings_heading_is_said_once(world):
    html = world.client("admin_here").get(reverse("meetings:index"), ZH).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert heading is not None
    assert re.sub(r"<[^>]+>", "", heading.group(1)).strip() == "联席会议"
