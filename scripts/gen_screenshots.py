"""Regenerate the README's pictures: docs/live-view.svg (the progress view of a blocking clock advance,
caught mid-rollout) and docs/timeline.svg (`vmss sim events --svg` of the same rollout).

    python scripts/gen_screenshots.py           # rewrites docs/*.svg
    python scripts/gen_screenshots.py --check   # exit 1 and list what is stale

Both come from one fixed story (start time, seed, commands), so the files are byte-identical from run
to run; tests/docs/test_screenshots.py fails while the committed ones are stale.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))

STORY = [
    ["group", "create", "-n", "myResourceGroup", "-l", "eastus"],
    ["create", "-g", "myResourceGroup", "-n", "myScaleSet", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
     "--instance-count", "10", "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling",
     "--enable-auto-os-upgrade", "true"],
    ["sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
     "--version", "18.04.202407010", "--fail-percent", "30"],
]
ADVANCE = ["sim", "clock", "advance", "4h"]
SNAPSHOT_AT = ("InstanceUnhealthy", 1)  # the live view as the first instance gives up on health


@contextmanager
def _environment(home: str):
    saved = {k: os.environ.get(k) for k in ("VMSS_HOME", "VMSS_START_TIME", "VMSS_SEED", "NO_COLOR", "COLUMNS")}
    os.environ.update(VMSS_HOME=home, VMSS_START_TIME="2026-01-01T00:00:00Z", VMSS_SEED="42")
    os.environ.pop("NO_COLOR", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _vmss(*args: str) -> str:
    from vmss_cli.cli.main import main

    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main([*args, "--only-show-errors"])
    if code:
        raise SystemExit(f"vmss {' '.join(args)} failed with exit code {code}")
    return out.getvalue()


def build() -> dict[str, str]:
    """{file name under docs/: SVG text}."""
    from rich.console import Console
    from rich.terminal_theme import MONOKAI

    from vmss_cli.core.world import events
    from vmss_cli.render.progress import LiveView
    from vmss_cli.render.timeline import self_contained, svg

    with tempfile.TemporaryDirectory(prefix="vmss-shots-") as home, _environment(home):
        for command in STORY:
            _vmss(*command, "-o", "none")
        screen = Console(record=True, width=92, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                         highlight=False)
        view = LiveView(color=True, console=screen)
        seen = {"count": 0}

        def watch(event: dict) -> None:
            view.track(event)
            if event["type"] == SNAPSHOT_AT[0]:
                seen["count"] += 1
                if seen["count"] == SNAPSHOT_AT[1]:
                    screen.print("$ vmss " + " ".join(ADVANCE), style="bold")
                    screen.print(view.frame())

        start = events.Sim.__init__  # every world the command opens has `watch` among its listeners

        def with_watch(sim, *args, **kwargs) -> None:
            start(sim, *args, **kwargs)
            sim.listeners = (*sim.listeners, watch)

        events.Sim.__init__ = with_watch
        try:
            _vmss(*ADVANCE, "-o", "none")
        finally:
            events.Sim.__init__ = start
        screen.print("[dim]… when the command ends, the live view gives way to one line per rollout:[/dim]")
        for rollout in view.rollouts.values():
            screen.print(view.summary(rollout))
        live = screen.export_svg(title="vmss: live progress view", theme=MONOKAI)
        events = __import__("json").loads(_vmss("sim", "events", "-g", "myResourceGroup", "-n", "myScaleSet"))
        timeline = svg(events, "vmss sim events -g myResourceGroup -n myScaleSet --svg timeline.svg")
    return {"live-view.svg": self_contained(live), "timeline.svg": timeline}


def stale() -> list[str]:
    return [name for name, text in build().items()
            if not (DOCS / name).exists() or (DOCS / name).read_text(encoding="utf-8") != text]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        names = stale()
        for name in names:
            print(f"docs/{name} is stale: run python scripts/gen_screenshots.py")
        return 1 if names else 0
    DOCS.mkdir(exist_ok=True)
    for name, text in build().items():
        (DOCS / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
