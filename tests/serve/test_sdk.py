"""Serve tier 2: azure-mgmt-compute (the test extra) as a client of `vmss serve`, unchanged: a static
token credential, `base_url` and `credential_scopes` set to the endpoint, the local CA trusted."""

from __future__ import annotations

import pytest

from tests.serve.conftest import SUB, publish

compute = pytest.importorskip("azure.mgmt.compute", reason="azure-mgmt-compute is in the test extra: "
                                                           "pip install '.[test]'")


class StaticToken:
    """The smallest credential the SDK takes: any bearer token (serve does not check it)."""

    def get_token(self, *scopes, **kwargs):
        from azure.core.credentials import AccessToken

        return AccessToken("vmss-static-token", 4102444800)


@pytest.fixture
def sdk(serving, client):
    from azure.mgmt.compute import ComputeManagementClient

    client.request("PUT", f"/subscriptions/{SUB}/resourcegroups/rg1?api-version=2024-11-01", {"location": "eastus"})
    mgmt = ComputeManagementClient(StaticToken(), SUB, base_url=serving.url,
                                   credential_scopes=[serving.url + "/.default"],
                                   connection_verify=str(serving.ca_file), polling_interval=1)
    yield mgmt
    mgmt.close()


def _model() -> dict:
    """The body as a program writes it (azure-mgmt-compute 39 takes the ARM JSON as well as models)."""
    return {
        "location": "eastus", "sku": {"name": "Standard_D2s_v5", "capacity": 2},
        "properties": {
            "upgradePolicy": {"mode": "Rolling"},
            "virtualMachineProfile": {
                "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "UbuntuServer",
                                                      "sku": "18.04-LTS", "version": "latest"}},
                "osProfile": {"computerNamePrefix": "web", "adminUsername": "azureuser",
                              "adminPassword": "Sdk-Passw0rd-123"},
                "extensionProfile": {"extensions": [{"name": "ApplicationHealthLinux", "properties": {
                    "publisher": "Microsoft.ManagedServices", "type": "ApplicationHealthLinux",
                    "typeHandlerVersion": "1.0", "settings": {"protocol": "tcp", "port": 22}}}]},
            },
        },
    }


def test_sdk_create_get_update_rolling_upgrade_history_and_404(sdk, client, cli):
    from azure.core.exceptions import ResourceNotFoundError
    from azure.mgmt.compute import models

    created = sdk.virtual_machine_scale_sets.begin_create_or_update("rg1", "web", _model()).result()
    assert created.name == "web" and created.properties.provisioning_state == "Succeeded"
    assert created.properties.virtual_machine_profile.os_profile.admin_password is None  # never returned
    got = sdk.virtual_machine_scale_sets.get("rg1", "web")
    assert got.properties.upgrade_policy.mode == "Rolling" and got.sku.capacity == 2

    # update (PATCH): automatic OS upgrades on; the CLI sees it
    update = models.VirtualMachineScaleSetUpdate({"properties": {"upgradePolicy": {
        "mode": "Rolling", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}}}})
    updated = sdk.virtual_machine_scale_sets.begin_update("rg1", "web", update).result()
    assert updated.properties.upgrade_policy.automatic_os_upgrade_policy.enable_automatic_os_upgrade is True
    assert cli("show", "-g", "rg1", "-n", "web", "--query",
               "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade").stdout == "true\n"

    # two rollouts run by the admin clock, then a manual one polled to its end by the SDK's poller (the
    # on-poll clock moves the world one batch per poll; each poll waits Retry-After, 1 s)
    for version in ("18.04.202406010", "18.04.202407010"):
        publish(client, version)
        client.request("POST", f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/"
                       "virtualMachineScaleSets/web/osRollingUpgrade?api-version=2023-09-01")
        client.request("POST", "/_vmss/clock/advance", {"seconds": 3600})
    publish(client, "18.04.202408010")
    sdk.virtual_machine_scale_set_rolling_upgrades.begin_start_os_upgrade("rg1", "web").result()
    latest = sdk.virtual_machine_scale_set_rolling_upgrades.get_latest("rg1", "web")
    assert latest.running_status.code == "Completed"
    assert latest.progress.successful_instance_count == 2

    # history through the pager: nextLink pages followed, newest first, as the CLI lists it
    history = list(sdk.virtual_machine_scale_sets.get_os_upgrade_history("rg1", "web"))
    versions = [h.properties.target_image_reference.version for h in history]
    assert versions == ["18.04.202408010", "18.04.202407010", "18.04.202406010"]
    assert cli("get-os-upgrade-history", "-g", "rg1", "-n", "web", "--query",
               "[].properties.targetImageReference.version", "-o", "tsv").stdout.split() == versions

    instances = list(sdk.virtual_machine_scale_set_vms.list("rg1", "web"))
    assert sorted(vm.instance_id for vm in instances) == ["0", "1"]
    images = sdk.virtual_machine_images.list("eastus", "Canonical", "UbuntuServer", "18.04-LTS")
    assert "18.04.202408010" in [i.name for i in images]

    with pytest.raises(ResourceNotFoundError) as missing:
        sdk.virtual_machine_scale_sets.get("rg1", "nosuch")
    assert missing.value.error.code == "ResourceNotFound"

    sdk.virtual_machine_scale_sets.begin_delete("rg1", "web").result()
    assert cli("show", "-g", "rg1", "-n", "web").exit_code == 3


def test_the_readme_sdk_program_reads_the_set_and_its_history(serving, client, vmss_home, capsys):
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Use real az / the Python SDK against vmss", 1)[1]
    program = section.split("```python\n", 1)[1].split("```", 1)[0]
    from tests.conftest import run_cli

    assert run_cli("group", "create", "-n", "myResourceGroup", "-l", "eastus").exit_code == 0
    assert run_cli("create", "-g", "myResourceGroup", "-n", "myScaleSet", "--image",
                   "Canonical:UbuntuServer:18.04-LTS:latest", "--instance-count", "3", "--orchestration-mode",
                   "Uniform", "--upgrade-policy-mode", "Rolling", "-o", "none").exit_code == 0
    publish(client, "18.04.202406010")
    assert run_cli("rolling-upgrade", "start", "-g", "myResourceGroup", "-n", "myScaleSet",
                   "--only-show-errors").exit_code == 0
    capsys.readouterr()
    exec(compile(program, "README.md", "exec"), {"VMSS_HOME": str(vmss_home)})
    assert capsys.readouterr().out == "3 1 18.04.202406010\n"
