"""How facility kinds look on the map and in the legend: one symbol and one colour each."""

from __future__ import annotations

from typing import Any

from apps.facilities.models import FacilityKind

# (symbol, colour). The symbol sits on a disc of the colour, so a kind stays recognisable
# by colour where no emoji font is installed; lines and areas of the kind use the colour.
KIND_SYMBOLS: dict[str, tuple[str, str]] = {
    FacilityKind.GARBAGE_STATION: ("🗑", "#5d7f2e"),
    FacilityKind.FITNESS_COURT: ("🏃", "#e07b00"),
    FacilityKind.CULTURE_CORRIDOR: ("🎨", "#8e44ad"),
    FacilityKind.PUBLIC_TOILET: ("🚻", "#2f7fc1"),
    FacilityKind.PARKING: ("🅿", "#1d4e89"),
    FacilityKind.COURIER_REST_STATION: ("📦", "#c0392b"),
    FacilityKind.SERVICE_STATION: ("🛎", "#d35400"),
    FacilityKind.ELEVATOR: ("↕", "#546e7a"),
    FacilityKind.FENCE: ("🚧", "#7f6a00"),
    FacilityKind.DRAIN: ("💧", "#00838f"),
    FacilityKind.ROAD: ("🛣", "#616161"),
    FacilityKind.SCHOOL: ("🏫", "#6a1b9a"),
    FacilityKind.SHOPS: ("🏪", "#ad1457"),
    FacilityKind.OTHER: ("📍", "#455a64"),
}


def facility_kinds() -> list[dict[str, Any]]:
    """Every facility kind with its translated label, symbol and colour, in legend order."""
    return [
        {
            "code": kind.value,
            "label": str(kind.label),
            "symbol": KIND_SYMBOLS[kind][0],
            "colour": KIND_SYMBOLS[kind][1],
        }
        for kind in FacilityKind
    ]
