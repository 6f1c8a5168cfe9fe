"""The categories every deployment starts with, and their SLA hours (counted from submission).

Used by the data migration that seeds them and by the demo loader (a test database that was
flushed has lost the migration's rows). Admins may change the hours afterwards; seeding
only ever adds categories that are missing.
"""

from __future__ import annotations

# code, name, English name, hours to accept, to dispatch, to handle, usually handled by,
# shown on the public map
DEFAULT_CATEGORIES: list[tuple[str, str, str, int, int, int, str, bool]] = [
    ("repair", "物业报修", "Repair (property)", 2, 4, 72, "property_company", True),
    ("sanitation", "环境卫生", "Sanitation", 2, 4, 24, "grid_worker", True),
    ("garbage", "垃圾清运", "Garbage collection", 2, 4, 24, "property_company", True),
    ("elevator", "电梯", "Elevator", 1, 2, 24, "property_company", True),
    ("drain", "下水道", "Drains and sewers", 1, 2, 24, "property_company", True),
    ("parking", "停车", "Parking", 4, 8, 72, "property_company", True),
    ("safety", "治安", "Public safety", 1, 1, 12, "police", False),
    ("noise", "噪音", "Noise", 2, 4, 24, "grid_worker", False),
    (
        "complaint_property", "投诉物业", "Complaint about the property company",
        4, 8, 120, "community", False,
    ),
    (
        "complaint_community", "投诉社区", "Complaint about the community",
        4, 8, 120, "community", False,
    ),
    ("other", "其他", "Other", 4, 8, 72, "grid_worker", True),
]  # fmt: skip


def category_values(order: int, row: tuple) -> dict:
    _code, name, name_en, accept, dispatch, handle, hint, public = row
    return {
        "name": name,
        "name_en": name_en,
        "accept_hours": accept,
        "dispatch_hours": dispatch,
        "handle_hours": handle,
        "dispatch_hint": hint,
        "is_public": public,
        "is_active": True,
        "sort_order": order * 10,
    }
