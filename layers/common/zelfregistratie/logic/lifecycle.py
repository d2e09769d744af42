"""Running the lifecycle's timers (docs/lifecycle.md): reminders and expiry of pending requests, the
expiring warning and expiry of grants. What each step tells people (mails, events) follows from the
change it writes, through the stream, as for every other change.

Each due item is read again, strongly consistent, and changed on condition that it is still at the
step the index showed (`GSI2SK`): a run that repeats, overlaps another or meets a stale index entry
changes nothing twice, and a request decided a minute before its expiry stays decided.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.audit import AuditAction
from zelfregistratie.domain.lifecycle import Step, grant_due, request_due
from zelfregistratie.logic.rights import grant_entry
from zelfregistratie.store.store import Store

# A run reads the buckets of today and the days before: an hourly run that failed for up to this many
# days still finds what fell due meanwhile (docs/lifecycle.md).
DAYS_BACK = 2
LIFECYCLE = Actor(sub="zelfregistratie", name="Zelfregistratie")


def run(store: Store, now: datetime, days_back: int = DAYS_BACK) -> Counter[str]:
    """Every step due at `now`; how many of each were taken (and `skipped`: moved on meanwhile)."""
    done: Counter[str] = Counter()
    for found in store.timers.due(now, days_back):
        due_key = str(found["GSI2SK"])
        if found["kind"] == "request":
            taken = _request_step(store, str(found["id"]), due_key, now)
        elif found["kind"] == "grant":
            taken = _grant_step(store, str(found["id"]), due_key, now)
        else:
            taken = None
        done[taken or "skipped"] += 1
    return done


def _request_step(store: Store, request_id: str, due_key: str, now: datetime) -> str | None:
    request = store.requests.get(request_id, consistent=True)
    due = request_due(request, store.periods) if request is not None else None
    if request is None or due is None or due.at > now:
        return None
    if due.step is Step.REQUEST_EXPIRY:
        expired, _ = request.expire(now)
        return due.step if store.requests.expire(request, expired, due_key) else None
    reminded, _ = request.remind()
    return due.step if store.requests.remind(reminded, due_key) else None


def _grant_step(store: Store, grant_id: str, due_key: str, now: datetime) -> str | None:
    grant = store.people.grant_by_id(grant_id, consistent=True)
    due = grant_due(grant, store.periods) if grant is not None else None
    if grant is None or due is None or due.at > now:
        return None
    if due.step is Step.GRANT_WARNING:
        warned, _ = grant.warn()
        return due.step if store.people.warn(warned, due_key) else None
    expired, _ = grant.expire(now)
    entry = grant_entry(AuditAction.GRANT_EXPIRED, grant, LIFECYCLE, now, email=grant.email)
    return due.step if store.people.expire(expired, due_key, entry) else None
