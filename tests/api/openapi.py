"""Check response bodies against the generated OpenAPI 3.0 document with jsonschema.

OpenAPI 3.0 schemas are almost JSON Schema: `nullable: true` has to become a "null" type,
`$ref`s point into components, and `readOnly`/`writeOnly`/`format` are annotations.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import jsonschema


def _to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "$ref" in node or "allOf" in node or "oneOf" in node:
            inner = {k: node.pop(k) for k in ("$ref", "allOf", "oneOf") if k in node}
            node = {"anyOf": [inner, {"type": "null"}], **node}
        elif "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


class SchemaChecker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = _to_json_schema(copy.deepcopy(document["components"]["schemas"]))

    def operation(self, method: str, path: str) -> dict[str, Any]:
        for template, item in self.document["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path) and method.lower() in item:
                return item[method.lower()]
        raise AssertionError(f"{method} {path} is not in the OpenAPI document")

    def check(self, method: str, path: str, response: Any) -> None:
        """Assert the response's status is documented and its body matches the schema."""
        operation = self.operation(method, path.split("?")[0])
        documented = operation["responses"]
        assert str(response.status_code) in documented, (
            f"{method} {path}: {response.status_code} is not documented ({sorted(documented)})"
        )
        content = documented[str(response.status_code)].get("content", {})
        if not content:
            return
        schema = next(iter(content.values()))["schema"]
        wrapped = {
            **_to_json_schema(copy.deepcopy(schema)),
            "components": {"schemas": self.components},
        }
        wrapped = _rewrite_refs(wrapped)
        jsonschema.validate(response.json(), wrapped)


def _rewrite_refs(node: Any) -> Any:
    # "#/components/schemas/X" resolves against the wrapper document as it is.
    return node
