"""The service layer's resource types beyond scale sets (docs/service-api.md): VM instances, the image
catalog, galleries, deployments, a PUT that creates a set, and the emulator's control plane."""

from __future__ import annotations

import json

import pytest

from tests.util import snapshot
from vmss_cli.errors import InvalidParameterError, NotFoundError
from vmss_cli.service import deployments, galleries, images, instances, scale_sets, simulator
from vmss_cli.service.context import Context

SUB = "00000000-0000-0000-0000-000000000000"
URN = "Canonical:UbuntuServer:18.04-LTS"


@pytest.fixture
def ss(cli, rg):
    assert cli("create", "-g", rg, "-n", "ss", "--image", f"{URN}:latest", "--instance-count", "3",
               "--orchestration-mode", "Uniform", "-o", "none").exit_code == 0
    return "ss"


def test_instances_are_virtual_machine_documents(ss):
    ctx = Context()
    vms = instances.list(ctx, "rg1", ss)
    assert [vm["instanceId"] for vm in vms] == ["0", "1", "2"]
    assert vms[1]["id"] == (f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/"
                            "virtualMachineScaleSets/ss/virtualMachines/1")
    assert vms[1]["type"] == "Microsoft.Compute/virtualMachineScaleSets/virtualMachines"
    assert vms[1]["properties"]["latestModelApplied"] is True
    assert instances.get(ctx, "rg1", ss, "2") == vms[2]
    view = instances.get_instance_view(ctx, "rg1", ss, "0")
    assert [s["code"] for s in view["statuses"]] == ["ProvisioningState/succeeded", "PowerState/running"]
    assert instances.list_instance_views(ctx, "rg1", ss)[0] == view
    summary = instances.scale_set_instance_view(ctx, "rg1", ss)["virtualMachine"]["statusesSummary"]
    assert {"code": "PowerState/running", "count": 3} in summary
    with pytest.raises(NotFoundError) as caught:
        instances.get(ctx, "rg1", ss, "9")
    assert caught.value.status == 404


def test_image_calls_name_their_own_resource_type_for_an_unknown_region():
    ctx = Context()
    for call, args, kind in ((images.list_publishers, (), "locations/publishers"),
                             (images.list_offers, ("Canonical",), "locations/publishers/artifacttypes/offers"),
                             (images.list_skus, ("Canonical", "UbuntuServer"),
                              "locations/publishers/artifacttypes/offers/skus"),
                             (images.get_version, ("Canonical", "UbuntuServer", "18.04-LTS", "latest"),
                              "locations/publishers/artifacttypes/offers/skus/versions")):
        with pytest.raises(InvalidParameterError) as caught:
            call(ctx, "atlantis", *args)
        assert caught.value.code == "NoRegisteredProviderFound"
        assert f"for type '{kind}'" in caught.value.message


def test_image_versions_include_a_published_release(vmss_home):
    ctx = Context()
    before = images.list_versions(ctx, "eastus", "Canonical", "UbuntuServer", "18.04-LTS")
    image = simulator.publish_image(ctx, "eastus", "Canonical", "UbuntuServer", "18.04-LTS", "18.04.209901010")
    assert image["name"] == "18.04.209901010"
    assert image["properties"]["osDiskImage"] == {"operatingSystem": "Linux"}
    after = images.list_versions(ctx, "eastus", "Canonical", "UbuntuServer", "18.04-LTS")
    assert [v["name"] for v in after] == [v["name"] for v in before] + ["18.04.209901010"]
    assert images.get_version(ctx, "eastus", "Canonical", "UbuntuServer", "18.04-LTS", "latest") == image
    assert images.alias_document()["Linux"]["Ubuntu2204"]["publisher"] == "Canonical"


def test_a_gallery_version_replicates_in_world_time(rg):
    ctx = Context()
    assert galleries.put_gallery(ctx, "rg1", "gal")[1]["location"] == "eastus"
    galleries.put_image(ctx, "rg1", "gal", "web", publisher="contoso", offer="web", sku="1", os_type="Linux")
    targets = galleries.target_regions(["eastus", "westus=2"], None, None)
    assert targets[1] == {"region": "westus", "regionalReplicaCount": 2, "storageAccountType": "Standard_LRS"}
    status, version = galleries.put_version(ctx, "rg1", "gal", "web", "1.0.0", target_regions=targets)
    assert (status, version["properties"]["provisioningState"]) == (202, "Creating")
    pending = galleries.get_version(ctx, "rg1", "gal", "web", "1.0.0", expand="replicationstatus")
    assert pending["properties"]["replicationStatus"]["aggregatedState"] == "InProgress"
    status, version = galleries.patch_version(ctx, "rg1", "gal", "web", "1.0.0", wait=True)
    assert (status, version["properties"]["provisioningState"]) == (200, "Succeeded")
    assert [v["name"] for v in galleries.list_versions(ctx, "rg1", "gal", "web")] == ["1.0.0"]
    with pytest.raises(InvalidParameterError):
        galleries.get_version(ctx, "rg1", "gal", "web", "1.0.0", expand="everything")


