"""`vmss rolling-upgrade ...`, `get-os-upgrade-history`, `sim clock`, `sim health` through the CLI:
exact stdout, stderr and exit codes, as a CI script sees them."""

from __future__ import annotations

import json

import pytest

IMG = ["-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


@pytest.fixture
def ss(cli, rg):
    r = cli("create", "-g", rg, "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
            "--instance-count", "10", "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling")
    assert r.exit_code == 0, r.stderr
    return "ss"


def publish(cli, version, *extra):
    r = cli("sim", "image", "publish", *IMG, "--version", version, *extra)
    assert r.exit_code == 0, r.stderr
    return r


def test_ci_script_no_wait_advance_get_latest(cli, ss):
    publish(cli, "18.04.202406010")
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--no-wait")
    assert (r.exit_code, r.stdout) == (0, "")
    r = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss, "--query", "runningStatus.code", "-o", "tsv")
    assert (r.exit_code, r.stdout) == (0, "RollingForward\n")
    r = cli("sim", "clock", "advance", "1h", "--only-show-errors")
    assert r.exit_code == 0 and r.stderr == ""
    assert json.loads(r.stdout)["now"] == "2026-01-01T01:00:00+00:00"
    r = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss, "--query", "runningStatus.code", "-o", "tsv")
    assert (r.exit_code, r.stdout) == (0, "Completed\n")


def test_start_blocks_prints_nothing_and_get_latest_shape(cli, ss):
    publish(cli, "18.04.202406010")
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--only-show-errors")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    r = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss)
    assert r.json == {
        "location": "eastus",
        "policy": {"maxBatchInstancePercent": 20, "maxSurge": False, "maxUnhealthyInstancePercent": 20,
                   "maxUnhealthyUpgradedInstancePercent": 20, "pauseTimeBetweenBatches": "PT0S",
                   "rollbackFailedInstancesOnPolicyBreach": False},
        "progress": {"failedInstanceCount": 0, "inProgressInstanceCount": 0, "pendingInstanceCount": 0,
                     "successfulInstanceCount": 10},
        "runningStatus": {"code": "Completed", "lastAction": "Start",
                          "lastActionTime": "2026-01-01T00:00:00+00:00", "startTime": "2026-01-01T00:00:00+00:00"},
        "tags": {},
        "type": "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades"}
    r = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss, "-o", "tsv")
    assert r.stdout == "eastus\t\t\t\t\tMicrosoft.Compute/virtualMachineScaleSets/rollingUpgrades\n"


def test_verbose_progress_goes_to_stderr_as_plain_lines_when_not_a_tty(cli, ss):
    publish(cli, "18.04.202406010")
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--verbose")
    lines = r.stderr.splitlines()
    assert lines.pop().startswith("INFO: Command ran in ")  # az's --verbose timing line ends stderr
    assert lines[0] == ("2026-01-01T00:00:00+00:00 rg1/ss RolloutStarted: User started an OS image upgrade to "
                        "Canonical:UbuntuServer:18.04-LTS:18.04.202406010; 10 of 10 instances to upgrade "
                        "[succeeded 0, failed 0, in progress 0, pending 10]")
    assert lines[-1].startswith("2026-01-01T00:15:00+00:00 rg1/ss RolloutCompleted: rollout completed: 10 succeeded")
    assert sum("BatchStarted" in line for line in lines) == 5
    assert r.stdout == ""


def test_faulted_start_exits_1_with_the_rollouts_error(cli, ss):
    publish(cli, "18.04.202406010")
    r = cli("sim", "health", "set", "-g", "rg1", "-n", ss, "--instance-ids", "1", "2", "3", "--state", "Unhealthy")
    assert r.exit_code == 0
    assert r.json == [{"healthState": "Unhealthy", "instanceId": i} for i in ("1", "2", "3")]
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--only-show-errors")
    assert r.exit_code == 1 and r.stdout == ""
    first, code, message = r.stderr.splitlines()[:3]
    assert first.startswith("ERROR: (MaxUnhealthyInstancePercentExceededBeforeRollingUpgrade) Rolling Upgrade failed "
                            "due to exceeding the MaxUnhealthyInstancePercent value")
    assert code == "Code: MaxUnhealthyInstancePercentExceededBeforeRollingUpgrade"
    assert message.startswith("Message: Rolling Upgrade failed")
    r = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss, "--query", "[runningStatus.code, error.code]",
            "-o", "tsv")
    assert r.stdout == "Faulted\nMaxUnhealthyInstancePercentExceededBeforeRollingUpgrade\n"


def test_get_latest_never_run_is_not_found_exit_3(cli, ss):
    r = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss)
    assert r.exit_code == 3
    assert r.stderr == ("ERROR: (NotFound) The entity was not found in this Azure location.\n"
                        "Code: NotFound\nMessage: The entity was not found in this Azure location.\n")


def test_cancel_without_rollout_is_409_exit_1(cli, ss):
    r = cli("rolling-upgrade", "cancel", "-g", "rg1", "-n", ss)
    assert r.exit_code == 1
    assert r.stderr == ("ERROR: (OperationNotAllowed) There is no ongoing Rolling Upgrade to cancel.\n"
                        "Code: OperationNotAllowed\nMessage: There is no ongoing Rolling Upgrade to cancel.\n")


