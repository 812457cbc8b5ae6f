"""Helpers shared by tests: store snapshots and running vmss as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every file and directory under `root` (relative path -> (mode, bytes; None for a directory))."""
    out: dict[str, tuple[int, bytes | None]] = {}
    if not root.exists():
        return out
    for path in sorted(root.rglob("*")):
        mode = path.stat().st_mode & 0o7777
        out[str(path.relative_to(root))] = (mode, None if path.is_dir() else path.read_bytes())
    return out


def event_log(set_file: Path) -> list[dict]:
    """The whole event log of the scale set whose file is `set_file` (as `vmss sim events` reads it)."""
    import json

    log = set_file.with_name(set_file.name[:-len(".json")] + ".events.jsonl")
    logged = [json.loads(line) for line in (log.read_bytes() if log.exists() else b"").splitlines()]
    return (json.loads(set_file.read_bytes()).get("events") or []) + logged


def vmss_process(*args: str, env: dict | None = None, umask: int | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run `python -m vmss_cli ARGS` as a child process (for umask, kill and lock tests)."""
    return subprocess.run([sys.executable, "-m", "vmss_cli", *args], cwd=REPO, env=env or dict(os.environ),
                          capture_output=True, text=True, timeout=60,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None, **kwargs)


def python_process(code: str, **kwargs) -> subprocess.Popen:
    """A child Python running `code` with the test's environment (VMSS_HOME etc.)."""
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=dict(os.environ), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def need_tool(name: str, why: str) -> str:
    """The path of system tool `name`; where it is missing, skip with a visible reason on a user's machine,
    but fail where the environment says the tool must be there (`.ci/run` installs it and sets
    VMSS_REQUIRE_TOOLS=groff,zsh,fish), so CI never passes by skipping."""
    import shutil

    import pytest

    path = shutil.which(name)
    if path:
        return path
    required = {t.strip() for t in os.environ.get("VMSS_REQUIRE_TOOLS", "").split(",") if t.strip()}
    message = f"{name} is not installed: {why}"
    if name in required:
        pytest.fail(f"{message} (VMSS_REQUIRE_TOOLS says it must be here)")
    pytest.skip(message)


AZ_TRAILER = "https://aka.ms/cli_ref\nRead more about the command in reference docs\n"


def usage_error(message: str, *examples: str) -> str:
    """A usage error as az 2.91 prints it (vmss's examples in place of az's): the ERROR line, a
    blank line, the command's examples when it has some, and az's reference-docs link."""
    block = "Examples from command's help:\n" + "".join(f"{e}\n\n" for e in examples) if examples else ""
    return f"ERROR: {message}\n\n{block}{AZ_TRAILER}"


def examples_of(*words: str) -> list[str]:
    """The example command lines of `vmss WORDS --help` (what a usage error's trailer repeats)."""
    import typer.main

    from vmss_cli.cli.main import build_app, invoked
    from vmss_cli.render.errors import command_examples

    node, _ = invoked(typer.main.get_command(build_app(*(list(words) + [None, None])[:2])), list(words))
    return command_examples(node)


def ctrl_c_at_batch(monkeypatch, batch: int) -> None:
    """Send this process SIGINT as soon as the engine announces batch `batch` (a Ctrl-C in the middle of
    a blocking rollout). A listener on every world watches what it tells; nothing else changes."""
    import signal

    from vmss_cli.core.world import events

    start = events.Sim.__init__

    def press(record: dict) -> None:
        if record["type"] == "BatchStarted" and record.get("batch") == batch:
            os.kill(os.getpid(), signal.SIGINT)

    def with_listener(sim, *args, **kwargs) -> None:  # one more listener on every world
        start(sim, *args, **kwargs)
        sim.listeners = (*sim.listeners, press)

    monkeypatch.setattr(events.Sim, "__init__", with_listener)
