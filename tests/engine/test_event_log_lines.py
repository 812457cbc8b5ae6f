"""The engine writes each event as its log line itself (core.rollout.eventlog.line): those bytes must be the
ones the store's general encoder (files.encode_lines) writes for the same record, for every kind of event and any text in it."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from vmss_cli.core.rollout import eventlog
from vmss_cli.store import files

SETS = "resourceGroups/{rg}/virtualMachineScaleSets"


def _publish(cli, version: str, *extra: str) -> None:
    assert cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
               "--version", version, *extra, "-o", "none").exit_code == 0


def test_every_logged_event_is_what_the_store_encoder_writes(cli, rg, vmss_home):
    assert cli("create", "-g", rg, "-n", "web", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "6", "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true",
               "-o", "none").exit_code == 0
    policy = "upgradePolicy.rollingUpgradePolicy"
    # an automatic rollout where half the instances never turn healthy: failures and rollbacks
    assert cli("update", "-g", rg, "-n", "web", "--set", f"{policy}.maxUnhealthyUpgradedInstancePercent=100",
               f"{policy}.maxUnhealthyInstancePercent=100", "-o", "none").exit_code == 0
    _publish(cli, "18.04.203001010", "--fail-percent", "50")
    assert cli("sim", "clock", "advance", "1d", "-o", "none").exit_code == 0
    # then one with surge instances (created, deleted)
    assert cli("update", "-g", rg, "-n", "web", "--set", f"{policy}.maxSurge=true", "-o", "none").exit_code == 0
    _publish(cli, "18.04.203002010")
    assert cli("rolling-upgrade", "start", "-g", rg, "-n", "web", "-o", "none").exit_code == 0
    log = vmss_home / SETS.format(rg=rg.lower()) / "web.events.jsonl"
    lines = log.read_text().splitlines()
    kinds = {json.loads(line)["type"] for line in lines}
    assert {"RolloutStarted", "BatchStarted", "OSDiskReplaced", "InstanceHealthy", "InstanceUnhealthy",
            "InstanceRolledBack", "BatchCompleted", "SurgeInstanceCreated", "InstanceDeleted",
            "RolloutCompleted"} <= kinds, kinds
    assert files.encode_lines([json.loads(line) for line in lines]) == log.read_bytes()


_TEXT = st.text(st.characters(), max_size=40)
_COUNT = st.integers(min_value=0, max_value=10**6)


@settings(max_examples=300, deadline=None)
@given(message=_TEXT, name=_TEXT, rg=_TEXT, op=_TEXT, kind=_TEXT, time=_TEXT,
       counts=st.tuples(_COUNT, _COUNT, _COUNT, _COUNT), batch=st.none() | _COUNT,
       instances=st.none() | st.lists(_TEXT, max_size=5))
def test_an_event_line_is_the_general_encoders_for_any_text(message, name, rg, op, kind, time, counts, batch,
                                                           instances):
    progress = dict(zip(("successfulInstanceCount", "failedInstanceCount", "inProgressInstanceCount",
                         "pendingInstanceCount"), counts))
    record = {"time": time, "type": kind, "resourceGroup": rg, "scaleSet": name, "operationId": op,
              "message": message, "progress": progress}
    if batch is not None:
        record["batch"] = batch
    if instances is not None:
        record["instances"] = instances
    line = eventlog.line(time, kind, rg, name, op, message, progress, batch, instances)
    assert (line + "\n").encode() == files.encode_lines([record])
