"""Rollout outputs fit the swagger: RollingUpgradeStatusInfo (get-latest) and
UpgradeOperationHistoricalStatusInfo (get-os-upgrade-history), for every outcome."""

from __future__ import annotations

import pytest

from tests.schema import validate
from vmss_cli.core.rollout import rollouts
from vmss_cli.core.resources import scaleset
from vmss_cli.core.world import clock as world
from vmss_cli.render.views import az_form
from vmss_cli.store.state import transaction

PUBLISH = ["sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


@pytest.fixture
def story(cli, rg):
    """Completed (manual), Faulted with rollbacks (platform), Faulted before any batch, Cancelled."""
    assert cli("create", "-g", rg, "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "10", "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling",
               "--enable-auto-os-upgrade", "true").exit_code == 0
    cli(*PUBLISH, "--version", "18.04.202406010")
    cli("rolling-upgrade", "start", "-g", rg, "-n", "ss", "--only-show-errors")
    cli(*PUBLISH, "--version", "18.04.202407010", "--fail-percent", "100")
    cli("sim", "clock", "advance", "4h", "--only-show-errors")
    cli("sim", "health", "set", "-g", rg, "-n", "ss", "--instance-ids", "1", "2", "3", "--state", "Unhealthy")
    cli("rolling-upgrade", "start", "-g", rg, "-n", "ss", "--only-show-errors")
    cli("sim", "health", "set", "-g", rg, "-n", "ss", "--instance-ids", "*", "--state", "clear")
    cli("rolling-upgrade", "start", "-g", rg, "-n", "ss", "--no-wait")
    cli("rolling-upgrade", "cancel", "-g", rg, "-n", "ss", "--only-show-errors")
    with transaction(write=False) as tx:
        return scaleset.load(tx, rg, "ss"), world.now(tx)


def test_history_entries_fit_the_schema(story, cli):
    doc, now = story
    entries = rollouts.history(doc, now)
    assert [e["properties"]["runningStatus"]["code"] for e in entries] == ["Cancelled", "Faulted", "Faulted",
                                                                           "Completed"]
    validate({"value": entries}, "VirtualMachineScaleSetListOSUpgradeHistory", strict=True)
    for entry in entries:
        validate(entry, "UpgradeOperationHistoricalStatusInfo", strict=True)
    assert cli("get-os-upgrade-history", "-g", "rg1", "-n", "ss").json == entries  # printed as ARM shapes them


def test_latest_status_fits_the_schema_in_every_state(story, cli):
    doc, _ = story
    for op in doc["rollingUpgrades"]:
        single = dict(doc, rollingUpgrades=[op])
        status = rollouts.latest_status(single)
        validate(status, "RollingUpgradeStatusInfo", strict=True)
    latest = rollouts.latest_status(doc)
    assert cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", "ss").json == az_form(latest)
    assert latest["properties"]["runningStatus"]["lastAction"] == "Cancel"
