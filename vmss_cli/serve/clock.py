"""How world time moves while serve runs.

- `on-poll` (default): only the CLI, the admin endpoint, or a client polling an in-progress rolling
  upgrade moves it. Such a poll runs the world up to the rollout's next visible step (an instance or
  a batch settles, or the rollout ends), so a blocking `az vmss rolling-upgrade start` finishes in a
  few polls and the history's times are the engine's, not the wall clock's.
- `frozen`: only the CLI and the admin endpoint move it (a blocking start then polls for ever, as
  against an Azure rollout that never ends).
- `realtime[:SPEED]`: world time follows the wall clock × SPEED from the moment serve started (a
  background thread advances it; `vmss sim clock advance` in another shell still jumps ahead).
"""

from __future__ import annotations

import threading
import time

from vmss_cli.errors import UsageError

MODES = ("on-poll", "frozen", "realtime")
MAX_STEPS_PER_POLL = 200  # events one poll may run (a guard; a batch is a handful of events)


class Clock:
    def __init__(self, spec: str) -> None:
        mode, _, speed = spec.lower().partition(":")
        if mode not in MODES or (speed and mode != "realtime"):
            raise UsageError(f"argument --clock: invalid value '{spec}' (choose from on-poll, frozen, "
                             "realtime, realtime:SPEED)")
        self.mode = mode
        self.speed = 1.0
        if speed:
            try:
                self.speed = float(speed)
            except ValueError:
                self.speed = -1.0
            if not 0 < self.speed <= 1e6:
                raise UsageError(f"argument --clock: the speed in '{spec}' must be a number above 0 (e.g. "
                                 "realtime:60)")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def describe(self) -> str:
        return f"realtime:{self.speed:g}" if self.mode == "realtime" else self.mode

    # ---- on-poll -------------------------------------------------------------------------------

    def on_poll(self, service, ctx, rg: str, name: str, operation: dict) -> dict:
        """A client polled `operation` while it is InProgress: in on-poll mode, run the world to the
        rollout's next step and return the operation as it then stands."""
        if self.mode != "on-poll" or operation["status"] != "InProgress":
            return operation
        from vmss_cli.core.world import timeutil

        def progress() -> tuple:
            latest = service.rolling_upgrades.latest(ctx, rg, name)["properties"]
            counts = latest["progress"]
            return (latest["runningStatus"]["code"], counts["successfulInstanceCount"],
                    counts["failedInstanceCount"])

        before = progress()
        for _ in range(MAX_STEPS_PER_POLL):
            due = service.next_event(ctx)
            if due is None:
                break
            now = timeutil.parse_time(service.now(ctx))
            service.world.advance(ctx, max(0, due - now))
            operation = service.operations.get(ctx, rg, name, operation["name"])
            if operation["status"] != "InProgress" or progress() != before:
                break
        return operation

    # ---- realtime ------------------------------------------------------------------------------

    def start(self, service, ctx, monotonic=time.monotonic) -> None:
        if self.mode != "realtime":
            return
        self.anchor(service, ctx, monotonic())
        self._thread = threading.Thread(target=self._run, args=(service, ctx, monotonic), name="vmss-clock",
                                        daemon=True)
        self._thread.start()

    def anchor(self, service, ctx, wall: float) -> None:
        from vmss_cli.core.world import timeutil

        self._anchor = (timeutil.parse_time(service.now(ctx)), wall)

    def tick(self, service, ctx, wall: float) -> None:
        """Realtime: run the world up to anchor + elapsed wall time × speed (never backwards: a
        `vmss sim clock advance` in another shell may have moved it further)."""
        from vmss_cli.core.world import timeutil

        world_anchor, wall_anchor = self._anchor
        target = world_anchor + int((wall - wall_anchor) * self.speed)
        now = timeutil.parse_time(service.now(ctx))
        if target > now:
            service.world.advance(ctx, target - now)

    def _run(self, service, ctx, monotonic) -> None:
        while not self._stop.wait(0.2):
            try:
                self.tick(service, ctx, monotonic())
            except Exception as exc:  # a lock timeout or a damaged store: say so, keep serving
                import sys

                sys.stderr.write(f"WARNING: the realtime clock could not advance the world: {exc}\n")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
