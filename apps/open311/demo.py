"""A demo Open311 API key for Dongrui, so the API can be tried from `make run` (and the
default service attributes, which a flushed test database has lost).

Its key is public (like the demo passwords): `gm311_demo-dongrui-yiying-station`. Never
load the demo on a real deployment. Idempotent: the key is found by its hash.
"""

from __future__ import annotations

from apps.accounts.models import Organisation
from apps.core.demo import Writer
from apps.regions.models import Community

from .models import ApiKey
from .selectors import key_hash
from .services import api_key_create, service_attributes_ensure

DEMO_KEY = "gm311_demo-dongrui-yiying-station"
DEMO_KEY_NAME = "一应驿站 app（演示 demo）"
OWNER = "东瑞社区居委会"


def load_demo_data(*, verbosity: int = 0, out: Writer | None = None) -> dict[str, int]:
    service_attributes_ensure()  # a flushed test database has lost the migration's rows
    if ApiKey.objects.filter(key_hash=key_hash(DEMO_KEY)).exists():
        return {"ApiKey": 1}
    owner = Organisation.objects.filter(name=OWNER).first()
    community = Community.objects.filter(code="DR").first()
    if owner is None or community is None:
        return {}
    api_key_create(name=DEMO_KEY_NAME, owner=owner, community=community, raw_key=DEMO_KEY)
    if verbosity >= 1 and out is not None:
        out.write(f"Demo Open311 key: {DEMO_KEY}\n")
    return {"ApiKey": 1}
