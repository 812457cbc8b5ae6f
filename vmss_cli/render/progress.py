"""Rollout progress on stderr, as az shows progress: a live view on a terminal, nothing in a pipe
unless --verbose asks for one plain line per event, nothing with --only-show-errors. stdout stays
clean for the command's result."""

from __future__ import annotations

import sys

# A colour and a mark per instance state (render.tracker's states); the mark keeps NO_COLOR readable.
STYLE = {"reimage": ("blue", "↻"), "waiting": ("yellow", "…"), "healthy": ("green", "✔"),
         "restoring": ("magenta", "↺"), "rolledBack": ("magenta", "⤺"), "failed": ("red", "✘"),
         "deferred": ("cyan", "⏸"), "deleted": ("bright_black", "–")}
MAX_CELLS = 24  # instances drawn one by one; beyond that, the busy ones and a count of the healthy
END_STYLE = {"Completed": "bold green", "Faulted": "bold red", "Cancelled": "bold yellow"}


def plain_line(event: dict) -> str:
    from vmss_cli.render import redact

    p = event["progress"]
    return redact.text(
        f"{event['time']} {event['resourceGroup']}/{event['scaleSet']} {event['type']}: {event['message']} "
        f"[succeeded {p['successfulInstanceCount']}, failed {p['failedInstanceCount']}, "
        f"in progress {p['inProgressInstanceCount']}, pending {p['pendingInstanceCount']}]")


def plain(event: dict) -> None:
    sys.stderr.write(plain_line(event) + "\n")
    sys.stderr.flush()


class LiveView:
    """A rich Live display redrawn at each engine event (world time drives it, not a timer): per
    rollout an overall bar, the current batch, each instance's state and the elapsed world time. It
    is transient: when the command ends it is replaced by one summary line per rollout."""

    def __init__(self, color: bool, console=None) -> None:
        from rich.console import Console  # lazy: only a person at a terminal pays for rich
        from rich.live import Live

        self.console = console or Console(stderr=True, highlight=False, no_color=not color)
        self.live = Live(console=self.console, auto_refresh=False, transient=True, redirect_stdout=False,
                         redirect_stderr=False)
        self.rollouts: dict = {}
        self.started = False
        self.shown_at: str | None = None  # the world time of the last event taken in

    def __call__(self, event: dict) -> None:
        """Redraw once per instant of world time, when the world moves past it: the many events of one
        instant (a batch of 100 disk swaps) cost one frame, so a 1,000-instance rollout draws quickly."""
        if event.get("operationId") is None:
            return
        if self.shown_at is not None and event["time"] != self.shown_at:
            self._draw()
        self.shown_at = event["time"]
        self.track(event)

    def _draw(self) -> None:
        if not self.started:
            self.live.start()
            self.started = True
        self.live.update(self.frame(), refresh=True)

    def track(self, event: dict) -> bool:
        """Take in one engine event; False when it belongs to no rollout."""
        from vmss_cli.render import redact, tracker

        op = event.get("operationId")
        if op is None:
            return False
        event = dict(event, message=redact.text(event["message"]))
        if op not in self.rollouts:
            self.rollouts[op] = tracker.Rollout(event)
        self.rollouts[op].apply(event)
        return True

    def close(self, interrupted: bool = False) -> None:
        if self.started:
            self.live.stop()
        for rollout in self.rollouts.values():
            self.console.print(self.summary(rollout, interrupted), soft_wrap=False, overflow="ellipsis",
                               no_wrap=True, crop=True)

    def frame(self):
        """What the live area shows now: every rollout still running."""
        from rich.console import Group

        return Group(*[self._panel(r) for r in self.rollouts.values() if r.end is None])

    def _panel(self, rollout):
        from rich.columns import Columns
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        from vmss_cli.render import tracker

        head = Text.assemble((rollout.scale_set, "bold"), " ", rollout.title, overflow="ellipsis", no_wrap=True)
        bar = Table.grid(padding=(0, 1))
        bar.add_column(ratio=1)
        bar.add_column(no_wrap=True)
        total = rollout.total or 1
        bar.add_row(ProgressBar(total=total, completed=rollout.done,
                                complete_style="red" if rollout.progress["failedInstanceCount"] else "green"),
                    f"{rollout.done}/{rollout.total}  world time {tracker.clock(rollout.now - rollout.start)}")
        rows = [head, bar]
        if rollout.batches:
            number, _, ids = rollout.batches[-1]
            rows.append(Text(f"batch {number}: instances {', '.join(ids)}", overflow="ellipsis", no_wrap=True))
        cells = []
        healthy = [iid for iid, state in rollout.state.items() if state == "healthy"]
        busy = [iid for iid, state in rollout.state.items() if state != "healthy"]
        shown = busy if len(rollout.state) <= MAX_CELLS else busy[:MAX_CELLS]
        for iid in (list(rollout.state) if len(rollout.state) <= MAX_CELLS else shown):
            state = rollout.state[iid]
            style, mark = STYLE.get(state, ("", "?"))
            cells.append(Text.assemble((f"{mark} {iid}", style), f" {tracker.LABEL.get(state, state)}"))
        if len(rollout.state) > MAX_CELLS:
            if len(busy) > len(shown):
                cells.append(Text(f"+{len(busy) - len(shown)} more in progress or failed", style="dim"))
            cells.append(Text.assemble(("✔", "green"), f" {len(healthy)} healthy"))
        pending = rollout.progress["pendingInstanceCount"]
        if pending:
            cells.append(Text(f"· {pending} pending", style="dim"))
        rows.append(Columns(cells, padding=(0, 3)))
        return Group(*rows)

    def summary(self, rollout, interrupted: bool = False):
        from rich.text import Text

        from vmss_cli.render import tracker

        code = rollout.end[0] if rollout.end else ("Stopped watching (Ctrl-C)" if interrupted else "RollingForward")
        what = rollout.summary.rsplit(": ", 1)[-1] if rollout.end else \
            f"{rollout.done} of {rollout.total} done, the rollout goes on"
        return Text.assemble((rollout.scale_set, "bold"), " ", (code, END_STYLE.get(code, "bold yellow")),
                             f" after {tracker.clock(rollout.now - rollout.start)} of world time: {what}")
