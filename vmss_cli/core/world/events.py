"""The world's event queue: timed things, processed in world-time order.

An event is {"at": world time, "seq": tie-breaker, "kind": handler name, "rg", "name", "data"}.
Advancing the world pops due events in (at, seq) order, sets the clock to each event's time and
runs its handler; handlers may schedule more. The queue lives in world.json.
The handlers (one table, core.rollout.handlers) and the listeners that watch the engine's events
(progress on the CLI's stderr, a preview's log) are handed to the Sim: nothing registers by import.
"""

from __future__ import annotations

import heapq

from vmss_cli.core.world import clock as world_mod

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from typing import Any, Callable, Mapping, Sequence

    from pathlib import Path

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.store.state import Transaction

    Handler = Callable[["Sim", Document], None]
    Listener = Callable[[Document], None]

_SPAN = 1 << 40  # event ranks a world second can hold in a heap key: more than a run schedules


class Sim:
    """The world (clock, seed, queue) while one command runs; `close()` persists it."""

    def __init__(self, tx: Transaction, handlers: Mapping[str, Handler], listeners: Sequence[Listener] = ()) -> None:
        self.tx = tx
        self.handlers = handlers
        self.listeners = tuple(listeners)
        self.world = world_mod.load(tx)
        # What the handlers keep for this run, and drop with it (a module-level table outlived the
        # transaction: in `vmss serve`, the sets of past requests):
        # {id(a set's instance list): (the list, {instanceId: position})}: the engine's instance index;
        self.instance_index: dict[int, tuple[list[Document], dict[str, int]]] = {}
        # {(rg, name): (the set's file, its event log)}, once the engine has the set; {id(a set's document):
        # what the engine writes its events with (engine._Set, which holds the document)};
        self.set_files: dict[tuple[str, str], tuple[Path, Path]] = {}
        self.sets: dict[int, Any] = {}
        # the documents the handlers changed and the log lines they wrote, handed to the transaction by
        # close(): {id(document): (file, kind, document)}, {log: (its document's file, kind, the document,
        # lines)}. A save and an append on every event cost a fleet's advance 2 us of its 100,000 events each.
        self.changed: dict[int, tuple[Path, str, Document]] = {}
        self.log_lines: dict[Path, tuple[Path, str, Document, list[str]]] = {}
        # The queue: a heap of integer keys, at * _SPAN + the event's rank in this run, and {key: event}.
        # Ints compare in one step where (at, seq, event) tuples took two or three, ~17 times an event on
        # a fleet's queue. Ranks keep the (at, seq) order: the saved queue's in that order, then each event
        # in the order it is scheduled (its seq is above every saved one).
        queue = sorted(self.world.get("queue", []), key=lambda e: (e["at"], e["seq"]))
        # (a world.json not written by vmss, without its count: a new event is numbered after every
        # saved one, so ranks and sequence numbers agree and no two events share a number)
        last = max((e["seq"] for e in queue), default=0)
        if self.world.get("sequence", 0) < last:
            self.world["sequence"] = last
        self._events: dict[int, Document] = {int(e["at"]) * _SPAN + rank: e for rank, e in enumerate(queue)}
        self._rank = len(queue)
        self._heap = list(self._events)  # (in order, so a heap)
        self._last = -1  # the key of the event scheduled last (schedule_instance)
        self._running = -1  # the key of the event running (put_back)

    @property
    def now(self) -> int:
        return int(self.world["now"])

    @property
    def seed(self) -> int:
        return int(self.world["seed"])

    def schedule(self, at: int, kind: str, rg: str, name: str, **data: Any) -> Document:
        world = self.world
        seq = world["sequence"] = world.get("sequence", 0) + 1  # clock.next_sequence, inline: every event
        at = int(at)
        event = {"at": at, "seq": seq, "kind": kind, "rg": rg, "name": name, "data": data}
        key = self._last = at * _SPAN + self._rank
        self._rank += 1
        self._events[key] = event
        heapq.heappush(self._heap, key)
        return event

    def schedule_instance(self, at: int, kind: str, rg: str, name: str, op: str, instance: str) -> None:
        """An event of one instance in a set's operation: {"op", "instances": [instance]}. One scheduled
        right after another of the same kind, time, set and operation joins it instead: a batch's
        instances finish their upgrade, and answer, in the same second, and a fleet's advance queued
        100,000 events. Its instances run in the order they joined, as their own events would have: no
        event can fall between them (any event scheduled in between would have been the last one), every
        event scheduled later runs after them, and each still takes its sequence number."""
        at = int(at)
        last = self._events.get(self._last)
        if last is not None and last["at"] == at and last["kind"] == kind and last["name"] == name \
                and last["rg"] == rg:
            data = last["data"]
            if data.get("op") == op and isinstance(data.get("instances"), list):
                self.world["sequence"] = self.world.get("sequence", 0) + 1  # (clock.next_sequence, as schedule)
                data["instances"].append(instance)
                return
        self.schedule(at, kind, rg, name, op=op, instances=[instance])

    def put_back(self, event: Document, instances: list[str]) -> None:
        """The last instances of the joined event running, back in the queue where it was, as their own
        events would still be there (its handler found them stale: an earlier one ended the operation):
        the next to run, or left queued when the run stops here (a command that waits for the operation)."""
        taken = len(event["data"]["instances"]) - len(instances)
        rest = dict(event, seq=event["seq"] + taken, data=dict(event["data"], instances=instances))
        self._events[self._running] = rest
        heapq.heappush(self._heap, self._running)

    def cancel(self, predicate: Callable[[Document], bool]) -> int:
        removed = [key for key, event in self._events.items() if predicate(event)]
        for key in removed:
            del self._events[key]
        if removed:
            self._heap = list(self._events)
            heapq.heapify(self._heap)
        return len(removed)

    def pending(self) -> list[Document]:
        return [self._events[key] for key in sorted(self._heap)]

    def queued(self) -> list[Document]:
        """The queued events in no particular order (a membership test needs no sort)."""
        return list(self._events.values())

    def run(self, until: int | None, stop: Callable[[], bool] | None = None) -> None:
        """Process due events up to world time `until`; with `until=None`, until `stop()` holds
        or the queue is empty. The clock ends at `until` when given, else at the last event.
        `stop()` is asked between events: the instances of a joined event (schedule_instance) run
        together (once one of them ends its operation, the rest are stale and do nothing)."""
        from vmss_cli.store.files import paused_gc

        with paused_gc():
            self._run(until, stop)

    def _run(self, until: int | None, stop: Callable[[], bool] | None) -> None:
        world, handlers, pop, events = self.world, self.handlers, heapq.heappop, self._events
        while self._heap:  # (a handler may replace the heap: cancel)
            if stop is not None and stop():
                return
            at = self._heap[0] // _SPAN
            if until is not None and at > until:
                break
            key = self._running = pop(self._heap)
            event = events.pop(key)
            if at > world["now"]:
                world["now"] = at
            fn = handlers.get(event["kind"])
            if fn is not None:  # an unknown kind (from a newer vmss) is dropped rather than wedging the queue
                fn(self, event)
        if until is not None and (stop is None or not stop()):
            self.world["now"] = max(self.world["now"], until)
        # (when `stop()` ended the run early, the clock stays at the last event that ran)

    def tell(self, record: Document) -> None:
        """An engine event, to every listener (core never prints)."""
        for listener in self.listeners:
            listener(record)

    def close(self) -> None:
        """Save the world, and what the handlers changed, while the transaction still holds the very
        document they changed: a set deleted since stays deleted, one replaced or re-created under the
        same name keeps its own document and log."""
        tx = self.tx
        for path, kind, doc in self.changed.values():
            if tx.load(path, kind) is doc:
                tx.save(path, doc)
        for log, (path, kind, doc, lines) in self.log_lines.items():
            if tx.load(path, kind) is doc:
                tx.append(log, lines)
        self.changed, self.log_lines = {}, {}
        self.world["queue"] = self.pending()
        world_mod.save(tx, self.world)

