"""Handing an organisation's tasks to an administrator who joins it, or taking them from one who
leaves, in steps that no organisation's size can outgrow.

The appointment (or removal) writes a hand-over item in its own transaction, so the request that
makes it costs the same whatever the organisation's size. Its stream record makes `notify` take a
step: up to `STEP_TASKS` tasks, open ones first, assigned (or taken back) in transactions of at most
`TASKS_PER_TRANSACTION`; then the item moves on to where the step stopped, which is the next
record, the next step. The last step deletes it. A step is safe to repeat: a task handed over
already is skipped. A newer hand-over of the same person and organisation (removed, then appointed
again) replaces the item; the older walk's next move then fails its condition and stops there.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from zelfregistratie.store import keys
from zelfregistratie.store.table import Condition, Table, Transaction, item, model, number, string
from zelfregistratie.store.tasks import BUCKETS, Tasks

STEP_TASKS = 100  # a step: one query, one BatchGetItem, four transactions, one write of its place


class Superseded(Exception):
    """A newer hand-over of the same person and organisation took this one's place, or it ended."""


@dataclass(frozen=True)
class HandOver:
    """Where a hand-over is: `bucket`'s tasks after `after` are still to do (all of them when `None`)."""

    organization: str
    person: str
    joins: bool  # assign the tasks; otherwise take them back
    id: str
    bucket: str = BUCKETS[0]
    after: str | None = None
    step: int = 0


def start(tx: Transaction, org: str, sub: str, *, joins: bool) -> HandOver:
    """A hand-over written in the transaction that appoints or removes `sub`."""
    handover = HandOver(organization=org, person=sub, joins=joins, id=uuid.uuid4().hex)
    tx.put(item(handover, "handover", keys.handover(org, sub)))
    return handover


def from_values(found: dict[str, object]) -> HandOver:
    return model(HandOver, found)


class Handovers:
    def __init__(self, table: Table, tasks: Tasks) -> None:
        self._table = table
        self._tasks = tasks

    def step(self, handover: HandOver) -> HandOver | None:
        """One step: its tasks handed over, and the item moved on (`None`: the hand-over is done, or
        another took its place)."""
        org, sub = handover.organization, handover.person
        ids, more = self._tasks.ids_of(org, handover.bucket, handover.after, STEP_TASKS)
        if handover.joins:
            self._tasks.assign_many(ids, sub)
        else:
            self._tasks.unassign_many(ids, sub)
        following = _following(handover, ids[-1] if ids else None, more)
        same = Condition(
            "#id = :id AND #step = :step",
            Superseded,
            names={"#id": "id", "#step": "step"},
            values={":id": string(handover.id), ":step": number(handover.step)},
        )
        try:
            if following is None:
                self._table.delete_if(keys.handover(org, sub), same)
            else:
                self._table.put_if(item(following, "handover", keys.handover(org, sub)), same)
        except Superseded:
            return None
        return following

    def run(self, handover: HandOver) -> None:
        """Every step at once (the loader's appointments, which no stream follows)."""
        following: HandOver | None = handover
        while following is not None:
            following = self.step(following)


def _following(handover: HandOver, last: str | None, more: bool) -> HandOver | None:
    if more:
        return dataclasses.replace(handover, after=last, step=handover.step + 1)
    position = BUCKETS.index(handover.bucket)
    if position + 1 == len(BUCKETS):
        return None
    return dataclasses.replace(handover, bucket=BUCKETS[position + 1], after=None, step=handover.step + 1)
