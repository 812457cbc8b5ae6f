"""Every scale set JSON vmss prints validates against the swagger VirtualMachineScaleSet schema
(tests/fixtures/arm/ComputeRP.2026-09-01.extract.json) once az's flattening is undone.

az flattens every `properties` wrapper and adds `resourceGroup` beside ids; `unflatten_scale_set`
puts each key back where ARM keeps it and refuses any key ARM does not have, so a misplaced or
invented key fails here even where the extract has no definition to check it against.
"""

from __future__ import annotations

import copy
import json

import pytest

from tests.schema import SchemaError, definitions, validate

# ARM's top level of a tracked resource (TrackedResource + VirtualMachineScaleSet's own properties).
SCALE_SET_TOP = {"id", "name", "type", "location", "tags", "systemData", "sku", "plan", "identity", "zones",
                 "extendedLocation", "etag", "placement"}
# An extension's `type` printed by az is the extension type inside `properties` (the RO resource type
# is not returned for scale set model extensions).
EXTENSION_TOP = {"id", "name"}
# VirtualMachineScaleSetNetworkConfiguration / IPConfiguration are not in the extract; their
# `properties` members from the 2026-09-01 swagger:
NIC_TOP = {"id", "name"}
NIC_PROPERTIES = {"primary", "enableAcceleratedNetworking", "disableTcpStateTracking", "enableFpga",
                  "networkSecurityGroup", "dnsSettings", "ipConfigurations", "enableIPForwarding", "deleteOption",
                  "auxiliaryMode", "auxiliarySku"}
IP_CONFIG_TOP = {"id", "name"}
IP_CONFIG_PROPERTIES = {"subnet", "primary", "publicIPAddressConfiguration", "privateIPAddressVersion",
                        "applicationGatewayBackendAddressPools", "applicationSecurityGroups",
                        "loadBalancerBackendAddressPools", "loadBalancerInboundNatPools"}


def _props(definition: str) -> set[str]:
    return set(definitions()[definition]["properties"])


