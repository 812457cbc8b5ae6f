"""Ctrl-C during a blocking rollout: the store keeps what ran, the rest stays queued, exit 130."""

from __future__ import annotations

import os
import signal

from vmss_cli.core import engine


def test_ctrl_c_mid_rollout_saves_progress_and_the_rollout_resumes(cli, rg):
    assert cli("create", "-g", rg, "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "10", "--orchestration-mode", "Uniform",
               "--upgrade-policy-mode", "Rolling").exit_code == 0
    cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
        "--version", "18.04.202406010")

    def press_ctrl_c(event):
        if event["type"] == "BatchStarted" and event.get("batch") == 3:
            os.kill(os.getpid(), signal.SIGINT)

    engine.LISTENERS.append(press_ctrl_c)
    try:
        r = cli("rolling-upgrade", "start", "-g", rg, "-n", "ss", "--only-show-errors")
    finally:
        engine.LISTENERS.remove(press_ctrl_c)
    assert r.exit_code == 130
    assert r.stderr.startswith("ERROR: Operation cancelled. What ran so far is saved")
    status = ["rolling-upgrade", "get-latest", "-g", rg, "-n", "ss", "--query",
              "[runningStatus.code, progress.successfulInstanceCount, progress.inProgressInstanceCount]", "-o", "tsv"]
    assert cli(*status).stdout == "RollingForward\n4\n2\n"
    assert cli("sim", "clock", "show").json["now"] == "2026-01-01T00:06:00+00:00"
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    assert cli(*status).stdout == "Completed\n10\n0\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored
