"""Automatic OS upgrades end to end through the CLI: enable with `vmss update --set`, a publisher
releases, the platform rolls the new image out; model upgrades by upgrade mode."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEED_SET = "UpgradePolicy.AutomaticOSUpgradePolicy.EnableAutomaticOSUpgrade=true"
PUBLISH = ["sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


def make(cli, *extra, name="myScaleSet", count="10"):
    assert cli("group", "create", "-n", "myResourceGroup", "-l", "eastus").exit_code == 0
    r = cli("create", "-g", "myResourceGroup", "-n", name, "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
            "--instance-count", count, "--orchestration-mode", "Uniform", "--data-disk-sizes-gb", "16", *extra)
    assert r.exit_code == 0, r.stderr


def history(cli, query):
    r = cli("get-os-upgrade-history", "--name", "myScaleSet", "--resource-group", "myResourceGroup",
            "--query", query, "-o", "tsv")
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_the_seeds_story(cli):
    make(cli, "--upgrade-policy-mode", "Rolling")  # Rolling adds the Application Health extension
    r = cli("update", "--name", "myScaleSet", "--resource-group", "myResourceGroup", "--set", SEED_SET)
    assert r.exit_code == 0, r.stderr
    assert '"enableAutomaticOSUpgrade": true' in r.stdout
    before = cli("list-instances", "-g", "myResourceGroup", "-n", "myScaleSet").json
    assert cli(*PUBLISH, "--version", "18.04.202406010").exit_code == 0
    assert cli("sim", "clock", "advance", "4h", "--only-show-errors").exit_code == 0
    assert history(cli, "[0].properties.runningStatus.code") == "Completed\n"
    assert history(cli, "[0].properties.startedBy") == "Platform\n"
    assert history(cli, "[0].properties.targetImageReference.version") == "18.04.202406010\n"
    after = cli("list-instances", "-g", "myResourceGroup", "-n", "myScaleSet").json
    assert {i["storageProfile"]["imageReference"]["exactVersion"] for i in after} == {"18.04.202406010"}
    assert [i["storageProfile"]["dataDisks"] for i in after] == [i["storageProfile"]["dataDisks"] for i in before]
    assert all(a["storageProfile"]["osDisk"]["name"] != b["storageProfile"]["osDisk"]["name"]
               for a, b in zip(after, before))


def test_a_failing_version_rolls_back_and_faults(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    assert cli(*PUBLISH, "--version", "18.04.202406010", "--fail-percent", "100").exit_code == 0
    assert cli("sim", "clock", "advance", "4h", "--only-show-errors").exit_code == 0
    assert history(cli, "[0].properties.[runningStatus.code, startedBy]") == "Faulted\nPlatform\n"
    assert history(cli, "[0].properties.error.code") == \
        "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade\n"
    assert history(cli, "[0].properties.rollbackInfo.successfullyRolledbackInstanceCount") == "2\n"
    versions = cli("list-instances", "-g", "myResourceGroup", "-n", "myScaleSet", "--query",
                   "[].storageProfile.imageReference.exactVersion", "-o", "tsv").stdout.split()
    assert set(versions) == {"18.04.202405140"}


def test_pickup_waits_30_to_60_minutes_after_the_first_rollout(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    cli(*PUBLISH, "--version", "18.04.202406010")
    cli("sim", "clock", "advance", "4h", "--only-show-errors")
    cli(*PUBLISH, "--version", "18.04.202407010")
    cli("sim", "clock", "advance", "29m", "--only-show-errors")
    assert history(cli, "length(@)") == "1\n"
    cli("sim", "clock", "advance", "31m", "--only-show-errors")
    assert history(cli, "[0].properties.targetImageReference.version") == "18.04.202407010\n"


def test_opting_out_cancels_the_pending_pickup_and_sets_without_auto_are_left_alone(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    r = cli("create", "-g", "myResourceGroup", "-n", "other", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
            "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling")
    assert r.exit_code == 0
    cli(*PUBLISH, "--version", "18.04.202406010")
    assert cli("sim", "clock", "show").json["pendingEvents"] == 1
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--enable-auto-os-upgrade", "false", "-o", "none")
    assert r.exit_code == 0, r.stderr
    assert cli("sim", "clock", "show").json["pendingEvents"] == 0
    cli("sim", "clock", "advance", "4h", "--only-show-errors")
    assert history(cli, "length(@)") == "0\n"
    r = cli("get-os-upgrade-history", "-g", "myResourceGroup", "-n", "other")
    assert r.stdout == "[]\n"


def test_requirements_for_enabling(cli, vmss_home):
    make(cli)  # Manual, no health source
    snapshot = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    r = cli("update", "-n", "myScaleSet", "-g", "myResourceGroup", "--set", SEED_SET)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "ERROR: (InvalidParameter) Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because "
        "a health probe or health extension was not specified.")
    r = cli("update", "-n", "myScaleSet", "-g", "myResourceGroup",
            "--set", "virtualMachineProfile.storageProfile.imageReference.version=18.04.202405140",
            "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    assert r.exit_code == 1 and "must use Platform or Gallery Image with version set to 'latest'." in r.stderr
    r = cli("update", "-n", "myScaleSet", "-g", "myResourceGroup", "--max-batch-instance-percent", "3")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (  # az 2.91 checks its argument's bounds before the PUT (measured)
        "ERROR: InvalidArgumentValue: --upgrade-policy.rolling-upgrade-policy.max-batch-instance-percent: "
        "Invalid format: '3' is less than 5")
    r = cli("update", "-n", "myScaleSet", "-g", "myResourceGroup", "--set", "location=westus")
    assert r.exit_code == 1 and "(PropertyChangeNotAllowed)" in r.stderr
    r = cli("update", "-n", "myScaleSet", "-g", "myResourceGroup", "--set", "upgradePolicy.mode=Sometimes")
    assert r.exit_code == 1 and "(InvalidParameter)" in r.stderr
    r = cli("update", "-n", "myScaleSet", "-g", "myResourceGroup", "--pause-time-between-batches", "5 seconds")
    assert r.exit_code == 1 and "not a valid ISO 8601 duration" in r.stderr
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == snapshot


def test_dedicated_flags_win_over_set_and_only_given_fields_are_added(cli):
    make(cli)
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--max-batch-instance-percent", "40",
            "--set", "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent=30", "--query", "upgradePolicy")
    assert r.json == {"mode": "Manual", "rollingUpgradePolicy": {"maxBatchInstancePercent": 40}}
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--upgrade-policy-mode", "rolling",
            "--query", "upgradePolicy.mode", "-o", "tsv")
    assert r.stdout == "Rolling\n"
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--enable-auto-os-upgrade", "yes")
    assert r.exit_code == 2
    assert r.stderr.startswith("ERROR: vmss update: 'yes' is not a valid value for '--enable-auto-os-upgrade'. "
                               "Allowed values: true, false.\n")
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--max-batch-instance-percent", "abc")
    assert r.exit_code == 2 and r.stderr.startswith("ERROR: argument --max-batch-instance-percent: invalid int "
                                                    "value: 'abc'")
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--set")
    assert r.exit_code == 2 and r.stderr.startswith("ERROR: argument --set: expected at least one argument")
    r = cli("update", "-g", "myResourceGroup")
    assert (r.exit_code, r.stderr) == (1, "ERROR: (--name | --ids) are required\n")


def test_generic_ops_apply_in_command_line_order(cli):
    make(cli, count="2")
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--set", "tags.a=one",
            "--add", "virtualMachineProfile.storageProfile.dataDisks", "lun=2", "createOption=Empty",
            "diskSizeGB=8", "--remove", "virtualMachineProfile.storageProfile.dataDisks", "0",
            "--query", "{tags: tags, luns: virtualMachineProfile.storageProfile.dataDisks[].lun}")
    assert r.exit_code == 0, r.stderr
    # az sends lun "2" (key=value stays text); the service's deserializer reads it as the Int32 it is and
    # the PUT's response, which az prints, says 2 (core.validation.check_types)
    assert r.json == {"luns": [2], "tags": {"a": "one"}}


def test_model_change_marks_instances_and_manual_waits_for_update_instances(cli):
    make(cli, count="3")
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--set",
            "virtualMachineProfile.osProfile.customData=ZWNobyBoaQ==", "-o", "none")
    assert r.exit_code == 0, r.stderr
    q = ["list-instances", "-g", "myResourceGroup", "-n", "myScaleSet", "--query", "[].latestModelApplied", "-o", "tsv"]
    assert cli(*q).stdout == "false\nfalse\nfalse\n"
    r = cli("update-instances", "-g", "myResourceGroup", "-n", "myScaleSet", "--instance-ids", "0", "1")
    assert (r.exit_code, r.stdout) == (0, "")
    assert cli(*q).stdout == "true\ntrue\nfalse\n"
    cli("update-instances", "-g", "myResourceGroup", "-n", "myScaleSet", "--instance-ids", "*")
    assert cli(*q).stdout == "true\ntrue\ntrue\n"


def test_automatic_mode_applies_a_model_change_to_all_at_once(cli):
    make(cli, "--upgrade-policy-mode", "Automatic", count="3")
    cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--add",
        "virtualMachineProfile.storageProfile.dataDisks", '{"lun": 1, "createOption": "Empty", "diskSizeGB": 32}',
        "-o", "none")
    r = cli("list-instances", "-g", "myResourceGroup", "-n", "myScaleSet", "--query",
            "[].[latestModelApplied, length(storageProfile.dataDisks)]", "-o", "tsv")
    assert r.stdout == "True\t2\nTrue\t2\nTrue\t2\n"


def test_rolling_mode_rolls_a_model_change_in_batches(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="10")
    cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--set",
        "virtualMachineProfile.osProfile.customData=ZWNobyBoaQ==", "-o", "none")
    q = ["list-instances", "-g", "myResourceGroup", "-n", "myScaleSet", "--query",
         "length([?latestModelApplied])", "-o", "tsv"]
    assert cli(*q).stdout == "0\n"
    cli("sim", "clock", "advance", "3m", "--only-show-errors")  # one batch of two: 90 s + 2 x 30 s + 60 s
    assert cli(*q).stdout == "2\n"
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    assert cli(*q).stdout == "10\n"
    r = cli("rolling-upgrade", "get-latest", "-g", "myResourceGroup", "-n", "myScaleSet",
            "--query", "[runningStatus.code, progress.successfulInstanceCount]", "-o", "tsv")
    assert r.stdout == "Completed\n10\n"
    assert history(cli, "length(@)") == "0\n"  # model upgrades are not OS upgrades


_PATHS = st.sampled_from(["tags.x", "tags", "sku.capacity", "upgradePolicy.mode", "upgradePolicy.bogus",
                          "virtualMachineProfile.storageProfile.dataDisks", "virtualMachineProfile.nope.x",
                          "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent", "location", "name[0]",
                          "virtualMachineProfile.storageProfile.dataDisks[5].lun", ""])
_VALUES = st.sampled_from(["1", "200", "true", "Rolling", "{oops", "[1,2]", "null", "x=y", "-1", "0", "3"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["set", "add", "remove"]), _PATHS, _VALUES), min_size=1, max_size=4))
def test_an_error_never_leaves_a_partial_change(cli, vmss_home, ops):
    if not (vmss_home / "resourceGroups").exists():
        make(cli, count="2")
    snapshot = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    argv = ["update", "-g", "myResourceGroup", "-n", "myScaleSet", "-o", "none"]
    for op, path, value in ops:
        argv += {"set": ["--set", f"{path}={value}"], "add": ["--add", path, value],
                 "remove": ["--remove", path, value]}[op]
    r = cli(*argv)
    assert "Traceback" not in r.stderr
    if r.exit_code != 0:
        assert r.stderr.startswith("ERROR: ")
        assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == snapshot
    else:
        json.loads((vmss_home / "resourceGroups/myresourcegroup/virtualMachineScaleSets/myscaleset.json").read_text())


def test_verbose_update_lints_policy_traps(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="2")
    r = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "--max-batch-instance-percent", "50",
            "--set", "upgradePolicy.automaticOSUpgradePolicy.disableAutomaticRollback=true", "-o", "none", "--verbose")
    assert r.exit_code == 0, r.stderr
    warnings = [line for line in r.stderr.splitlines() if line.startswith("WARNING: ")]
    assert warnings == [
        "WARNING: maxBatchInstancePercent (50) is above maxUnhealthyInstancePercent (20): batches will be shrunk "
        "to stay within the unhealthy limit; Azure advises batch <= unhealthy.",
        "WARNING: disableAutomaticRollback is true: instances that fail an automatic OS upgrade keep the new, "
        "unhealthy OS disk."]
    quiet = cli("update", "-g", "myResourceGroup", "-n", "myScaleSet", "-o", "none")
    assert quiet.stderr == ""
