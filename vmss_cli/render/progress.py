"""Rollout progress on stderr: rich on a terminal, one plain line per event otherwise,
nothing with --only-show-errors. stdout stays clean for the command's result."""

from __future__ import annotations

import sys
from typing import Callable

_STYLE = {"RolloutStarted": "bold", "BatchStarted": "cyan", "OSDiskReplaced": "dim", "InstanceHealthy": "green",
          "InstanceUnhealthy": "yellow", "InstanceRolledBack": "magenta", "InstanceFailed": "red",
          "BatchCompleted": "cyan", "RolloutCompleted": "bold green", "RolloutFaulted": "bold red",
          "RolloutCancelled": "bold yellow", "CancelRequested": "yellow", "RolloutScheduled": "bold"}


def plain_line(event: dict) -> str:
    from vmss_cli.render import redact

    p = event["progress"]
    return redact.text(
        f"{event['time']} {event['resourceGroup']}/{event['scaleSet']} {event['type']}: {event['message']} "
        f"[succeeded {p['successfulInstanceCount']}, failed {p['failedInstanceCount']}, "
        f"in progress {p['inProgressInstanceCount']}, pending {p['pendingInstanceCount']}]")


def listener(tty: bool, color: bool) -> Callable[[dict], None]:
    if not tty:
        def plain(event: dict) -> None:
            sys.stderr.write(plain_line(event) + "\n")
            sys.stderr.flush()
        return plain

    from rich.console import Console  # lazy: only a person at a terminal pays for rich

    console = Console(stderr=True, highlight=False, no_color=not color)

    from vmss_cli.render import redact

    def fancy(event: dict) -> None:
        event = dict(event, message=redact.text(event["message"]))
        p = event["progress"]
        done = p["successfulInstanceCount"] + p["failedInstanceCount"]
        total = done + p["inProgressInstanceCount"] + p["pendingInstanceCount"]
        width = 20
        filled = width * done // total if total else width
        bar = "━" * filled + "╺" + "─" * (width - filled - 1) if filled < width else "━" * width
        style = _STYLE.get(event["type"], "")
        console.print(f"[dim]{event['time'][11:19]}[/dim] [{'green' if not p['failedInstanceCount'] else 'red'}]"
                      f"{bar}[/] {done}/{total} [{style}]{event['message']}[/]" if style else event["message"])
    return fancy
