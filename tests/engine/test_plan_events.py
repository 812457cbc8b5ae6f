"""`vmss rolling-upgrade plan` (the preview runs the real engine on a copy) and `vmss sim events`."""

from __future__ import annotations

import json

RG, SS = "rg1", "ss"
TARGET = "18.04.202406010"


def make(cli, *extra):
    r = cli("create", "-g", RG, "-n", SS, "--image", "Canonical:UbuntuServer:18.04-LTS:latest", "--instance-count",
            "10", "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling", *extra)
    assert r.exit_code == 0, r.stderr


def snapshot(home):
    return {p: p.read_bytes() for p in home.rglob("*") if p.is_file() and p.name != ".lock"}


def test_plan_shows_batches_and_timeline_and_changes_nothing(cli, rg, vmss_home):
    make(cli, "--zones", "1", "2", "3")
    before = snapshot(vmss_home)
    r = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--target-version", TARGET)
    assert r.exit_code == 0, r.stderr
    plan = r.json
    assert snapshot(vmss_home) == before
    assert [b["instanceIds"] for b in plan["batches"]] == [["0", "6"], ["3", "9"], ["1", "7"], ["4"], ["5", "2"],
                                                           ["8"]]
    assert [b["zones"] for b in plan["batches"]] == [["1"], ["1"], ["2"], ["2"], ["3"], ["3"]]
    assert plan["batches"][0]["startTime"] == "2026-01-01T00:00:00+00:00"
    assert plan["result"] == {"code": "Completed", "startTime": "2026-01-01T00:00:00+00:00",
                              "endTime": "2026-01-01T00:18:00+00:00", "error": None, "rolledBack": 0,
                              "progress": {"failedInstanceCount": 0, "inProgressInstanceCount": 0,
                                           "pendingInstanceCount": 0, "successfulInstanceCount": 10}}
    assert plan["startedBy"] == "User" and plan["automaticRollback"] is False


def test_plan_matches_the_real_rollout(cli, rg):
    make(cli)
    plan = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--target-version", TARGET).json
    cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
        "--version", TARGET)
    cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")
    real = cli("sim", "events", "-g", RG, "-n", SS).json
    assert [(e["time"], e["type"], e["message"]) for e in real] == \
        [(e["time"], e["type"], e["message"]) for e in plan["timeline"]]


def test_plan_under_failures_names_the_stop_rule(cli, rg):
    make(cli, "--enable-auto-os-upgrade", "true")
    r = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--target-version", TARGET, "--assume-unhealthy", "1",
            "--query", "{by: startedBy, rollback: automaticRollback, result: result.code, error: result.error, "
            "failed: batches[0].failedInstanceIds, rolledBack: result.rolledBack}")
    assert r.json == {"by": "Platform", "rollback": True, "result": "Faulted", "rolledBack": 1,
                      "error": "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade", "failed": ["0"]}
    r = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--target-version", TARGET, "--assume-unhealthy", "1",
            "-o", "table")
    assert r.stdout.splitlines() == [
        "Batch   Start                End                  Instances  UpdateDomains  FailedInstances",
        "------  -------------------  -------------------  ---------  -------------  "
        "-----------------------------------------------------------",
        "1       2026-01-01 00:00:00  2026-01-01 00:08:30  0, 5       0              0",
        "result  2026-01-01 00:00:00  2026-01-01 00:08:30  Faulted                   "
        "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"]


def test_plan_table_with_zones_and_with_nothing_to_upgrade(cli, rg):
    make(cli, "--zones", "1", "2", "3")
    r = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--target-version", TARGET, "-o", "table")
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["Batch", "Start", "End", "Instances", "Zones", "UpdateDomains", "FailedInstances"]
    assert lines[2] == "1       2026-01-01 00:00:00  2026-01-01 00:03:00  0, 6       1      0, 1"
    assert lines[-1] == "result  2026-01-01 00:00:00  2026-01-01 00:18:00  Completed"
    cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
        "--version", TARGET)
    cli("rolling-upgrade", "start", "-g", RG, "-n", SS)
    r = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "-o", "table")
    assert (r.exit_code, r.stdout) == (0, "Result\n" + "-" * 64 + "\n"
                                          "Nothing to upgrade: every instance already runs 18.04.202406010.\n")
    assert cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--query", "[length(batches), result.code]",
               "-o", "tsv").stdout == "0\nCompleted\n"