def test_cancel_mid_rollout(cli, ss):
    publish(cli, "18.04.202406010")
    assert cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--no-wait").exit_code == 0
    assert cli("sim", "clock", "advance", "PT1M", "--only-show-errors").exit_code == 0
    r = cli("rolling-upgrade", "cancel", "-g", "rg1", "-n", ss, "--only-show-errors")
    assert (r.exit_code, r.stdout) == (0, "")
    r = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss, "--query",
            "{code: runningStatus.code, action: runningStatus.lastAction, done: progress.successfulInstanceCount, "
            "pending: progress.pendingInstanceCount}", "-o", "tsv")
    assert r.stdout == "Cancelled\tCancel\t2\t8\n"


def test_missing_required_fields(cli):
    r = cli("rolling-upgrade", "start", "-n", "x")
    assert (r.exit_code, r.stderr) == (1, "ERROR: InvalidArgumentValue: Missing required field: --resource-group\n")
    r = cli("rolling-upgrade", "get-latest", "-g", "x")
    assert (r.exit_code, r.stderr) == (1, "ERROR: InvalidArgumentValue: Missing required field: -n\n")
    r = cli("get-os-upgrade-history", "-g", "x")
    assert r.exit_code == 2
    assert r.stderr.startswith("ERROR: the following arguments are required: -n/--name/--vm-scale-set-name")


def test_history_shape_and_query(cli, ss):
    r = cli("get-os-upgrade-history", "-g", "rg1", "-n", ss)
    assert (r.exit_code, r.stdout) == (0, "[]\n")
    publish(cli, "18.04.202406010")
    cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--only-show-errors")
    r = cli("get-os-upgrade-history", "-g", "rg1", "-n", ss)
    assert r.json == [{
        "location": "eastus",
        "properties": {
            "progress": {"failedInstanceCount": 0, "inProgressInstanceCount": 0, "pendingInstanceCount": 0,
                         "successfulInstanceCount": 10},
            "rollbackInfo": {"failedRolledbackInstanceCount": 0, "successfullyRolledbackInstanceCount": 0},
            "runningStatus": {"code": "Completed", "endTime": "2026-01-01T00:15:00+00:00",
                              "startTime": "2026-01-01T00:00:00+00:00"},
            "startedBy": "User",
            "targetImageReference": {"offer": "UbuntuServer", "publisher": "Canonical", "sku": "18.04-LTS",
                                     "version": "18.04.202406010"}},
        "type": "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades"}]
    r = cli("get-os-upgrade-history", "-g", "rg1", "-n", ss, "--query", "[0].properties.runningStatus.code",
            "-o", "tsv")
    assert r.stdout == "Completed\n"


def test_clock_show_and_bad_duration(cli, rg):
    r = cli("sim", "clock", "show")
    assert r.json == {"now": "2026-01-01T00:00:00+00:00", "pendingEvents": 0, "seed": 42,
                      "startTime": "2026-01-01T00:00:00+00:00"}
    for text, seconds in (("PT45M", 2700), ("45m", 2700), ("2h", 7200), ("1h30m", 5400), ("90s", 90)):
        before = cli("sim", "clock", "show").json["now"]
        r = cli("sim", "clock", "advance", text)
        assert r.exit_code == 0
        from vmss_cli.core.world.timeutil import parse_time
        assert parse_time(r.json["now"]) - parse_time(before) == seconds
    r = cli("sim", "clock", "advance", "soon")
    assert r.exit_code == 1
    assert r.stderr.startswith("ERROR: (InvalidParameter) The value 'soon' of parameter 'duration' is not a duration.")


def test_health_set_rejects_bad_state_and_unknown_instance_without_change(cli, ss, vmss_home):
    snapshot = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    r = cli("sim", "health", "set", "-g", "rg1", "-n", ss, "--instance-ids", "1", "--state", "Sick")
    assert r.exit_code == 1 and "'Sick' is not a valid health state" in r.stderr
    r = cli("sim", "health", "set", "-g", "rg1", "-n", ss, "--instance-ids", "1", "99", "--state", "Unhealthy")
    assert r.exit_code == 3 and "virtualMachines/99" in r.stderr
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == snapshot


def test_demo_runs_a_rollout_with_rollbacks(cli, monkeypatch):
    monkeypatch.delenv("VMSS_HOME")
    monkeypatch.delenv("VMSS_START_TIME")
    monkeypatch.delenv("VMSS_SEED")
    r = cli("demo", "--only-show-errors")
    assert r.exit_code == 0, r.stderr
    assert "RolledBack" in r.stdout and "Completed" in r.stdout and "Faulted" in r.stdout
    assert "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade" in r.stdout
    again = cli("demo", "--only-show-errors")
    assert again.stdout == r.stdout  # deterministic


def test_aaz_no_wait_takes_a_boolean_value(cli, ss):
    publish(cli, "18.04.202406010")
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--no-wait", "false", "--only-show-errors")
    assert r.exit_code == 0
    assert cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss, "--query", "runningStatus.code",
               "-o", "tsv").stdout == "Completed\n"
    publish(cli, "18.04.202407010")
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", ss, "--no-wait", "true")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    assert cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", ss, "--query", "runningStatus.code",
               "-o", "tsv").stdout == "RollingForward\n"
