"""Progress on stderr: a live rich view on a terminal (driven by the simulated clock, read here through a
pseudo-terminal), nothing on a pipe unless --verbose, nothing with --only-show-errors."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import sys
import threading
from contextlib import redirect_stdout

import pytest

from tests.util import ctrl_c_at_batch
from vmss_cli.render import progress

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[0-9;]+)m")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def ss(cli, rg):
    assert cli("create", "-g", rg, "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "10", "--orchestration-mode", "Uniform",
               "--upgrade-policy-mode", "Rolling").exit_code == 0
    return "ss"


def publish(cli, version, *extra):
    assert cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
               "--version", version, *extra).exit_code == 0


def on_terminal(*args: str) -> tuple[int, str, str]:
    """Run `vmss ARGS` in-process with stderr on a pseudo-terminal; (exit code, stdout, what the terminal got)."""
    from vmss_cli.cli.main import main

    master, slave = pty.openpty()
    got = bytearray()

    def drain() -> None:  # the terminal side: read until the last writer closes
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            got.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    terminal = os.fdopen(slave, "w", encoding="utf-8", closefd=True)
    out, saved = io.StringIO(), sys.stderr
    sys.stderr = terminal
    try:
        with redirect_stdout(out):
            code = main(list(args))
    finally:
        sys.stderr = saved
        terminal.close()
    reader.join()
    os.close(master)
    return code, out.getvalue(), got.decode("utf-8").replace("\r\n", "\n")


def screens(raw: str) -> str:
    """Every frame the terminal was shown, one after the other (escape codes removed)."""
    return ANSI.sub(lambda m: "" if m.group().endswith("m") else "\n", raw).replace("\r", "\n")


def final_screen(raw: str) -> list[str]:
    """What is left on the terminal at the end: a small emulator for the codes rich's Live uses
    (erase line, cursor up, carriage return)."""
    lines, row = [""], 0
    for token in re.split(r"(\x1b\[[0-9;?]*[A-Za-z]|\r|\n)", raw):
        if token == "\n":
            row += 1
            lines += [""] * (row + 1 - len(lines))
        elif token == "\r" or token.startswith("\x1b[") and token.endswith(("m", "h", "l")):
            continue
        elif token == "\x1b[2K":
            lines[row] = ""
        elif token == "\x1b[1A":
            row -= 1
        elif token:
            lines[row] += token
    return [line for line in lines if line]


def test_a_blocking_rollout_on_a_terminal_shows_a_live_view_and_a_summary(cli, ss, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    publish(cli, "18.04.202406010")
    code, out, raw = on_terminal("rolling-upgrade", "start", "-g", "rg1", "-n", ss)
    assert (code, out) == (0, "")
    text = screens(raw)
    assert "rg1/ss User started an OS image upgrade to Canonical:UbuntuServer:18.04-LTS:18.04.202406010" in text
    assert "━" in text and "0/10  world time 0s" in text  # bar, counts
    assert "batch 3: instances 2, 7" in text
    assert "↻ 2 upgrading" in text and "… 2 waiting for health" in text and "✔ 2 healthy" in text
    assert "· 4 pending" in text and "world time 7m30s" in text
    assert ANSI_COLOUR.search(raw) and "\x1b[2K\x1b[1A" in raw  # coloured, redrawn in place
    assert final_screen(raw) == ["rg1/ss Completed after 15m00s of world time: 10 succeeded, 0 failed, 0 rolled back, 0 not attempted"]


def test_the_live_view_shows_rollbacks_respects_no_color_and_the_width(cli, ss, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert cli("update", "-g", "rg1", "-n", ss, "--enable-auto-os-upgrade", "true").exit_code == 0
    publish(cli, "18.04.202406010", "--fail-percent", "30")
    code, out, raw = on_terminal("sim", "clock", "advance", "4h", "--query", "now", "-o", "tsv")
    assert (code, out) == (0, "2026-01-01T04:00:00+00:00\n")
    assert not ANSI_COLOUR.search(raw)  # NO_COLOR is set (conftest)
    text = screens(raw)
    assert "↺ 1 rolling back" in text  # (rolled back: the same instant the rollout stops, in its summary)
    assert max(len(line) for line in text.split("\n")) <= 60
    [summary] = final_screen(raw)
    assert summary.startswith("rg1/ss Faulted after 11m30s of world time: 3 succeeded, 1 f")


def test_ctrl_c_ends_the_live_view_with_a_summary(cli, ss, monkeypatch):
    publish(cli, "18.04.202406010")
    ctrl_c_at_batch(monkeypatch, 3)
    code, _, raw = on_terminal("rolling-upgrade", "start", "-g", "rg1", "-n", ss)
    assert code == 130
    assert "\x1b[?25h" in raw  # the cursor is given back
    lines = final_screen(raw)
    assert lines[0] == ("rg1/ss Stopped watching (Ctrl-C) after 6m00s of world time: 4 of 10 done, the rollout "
                         "goes on")
    assert lines[1].startswith("ERROR: Operation cancelled.") and len(lines) == 2


@pytest.mark.parametrize("command", [["rolling-upgrade", "start", "-g", "rg1", "-n", "ss"],
                                     ["sim", "clock", "advance", "1h", "-o", "none"]])
def test_pipes_stay_quiet_unless_verbose(cli, ss, command):
    publish(cli, "18.04.202406010")
    if command[0] == "sim":
        assert cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--no-wait").exit_code == 0
    r = cli(*command)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")


def test_cancel_in_a_pipe_is_quiet_and_verbose_prints_one_line_per_event(cli, ss):
    publish(cli, "18.04.202406010")
    assert cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--no-wait").exit_code == 0
    r = cli("rolling-upgrade", "cancel", "-g", "rg1", "-n", ss)
    assert (r.exit_code, r.stderr) == (0, "")
    publish(cli, "18.04.202407010")
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--verbose")
    lines = r.stderr.splitlines()
    assert lines.pop().startswith("INFO: Command ran in ")  # az's --verbose timing line ends stderr
    assert lines[0].startswith("2026-01-01T00:00:00+00:00 rg1/ss RolloutStarted: User started an OS image upgrade")
    assert lines[-1].startswith("2026-01-01T00:15:00+00:00 rg1/ss RolloutCompleted: rollout completed: 10 succeeded")
    events = json.loads(cli("sim", "events", "-g", "rg1", "-n", ss).stdout)
    second = [e for e in events if e["operationId"] == events[-1]["operationId"]]
    assert lines == [progress.plain_line(e) for e in second] and len(lines) == 32


def test_a_large_rollout_draws_one_frame_per_instant_with_bounded_cells(cli, rg):
    assert cli("create", "-g", rg, "-n", "big", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "150", "--orchestration-mode", "Uniform",
               "--upgrade-policy-mode", "Rolling").exit_code == 0
    publish(cli, "18.04.202406010")
    code, _, raw = on_terminal("rolling-upgrade", "start", "-g", "rg1", "-n", "big")
    assert code == 0
    frames = screens(raw).count("world time ")
    events = json.loads(cli("sim", "events", "-g", "rg1", "-n", "big").stdout)
    assert 0 < frames <= len({e["time"] for e in events}) and len(events) > 10 * frames  # a frame per instant
    text = screens(raw)
    assert "✔ 30 healthy" in text and "+6 more in progress or failed" in text  # 24 busy instances drawn
    assert max(len(line) for line in text.split("\n")) <= 120
    assert final_screen(raw) == [
        "rg1/big Completed after 15m00s of world time: 150 succeeded, 0 failed, 0 rolled back, 0 not attempted"]
