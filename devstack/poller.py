"""The stream poller: what Lambda's event source mapping does for notify, on one machine.

It reads the table's stream, drops the records the mapping's `FilterCriteria` filter out, hands the
notify handler batches shaped as Lambda shapes them, and honours `batchItemFailures` as Lambda does
for a stream: the lowest failed record is the checkpoint, and it and every record after it in the
batch come again. With `BisectBatchOnFunctionError`, Lambda splits the batch there until the record
that keeps failing stands alone; here the retries count against that record only, so it alone is
given up. A record that still fails after the mapping's `MaximumRetryAttempts` retries, or that grew
older than `MaximumRecordAgeInSeconds`, is given up: as in AWS, its on-failure destination (the
failure queue) receives a pointer to it in the stream, in the shape Lambda sends
(`streams.failure_pointer`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from devstack.gateway import Function
from ops import streams


@dataclass
class Pending:
    shard: str
    record: dict[str, Any]
    attempts: int = 0


@dataclass
class StreamPoller:
    streams_client: Any
    stream_arn: str
    function: Function
    batch_size: int
    maximum_retry_attempts: int
    maximum_record_age: int
    interval: float = 0.1
    filters: list[dict[str, Any]] = field(default_factory=list)
    after_batch: Callable[[], None] = lambda: None
    # Where a pointer to each record given up goes (the failure queue); kept in a list by default.
    on_failure: Callable[[dict[str, Any]], None] | None = None
    function_arn: str = "arn:aws:lambda:eu-west-1:000000000000:function:notify:live"
    # Told how far the stream has been read, after each read (the local stack trims moto's records).
    on_read: Callable[[int], None] | None = None
    given_up: list[dict[str, Any]] = field(default_factory=list)
    cycles: int = 0  # polls completed: a reader of the stream waits on this to know it caught up
    quiet_at: int = -1  # the last poll that read nothing new from the stream
    _queue: list[Pending] = field(default_factory=list)
    _follower: streams.Follower = field(init=False)
    _stop: threading.Event = field(default_factory=threading.Event)
    _wake: threading.Event = field(default_factory=threading.Event)  # poll now, not after `interval`
    _caught_up: threading.Condition = field(default_factory=threading.Condition)
    _thread: threading.Thread | None = None

    @classmethod
    def from_template(cls, mapping: dict[str, Any], **kwargs: Any) -> StreamPoller:
        return cls(
            batch_size=int(mapping.get("BatchSize", 100)),
            maximum_retry_attempts=int(mapping.get("MaximumRetryAttempts", 10000)),
            maximum_record_age=int(mapping.get("MaximumRecordAgeInSeconds", 604800)),
            filters=streams.filter_patterns(mapping),
            **kwargs,
        )

    def __post_init__(self) -> None:
        self._follower = streams.Follower(self.streams_client, self.stream_arn)

    def skip_existing(self) -> None:
        """Start at the stream's end, as `StartingPosition: LATEST` does."""
        self._follower.skip_existing()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="stream-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.5) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception as exc:  # the poller must outlive a broken record or a moto hiccup
                print(f"stream poller: {exc!r}", flush=True)
            self._wake.wait(self.interval)  # the interval, unless someone waits for it to catch up
            self._wake.clear()

    def poll_once(self) -> int:
        """One read and its deliveries; how many records it read."""
        read = self._read()
        while self._queue and not self._stop.is_set():
            self._deliver(self._queue[: self.batch_size])
        with self._caught_up:
            self.cycles += 1
            if not read:
                self.quiet_at = self.cycles
            self._caught_up.notify_all()
        return read

    def wait_quiet(self, timeout: float) -> bool:
        """Until a poll that began after this call read nothing new: what was written before the call
        has been handed to notify, and so has everything that wrote in turn (notify's hand-overs, the
        mailbox simulator's answers), to the end. False when the stream is still busy at `timeout`."""
        with self._caught_up:
            target = self.cycles + 2  # the poll under way may have begun before the call
            self._wake.set()  # no waiting out the interval: the next poll begins now
            return self._caught_up.wait_for(lambda: self._woken(target), timeout)

    def _woken(self, target: int) -> bool:
        """Caught up; else the next poll is begun at once (a busy stream polls on by itself)."""
        if self.quiet_at >= target:
            return True
        self._wake.set()
        return False

    def _read(self) -> int:
        """One read of each shard: its records queued (those the filter passes); how many were read."""
        found = self._follower.read_once()
        if found and self.on_read is not None:
            self.on_read(max(int(record["dynamodb"]["SequenceNumber"]) for _, record in found) + 1)
        # Filtered out, as by the event source mapping: consumed, never delivered.
        self._queue += [Pending(shard, r) for shard, r in found if streams.passes(r, self.filters)]
        return len(found)

    def _deliver(self, batch: list[Pending]) -> None:
        now = time.time()
        fresh = []
        for item in batch:
            age = now - float(item.record["dynamodb"].get("ApproximateCreationDateTime", now))
            if age > self.maximum_record_age:
                self._give_up(item, "RecordAgeExceeded")
            else:
                fresh.append(item)
        if not fresh:
            return
        try:
            result = self.function.invoke({"Records": [item.record for item in fresh]})
            failed_ids = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        except Exception:  # a function error fails the whole batch, as in Lambda
            failed_ids = {item.record["dynamodb"]["SequenceNumber"] for item in fresh}
        self.after_batch()
        for item in fresh:
            self._queue.remove(item)
        failed = [
            i for i, item in enumerate(fresh) if item.record["dynamodb"]["SequenceNumber"] in failed_ids
        ]
        if not failed:
            return
        retry = fresh[failed[0] :]  # from the checkpoint on
        retry[0].attempts += 1
        if retry[0].attempts > self.maximum_retry_attempts:
            self._give_up(retry.pop(0), "RetryAttemptsExhausted")
        self._queue[:0] = retry

    def _give_up(self, item: Pending, condition: str) -> None:
        if item in self._queue:
            self._queue.remove(item)
        pointer = streams.failure_pointer(
            item.shard,
            [item.record],
            function_arn=self.function_arn,
            condition=condition,
            attempts=item.attempts,
            at=datetime.now(UTC),
        )
        self.given_up.append(pointer)
        if self.on_failure is not None:
            self.on_failure(pointer)
