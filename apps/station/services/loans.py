"""Lending tools: a loan holds one physical item for whole days."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..access import roles_on, station_roles
from ..errors import NoItemFreeError, NotAMemberError, NotBookableError, TooLateError
from ..models import LOAN_TRANSITIONS, LoanEvent, Tool, ToolItem, ToolLoan
from ..models.bookings import OWNER
from ..slots import loan_days, loan_period, local_today
from .common import CODE_ATTEMPTS, confirmation_code, record, violated_constraint


def free_items(tool: Tool, lower: datetime.datetime, upper: datetime.datetime) -> list[ToolItem]:
    """Items of `tool` in service with no active loan overlapping [lower, upper), and not
    still out overdue (a late borrower has it though their period has ended)."""
    period = DateTimeTZRange(lower, upper, "[)")
    busy = ToolLoan.objects.filter(status__in=ToolLoan.ACTIVE, period__overlap=period)
    overdue = ToolLoan.objects.filter(
        status=ToolLoan.Status.PICKED_UP, period__endswith__lte=timezone.now()
    )
    return list(
        tool.items.filter(is_active=True)
        .exclude(pk__in=busy.values("item_id"))
        .exclude(pk__in=overdue.values("item_id"))
        .order_by("label")
    )


@transaction.atomic
def loan_create(*, tool: Tool, borrower: Any, start: datetime.date, days: int) -> ToolLoan:
    """Borrow a piece of `tool` for `days` whole days from `start` (a date in the station's
    time zone). The database refuses two active loans of one item that overlap, so two
    people asking for the last free drill at once cannot both get it: the second gets
    NoItemFreeError (409)."""
    if not station_roles(borrower, tool.community_id):
        raise NotAMemberError(_("Only people of this community can borrow tools here."))
    if not tool.is_active:
        raise NotBookableError(_("This tool is not being lent at the moment."))
    if not 1 <= days <= tool.max_loan_days:
        raise NotBookableError(
            ngettext(
                "A %(tool)s can be borrowed for at most %(count)d day.",
                "A %(tool)s can be borrowed for at most %(count)d days.",
                tool.max_loan_days,
            )
            % {"tool": tool.name, "count": tool.max_loan_days}
        )
    if start not in loan_days(tool):
        raise NotBookableError(
            _("Pick a first day from today to %(days)s days ahead.") % {"days": tool.days_ahead}
        )
    lower, upper = loan_period(start, days)
    for item in free_items(tool, lower, upper):
        loan = _insert(tool, item, borrower, lower, upper)
        if loan is not None:
            record(
                LoanEvent,
                "loan",
                loan,
                action="create",
                from_status="",
                to_status=loan.status,
                actor=borrower,
                actor_role=OWNER,
            )
            return loan
    raise NoItemFreeError(
        _("Sorry, no %(tool)s is free for all of those days. Try other days or fewer days.")
        % {"tool": tool.name}
    )


def _insert(
    tool: Tool, item: ToolItem, borrower: Any, lower: datetime.datetime, upper: datetime.datetime
) -> ToolLoan | None:
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return ToolLoan.objects.create(
                    community_id=tool.community_id,
                    tool=tool,
                    item=item,
                    borrower=borrower,
                    period=DateTimeTZRange(lower, upper, "[)"),
                    code=confirmation_code("L"),
                )
        except IntegrityError as error:
            name = violated_constraint(error)
            if name == "loan_item_no_overlap":
                return None  # taken meanwhile by someone else: try the next item
            if "code" not in name:
                raise
    raise IntegrityError("Could not draw a unique confirmation code.")


def loan_is_overdue(loan: ToolLoan, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return loan.status == ToolLoan.Status.PICKED_UP and loan.period.upper <= now


@transaction.atomic
def loan_transition(*, loan: ToolLoan, action: str, actor: Any, note: str = "") -> ToolLoan:
    """Apply `action` from LOAN_TRANSITIONS (confirm, pick_up, return, no_show, cancel).

    Time rules: a tool is handed out from the first day of the loan; "not picked up" is
    marked only once that day has begun; a late return is noted in the history.
    """
    locked = ToolLoan.objects.select_for_update().get(pk=loan.pk)
    roles = roles_on(actor, locked, "borrower")
    move, role = LOAN_TRANSITIONS.check(action=action, status=locked.status, roles=roles)
    now = timezone.now()
    first_day = locked.period.lower
    if action == "pick_up" and local_today() < timezone.localtime(first_day).date():
        raise TooLateError(
            _("This loan starts on %(day)s: hand the tool out from that day.")
            % {"day": timezone.localtime(first_day).date().isoformat()}
        )
    if action == "no_show" and now < first_day:
        raise TooLateError(_("“Not picked up” can only be marked once the loan has begun."))
    notes = [note.strip()] if note.strip() else []
    if action == "return" and loan_is_overdue(locked, now=now):
        # Days late, counting a started day as one: 2 hours late is "1 day late".
        days_late = -(-(now - locked.period.upper) // datetime.timedelta(days=1))
        notes.append(
            ngettext("Returned %(days)d day late.", "Returned %(days)d days late.", days_late)
            % {"days": days_late}
        )
    previous = locked.status
    locked.status = move.target
    if action == "pick_up":
        locked.picked_up_at = now
    if action == "return":
        locked.returned_at = now
    locked.save(update_fields=["status", "picked_up_at", "returned_at", "updated_at"])
    record(
        LoanEvent,
        "loan",
        locked,
        action=action,
        from_status=previous,
        to_status=locked.status,
        actor=actor,
        actor_role=role,
        note=" ".join(notes),
    )
    return locked
