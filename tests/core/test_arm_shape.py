"""ARM form <-> az form, and the shipped schema against the swagger examples it was built from."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from vmss_cli.core.arm import schema as arm_schema
from vmss_cli.core.arm.shape import arm_unflatten, az_flatten

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "tests" / "fixtures" / "arm" / "examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def get_body() -> dict:
    return example("VirtualMachineScaleSet_Get.json")["responses"]["200"]["body"]


def update_request() -> dict:
    return example("VirtualMachineScaleSet_Update_MaximumSet_Gen.json")["parameters"]["parameters"]


def update_response() -> dict:
    return example("VirtualMachineScaleSet_Update_MaximumSet_Gen.json")["responses"]["200"]["body"]


@pytest.mark.parametrize("body", [get_body, update_request], ids=["get", "update-request"])
def test_round_trip(body):
    arm = body()
    az = az_flatten(arm)
    assert arm_unflatten(az) == arm
    assert not _has_key(az, "properties")
    assert not _has_key(az, "resourceGroup")
    assert arm == body(), "flatten/unflatten modified their input"


def test_round_trip_of_a_response_loses_only_the_extensions_read_only_resource_type():
    # az prints an extension's `type` from `properties.type`; the outer read-only resource type has no place
    arm = update_response()
    back = arm_unflatten(az_flatten(arm))
    expected = copy.deepcopy(arm)
    for ext in expected["properties"]["virtualMachineProfile"]["extensionProfile"]["extensions"]:
        del ext["type"]
    assert back == expected


def test_get_example_in_az_form():
    az = az_flatten(get_body())
    assert az["upgradePolicy"] == {"mode": "Automatic", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": False}}
    assert az["provisioningState"] == "succeeded" and az["name"] == "myVirtualMachineScaleSet"
    nic = az["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]
    assert nic["name"] == "myNic" and nic["primary"] is True
    ip = nic["ipConfigurations"][0]
    assert ip["name"] == "myIPConfig" and ip["subnet"]["id"].endswith("/subnets/mySubnet")


def test_extension_is_flattened_with_its_inner_type():
    az = az_flatten(update_response())
    ext = az["virtualMachineProfile"]["extensionProfile"]["extensions"][0]
    assert ext["name"] == "{extension-name}" and ext["publisher"] == "{extension-Publisher}"
    assert ext["type"] == "{extension-Type}" and ext["id"] == "aaaaaaaaaaaaaaaaaaaaaa"


@pytest.mark.parametrize("body", [get_body, update_request, update_response],
                         ids=["get", "update-request", "update-response"])
def test_schema_knows_every_property_of_the_examples(body):
    az = az_flatten(body())
    assert arm_schema.prune(az) == az


def test_free_form_maps_are_not_flattened():
    arm = {"name": "s", "tags": {"properties": {"a": "1"}}, "properties": {"virtualMachineProfile": {
        "extensionProfile": {"extensions": [{"name": "e", "properties": {
            "publisher": "p", "settings": {"properties": {"x": 1}}, "protectedSettings": {"properties": 2}}}]}}}}
    az = az_flatten(arm)
    assert az == {"name": "s", "tags": {"properties": {"a": "1"}}, "virtualMachineProfile": {"extensionProfile": {
        "extensions": [{"name": "e", "publisher": "p", "settings": {"properties": {"x": 1}},
                        "protectedSettings": {"properties": 2}}]}}}
    assert arm_unflatten(az) == arm


def test_unflatten_keeps_unknown_keys_where_they_are():
    az = {"name": "s", "location": "l", "upgradePolicy": {"mode": "Manual"}, "resourceGroup": "rg", "foo": 1}
    assert arm_unflatten(az) == {"name": "s", "location": "l", "resourceGroup": "rg", "foo": 1,
                                 "properties": {"upgradePolicy": {"mode": "Manual"}}}


def test_flattened_forms_share_nothing_with_their_input():
    arm = {"tags": {"a": "1"}, "properties": {"upgradePolicy": {"mode": "Manual"}}}
    az = az_flatten(arm)
    az["tags"]["a"] = "2"
    az["upgradePolicy"]["mode"] = "Rolling"
    assert arm == {"tags": {"a": "1"}, "properties": {"upgradePolicy": {"mode": "Manual"}}}
    back = arm_unflatten(az)
    back["properties"]["upgradePolicy"]["mode"] = "Automatic"
    assert az["upgradePolicy"]["mode"] == "Rolling"


def test_shipped_schema_is_up_to_date():
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_schema.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _has_key(value, key: str) -> bool:
    if isinstance(value, dict):
        return any(k == key or _has_key(v, key) for k, v in value.items() if k not in ("tags", "settings",
                                                                                      "protectedSettings"))
    if isinstance(value, list):
        return any(_has_key(v, key) for v in value)
    return False
