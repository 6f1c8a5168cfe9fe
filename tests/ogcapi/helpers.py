"""Helpers of the OGC API tests."""

from __future__ import annotations

import json
from typing import Any


def get_json(client: Any, url: str, status: int = 200, **params: Any) -> dict:
    """GET `url` with query `params`, check the status, return the JSON body."""
    response = client.get(url, params)
    assert response.status_code == status, response.content[:500]
    return json.loads(response.content)
