"""Seed sections "Keep credentials up to date" and "Extension sequencing", and the
rollbackFailedInstancesOnPolicyBreach setting, end to end through the CLI."""

from __future__ import annotations

import json

from tests.util import event_log

RG, SS = "myResourceGroup", "myScaleSet"
PUBLISH = ["sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


def sas(expiry: str) -> str:
    return f"https://acct.blob.core.windows.net/scripts/setup.sh?sv=2022-11-02&se={expiry}&sr=b&sp=r&sig=c2VjcmV0"


def script_extension(expiry: str | None, name: str = "bootstrap", after=None) -> str:
    """A CustomScript extension; with `expiry`, its script comes from a SAS URL that expires then.
    (az's --add reads an argument holding '=' as key=value, so SAS URLs go in with --set.)"""
    settings = {"fileUris": [sas(expiry)]} if expiry else {}
    ext = {"name": name, "publisher": "Microsoft.Azure.Extensions", "type": "CustomScript",
           "typeHandlerVersion": "2.1", "settings": dict(settings, commandToExecute="sh setup.sh")}
    if after:
        ext["provisionAfterExtensions"] = after
    return json.dumps(ext)


def make(cli, *extra, count="10"):
    assert cli("group", "create", "-n", RG, "-l", "eastus").exit_code == 0
    r = cli("create", "-g", RG, "-n", SS, "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
            "--instance-count", count, "--orchestration-mode", "Uniform", *extra)
    assert r.exit_code == 0, r.stderr


def test_seed_keep_credentials_up_to_date(cli):
    make(cli, "--health-probe", "probe1", "--enable-auto-os-upgrade", "true")  # Manual mode
    r = cli("update", "-g", RG, "-n", SS, "--set",
            f"virtualMachineProfile.extensionProfile.extensions=[{script_extension('2026-01-01T00:20:00Z')}]",
            "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli("update-instances", "-g", RG, "-n", SS, "--instance-ids", "*")
    cli("sim", "clock", "advance", "1h", "--only-show-errors")  # the token expires at 00:20
    assert cli(*PUBLISH, "--version", "18.04.202406010").exit_code == 0
    cli("sim", "clock", "advance", "4h", "--only-show-errors")
    r = cli("get-os-upgrade-history", "-g", RG, "-n", SS, "--query",
            "[0].properties.{code: runningStatus.code, failed: progress.failedInstanceCount, "
            "rolledBack: rollbackInfo.successfullyRolledbackInstanceCount, detail: error.details[0].code}", "-o", "tsv")
    assert r.stdout == "Faulted\t2\t0\tVMExtensionProvisioningError\n"
    # The first batch is left in a failed state: new OS disk, failed extension.
    view = cli("get-instance-view", "-g", RG, "-n", SS, "--instance-id", "0").json
    assert {"code": "ProvisioningState/failed", "displayStatus": "Provisioning failed"}.items() <= \
        view["statuses"][0].items()
    assert [s["statuses"][0]["code"] for s in view["extensions"]] == ["ProvisioningState/failed"]
    message = cli("rolling-upgrade", "get-latest", "-g", RG, "-n", SS, "--query", "error.details[0].message",
                  "-o", "tsv").stdout
    assert "expired at 2026-01-01T00:20:00+00:00" in message and "sig=" not in message
    # Recovery, as the seed says: new token in the model, then update every instance.
    r = cli("update", "-g", RG, "-n", SS, "--set",
            f"virtualMachineProfile.extensionProfile.extensions[0].settings.fileUris[0]={sas('2027-01-01T00:00:00Z')}",
            "-o", "none")
    assert r.exit_code == 0, r.stderr
    assert cli("update-instances", "-g", RG, "-n", SS, "--instance-ids", "*").exit_code == 0
    cli("sim", "clock", "advance", "5m", "--only-show-errors")
    r = cli("list-instances", "-g", RG, "-n", SS, "--query", "[].[instanceId, provisioningState, latestModelApplied]",
            "-o", "tsv")
    assert r.stdout.splitlines() == [f"{i}\tSucceeded\tTrue" for i in range(10)]
    r = cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")
    assert r.exit_code == 0, r.stderr
    versions = cli("list-instances", "-g", RG, "-n", SS, "--query", "[].storageProfile.imageReference.exactVersion",
                   "-o", "tsv").stdout.split()
    assert set(versions) == {"18.04.202406010"}


def test_seed_extension_sequencing_orders_runs(cli, vmss_home):
    make(cli, "--upgrade-policy-mode", "Rolling", count="2")
    # Listed out of order on purpose, in one update (each reference must exist in the model).
    r = cli("update", "-g", RG, "-n", SS, "--add", "virtualMachineProfile.extensionProfile.extensions",
            script_extension(None, "second", ["first"]), script_extension(None, "first", ["ApplicationHealthLinux"]),
            "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    doc = json.loads(next(vmss_home.rglob("myscaleset.json")).read_text())
    inst = doc["instances"][0]
    assert [e["name"] for e in inst["extensions"]] == ["ApplicationHealthLinux", "first", "second"]
    runs = [e["lastRun"] for e in inst["extensions"]]
    assert runs == sorted(runs) and len(set(runs)) == 3
    events = [e["message"] for e in event_log(next(vmss_home.rglob("myscaleset.json"))) if e["type"] == "ModelApplied"]
    assert "extensions run in order: ApplicationHealthLinux -> first -> second" in events[-1]


def test_extension_sequencing_rejects_cycles_and_missing_references(cli, vmss_home):
    make(cli, count="1")
    snapshot = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    r = cli("update", "-g", RG, "-n", SS, "--add", "virtualMachineProfile.extensionProfile.extensions",
            script_extension(None, "a", ["nope"]))
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "ERROR: (InvalidParameter) Extension 'a' has 'nope' in provisionAfterExtensions, but no extension of that "
        "name is in the scale set model.")
    r = cli("update", "-g", RG, "-n", SS,
            "--add", "virtualMachineProfile.extensionProfile.extensions", script_extension(None, "a", ["b"]),
            "--add", "virtualMachineProfile.extensionProfile.extensions", script_extension(None, "b", ["a"]))
    assert r.exit_code == 1 and "form a cycle" in r.stderr
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == snapshot


def test_rollback_failed_instances_on_policy_breach(cli):
    make(cli, "--upgrade-policy-mode", "Rolling")
    cli("update", "-g", RG, "-n", SS, "--set",
        "upgradePolicy.rollingUpgradePolicy.rollbackFailedInstancesOnPolicyBreach=true", "-o", "none")
    cli(*PUBLISH, "--version", "18.04.202406010", "--fail-percent", "100")
    r = cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")  # manual: no 5-minute rollback
    assert r.exit_code == 1
    r = cli("get-os-upgrade-history", "-g", RG, "-n", SS, "--query",
            "[0].properties.[runningStatus.code, rollbackInfo.successfullyRolledbackInstanceCount]", "-o", "tsv")
    assert r.stdout == "Faulted\n2\n"
    versions = cli("list-instances", "-g", RG, "-n", SS, "--query", "[].storageProfile.imageReference.exactVersion",
                   "-o", "tsv").stdout.split()
    assert set(versions) == {"18.04.202405140"}
