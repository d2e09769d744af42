"""A pending request's lifecycle steps, as the timers take them (docs/lifecycle.md): reminders, then
expiry; each only while the request is at the step its timer found."""

from __future__ import annotations

from zelfregistratie.domain.requests import AccessRequest
from zelfregistratie.store.request_items import NotAtStep, at_step, closing, request_item
from zelfregistratie.store.table import Table


def remind(table: Table, reminded: AccessRequest, due_key: str) -> bool:
    """A reminder went out (notify mails it from the change): the request moves on to its next
    step. False when it is no longer at the step `due_key` names (decided, reminded meanwhile)."""
    try:
        table.write(
            table.transaction().put(request_item(reminded, table.periods), condition=at_step(due_key))
        )
    except NotAtStep:
        return False
    return True


def expire(table: Table, request: AccessRequest, expired: AccessRequest, due_key: str) -> bool:
    """Pending too long → expired: out of the open tasks, the guard gone (it may be filed again).
    False when it was decided, cancelled or moved on meanwhile."""
    try:
        table.write(closing(table, request, expired, at_step(due_key)))
    except NotAtStep:
        return False
    return True
