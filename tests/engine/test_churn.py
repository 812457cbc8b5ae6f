"""Deleting, re-creating and scaling a scale set while its rollout is in flight (issue 14, items 1-2):
the world's queue must never hold events that wedge it, and a rollout must always be able to end."""

from __future__ import annotations

import pytest

from tests.reliability.harness import check_invariants

URN = "Canonical:UbuntuServer:18.04-LTS"
IMG = ["-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


def ok(cli, *args):
    r = cli(*args)
    assert r.exit_code == 0, f"{args}: {r.stderr}"
    return r


def make(cli, name, count=4, *extra):
    ok(cli, "create", "-g", "rg1", "-n", name, "--image", f"{URN}:latest", "--instance-count", str(count),
       "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling", "-o", "none", *extra)


def status(cli, name):
    return ok(cli, "rolling-upgrade", "get-latest", "-g", "rg1", "-n", name, "--query", "runningStatus.code",
              "-o", "tsv").stdout.strip()


def test_delete_and_recreate_at_one_world_time_does_not_wedge_the_world(cli, rg, vmss_home):
    make(cli, "ss")
    make(cli, "other")
    ok(cli, "sim", "image", "publish", *IMG, "--version", "18.04.202406010", "-o", "none")
    ok(cli, "rolling-upgrade", "start", "-g", rg, "-n", "ss", "--no-wait")
    ok(cli, "delete", "-g", rg, "-n", "ss")
    make(cli, "ss", 4, "--image", f"{URN}:18.04.202405140")
    ok(cli, "update", "-g", rg, "-n", "ss", "--set",
       "virtualMachineProfile.storageProfile.imageReference.version=latest", "-o", "none")
    ok(cli, "rolling-upgrade", "start", "-g", rg, "-n", "ss", "--no-wait")
    assert check_invariants(vmss_home) == []
    r = cli("sim", "clock", "advance", "1h", "-o", "none", "--only-show-errors")
    assert (r.exit_code, r.stderr) == (0, ""), r.stderr
    assert status(cli, "ss") == "Completed"
    ok(cli, "rolling-upgrade", "start", "-g", rg, "-n", "other")
    assert status(cli, "other") == "Completed"
    assert check_invariants(vmss_home) == []


@pytest.mark.parametrize("how", ["scale", "update"])
@pytest.mark.parametrize("capacity, left", [(1, 1), (0, 0)])
def test_scale_in_of_instances_in_flight_lets_the_rollout_end(cli, rg, vmss_home, how, capacity, left):
    make(cli, "ss", 10)
    ok(cli, "sim", "clock", "advance", "10m", "-o", "none")  # every instance healthy
    ok(cli, "sim", "image", "publish", *IMG, "--version", "18.04.202406010", "-o", "none")
    ok(cli, "rolling-upgrade", "start", "-g", rg, "-n", "ss", "--no-wait")
    ok(cli, "sim", "clock", "advance", "1m", "-o", "none")
    latest = ok(cli, "rolling-upgrade", "get-latest", "-g", rg, "-n", "ss").json
    assert latest["progress"]["inProgressInstanceCount"] == 2  # instances 0 and 1
    if how == "scale":
        ok(cli, "scale", "-g", rg, "-n", "ss", "--new-capacity", str(capacity), "-o", "none")
    else:
        ok(cli, "update", "-g", rg, "-n", "ss", "--set", f"sku.capacity={capacity}", "-o", "none")
    assert check_invariants(vmss_home) == []
    ok(cli, "sim", "clock", "advance", "1h", "-o", "none")
    latest = ok(cli, "rolling-upgrade", "get-latest", "-g", rg, "-n", "ss").json
    assert latest["runningStatus"]["code"] == "Completed"
    assert latest["progress"] == {"failedInstanceCount": 0, "inProgressInstanceCount": 0,
                                  "pendingInstanceCount": 0, "successfulInstanceCount": left}
    ok(cli, "scale", "-g", rg, "-n", "ss", "--new-capacity", "3", "-o", "none")
    ok(cli, "sim", "image", "publish", *IMG, "--version", "18.04.202407010", "-o", "none")
    ok(cli, "rolling-upgrade", "start", "-g", rg, "-n", "ss")
    assert status(cli, "ss") == "Completed"
    assert check_invariants(vmss_home) == []


def test_the_clock_cannot_advance_past_its_range(cli, rg, vmss_home, monkeypatch):
    monkeypatch.setenv("VMSS_START_TIME", "2199-12-01T00:00:00Z")
    home = vmss_home.parent / "late"
    monkeypatch.setenv("VMSS_HOME", str(home))
    ok(cli, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    ok(cli, "sim", "clock", "advance", "30d", "-o", "none")
    from tests.util import snapshot

    before = snapshot(home)
    r = cli("sim", "clock", "advance", "1d")
    assert r.exit_code == 1
    assert r.stderr.startswith("ERROR: (InvalidParameter) Advancing the world clock by 86400 seconds would move it "
                               "past 2199-12-31T23:59:59+00:00, the end of the years 1970-2199 it covers."), r.stderr
    assert snapshot(home) == before


def test_an_empty_seed_counts_as_unset_like_an_empty_start_time(cli, monkeypatch):
    monkeypatch.setenv("VMSS_SEED", "")
    monkeypatch.setenv("VMSS_START_TIME", "")
    ok(cli, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    assert ok(cli, "sim", "clock", "show", "--query", "seed", "-o", "tsv").stdout == "0\n"


def test_vmss_home_that_is_a_file_is_an_error(cli, vmss_home):
    vmss_home.parent.mkdir(parents=True, exist_ok=True)
    vmss_home.write_text("not a directory")
    for args in (("list",), ("group", "create", "-n", "rg", "-l", "eastus")):
        r = cli(*args)
        assert (r.exit_code, r.stdout, r.stderr) == (1, "", f"ERROR: The state directory '{vmss_home}' (VMSS_HOME) is "
                                                            "not a directory.\n"), args
