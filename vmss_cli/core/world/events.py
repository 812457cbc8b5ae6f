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
        # {(rg, name): (the set's file, its event log)}, once the engine has the set;
        self.set_files: dict[tuple[str, str], tuple[Path, Path]] = {}
        # the documents the handlers changed and the log lines they wrote, handed to the transaction by
        # close(): {file: (kind, document)}, {log: (its document's file, kind, the document, lines)}. A
        # save and an append on every event cost a fleet's advance 2 us of its 100,000 events each.
        self.changed: dict[Path, tuple[str, Document]] = {}
        self.log_lines: dict[Path, tuple[Path, str, Document, list[str]]] = {}
        self._heap = [(e["at"], e["seq"], e) for e in self.world.get("queue", [])]
        heapq.heapify(self._heap)

    @property
    def now(self) -> int:
        return int(self.world["now"])

    @property
    def seed(self) -> int:
        return int(self.world["seed"])

    def schedule(self, at: int, kind: str, rg: str, name: str, **data: Any) -> Document:
        world = self.world
        seq = world["sequence"] = world.get("sequence", 0) + 1  # clock.next_sequence, inline: every event
        event = {"at": int(at), "seq": seq, "kind": kind, "rg": rg, "name": name, "data": data}
        heapq.heappush(self._heap, (event["at"], seq, event))
        return event

    def cancel(self, predicate: Callable[[Document], bool]) -> int:
        kept = [item for item in self._heap if not predicate(item[2])]
        removed = len(self._heap) - len(kept)
        heapq.heapify(kept)
        self._heap = kept
        return removed

    def pending(self) -> list[Document]:
        return [item[2] for item in sorted(self._heap, key=lambda i: (i[0], i[1]))]

    def queued(self) -> list[Document]:
        """The queued events in no particular order (a membership test needs no sort)."""
        return [item[2] for item in self._heap]

    def run(self, until: int | None, stop: Callable[[], bool] | None = None) -> None:
        """Process due events up to world time `until`; with `until=None`, until `stop()` holds
        or the queue is empty. The clock ends at `until` when given, else at the last event."""
        from vmss_cli.store.files import paused_gc

        with paused_gc():
            self._run(until, stop)

    def _run(self, until: int | None, stop: Callable[[], bool] | None) -> None:
        world, handlers, pop = self.world, self.handlers, heapq.heappop
        while self._heap:  # (a handler may replace the heap: cancel)
            if stop is not None and stop():
                return
            at = self._heap[0][0]
            if until is not None and at > until:
                break
            event = pop(self._heap)[2]
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
        for path, (kind, doc) in self.changed.items():
            if tx.load(path, kind) is doc:
                tx.save(path, doc)
        for log, (path, kind, doc, lines) in self.log_lines.items():
            if tx.load(path, kind) is doc:
                tx.append(log, lines)
        self.changed, self.log_lines = {}, {}
        self.world["queue"] = self.pending()
        world_mod.save(tx, self.world)

