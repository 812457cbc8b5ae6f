"""The service layer as a front door sees it (docs/service-api.md): ARM documents, HTTP statuses,
operation records, errors as ARM error bodies, the store unchanged by a failed call."""

from __future__ import annotations

import pytest

from tests.util import snapshot
from vmss_cli.errors import ConflictError, InvalidParameterError, NotFoundError, VmssError
from vmss_cli.service import operations, rolling_upgrades, scale_sets, world
from vmss_cli.service.context import Context

SUB = "00000000-0000-0000-0000-000000000000"
URN = "Canonical:UbuntuServer:18.04-LTS"


@pytest.fixture
def ss(cli, rg):
    assert cli("create", "-g", rg, "-n", "ss", "--image", f"{URN}:latest", "--instance-count", "4",
               "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling", "-o", "none").exit_code == 0
    return "ss"


def test_errors_are_arm_error_bodies_with_http_status():
    assert (NotFoundError("gone").status, ConflictError("busy").status, InvalidParameterError("bad").status) == \
        (404, 409, 400)
    err = InvalidParameterError("The value is out of range.", target="sku.capacity")
    assert err.to_arm_body() == {"error": {"code": "InvalidParameter", "message": "The value is out of range.",
                                           "target": "sku.capacity"}}


def test_get_answers_the_arm_form(ss):
    arm = scale_sets.get(Context(), "rg1", ss)
    assert arm["id"] == f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss"
    assert arm["properties"]["upgradePolicy"]["mode"] == "Rolling"  # nested: not az's flattened form
    assert "resourceGroup" not in arm and "secrets" not in arm
    assert [a["name"] for a in scale_sets.list(Context(), "rg1")] == ["ss"]


def test_get_of_a_missing_set_raises_not_found(rg):
    with pytest.raises(NotFoundError) as caught:
        scale_sets.get(Context(), "rg1", "nope")
    assert caught.value.status == 404
    assert caught.value.to_arm_body()["error"]["code"] == "ResourceNotFound"


def test_put_keeps_server_owned_fields_and_validates(ss, vmss_home):
    ctx = Context()
    body = scale_sets.get(ctx, "rg1", ss)
    unique = body["properties"]["uniqueId"]
    body["properties"]["uniqueId"] = "mine"  # server-owned: a PUT cannot change it
    body["tags"] = {"team": "web"}
    status, arm = scale_sets.put(ctx, "rg1", ss, body)
    assert (status, arm["properties"]["uniqueId"], arm["tags"]) == (200, unique, {"team": "web"})
    before = snapshot(vmss_home)
    body["properties"]["upgradePolicy"]["rollingUpgradePolicy"] = {"maxBatchInstancePercent": 500}
    with pytest.raises(VmssError) as caught:
        scale_sets.put(ctx, "rg1", ss, body)
    assert caught.value.status == 400 and caught.value.code == "InvalidParameter"
    assert snapshot(vmss_home) == before  # a refused PUT changes nothing


def test_patch_merges_then_puts(ss):
    status, arm = scale_sets.patch(Context(), "rg1", ss, {"tags": {"a": "1"}})
    assert (status, arm["tags"], arm["properties"]["upgradePolicy"]["mode"]) == (200, {"a": "1"}, "Rolling")


def test_rolling_upgrade_is_a_long_running_operation(cli, ss):
    assert cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
               "18.04-LTS", "--version", "18.04.202406010", "-o", "none").exit_code == 0
    seen = []
    ctx = Context(listeners=[seen.append])
    status, op = rolling_upgrades.start_os_upgrade(ctx, "rg1", ss)
    assert (status, op["status"], op["endTime"], op["error"]) == (202, "InProgress", None, None)
    assert op["id"].endswith(f"/virtualMachineScaleSets/ss/rollingUpgrades/{op['name']}")
    assert [e["type"] for e in seen] == ["RolloutStarted"]
    clock = world.advance(ctx, 3600)  # the operation moves only with the world's clock
    assert clock["now"] == "2026-01-01T01:00:00+00:00" and clock["pendingEvents"] == 0
    done = operations.get(ctx, "rg1", ss, op["name"])
    assert (done["status"], done["error"]) == ("Succeeded", None) and done["endTime"] is not None
    assert seen[-1]["type"] == "RolloutCompleted"
    latest = rolling_upgrades.latest(ctx, "rg1", ss)
    assert latest["properties"]["runningStatus"]["code"] == "Completed"
    [entry] = rolling_upgrades.os_upgrade_history(ctx, "rg1", ss)
    assert entry["properties"]["targetImageReference"]["version"] == "18.04.202406010"


def test_an_unknown_operation_is_not_found(ss):
    with pytest.raises(NotFoundError):
        operations.get(Context(), "rg1", ss, "no-such-operation")


def test_resource_group_put_creates_then_updates():
    from vmss_cli.service import resource_groups

    ctx = Context()
    status, group = resource_groups.put(ctx, "rg2", {"location": "East US"})
    assert (status, group["id"], group["location"]) == (201, f"/subscriptions/{SUB}/resourceGroups/rg2", "eastus")
    status, group = resource_groups.put(ctx, "rg2", {"location": "eastus", "tags": {"a": "b"}})
    assert (status, group["tags"]) == (200, {"a": "b"})
    assert [g["name"] for g in resource_groups.list(ctx)] == ["rg2"]
    assert resource_groups.delete(ctx, "rg2") == (200, None)
    with pytest.raises(NotFoundError) as caught:
        resource_groups.get(ctx, "rg2")
    assert caught.value.code == "ResourceGroupNotFound"
