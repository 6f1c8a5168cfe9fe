"""`{% open311_details report as details %}`: what an Open311 client sent with a report
(attribute answers with their questions, media URL, address as given, submitter), for the
staff console's report page: `{% include "open311/report_details.html" %}`."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import Open311Submission, ServiceAttribute

register = template.Library()


@register.simple_tag
def open311_details(report: Any) -> dict[str, Any] | None:
    if report is None or getattr(report, "source", "") != "open311":
        return None
    submission = (
        Open311Submission.objects.select_related("api_key__owner").filter(report=report).first()
    )
    if submission is None:
        return None
    definitions = {
        a.code: a for a in ServiceAttribute.objects.filter(category_id=report.category_id)
    }
    answers = []
    for code, value in (submission.attributes or {}).items():
        definition = definitions.get(code)
        # List answers are keys: show each choice's name.
        names = (
            {str(v.get("key")): str(v.get("name")) for v in (definition.values or [])}
            if (definition)
            else {}
        )
        given = value if isinstance(value, list) else [value]
        answers.append(
            {
                "code": code,
                "question": definition.description if definition else code,
                "answer": "、".join(names.get(str(v), str(v)) for v in given),
            }
        )
    return {"submission": submission, "answers": answers}
