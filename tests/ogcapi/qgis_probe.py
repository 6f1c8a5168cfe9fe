"""Open OGC API Features collections with QGIS's own OAPIF provider, headless.

Run with Debian's /usr/bin/python3 (python3-qgis lives in /usr/lib/python3/dist-packages,
not in the project's virtualenv), with QT_QPA_PLATFORM=offscreen:

    python3 qgis_probe.py http://127.0.0.1:8000/ogcapi grids facilities ...

Prints one JSON object per collection on its own line: the collection id, whether QGIS
found the layer valid, the number of features it read (by iterating them, as a map
canvas or an export would), the geometry type of the layer and of each feature, the CRS,
the field names and any provider errors.
"""

from __future__ import annotations

import json
import sys

from qgis.core import (  # type: ignore[import-not-found]
    QgsApplication,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)


def probe(base_url: str, collection: str) -> dict[str, object]:
    uri = f"url='{base_url}' typename='{collection}' pagingEnabled='true'"
    layer = QgsVectorLayer(uri, collection, "OAPIF")
    out: dict[str, object] = {"collection": collection, "valid": layer.isValid()}
    if not layer.isValid():
        out["error"] = layer.error().summary()
        return out
    count = 0
    ids: set[object] = set()
    kinds: dict[str, int] = {}  # each feature's own geometry type: how many
    for feature in layer.getFeatures():
        count += 1
        ids.add(feature.id())
        if feature.hasGeometry() and not feature.geometry().isEmpty():
            kind = QgsWkbTypes.displayString(feature.geometry().wkbType())
            kinds[kind] = kinds.get(kind, 0) + 1
    provider = layer.dataProvider()
    out.update(
        {
            "features": count,
            "distinct_ids": len(ids),
            "feature_geometry_types": kinds,
            "geometry_type": QgsWkbTypes.displayString(layer.wkbType()),
            "crs": layer.crs().authid(),
            "fields": [field.name() for field in layer.fields()],
            "provider_errors": [str(e) for e in provider.errors()] if provider else [],
        }
    )
    return out


def main(argv: list[str]) -> int:
    base_url, collections = argv[1], argv[2:]
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        if "OAPIF" not in QgsProviderRegistry.instance().providerList():
            print(json.dumps({"error": "no OAPIF provider"}), flush=True)
            return 2
        for collection in collections:
            print(json.dumps(probe(base_url, collection), ensure_ascii=False), flush=True)
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
