"""A rollout's timeline as a self-contained SVG picture (`sim events --svg`, `rolling-upgrade plan --svg`).

One section per rollout: time runs across in fixed world-time slots, one row per instance, each slot
coloured by the instance's state then (render.tracker reads the states from the events), a row that
marks where each batch starts, and a red line where a stop rule tripped. rich lays it out and exports
it (`Console(record=True).export_svg`); the only markup edited by hand is the removal of rich's
web-font links, so the file needs nothing from the network.
"""

from __future__ import annotations

import math
import re

# Instance state -> (background colour, legend label). Colours from rich's palette, kept apart for
# the colour-blind by order (blue, amber, green, purple, red).
COLOURS = {"reimage": "#3b78d8", "waiting": "#e0a800", "healthy": "#2e9e44", "restoring": "#b06fd0",
           "rolledBack": "#7b3fa0", "failed": "#d13438", "deferred": "#00a3a3", "deleted": "#8a8a8a"}
LEGEND = {"reimage": "reimage", "waiting": "waiting for health", "healthy": "healthy",
          "restoring": "restoring old disk", "rolledBack": "rolled back", "failed": "failed"}
TRIP = "#ff3030"
MAX_SLOTS = 90           # columns of time per rollout
LABEL_WIDTH = 14         # the instance column
STEPS = (10, 15, 20, 30, 60, 90, 120, 300, 600, 900, 1800, 3600)  # seconds per slot, the smallest that fits is used


def slot_seconds(duration: int) -> int:
    for step in STEPS:
        if duration <= step * MAX_SLOTS:
            return step
    return int(math.ceil(duration / MAX_SLOTS / 3600)) * 3600


def svg(events: list[dict], title: str) -> str:
    """The SVG text for every rollout in `events` (engine events, oldest first)."""
    import io

    from rich.console import Console
    from rich.terminal_theme import MONOKAI

    from vmss_cli.render import tracker

    rollouts = tracker.rollouts(events)
    width = LABEL_WIDTH + MAX_SLOTS + 2
    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      highlight=False, emoji=False, legacy_windows=False)
    if not rollouts:
        console.print("No rollout in this event log.")
    for n, rollout in enumerate(rollouts):
        if n:
            console.print()
        for line in _section(rollout):
            console.print(line, no_wrap=True, overflow="ellipsis")
    console.print()
    console.print(_legend(), no_wrap=False)
    return self_contained(console.export_svg(title=title, theme=MONOKAI, font_aspect_ratio=0.61))


def self_contained(svg_text: str) -> str:
    """rich's SVG without its web-font links (`@font-face` from a CDN): local monospace fonts instead,
    so the file opens offline and asks nothing of the network."""
    text = re.sub(r"\s*@font-face \{.*?\}", "", svg_text, flags=re.S)
    return text.replace("font-family: Fira Code, monospace;",
                        "font-family: 'Fira Code', 'DejaVu Sans Mono', Menlo, Consolas, monospace;")


def _section(rollout) -> list:
    from rich.text import Text

    from vmss_cli.core.world import timeutil
    from vmss_cli.render import tracker

    end = rollout.end[1] if rollout.end else rollout.now
    step = slot_seconds(max(end - rollout.start, 1))
    slots = math.ceil((end - rollout.start) / step) + 1  # one more column shows how things ended
    status = rollout.end[0] if rollout.end else "RollingForward"
    lines = [Text.assemble((f"{rollout.scale_set}:", "bold"), f" {rollout.title}"),
             Text(f"{timeutil.format_time(rollout.start)} → {timeutil.format_time(end)}  {status} after "
                  f"{tracker.clock(end - rollout.start)}; one column = {tracker.clock(step)}")]
    if rollout.tripped:
        lines.append(Text(f"stop rule tripped at {timeutil.format_time(rollout.tripped[0])[11:19]}: "
                          f"{rollout.tripped[1]}", style=f"bold {TRIP}"))

    def column(t: int) -> int:
        return (t - rollout.start) // step

    trip = column(rollout.tripped[0]) if rollout.tripped else None
    axis = Text("world time".ljust(LABEL_WIDTH), style="dim")
    ticks = [" "] * slots
    for c in range(0, slots, 10):
        label = timeutil.format_time(rollout.start + c * step)[11:16]
        for i, ch in enumerate("|" + label):
            if c + i < slots:
                ticks[c + i] = ch
    axis.append("".join(ticks), style="dim")
    lines.append(axis)
    batches = Text("batches".ljust(LABEL_WIDTH), style="bold")
    marks = [" "] * slots
    for number, t, _ in rollout.batches:
        for i, ch in enumerate(f"▼{number}"):
            if column(t) + i < slots:
                marks[column(t) + i] = ch
    batches.append("".join(marks), style="bold")
    lines.append(batches)
    starts = {column(t) for _, t, _ in rollout.batches}
    for iid in rollout.instances:
        row = Text(f"instance {iid}".ljust(LABEL_WIDTH)[:LABEL_WIDTH])
        spans = [s for s in rollout.spans if s[0] == iid]
        for c in range(slots):
            t = rollout.start + c * step + step // 2
            state = next((s[1] for s in spans if s[2] <= t < (s[3] if s[3] is not None else end + 2 * step)), None)
            ch = "┃" if c == trip else "┊" if c in starts else " "
            fg = TRIP if c == trip else "#f0f0f0" if state else "#777777"
            row.append(ch, style=f"{fg} on {COLOURS[state]}" if state else fg)
        lines.append(row)
    if rollout.progress["pendingInstanceCount"]:
        lines.append(Text(f"{rollout.progress['pendingInstanceCount']} instances not attempted", style="dim"))
    return lines


def _legend():
    from rich.text import Text

    legend = Text()
    for state, label in LEGEND.items():
        legend.append("   ", style=f"on {COLOURS[state]}")
        legend.append(f" {label}   ")
    legend.append("\n")
    legend.append("┊", style="bold")
    legend.append(" batch starts   ")
    legend.append("┃", style=f"bold {TRIP}")
    legend.append(" stop rule tripped")
    return legend


def write(path: str, events: list[dict], title: str) -> None:
    """Write the timeline to `path`; an unwritable path is the user's error (exit 1), not a traceback."""
    from vmss_cli.errors import CliError

    text = svg(events, title)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise CliError(f"Cannot write '{path}': {exc.strerror or exc}.") from None
