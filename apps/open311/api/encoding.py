"""GeoReport v2 documents in both formats from one structure.

A document is a root element name and a value: a list (of dicts), or a dict. In XML each
list item takes the name given by ITEM_NAMES for its container ("services" → "service");
in JSON the root of a list document is the bare array (the spec's Spark convention), and a
dict document is an object. Booleans are true/false, None is an empty element or null.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")

ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF): dropped, so every answer stays well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> str:
    element = ET.Element(root)
    _fill(element, root, value)
    ET.indent(element)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def render(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """An HttpResponse of the document in `fmt` ("json" or "xml")."""
    if fmt == "json":
        return HttpResponse(to_json(value), content_type=JSON_TYPE, status=status)
    return HttpResponse(to_xml(root, value), content_type=XML_TYPE, status=status)


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The spec's error document: a list of {code, description}."""
    errors = [{"code": status, "description": d} for d in descriptions]
    return render(fmt, "errors", errors, status=status)
