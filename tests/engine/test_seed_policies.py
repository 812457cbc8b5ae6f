"""Seed section "Service Fabric requirements" and the newer rolling-upgrade settings
(osRollingUpgradeDeferral with approve-rolling-upgrade, maxSurge), through the CLI."""

from __future__ import annotations

import json

RG, SS = "rg1", "nt1"
PUBLISH = ["sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


def make(cli, rg, *extra, count="10"):
    r = cli("create", "-g", rg, "-n", SS, "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
            "--instance-count", count, "--orchestration-mode", "Uniform", *extra)
    assert r.exit_code == 0, r.stderr


def sf_extension(durability="Silver", version="1.1"):
    return json.dumps([{"name": "ServiceFabricNode", "publisher": "Microsoft.Azure.ServiceFabric",
                        "type": "ServiceFabricLinuxNode", "typeHandlerVersion": version, "autoUpgradeMinorVersion": True,
                        "settings": {"clusterEndpoint": "https://eastus.servicefabric.azure.com/runtime/clusters/c1",
                                     "nodeTypeRef": SS, "durabilityLevel": durability}}])


def q(cli, *args):
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_seed_service_fabric_requirements(cli, rg, vmss_home):
    make(cli, rg)
    exts = "virtualMachineProfile.extensionProfile.extensions"
    auto = "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=true"
    r = cli("update", "-g", rg, "-n", SS, "--set", f"{exts}={sf_extension('Bronze')}", auto)
    assert r.exit_code == 1
    assert "the Service Fabric durability level is Bronze; Silver or Gold is required." in r.stderr
    r = cli("update", "-g", rg, "-n", SS, "--set", f"{exts}={sf_extension('Silver', '1.0')}", auto)
    assert r.exit_code == 1 and "typeHandlerVersion is 1.0; 1.1 or above is required." in r.stderr
    # Silver, 1.1: no health probe or health extension needed.
    r = cli("update", "-g", rg, "-n", SS, "--set", f"{exts}={sf_extension('Silver')}", auto, "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli("update-instances", "-g", rg, "-n", SS, "--instance-ids", "*")
    # A cluster that says Gold for this node type: the upgrade fails.
    assert cli("sim", "service-fabric", "set", "-g", rg, "-n", SS, "--durability", "Gold").json == {
        "clusterName": "nt1-cluster", "durabilityLevel": "Gold", "nodeType": "nt1"}
    cli(*PUBLISH, "--version", "18.04.202406010")
    cli("sim", "clock", "advance", "4h", "--only-show-errors")
    out = q(cli, "get-os-upgrade-history", "-g", rg, "-n", SS, "--query",
            "[0].properties.[runningStatus.code, startedBy, error.code]", "-o", "tsv")
    assert out == "Faulted\nPlatform\nServiceFabricDurabilityMismatch\n"
    # Fixed: the next release rolls out update domain by update domain.
    cli("sim", "service-fabric", "set", "-g", rg, "-n", SS, "--durability", "Silver")
    cli("update", "-g", rg, "-n", SS, "--max-batch-instance-percent", "50", "--max-unhealthy-instance-percent", "50",
        "-o", "none")
    r = cli("rolling-upgrade", "start", "-g", rg, "-n", SS, "--only-show-errors")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(next(vmss_home.rglob("nt1.json")).read_text())
    assert doc["rollingUpgrades"][-1]["batches"] == [["0", "5"], ["1", "6"], ["2", "7"], ["3", "8"], ["4", "9"]]
    ud = {i["instanceId"]: i["platformUpdateDomain"] for i in doc["instances"]}
    assert all(len({ud[i] for i in b}) == 1 for b in doc["rollingUpgrades"][-1]["batches"])


def test_without_service_fabric_a_50_percent_batch_spans_update_domains(cli, rg, vmss_home):
    make(cli, rg, "--upgrade-policy-mode", "Rolling", "--max-batch-instance-percent", "50",
         "--max-unhealthy-instance-percent", "50")
    cli(*PUBLISH, "--version", "18.04.202406010")
    cli("rolling-upgrade", "start", "-g", rg, "-n", SS, "--only-show-errors")
    doc = json.loads(next(vmss_home.rglob("nt1.json")).read_text())
    assert doc["rollingUpgrades"][-1]["batches"][0] == ["0", "5", "1", "6", "2"]


def test_os_rolling_upgrade_deferral_waits_for_approval(cli, rg):
    make(cli, rg, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    r = cli("update", "-g", rg, "-n", SS, "--set",
            "upgradePolicy.automaticOSUpgradePolicy.osRollingUpgradeDeferral=true", "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli(*PUBLISH, "--version", "18.04.202406010")
    r = cli("sim", "clock", "advance", "4h", "--verbose")
    assert "PendingOSUpgrade: instances 0, 5 see Platform.PendingOSUpgrade" in r.stderr
    status = ["rolling-upgrade", "get-latest", "-g", rg, "-n", SS, "--query",
              "[runningStatus.code, progress.successfulInstanceCount, progress.inProgressInstanceCount]", "-o", "tsv"]
    assert q(cli, *status) == "RollingForward\n0\n2\n"
    q(cli, "approve-rolling-upgrade", "-g", rg, "-n", SS, "--instance-ids", "0", "--only-show-errors")
    cli("sim", "clock", "advance", "10m", "--only-show-errors")
    versions = ["list-instances", "-g", rg, "-n", SS, "--query", "[].storageProfile.imageReference.exactVersion",
                "-o", "tsv"]
    assert q(cli, *versions).split()[:2] == ["18.04.202406010", "18.04.202405140"]
    assert q(cli, *status) == "RollingForward\n1\n1\n"
    q(cli, "approve-rolling-upgrade", "-g", rg, "-n", SS, "--only-show-errors")  # every instance
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    assert q(cli, *status) == "Completed\n10\n0\n"
    r = cli("approve-rolling-upgrade", "-g", rg, "-n", SS)
    assert r.exit_code == 1 and "(OperationNotAllowed) There is no OS rolling upgrade waiting for approval" in r.stderr


def test_max_surge_replaces_instances_with_new_ones(cli, rg):
    make(cli, rg, "--upgrade-policy-mode", "Rolling", "--data-disk-sizes-gb", "8")
    r = cli("update", "-g", rg, "-n", SS, "--max-surge", "true", "-o", "none")
    assert r.exit_code == 0 and r.stderr == (
        "WARNING: Argument '--max-surge' is in preview and under development. Reference and support levels: "
        "https://aka.ms/CLI_refstatus\n")
    cli(*PUBLISH, "--version", "18.04.202406010")
    r = cli("rolling-upgrade", "start", "-g", rg, "-n", SS, "--only-show-errors")
    assert r.exit_code == 0, r.stderr
    out = q(cli, "list-instances", "-g", rg, "-n", SS, "--query",
            "[].[instanceId, storageProfile.imageReference.exactVersion, length(storageProfile.dataDisks)]", "-o", "tsv")
    assert out.splitlines() == [f"{i}\t18.04.202406010\t1" for i in range(10, 20)]
    assert q(cli, "show", "-g", rg, "-n", SS, "--query", "sku.capacity", "-o", "tsv") == "10\n"


def test_max_surge_failed_new_instances_are_deleted_and_old_ones_stay(cli, rg):
    make(cli, rg, "--upgrade-policy-mode", "Rolling")
    cli("update", "-g", rg, "-n", SS, "--max-surge", "true", "-o", "none", "--only-show-errors")
    cli(*PUBLISH, "--version", "18.04.202406010", "--fail-percent", "100")
    r = cli("rolling-upgrade", "start", "-g", rg, "-n", SS, "--only-show-errors")
    assert r.exit_code == 1 and "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade" in r.stderr
    out = q(cli, "list-instances", "-g", rg, "-n", SS, "--query",
            "[].[instanceId, storageProfile.imageReference.exactVersion]", "-o", "tsv")
    assert out.splitlines() == [f"{i}\t18.04.202405140" for i in range(10)]
    assert q(cli, "show", "-g", rg, "-n", SS, "--query", "sku.capacity", "-o", "tsv") == "10\n"
