"""What notify does with one stream record (docs/rules.md rule 7, docs/applications.md).

The record is read once, at the edge, into a typed change (`store.changes.read`). `Notifier.outcome`
decides from that change alone what follows: first the steps that keep the table in step (the index
of organisations nobody can be reached at, a hand-over's next step, the task lists of a request that
raced a change of administrators), each safe to take again; then the mails and the events. notify's
handler only loops over the records, delivers, publishes and reports failures.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from zelfregistratie.domain.entities import OrganizationWithAdmins, RequestStatus
from zelfregistratie.domain.rights import GrantChange
from zelfregistratie.events.changes import Event, events_for
from zelfregistratie.mail.compose import (
    Mail,
    Site,
    mails_for,
    mails_for_audit,
    mails_for_warning,
    undelivered,
)
from zelfregistratie.store import reachability
from zelfregistratie.store.catalog import Catalog
from zelfregistratie.store.changes import Change
from zelfregistratie.store.handovers import Handovers
from zelfregistratie.store.request_items import read_request
from zelfregistratie.store.table import Table
from zelfregistratie.store.tasks import Tasks


class Outcome(NamedTuple):
    mails: list[Mail]
    events: list[Event]


class Notifier:
    def __init__(self, table: Table, site: Site) -> None:
        self._table = table
        self._site = site
        self._catalog = Catalog(table)
        self._tasks = Tasks(table)
        self._handovers = Handovers(table, self._tasks)
        self._organizations: dict[str, OrganizationWithAdmins] = {}

    def batch(self) -> None:
        """A new batch of records: the organisations it reads are read again (once each, strongly
        consistent: every record of a batch was written before the batch was read)."""
        self._organizations = {}

    def _organization(self, code: str) -> OrganizationWithAdmins:
        if code not in self._organizations:
            self._organizations[code] = self._catalog.organization_with_admins(code, consistent=True)
        return self._organizations[code]

    def outcome(self, change: Change, now: datetime) -> Outcome:
        """The change's steps taken, and the mails and events it causes."""
        if change.crossing is not None:
            reachability.follow(self._table, *change.crossing)  # organisations nobody can be reached at
        if change.handover is not None:
            self._handovers.step(change.handover)  # its next step is the record this one writes
        return Outcome(self._mails(change), events_for(change, now, self._site.periods))

    def _mails(self, change: Change) -> list[Mail]:
        """Who is told: the person an audit entry is about; a grant's holder and administrators of its
        coming end; those a request's transition concerns; the requester whose filing reached nobody.
        Grant and work relationship changes themselves mail nobody: their audit entries do."""
        site = self._site
        if change.audit is not None:
            entry = change.audit
            return mails_for_audit(entry, site, lambda: self._organization(entry.organization).admins)
        if change.grant is not None and change.grant[0] is GrantChange.WARNED:
            grant = change.grant[1]
            return mails_for_warning(grant, self._organization(grant.organization), site)
        if change.request is not None:
            event, request = change.request
            admins = self._organization(request.organization).admins
            administrators = {admin.person for admin in admins}
            if request.assignees != administrators:  # a filing or decision raced a change of administrators
                self._tasks.reconcile(request, administrators)
            return mails_for(event, request, admins, site)
        if change.undelivered is not None:
            # none of the filing's administrator mails arrived (docs/unreachable-administrators.md): the
            # requester hears, while the request still waits
            waiting = read_request(self._table, change.undelivered)
            pending = waiting is not None and waiting.status is RequestStatus.PENDING
            return [undelivered(waiting, site)] if waiting is not None and pending else []
        return []