TEMPLATE = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "parameters": {"count": {"type": "int", "minValue": 1}},
            "resources": []}


def test_a_refused_template_is_a_structured_invalid_template_error(rg, vmss_home):
    before = snapshot(vmss_home)
    body = {"properties": {"template": TEMPLATE, "parameters": {"count": {"value": 0}}}}
    with pytest.raises(InvalidParameterError) as caught:
        deployments.put(Context(), "rg1", "dep", body)
    error = caught.value.to_api_error()
    assert error["code"] == "InvalidTemplate" and error["message"].startswith("Deployment template validation failed")
    assert error["additionalInfo"][0]["type"] == "TemplateViolation"
    assert set(error["additionalInfo"][0]["info"]) == {"lineNumber", "linePosition", "path"}
    assert snapshot(vmss_home) == before


def _model(ctx, name):
    """A PUT body for a new set: the model of an existing one."""
    arm = scale_sets.get(ctx, "rg1", name)
    return {"location": arm["location"], "sku": {"name": arm["sku"]["name"], "capacity": 2},
            "properties": {"upgradePolicy": {"mode": "Manual"},
                           "virtualMachineProfile": arm["properties"]["virtualMachineProfile"]}}


def test_a_resource_a_provider_refuses_is_invalid_template_deployment_with_the_inner_error(ss):
    resource = dict(_model(Context(), ss), type="Microsoft.Compute/virtualMachineScaleSets", apiVersion="2024-07-01",
                    name="other")
    resource["sku"]["capacity"] = 5000
    template = dict(TEMPLATE, parameters={}, resources=[resource])
    with pytest.raises(InvalidParameterError) as caught:
        deployments.put(Context(), "rg1", "dep", {"properties": {"template": template}})
    assert caught.value.code == "InvalidTemplateDeployment"
    assert "is not valid according to the validation procedure" in caught.value.message
    assert caught.value.details[0]["code"] == "InvalidParameter"
    assert "sku.capacity" in caught.value.details[0]["message"]


def test_deployments_put_get_list_and_validate_keeps_nothing(rg):
    ctx = Context()
    body = {"properties": {"template": json.dumps(TEMPLATE), "parameters": {"count": {"value": 2}}}}
    assert deployments.validate(ctx, "rg1", "dep", body)["properties"]["validatedResources"] == []
    assert deployments.list(ctx, "rg1") == []
    status, dep = deployments.put(ctx, "rg1", "dep", body)
    assert (status, dep["properties"]["parameters"]["count"]) == (201, {"type": "Int", "value": 2})
    assert deployments.put(ctx, "rg1", "dep", body)[0] == 200
    assert deployments.get(ctx, "rg1", "dep")["name"] == "dep"
    assert [d["name"] for d in deployments.list(ctx, "rg1")] == ["dep"]
    assert deployments.delete(ctx, "rg1", "dep") == (200, None)
    with pytest.raises(NotFoundError) as caught:
        deployments.delete(ctx, "rg1", "dep")
    assert caught.value.code == "DeploymentNotFound"


def test_put_creates_a_set_then_keeps_what_a_later_put_omits(ss):
    ctx = Context()
    status, created = scale_sets.put(ctx, "rg1", "made", _model(ctx, ss))
    assert (status, created["name"], created["sku"]["capacity"]) == (201, "made", 2)
    assert len(instances.list(ctx, "rg1", "made")) == 2
    status, arm = scale_sets.put(ctx, "rg1", "made", {"location": "eastus",
                                                      "sku": {"name": created["sku"]["name"], "capacity": 3}})
    assert (status, arm["sku"]["capacity"]) == (200, 3)
    assert arm["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["offer"] == "UbuntuServer"
    assert arm["properties"]["uniqueId"] == created["properties"]["uniqueId"]


def test_a_context_without_a_subscription_reads_the_stores(vmss_home, cli, rg):
    (vmss_home / "config.toml").write_text('[sim]\nsubscription = "11111111-2222-3333-4444-555555555555"\n')
    assert Context(subscription=None).subscription == SUB  # fixed when the store was first written
    assert simulator.store_subscription(vmss_home) == SUB


def test_the_queue_and_health_controls(ss):
    ctx = Context()
    assert simulator.queued(ctx) == [] and simulator.next_event(ctx) is None
    changed = simulator.set_health(ctx, "rg1", ss, ["1"], "Unhealthy")
    assert changed == [{"instanceId": "1", "healthState": "Unhealthy"}]
    assert "eastus" in simulator.locations()
    assert simulator.events(ctx, "rg1", ss) == []  # no rollout ran
    with pytest.raises(NotFoundError):
        simulator.events(ctx, "rg1", "nope")
