"""One end-to-end test per section of the seed page (reference/seed-automatic-os-upgrade.md),
run through the CLI as a user would. Sections tested elsewhere are named in the README table."""

from __future__ import annotations

import json

from tests.util import event_log

RG, SS = "myResourceGroup", "myScaleSet"
UBUNTU = "Canonical:UbuntuServer:18.04-LTS:latest"
PUBLISH = ["sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


def ok(cli, *args) -> str:
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def make(cli, *extra, image=UBUNTU, count="10"):
    ok(cli, "group", "create", "-n", RG, "-l", "eastus")
    ok(cli, "create", "-g", RG, "-n", SS, "--image", image, "--instance-count", count, "--orchestration-mode",
       "Uniform", *extra)


def history(cli, query):
    return ok(cli, "get-os-upgrade-history", "-g", RG, "-n", SS, "--query", query, "-o", "tsv")


def test_seed_how_does_automatic_os_image_upgrade_work(cli, vmss_home):
    """Batches of at most 20 % (min 1), health gate with a 5-minute wait, previous disk restored,
    stop after more than 20 % of the upgraded instances are unhealthy; data disks retained."""
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", "--data-disk-sizes-gb", "32")
    ok(cli, *PUBLISH, "--version", "18.04.202406010", "--fail-percent", "100")
    ok(cli, "sim", "clock", "advance", "4h", "--only-show-errors")
    doc = json.loads(next(vmss_home.rglob("myscaleset.json")).read_text())
    op = doc["rollingUpgrades"][-1]
    assert op["batches"] == [["0", "5"]] and op["rolledBack"] == 2
    logged = event_log(next(vmss_home.rglob("myscaleset.json")))
    unhealthy = [e for e in logged if e["type"] == "InstanceUnhealthy"]
    replaced = [e for e in logged if e["type"] == "OSDiskReplaced"]
    from vmss_cli.core.world.timeutil import parse_time
    assert parse_time(unhealthy[0]["time"]) - parse_time(replaced[0]["time"]) == 30 + 300  # extension, then 5 min
    assert history(cli, "[0].properties.error.code") == \
        "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade\n"
    disks = ok(cli, "list-instances", "-g", RG, "-n", SS, "--query", "[].storageProfile.dataDisks[0].diskSizeGB",
               "-o", "tsv")
    assert disks == "32\n" * 10


def test_seed_supported_os_images(cli):
    rows = ok(cli, "image", "list", "--all", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
              "-l", "eastus", "--query", "[].version", "-o", "tsv").split()
    assert rows and rows == sorted(rows)
    shown = json.loads(ok(cli, "image", "show", "--urn", UBUNTU, "-l", "eastus"))
    assert shown["automaticOSUpgradeProperties"] == {"automaticOSUpgradeSupported": True}
    # An image outside the supported list cannot enable automatic OS upgrade.
    make(cli, "--upgrade-policy-mode", "Rolling", image="Debian11", count="2")
    r = cli("update", "-g", RG, "-n", SS, "--enable-auto-os-upgrade", "true")
    assert r.exit_code == 1 and r.stderr.splitlines()[0] == ("ERROR: (BadRequest) Automatic OS Upgrade cannot be enabled on "
                                                "virtualMachineScaleSets configured with a Platform Image.")


def test_seed_requirements_for_configuring_automatic_os_image_upgrade(cli):
    make(cli, count="2")
    r = cli("update", "-g", RG, "-n", SS, "--set", "UpgradePolicy.AutomaticOSUpgradePolicy.EnableAutomaticOSUpgrade=true")
    assert r.exit_code == 1 and "a health probe or health extension was not specified" in r.stderr
    r = cli("update", "-g", RG, "-n", SS, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true",
            "--set", "virtualMachineProfile.storageProfile.imageReference.version=18.04.202405140")
    assert r.exit_code == 1 and "must use Platform or Gallery Image with version set to 'latest'." in r.stderr


def test_seed_windows_enable_automatic_updates_must_be_false(cli):
    # The API: enabling automatic OS upgrade on Windows sets enableAutomaticUpdates (default true) to false.
    make(cli, "--upgrade-policy-mode", "Rolling", image="Win2019Datacenter", count="2")
    out = ok(cli, "update", "-g", RG, "-n", SS, "--enable-auto-os-upgrade", "true", "--query",
             "virtualMachineProfile.osProfile.windowsConfiguration.enableAutomaticUpdates")
    assert json.loads(out) is False
    # ... and it cannot be set to true while automatic OS upgrade is on.
    r = cli("update", "-g", RG, "-n", SS, "--set",
            "virtualMachineProfile.osProfile.windowsConfiguration.enableAutomaticUpdates=true")
    assert r.exit_code == 1 and ("windowsConfiguration.enableAutomaticUpdates cannot be set to true if "
                                 "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade is already true") \
        in r.stderr


def test_windows_explicit_automatic_updates_with_automatic_os_upgrade_is_an_error(cli):
    assert cli("group", "create", "-n", RG, "-l", "eastus").exit_code == 0
    base = ["create", "-g", RG, "-n", SS, "--image", "Win2019Datacenter", "--instance-count", "2",
            "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling", "--admin-password", "Passw0rd!Passw0rd",
            "--enable-auto-os-upgrade", "true"]
    r = cli(*base, "--enable-auto-update", "true")
    assert r.exit_code == 1 and "enableAutomaticUpdates cannot be set to true" in r.stderr
    out = ok(cli, *base, "--query", "vmss.virtualMachineProfile.osProfile.windowsConfiguration.enableAutomaticUpdates")
    assert json.loads(out) is False


def test_seed_configure_automatic_os_image_upgrade(cli):
    make(cli, "--upgrade-policy-mode", "Rolling")
    out = ok(cli, "update", "--name", SS, "--resource-group", RG, "--set",
             "UpgradePolicy.AutomaticOSUpgradePolicy.EnableAutomaticOSUpgrade=true")
    assert json.loads(out)["upgradePolicy"]["automaticOSUpgradePolicy"] == {"enableAutomaticOSUpgrade": True}
    ok(cli, *PUBLISH, "--version", "18.04.202406010")
    ok(cli, "sim", "clock", "advance", "4h", "--only-show-errors")
    assert history(cli, "[0].properties.[runningStatus.code, startedBy]") == "Completed\nPlatform\n"


def test_seed_using_application_health_probes(cli):
    make(cli, "--health-probe", "myProbe", "--enable-auto-os-upgrade", "true", "--lb", "myLB")
    probe = json.loads(ok(cli, "show", "-g", RG, "-n", SS, "--query", "virtualMachineProfile.networkProfile.healthProbe"))
    assert probe == {"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/"
                           "providers/Microsoft.Network/loadBalancers/myLB/probes/myProbe",
                     "resourceGroup": "myResourceGroup"}
    ok(cli, *PUBLISH, "--version", "18.04.202406010", "--fail-percent", "100")
    ok(cli, "sim", "clock", "advance", "4h", "--only-show-errors")
    assert history(cli, "[0].properties.[runningStatus.code, rollbackInfo.successfullyRolledbackInstanceCount]") \
        == "Faulted\n2\n"
    view = json.loads(ok(cli, "get-instance-view", "-g", RG, "-n", SS, "--instance-id", "0"))
    assert view["vmHealth"]["status"]["code"] == "HealthState/healthy"  # back on the previous disk


def test_seed_using_application_health_extension(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    ext = json.loads(ok(cli, "show", "-g", RG, "-n", SS, "--query",
                        "virtualMachineProfile.extensionProfile.extensions[0]"))
    assert (ext["publisher"], ext["type"], ext["typeHandlerVersion"]) == \
        ("Microsoft.ManagedServices", "ApplicationHealthLinux", "1.0")
    ok(cli, "sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "3", "--state", "Unhealthy")
    view = json.loads(ok(cli, "get-instance-view", "-g", RG, "-n", SS, "--instance-id", "3"))
    assert view["vmHealth"]["status"] == {"code": "HealthState/unhealthy", "displayStatus": "The VM is unhealthy",
                                          "level": "Info"}


def test_seed_get_the_history_of_automatic_os_image_upgrades(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", count="2")
    assert ok(cli, "get-os-upgrade-history", "--resource-group", RG, "--name", SS) == "[]\n"
    for n in range(6):
        ok(cli, *PUBLISH, "--version", f"18.04.2024071{n}0")
        ok(cli, "sim", "clock", "advance", "4h", "--only-show-errors")
    assert history(cli, "length(@)") == "5\n"
    assert history(cli, "[0].properties.targetImageReference.version") == "18.04.202407150\n"
    assert history(cli, "[0].properties.startedBy") == "Platform\n"


def test_seed_how_to_get_the_latest_version_of_a_platform_os_image(cli):
    ok(cli, *PUBLISH, "--version", "18.04.202406010")
    rows = ok(cli, "image", "list", "--location", "eastus", "--publisher", "Canonical", "--offer", "UbuntuServer",
              "--sku", "18.04-LTS", "--all", "--query", "[-1].version", "-o", "tsv")
    assert rows == "18.04.202406010\n"


def test_seed_manually_trigger_os_image_upgrades(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    ok(cli, *PUBLISH, "--version", "18.04.202406010", "--fail-percent", "100")
    r = cli("rolling-upgrade", "start", "--resource-group", RG, "--name", SS, "--subscription",
            "00000000-0000-0000-0000-000000000000", "--only-show-errors")
    assert r.exit_code == 1
    # No automatic rollback for a manual trigger.
    assert history(cli, "[0].properties.[startedBy, rollbackInfo.successfullyRolledbackInstanceCount]") == \
        "User\n0\n"
