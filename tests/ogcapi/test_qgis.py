"""QGIS's OGC API – Features source (the OAPIF provider of Debian's qgis-providers) adds
every public layer of the running app: valid, every feature readable, nothing private.

QGIS runs in Debian's /usr/bin/python3 (python3-qgis is a Debian package, not a wheel), in
a subprocess with the offscreen Qt platform and a throwaway HOME, through qgis_probe.py.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections import Counter
from pathlib import Path

from django.contrib.auth.models import AnonymousUser

from apps.core.layers import Scope, registry

PROBE = Path(__file__).with_name("qgis_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"
# Words that would betray a private attribute (a resident's phone, who reported what).
PRIVATE_WORDS = ("phone", "reporter", "username", "email", "pickup_code")


def _anonymous_collections(base: str) -> list[str]:
    request = urllib.request.Request(
        f"{base}/ogcapi/collections", headers={"Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        body = json.load(response)
    return [collection["id"] for collection in body["collections"]]


def _run_probe(base: str, collections: list[str], home: Path) -> dict[str, dict]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
        "NO_PROXY": "*",
    }
    done = subprocess.run(
        [SYSTEM_PYTHON, str(PROBE), f"{base}/ogcapi", *collections],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {row["collection"]: row for row in rows}


def test_qgis_adds_every_public_layer_with_all_its_features(demo_live_server, tmp_path):
    base = demo_live_server.url
    collections = _anonymous_collections(base)
    public = [layer.name for layer in registry if layer.scope is Scope.PUBLIC]
    assert collections == public and len(collections) >= 5

    seen = _run_probe(base, collections, tmp_path)

    assert sorted(seen) == sorted(collections)
    for name in collections:
        row = seen[name]
        assert row["valid"], (name, row.get("error"))
        layer = registry.get(name)
        shapes = layer.rows(AnonymousUser()).values_list(layer.geometry_field, flat=True)
        expected = Counter(shape.geom_type for shape in shapes)
        assert row["features"] == row["distinct_ids"] == expected.total(), (name, row)
        # Every feature arrives with its own shape's type, multi-part sites included.
        assert row["feature_geometry_types"] == dict(expected), (name, row)
        assert row["crs"] in ("EPSG:4326", "OGC:CRS84"), (name, row["crs"])
        # QGIS 3.22 gives a layer one type, sampled from the first page: for a collection
        # of mixed shapes (works, facilities) that is the type of its first features.
        assert row["geometry_type"] in expected, (name, row)
        fields = [field.lower() for field in row["fields"]]
        assert fields, name
        leaked = [f for f in fields if any(word in f for word in PRIVATE_WORDS)]
        assert not leaked, (name, leaked)
        assert not row["provider_errors"], (name, row["provider_errors"])
