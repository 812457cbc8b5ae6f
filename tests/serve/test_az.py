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

AZ_VERSION = "2.91.0"


def find_az() -> tuple[str | None, str]:
    for candidate in (os.environ.get("VMSS_AZ291"), str(Path.home() / ".cache" / "vmss-ci" / "az291")):
        if not candidate:
            continue
        path = Path(candidate)
        venv = path.parent.parent if path.name == "az" else path
        if (venv / "bin" / "az").is_file() and list(venv.glob(f"lib/python*/site-packages/azure_cli-{AZ_VERSION}.dist-info")):
            return str(venv / "bin"), ""
    return None, (f"azure-cli {AZ_VERSION} is not installed: set VMSS_AZ291 to a venv with `pip install "
                  f"azure-cli=={AZ_VERSION}` (`bash .ci/run` builds one in ~/.cache/vmss-ci/az291)")


AZ_BIN, WHY = find_az()
pytestmark = [pytest.mark.az, pytest.mark.skipif(AZ_BIN is None, reason=WHY)]


def test_real_az_runs_the_seed_workflow_against_serve(serving, tmp_path, cli, monkeypatch):
    env = dict(os.environ, AZURE_CONFIG_DIR=str(tmp_path / "az"), REQUESTS_CA_BUNDLE=str(serving.ca_file),
               AZURE_CORE_COLLECT_TELEMETRY="false", PATH=f"{AZ_BIN}:{os.environ['PATH']}")

    def az(command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["az", *shlex.split(command)], env=env, capture_output=True, text=True, timeout=300)

    def vmss(*args: str) -> str:
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    # `vmss serve az-login`, in-process, with az 2.91 first on PATH
    monkeypatch.setenv("PATH", env["PATH"])
    monkeypatch.setenv("AZURE_CONFIG_DIR", env["AZURE_CONFIG_DIR"])
    login = cli("serve", "az-login")
    assert login.exit_code == 0, login.stderr
    assert "registered the cloud 'VmssEmulator'" in login.stderr

    assert az("group create -n rg1 -l eastus -o none").returncode == 0
    created = az("vmss create -g rg1 -n web --image Canonical:UbuntuServer:18.04-LTS:latest --orchestration-mode "
                 "Uniform --upgrade-policy-mode Rolling --instance-count 10 --admin-username azureuser "
                 "--admin-password P@ssw0rd1234! --query vmss.upgradePolicy -o json")
    assert created.returncode == 0, created.stderr
    assert created.stdout == '{\n  "mode": "Rolling"\n}\n'
    updated = az("vmss update -g rg1 -n web --set upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=true "
                 "--query upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade -o tsv")
    assert (updated.returncode, updated.stdout) == (0, "true\n"), updated.stderr
    # another shell: the publisher releases a version
    vmss("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
         "--version", "18.04.202406010", "-o", "none")
    started = az("vmss rolling-upgrade start -g rg1 -n web")  # blocking: polls until the rollout ends
    assert (started.returncode, started.stdout) == (0, ""), started.stderr
    latest = az("vmss rolling-upgrade get-latest -g rg1 -n web --query runningStatus.code -o tsv")
    assert latest.stdout == "Completed\n"
    history = az("vmss get-os-upgrade-history -g rg1 -n web --query "
                 "\"[].properties.[runningStatus.code, targetImageReference.version, runningStatus.endTime]\" -o tsv")
    assert history.stdout == "Completed\t18.04.202406010\t2026-01-01T00:17:30+00:00\n"
    # the vmss CLI sees the same world
    assert vmss("get-os-upgrade-history", "-g", "rg1", "-n", "web", "--query",
                "[].properties.[runningStatus.code, targetImageReference.version, runningStatus.endTime]",
                "-o", "tsv") == history.stdout
    # without -l, az walks westus (the subscription's locations, westus first); the same catalog as vmss's
    images = az("vm image list --all -p Canonical --query [].urn -o tsv")
    assert images.returncode == 0, images.stderr
    assert sorted(images.stdout.split()) == sorted(vmss("image", "list", "--all", "-p", "Canonical", "-l", "westus",
                                                        "--query", "[].urn", "-o", "tsv").split())
    released = az("vm image list --all -l eastus -p Canonical -f UbuntuServer -s 18.04-LTS --query [].version -o tsv")
    assert released.stdout.split()[-1] == "18.04.202406010"
    missing = az("vmss show -g rg1 -n nosuch")
    assert missing.returncode == 3
    assert missing.stderr.startswith("ERROR: (ResourceNotFound) The Resource "
                                     "'Microsoft.Compute/virtualMachineScaleSets/nosuch' under resource group 'rg1' "
                                     "was not found.")
