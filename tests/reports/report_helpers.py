"""Helpers for the report tests: images built in memory, one call per workflow step."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from apps.reports import services
from apps.reports.states import Action


def jpeg_bytes(
    size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 60, 40), **save: Any
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30), mode: str = "RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else 0).save(buffer, "PNG")
    return buffer.getvalue()


def perform(action: str, report: Any, actor: Any, area: Any = None, **extra: Any) -> Any:
    """Take `action` on `report` as `actor` through its service, with the inputs it needs."""
    note = extra.pop("note", "测试说明")
    if action == Action.ACCEPT:
        return services.report_accept(report=report, actor=actor, note=note)
    if action == Action.REJECT:
        return services.report_reject(report=report, actor=actor, reason=note)
    if action == Action.DISPATCH:
        return services.report_dispatch(
            report=report, actor=actor, to_organisation=extra.get("to", area.company), note=note
        )
    if action == Action.START:
        return services.report_start(report=report, actor=actor, note=note)
    if action == Action.HANDLE:
        return services.report_handle(report=report, actor=actor, feedback=note, **extra)
    if action == Action.VERIFY:
        return services.report_verify(report=report, actor=actor, note=note)
    if action == Action.FAIL_VERIFICATION:
        return services.report_fail_verification(report=report, actor=actor, reason=note)
    if action == Action.CLOSE:
        return services.report_close(report=report, actor=actor, note=note)
    if action == Action.DEFER:
        return services.report_defer(report=report, actor=actor, hours=24, reason=note)
    if action == Action.DISPUTE:
        return services.report_dispute(report=report, reason=note)
    if action == Action.CONFIRM:
        return services.report_confirm(report=report, note=note)
    if action == Action.FEEDBACK:
        step = services.report_feedback_add(report=report, actor=actor, note=note, **extra)
        return step.report
    raise ValueError(action)
