"""The extra questions Open311 clients are asked for some categories, as a deployment starts.

Used by the data migration that seeds them and by the demo loader (a test database that was
flushed has lost the migration's rows). Seeding only ever adds attributes that are missing.
"""

from __future__ import annotations

from typing import Any

# category code, attribute code, datatype, required, order, question, English, hint, values
DEFAULT_ATTRIBUTES: list[tuple[str, str, str, bool, int, str, str, str, list[dict[str, str]]]] = [
    ("elevator", "building", "string", True, 1, "哪一栋楼？", "Which building?",
     "楼栋号，如 D4-2栋 / building number, e.g. D4-2栋", []),
    ("elevator", "unit", "string", False, 2, "哪个单元或哪部电梯？", "Which entrance or lift car?",
     "", []),
    ("elevator", "people_trapped", "singlevaluelist", True, 3, "是否有人被困？",
     "Is anyone trapped?", "",
     [{"key": "yes", "name": "是，有人被困", "name_en": "Yes, someone is trapped"},
      {"key": "no", "name": "否", "name_en": "No"}]),
    ("parking", "plate_number", "string", False, 1, "车牌号（如涉及车辆）",
     "Plate number (if a vehicle is involved)", "如 湘A12345 / e.g. 湘A12345", []),
]  # fmt: skip


def attribute_values(row: tuple) -> dict[str, Any]:
    _category, _code, datatype, required, order, question, english, hint, values = row
    return {
        "datatype": datatype,
        "required": required,
        "variable": True,
        "order": order,
        "description": question,
        "description_en": english,
        "datatype_description": hint,
        "values": values,
    }
