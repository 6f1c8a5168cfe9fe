"""Attribute answers of a service request, checked against the service definition
(GeoReport v2 datatypes: string, number, datetime, text, singlevaluelist, multivaluelist)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from apps.reports.models import Category

from .models import ServiceAttribute

STRING_MAX = 500
TEXT_MAX = 4000


def clean_attributes(
    category: Category, given: Mapping[str, Sequence[str]], errors: list[str]
) -> dict[str, Any]:
    """Check the answers against the service definition; {code: value or [values]}."""
    definitions = {a.code: a for a in category.open311_attributes.order_by("order")}
    for code in given:
        if code not in definitions:
            errors.append(
                _(
                    "attribute[%(code)s] is not part of service %(service)s: "
                    "see services/%(service)s."
                )
                % {"code": code, "service": category.code}
            )
    cleaned: dict[str, Any] = {}
    for code, definition in definitions.items():
        if not definition.variable:
            continue
        values = [str(v).strip() for v in given.get(code, []) if str(v).strip()]
        if not values:
            if definition.required:
                errors.append(
                    _("attribute[%(code)s] is required: %(question)s")
                    % {"code": code, "question": definition.description}
                )
            continue
        value = _attribute_value(definition, values, errors)
        if value is not None:
            cleaned[code] = value
    return cleaned


def _attribute_value(definition: ServiceAttribute, values: list[str], errors: list[str]) -> Any:
    kind, code = definition.datatype, definition.code
    types = ServiceAttribute.Datatype
    if kind != types.MULTIVALUELIST and len(values) > 1:
        errors.append(_("attribute[%(code)s] takes one value.") % {"code": code})
        return None
    value = values[0]
    if kind == types.STRING and ("\n" in value or len(value) > STRING_MAX):
        errors.append(
            _("attribute[%(code)s] must be one line of at most %(max)d characters.")
            % {"code": code, "max": STRING_MAX}
        )
    elif kind == types.TEXT and len(value) > TEXT_MAX:
        errors.append(
            _("attribute[%(code)s] must be at most %(max)d characters.")
            % {"code": code, "max": TEXT_MAX}
        )
    elif kind == types.NUMBER:
        try:
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
        except ValueError:
            errors.append(_("attribute[%(code)s] must be a number.") % {"code": code})
            return None
    elif kind == types.DATETIME:
        try:
            parsed = parse_datetime(value) or parse_date(value)
        except ValueError:
            parsed = None
        if parsed is None:
            errors.append(
                _(
                    "attribute[%(code)s] must be an ISO 8601 date-time, "
                    "e.g. 2024-05-01T08:30:00+08:00."
                )
                % {"code": code}
            )
            return None
    elif kind in ServiceAttribute.LIST_TYPES:
        keys = definition.value_keys()
        wrong = [v for v in values if v not in keys]
        if wrong:
            errors.append(
                _("attribute[%(code)s] must be one of %(keys)s; got %(wrong)s.")
                % {"code": code, "keys": ", ".join(keys), "wrong": ", ".join(wrong)}
            )
            return None
        return values if kind == types.MULTIVALUELIST else value
    else:
        return value
    return value
