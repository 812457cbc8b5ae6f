"""Serve tier 3: the real azure-cli 2.91.0, unmodified, runs the seed's workflow against `vmss serve`
(the issue's "Done when"), and the `vmss` CLI sees the same world.

az 2.91 lives in its own venv: $VMSS_AZ291 (a venv, or its bin/az), else ~/.cache/vmss-ci/az291, which
`.ci/run` builds and caches. Without it the test is skipped, and pytest prints why."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.differential.harness import find_az  # the differential tier's: one way to find az 2.91

AZ_PATH, WHY = find_az()
AZ_BIN = str(AZ_PATH.parent) if AZ_PATH else None
pytestmark = [pytest.mark.az, pytest.mark.skipif(AZ_BIN is None, reason=WHY)]


README = Path(__file__).parents[2] / "README.md"


def readme_commands() -> list[str]:
    """The az and vmss lines of the README's "Use real az" workflow block, in order."""
    section = README.read_text().split("## Use real az / the Python SDK against vmss", 1)[1]
    block = section.split("```sh\n", 2)[2].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith(("az ", "vmss "))]


def test_real_az_runs_the_readme_workflow_against_serve(serving, tmp_path, cli, monkeypatch):
    """The issue's "Done when": az-login, group create, vmss create (Rolling), update --set, a release
    published by the vmss CLI, a blocking rolling-upgrade start, get-latest Completed, the history, the
    image catalog walk, an admin call with az rest, and a missing set exiting 3."""
    env = dict(os.environ, AZURE_CONFIG_DIR=str(tmp_path / "az"), REQUESTS_CA_BUNDLE=str(serving.ca_file),
               AZURE_CORE_COLLECT_TELEMETRY="false", PATH=f"{AZ_BIN}:{os.environ['PATH']}")
    monkeypatch.setenv("PATH", env["PATH"])  # `vmss serve az-login` runs in-process: az 2.91 first on PATH
    monkeypatch.setenv("AZURE_CONFIG_DIR", env["AZURE_CONFIG_DIR"])
    outputs = {}
    commands = readme_commands()
    assert commands[0] == "vmss serve az-login" and len(commands) == 11
    for line in commands:
        args = shlex.split(line.replace("https://localhost:8443", serving.url), comments=True)
        if args[0] == "vmss":
            result = cli(*args[1:])
            code, out, err = result.exit_code, result.stdout, result.stderr
        else:
            done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
            code, out, err = done.returncode, done.stdout, done.stderr
        expected = 3 if "# exit 3" in line else 0
        assert code == expected, f"{line}\n{err}"
        outputs[" ".join(args[:4])] = (out, err)

    assert "registered the cloud 'VmssEmulator'" in outputs["vmss serve az-login"][1]
    assert outputs["az vmss rolling-upgrade start"] [0] == ""  # blocking: returns when Completed, prints nothing
    assert outputs["az vmss rolling-upgrade get-latest"][0] == "Completed\n"
    assert outputs["az vmss get-os-upgrade-history -g"][0].splitlines() == [
        "Status     Version          End",
        "---------  ---------------  -------------------------",
        "Completed  18.04.202406010  2026-01-01T00:17:30+00:00"]
    assert "18.04.202405140" in outputs["az vm image list"][0]
    assert outputs["az rest --method post"][0].startswith('{\n  "clock": "on-poll",\n  "now": "2026-01-01T01:17:30')
    assert outputs["az vmss show -g"][1].startswith(
        "ERROR: (ResourceNotFound) The Resource 'Microsoft.Compute/virtualMachineScaleSets/missing' under resource "
        "group 'myResourceGroup' was not found.")
    # the vmss CLI sees the same world az changed
    shown = cli("get-os-upgrade-history", "-g", "myResourceGroup", "-n", "myScaleSet", "--query",
                "[].properties.[runningStatus.code, targetImageReference.version]", "-o", "tsv")
    assert shown.stdout == "Completed\t18.04.202406010\n"
    assert cli("show", "-g", "myResourceGroup", "-n", "myScaleSet", "--query",
               "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade").stdout == "true\n"