def test_plan_argument_errors(cli, rg):
    make(cli)
    r = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--target-version", "18.04.202401010")
    assert r.exit_code == 1 and "is not newer than the latest version 18.04.202405140" in r.stderr
    r = cli("rolling-upgrade", "plan", "-g", RG, "-n", SS, "--assume-unhealthy", "1", "--fail-percent", "5")
    assert (r.exit_code, r.stderr) == (1, "ERROR: usage error: --assume-unhealthy and --fail-percent cannot be used "
                                          "together\n")


def test_events_log_keeps_the_whole_story(cli, rg):
    make(cli)
    for n in range(7):  # more rollouts than the 5-entry history shows
        cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
            "--version", f"18.04.2024071{n}0")
        cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")
    events = cli("sim", "events", "-g", RG, "-n", SS).json
    assert sum(e["type"] == "RolloutCompleted" for e in events) == 7
    assert len(cli("get-os-upgrade-history", "-g", RG, "-n", SS).json) == 5
    late = cli("sim", "events", "-g", RG, "-n", SS, "--since", events[-1]["time"], "--query", "[].type", "-o", "tsv")
    assert late.stdout.splitlines()[-1] == "RolloutCompleted"
    table = cli("sim", "events", "-g", RG, "-n", SS, "-o", "table").stdout.splitlines()
    assert table[0].split() == ["Time", "Type", "Batch", "Instances", "Message"] and len(table) == len(events) + 2
    assert max(len(line) for line in table) == 120  # messages shortened to fit
    assert table[4].split()[:6] == ["2026-01-01T00:01:30+00:00", "OSDiskReplaced", "0", "instance", "0:", "OS"]
    assert table[4].endswith("…")


def test_events_json_is_one_array_and_tsv_has_fixed_columns(cli, rg):
    make(cli)
    cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
        "--version", TARGET)
    cli("rolling-upgrade", "start", "-g", RG, "-n", SS)
    events = json.loads(cli("sim", "events", "-g", RG, "-n", SS).stdout)  # one document
    assert {frozenset(e) for e in events} == {frozenset(["batch", "instances", "message", "operationId", "progress",
                                                         "resourceGroup", "scaleSet", "time", "type"])}
    rows = [line.split("\t") for line in cli("sim", "events", "-g", RG, "-n", SS, "-o", "tsv").stdout.splitlines()]
    assert {len(row) for row in rows} == {8} and len(rows) == len(events)
    assert rows[1][:3] + rows[1][5:7] == ["2026-01-01T00:00:00+00:00", "BatchStarted", RG, "1", "0 5"]
    assert rows[2][5:7] == ["", "0"]


def test_events_follow_prints_json_lines_as_the_world_moves(cli, rg, monkeypatch):
    """--follow polls the store; the poll's pause is replaced here by another writer moving the world, then
    by Ctrl-C, so the test runs without waiting."""
    import time

    from vmss_cli.core.rollout import rollouts
    from vmss_cli.store.state import transaction

    make(cli)
    cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
        "--version", TARGET)
    cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--no-wait")
    polls = []

    def pause(seconds):
        polls.append(seconds)
        if len(polls) == 1:
            with transaction() as tx:
                rollouts.advance(tx, 3600)
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", pause)
    r = cli("sim", "events", "-g", RG, "-n", SS, "--follow")
    assert r.exit_code == 130 and polls == [0.5, 0.5]
    lines = r.stdout.splitlines()
    first = json.loads(lines[0])  # one JSON object per line, not an array
    assert first["type"] == "RolloutStarted" and json.loads(lines[-1])["type"] == "RolloutCompleted"
    assert [json.loads(line) for line in lines] == cli("sim", "events", "-g", RG, "-n", SS).json