def strip_resource_group(value):
    """Undo az's `resourceGroup` beside every id."""
    if isinstance(value, list):
        return [strip_resource_group(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: strip_resource_group(v) for k, v in value.items()}
    if "id" in out and "resourceGroup" in out:
        rg = out.pop("resourceGroup")
        assert f"/resourceGroups/{rg}/".lower() in out["id"].lower(), out
    return out


def wrap(flat: dict, top: set[str], inner: set[str], where: str) -> dict:
    """Move the keys ARM keeps under `properties` back there; anything else is a misplaced key."""
    out = {k: v for k, v in flat.items() if k in top}
    properties = {k: v for k, v in flat.items() if k not in top}
    unknown = sorted(set(properties) - inner)
    assert not unknown, f"{where}: {unknown} are neither top-level nor `properties` members in ARM"
    if properties:
        out["properties"] = properties
    return out


def unflatten_properties(flat: dict) -> dict:
    """VirtualMachineScaleSetProperties in az form -> ARM form (nested wrappers restored)."""
    props = copy.deepcopy(flat)
    unknown = sorted(set(props) - _props("VirtualMachineScaleSetProperties"))
    assert not unknown, f"scale set: {unknown} are not VirtualMachineScaleSetProperties members"
    vmp = props.get("virtualMachineProfile") or {}
    ext_profile = vmp.get("extensionProfile") or {}
    if "extensions" in ext_profile:
        ext_profile["extensions"] = [
            wrap(e, EXTENSION_TOP, _props("VirtualMachineScaleSetExtensionProperties"), f"extension {e.get('name')}")
            for e in ext_profile["extensions"]]
    network = vmp.get("networkProfile") or {}
    if "networkInterfaceConfigurations" in network:
        nics = []
        for nic in network["networkInterfaceConfigurations"]:
            nic = dict(nic)
            if "ipConfigurations" in nic:
                nic["ipConfigurations"] = [wrap(ip, IP_CONFIG_TOP, IP_CONFIG_PROPERTIES, f"ipConfiguration {ip.get('name')}")
                                           for ip in nic["ipConfigurations"]]
            nics.append(wrap(nic, NIC_TOP, NIC_PROPERTIES, f"networkInterfaceConfiguration {nic.get('name')}"))
        network["networkInterfaceConfigurations"] = nics
    return props


def unflatten_scale_set(az: dict) -> dict:
    flat = strip_resource_group(az)
    arm = {k: v for k, v in flat.items() if k in SCALE_SET_TOP}
    arm["properties"] = unflatten_properties({k: v for k, v in flat.items() if k not in SCALE_SET_TOP})
    return arm


def check_scale_set(az: dict) -> dict:
    arm = unflatten_scale_set(az)
    validate(arm, "VirtualMachineScaleSet", strict=True)
    # TrackedResource is outside the extract; its rules by hand
    assert isinstance(arm["location"], str) and arm["location"]
    assert arm["type"] == "Microsoft.Compute/virtualMachineScaleSets"
    assert isinstance(arm["tags"], dict) and all(isinstance(v, str) for v in arm["tags"].values())
    assert arm["id"].endswith(f"/providers/Microsoft.Compute/virtualMachineScaleSets/{arm['name']}")
    return arm


# --- the scale sets every printing command is checked on -------------------------------------------

VARIANTS = {
    "defaults": [],
    "uniform-probe": ["--orchestration-mode", "Uniform", "--health-probe", "p1", "--upgrade-policy-mode", "Automatic"],
    "rolling-policy": ["--upgrade-policy-mode", "Rolling", "--max-batch-instance-percent", "30",
                       "--max-unhealthy-instance-percent", "40", "--max-unhealthy-upgraded-instance-percent", "50",
                       "--pause-time-between-batches", "PT10S", "--enable-cross-zone-upgrade", "true",
                       "--prioritize-unhealthy-instances", "false"],
    "auto-os-upgrade": ["--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling",
                        "--enable-auto-os-upgrade", "true", "--image", "Canonical:UbuntuServer:18.04-LTS:latest"],
    "windows": ["--image", "Win2022Datacenter", "--enable-auto-update", "false", "--admin-password", "Pa55-word!x"],
    "zones-disks-tags": ["--zones", "1", "2", "3", "--data-disk-sizes-gb", "8", "16", "--tags", "env=prod", "n=1",
                         "--platform-fault-domain-count", "1", "--instance-count", "4", "--custom-data", "echo hi"],
    "empty": ["--instance-count", "0", "--vm-sku", "Standard_B1s"],
}


@pytest.fixture(params=sorted(VARIANTS))
def variant(request, cli, rg):
    result = cli("create", "-g", rg, "-n", "ss", *VARIANTS[request.param])
    assert result.exit_code == 0, result.stderr
    return result


def _json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_create_output_is_scale_set_properties(variant):
    printed = json.loads(variant.stdout)
    assert list(printed) == ["vmss"]
    properties = unflatten_properties(strip_resource_group(printed["vmss"]))
    validate({"location": "eastus", "properties": properties}, "VirtualMachineScaleSet", strict=True)


def test_show_list_and_scale_outputs_validate(cli, variant):
    check_scale_set(_json(cli("show", "-g", "rg1", "-n", "ss")))
    listed = _json(cli("list"))
    assert len(listed) == 1
    check_scale_set(listed[0])
    check_scale_set(_json(cli("list", "-g", "rg1"))[0])
    check_scale_set(_json(cli("scale", "-g", "rg1", "-n", "ss", "--new-capacity", "3")))


def test_yaml_output_carries_the_same_document(cli, variant):
    import yaml

    shown = _json(cli("show", "-g", "rg1", "-n", "ss"))
    as_yaml = yaml.safe_load(cli("show", "-g", "rg1", "-n", "ss", "-o", "yaml").stdout)
    assert as_yaml == shown


def test_stored_resource_is_arm_shaped(cli, variant, vmss_home):
    stored = json.loads((vmss_home / "resourceGroups" / "rg1" / "virtualMachineScaleSets" / "ss.json").read_text())
    arm = stored["scaleSet"]
    validate(arm, "VirtualMachineScaleSet", strict=True)
    # and az's form is exactly the flattening of it, less the write-only osProfile.customData
    shown = unflatten_scale_set(_json(cli("show", "-g", "rg1", "-n", "ss")))
    arm["properties"]["virtualMachineProfile"]["osProfile"].pop("customData", None)
    assert shown == arm


def test_auto_os_upgrade_variant_has_the_policy(cli, rg):
    assert cli("create", "-g", rg, "-n", "ss", *VARIANTS["auto-os-upgrade"]).exit_code == 0
    arm = check_scale_set(_json(cli("show", "-g", rg, "-n", "ss")))
    assert arm["properties"]["upgradePolicy"] == {"mode": "Rolling",
                                                  "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}}


# --- the checks are not vacuous --------------------------------------------------------------------

@pytest.fixture
def shown(cli, rg):
    assert cli("create", "-g", rg, "-n", "ss", "--upgrade-policy-mode", "Rolling").exit_code == 0
    return _json(cli("show", "-g", rg, "-n", "ss"))


@pytest.mark.parametrize("mutate, problem", [
    (lambda s: s["upgradePolicy"].update(mode="Sometimes"), "is not one of"),
    (lambda s: s["sku"].update(capacity="2"), "expected integer"),
    (lambda s: s.update(overprovision="yes"), "expected boolean"),
    (lambda s: s["virtualMachineProfile"]["storageProfile"]["osDisk"].pop("createOption"), "required property"),
    (lambda s: s["upgradePolicy"].update(rollingUpgradePolicy={"maxSurge": 1}), "expected boolean"),
    (lambda s: s["virtualMachineProfile"]["osProfile"].update(adminPasword="typo"), "is not in the schema"),
])
def test_validator_rejects_broken_documents(shown, mutate, problem):
    mutate(shown)
    with pytest.raises(SchemaError, match=problem):
        validate(unflatten_scale_set(shown), "VirtualMachineScaleSet", strict=True)


def test_unflatten_refuses_keys_arm_does_not_have(shown):
    shown["inventedKey"] = 1
    with pytest.raises(AssertionError, match="inventedKey"):
        unflatten_scale_set(shown)
    del shown["inventedKey"]
    shown["virtualMachineProfile"]["extensionProfile"]["extensions"][0]["bogus"] = True
    with pytest.raises(AssertionError, match="bogus"):
        unflatten_scale_set(shown)
