"""Ctrl-C during a blocking rollout: the store keeps what ran, the rest stays queued, exit 130."""

from __future__ import annotations

import signal

from tests.util import ctrl_c_at_batch


def test_ctrl_c_mid_rollout_saves_progress_and_the_rollout_resumes(cli, rg, monkeypatch):
    assert cli("create", "-g", rg, "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "10", "--orchestration-mode", "Uniform",
               "--upgrade-policy-mode", "Rolling").exit_code == 0
    cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
        "--version", "18.04.202406010")

    ctrl_c_at_batch(monkeypatch, 3)
    r = cli("rolling-upgrade", "start", "-g", rg, "-n", "ss", "--only-show-errors")
    assert r.exit_code == 130
    assert r.stderr.startswith("ERROR: Operation cancelled. What ran so far is saved")
    status = ["rolling-upgrade", "get-latest", "-g", rg, "-n", "ss", "--query",
              "[runningStatus.code, progress.successfulInstanceCount, progress.inProgressInstanceCount]", "-o", "tsv"]
    assert cli(*status).stdout == "RollingForward\n4\n2\n"
    assert cli("sim", "clock", "show").json["now"] == "2026-01-01T00:06:00+00:00"
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    assert cli(*status).stdout == "Completed\n10\n0\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored
