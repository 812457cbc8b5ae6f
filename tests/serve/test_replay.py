"""Serve tier 1: the requests az 2.91 sent during the seed's workflow (tests/fixtures/serve), replayed
byte for byte against a fresh `vmss serve`; every answer must have the status az got, and the world
the CLI then reads must be the one az left."""

from __future__ import annotations

import json
from pathlib import Path

from tests.serve.conftest import SUB

FIXTURE = Path(__file__).parents[1] / "fixtures" / "serve" / "az-2.91-seed-workflow.json"


def _replay(client):
    requests = json.loads(FIXTURE.read_text())["requests"]
    answers = []
    for rec in requests:
        if rec["step"] == "publish":  # `vmss sim image publish` ran in another shell
            continue
        if rec["step"] == "start-blocking" and rec["method"] == "POST":
            reply = client.request("POST", "/_vmss/images/publish", {
                "location": "eastus", "publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS",
                "version": "18.04.202406010"})
            assert reply.status == 200, reply.payload
        path = rec["path"] + (f"?{rec['query']}" if rec["query"] else "")
        reply = client.request(rec["method"], path, rec["body"])
        answers.append((rec, reply))
    return answers


def test_az_seed_workflow_replays_with_the_statuses_az_got(client, cli):
    answers = _replay(client)
    assert [(rec["method"], reply.status) for rec, reply in answers] == \
           [(rec["method"], rec["status"]) for rec, _ in answers]
    by_step: dict = {}
    for rec, reply in answers:
        by_step.setdefault(rec["step"], []).append(reply)

    # vmss create: the deployment's output is the set's properties under `vmss` (az reads ['vmss'])
    deployment = by_step["vmss-create"][-1].json
    assert deployment["properties"]["provisioningState"] == "Succeeded"
    assert deployment["properties"]["outputs"]["vmss"]["value"]["upgradePolicy"] == {"mode": "Rolling"}
    # vmss update: the PUT without imageReference kept the image; automatic OS upgrade is on
    put = by_step["vmss-update"][1].json
    assert put["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["offer"] == "UbuntuServer"
    assert put["properties"]["upgradePolicy"]["automaticOSUpgradePolicy"]["enableAutomaticOSUpgrade"] is True
    # the blocking start: each poll moved the world one step; the last one says Succeeded
    polls = [r.json["status"] for r in by_step["start-blocking"][1:]]
    assert polls[-1] == "Succeeded" and set(polls[:-1]) == {"InProgress"}
    assert by_step["get-latest"][0].json["properties"]["runningStatus"]["code"] == "Completed"
    history = by_step["history"][0].json["value"]
    assert [h["properties"]["targetImageReference"]["version"] for h in history] == ["18.04.202406010"]
    assert by_step["show-missing"][0].json == {"error": {
        "code": "ResourceNotFound", "message": "The Resource 'Microsoft.Compute/virtualMachineScaleSets/nosuch' "
        "under resource group 'rg1' was not found. For more details please go to "
        "https://aka.ms/ARMResourceNotFoundFix"}}
    # secrets never come back, whatever the request
    assert not any(b"P@ssw0rd1234!" in reply.payload for _, reply in answers)
    # and the CLI sees the world az left: the group is gone
    assert cli("group", "exists", "-n", "rg1").stdout.strip() == "false"


def test_the_cli_sees_the_rollout_az_ran(client, cli):
    requests = json.loads(FIXTURE.read_text())["requests"]
    steps = [r for r in requests if r["step"] not in ("vmss-delete", "group-delete")]
    for rec in steps:
        if rec["step"] == "start-blocking" and rec["method"] == "POST":
            client.request("POST", "/_vmss/images/publish", {
                "location": "eastus", "publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS",
                "version": "18.04.202406010"})
        if rec["step"] != "publish":
            client.request(rec["method"], rec["path"] + "?" + rec["query"], rec["body"])
    shown = cli("get-os-upgrade-history", "-g", "rg1", "-n", "web", "--query",
                "[].properties.[runningStatus.code, targetImageReference.version, runningStatus.startTime, "
                "runningStatus.endTime]", "-o", "tsv")
    # 10 instances, 5 batches of 2, 3.5 minutes each: the engine's times, not the wall clock's
    assert shown.stdout == "Completed\t18.04.202406010\t2026-01-01T00:00:00+00:00\t2026-01-01T00:17:30+00:00\n"
    reply = client.get(f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/"
                       "virtualMachineScaleSets/web/rollingUpgrades/latest?api-version=2023-09-01")
    assert reply.json["properties"]["progress"] == {"successfulInstanceCount": 10, "failedInstanceCount": 0,
                                                    "inProgressInstanceCount": 0, "pendingInstanceCount": 0}
