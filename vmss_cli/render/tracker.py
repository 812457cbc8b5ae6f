"""A rollout as its events describe it: batches, each instance's state over world time, how it ended.

The live progress view (render.progress) and the SVG timeline (render.timeline) both read rollouts
through this one reading of the engine's events, so the two cannot disagree.
"""

from __future__ import annotations

from vmss_cli.core.world import timeutil

# The state an event puts the instances it names in. BatchStarted puts its instances in "reimage".
STATE_AFTER = {"OSDiskReplaced": "waiting", "ModelApplied": "waiting", "InstanceHealthy": "healthy",
               "InstanceUnhealthy": "restoring", "InstanceRolledBack": "rolledBack", "InstanceFailed": "failed",
               "PendingOSUpgrade": "deferred", "UpgradeApproved": "reimage", "InstanceDeleted": "deleted"}
LABEL = {"reimage": "upgrading", "waiting": "waiting for health", "healthy": "healthy",
         "restoring": "rolling back", "rolledBack": "rolled back", "failed": "failed",
         "deferred": "waiting for approval", "deleted": "deleted"}
ENDS = {"RolloutCompleted": "Completed", "RolloutFaulted": "Faulted", "RolloutCancelled": "Cancelled"}


class Rollout:
    """One operation (operationId) of one scale set, built up event by event."""

    def __init__(self, first: dict) -> None:
        self.operation_id = first["operationId"]
        self.scale_set = f"{first['resourceGroup']}/{first['scaleSet']}"
        self.title = first["message"].split(";")[0] if first["type"] == "RolloutStarted" else "rollout"
        self.start = self.now = timeutil.parse_time(first["time"])
        self.progress = first["progress"]
        self.batches: list[tuple[int, int, list[str]]] = []   # (number, start time, instance ids)
        self.state: dict[str, str] = {}                      # instance id -> its state now
        self.spans: list[list] = []                           # [instance id, state, start, end; None: still]
        self._open: dict[str, list] = {}                      # instance id -> its span still open
        self.end: tuple[str, int] | None = None               # (Completed|Faulted|Cancelled, time)
        self.tripped: tuple[int, str] | None = None           # (time, error code) when a stop rule tripped
        self.summary = ""                                     # the end event's message

    def apply(self, event: dict) -> None:
        t = timeutil.parse_time(event["time"])
        self.now = t
        self.progress = event["progress"]
        kind = event["type"]
        if kind == "BatchStarted":
            ids = list(event.get("instances", []))
            self.batches.append((event.get("batch", len(self.batches) + 1), t, ids))
            for iid in ids:
                self._enter(iid, "reimage", t)
        elif kind in STATE_AFTER:
            for iid in event.get("instances", []):
                self._enter(iid, STATE_AFTER[kind], t)
        elif kind in ENDS:
            self.end = (ENDS[kind], t)
            self.summary = event["message"]
            if kind == "RolloutFaulted":
                self.tripped = (t, event["message"].split(":")[1].strip())

    def _enter(self, iid: str, state: str, t: int) -> None:
        if iid in self._open:
            self._open[iid][3] = t
        self.state[iid] = state  # dict order: the order instances were first touched (their batches')
        self._open[iid] = [iid, state, t, None]
        self.spans.append(self._open[iid])

    @property
    def instances(self) -> list[str]:
        """Instance ids in the order the rollout first touched them (batch order)."""
        return list(self.state)

    @property
    def total(self) -> int:
        p = self.progress
        return p["successfulInstanceCount"] + p["failedInstanceCount"] + p["inProgressInstanceCount"] + \
            p["pendingInstanceCount"]

    @property
    def done(self) -> int:
        return self.progress["successfulInstanceCount"] + self.progress["failedInstanceCount"]


def rollouts(events: list[dict]) -> list[Rollout]:
    """Every rollout in an event log, in the order they started."""
    found: dict[str, Rollout] = {}
    for event in events:
        op = event.get("operationId")
        if op is None:
            continue
        if op not in found:
            found[op] = Rollout(event)
        found[op].apply(event)
    return list(found.values())


def clock(seconds: int) -> str:
    """An elapsed world time: 45s, 7m30s, 2h05m."""
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
