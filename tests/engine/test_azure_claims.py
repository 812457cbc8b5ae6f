"""Claims of the seed and Microsoft's rolling-upgrade docs that an audit found vmss getting wrong
(issue 13), one scenario each, named after the claim, driven as a user would from the CLI."""

from __future__ import annotations

import json

from tests.engine.test_seed_extensions import PUBLISH, RG, SS, make, sas, script_extension


def history(cli, query):
    return cli("get-os-upgrade-history", "-g", RG, "-n", SS, "--query", query, "-o", "tsv").stdout


def add_script_with_token(cli, expiry):
    """A CustomScript extension after the health extension, its script behind a SAS expiring at `expiry`."""
    r = cli("update", "-g", RG, "-n", SS, "--add", "virtualMachineProfile.extensionProfile.extensions",
            script_extension(None), "-o", "none")
    assert r.exit_code == 0, r.stderr
    r = cli("update", "-g", RG, "-n", SS, "--set",
            f"virtualMachineProfile.extensionProfile.extensions[1].settings.fileUris=['{sas(expiry)}']", "-o", "none")
    assert r.exit_code == 0, r.stderr


def test_expired_credentials_in_rolling_mode_heal_with_the_seeds_recovery_steps(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    add_script_with_token(cli, "2026-01-01T01:00:00Z")
    cli("sim", "clock", "advance", "2h", "--only-show-errors")  # model rollout done; the token expires at 01:00
    assert cli(*PUBLISH, "--version", "18.04.202406010").exit_code == 0
    cli("sim", "clock", "advance", "4h", "--only-show-errors")
    assert history(cli, "[0].properties.{c: runningStatus.code, d: error.details[0].code}") == \
        "Faulted\tVMExtensionProvisioningError\n"
    failed = cli("list-instances", "-g", RG, "-n", SS, "--query", "[?provisioningState=='Failed'].instanceId",
                 "-o", "tsv").stdout.split()
    assert failed
    # The seed's recovery: a fresh token in the model, then every instance takes the model.
    r = cli("update", "-g", RG, "-n", SS, "--set",
            f"virtualMachineProfile.extensionProfile.extensions[1].settings.fileUris[0]={sas('2027-01-01T00:00:00Z')}",
            "-o", "none")
    assert r.exit_code == 0, r.stderr
    # The model change starts a rolling model upgrade at once; its first batch (the failed instances,
    # update domain 0) runs the new model before the user gets to update-instances.
    cli("sim", "clock", "advance", "2m", "--only-show-errors")
    assert cli("update-instances", "-g", RG, "-n", SS, "--instance-ids", "*").exit_code == 0
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    r = cli("list-instances", "-g", RG, "-n", SS, "--query", "[].[instanceId, provisioningState, latestModelApplied]",
            "-o", "tsv")
    assert r.stdout.splitlines() == [f"{i}\tSucceeded\tTrue" for i in range(10)]
    for iid in failed:
        view = cli("get-instance-view", "-g", RG, "-n", SS, "--instance-id", iid).json
        assert view["vmHealth"]["status"]["code"] == "HealthState/healthy"
        assert [s["statuses"][0]["code"] for s in view["extensions"]] == ["ProvisioningState/succeeded"] * 2
    assert cli("rolling-upgrade", "get-latest", "-g", RG, "-n", SS, "--query", "runningStatus.code",
               "-o", "tsv").stdout == "Completed\n"


def latest(cli, query):
    return cli("rolling-upgrade", "get-latest", "-g", RG, "-n", SS, "--query", query, "-o", "tsv").stdout


def batches(cli):
    return cli("sim", "events", "-g", RG, "-n", SS, "--query", "[?type=='BatchStarted'].instances", "-o", "json").json


def start_with_instance_19_unhealthy(cli, *update):
    make(cli, "--upgrade-policy-mode", "Rolling", count="20")
    if update:
        assert cli("update", "-g", RG, "-n", SS, *update, "-o", "none").exit_code == 0
    cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "19", "--state", "Unhealthy", "-o", "none")
    assert cli(*PUBLISH, "--version", "18.04.202406010").exit_code == 0
    assert cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--no-wait").exit_code == 0
    cli("sim", "clock", "advance", "1s", "--only-show-errors")


def test_an_unhealthy_instance_is_not_pulled_into_the_batch_out_of_update_domain_order(cli):
    start_with_instance_19_unhealthy(cli)
    # 1 of 20 unhealthy leaves room for 3 more: the batch shrinks to [0, 5, 10] (update domain 0).
    assert batches(cli) == [["0", "5", "10"]]
    cli("sim", "clock", "advance", "2h", "--only-show-errors")
    # Instance 19 goes in its update domain's turn, last; 1 unhealthy of 20 upgraded (5 %) is within limits.
    events = batches(cli)
    assert events[-1] == ["14", "19"] and "19" not in sum(events[:-1], [])
    assert latest(cli, "{c: runningStatus.code, f: progress.failedInstanceCount, s: progress.successfulInstanceCount}") \
        == "Completed\t1\t19\n"


def test_an_unhealthy_instance_goes_first_with_prioritize_unhealthy_instances(cli):
    start_with_instance_19_unhealthy(cli, "--set", "upgradePolicy.rollingUpgradePolicy.prioritizeUnhealthyInstances=true")
    assert batches(cli) == [["19", "0", "5", "10"]]


def test_the_unhealthy_budget_is_not_exceeded_at_the_boundary(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="20")
    cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "1", "6", "11", "16", "--state", "Unhealthy",
        "-o", "none")  # 4 of 20: exactly the 20 % allowed, so no healthy instance may go down
    assert cli(*PUBLISH, "--version", "18.04.202406010").exit_code == 0
    r = cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[1] == "Code: MaxUnhealthyInstancePercentExceededBeforeRollingUpgrade"
    assert "25% of instances are in an unhealthy state" in r.stderr  # counting the one it would take down
    versions = cli("list-instances", "-g", RG, "-n", SS, "--query", "[].storageProfile.imageReference.exactVersion",
                   "-o", "tsv").stdout.split()
    assert set(versions) == {"18.04.202405140"}  # no instance was taken down


def test_policy_breach_rollback_reports_rolling_back_and_takes_as_long_as_any_rollback(cli):
    make(cli, "--upgrade-policy-mode", "Rolling")
    cli("update", "-g", RG, "-n", SS, "--set",
        "upgradePolicy.rollingUpgradePolicy.rollbackFailedInstancesOnPolicyBreach=true", "-o", "none")
    cli(*PUBLISH, "--version", "18.04.202406010", "--fail-percent", "100")
    assert cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--no-wait").exit_code == 0
    # Batch 1 (0, 5): new disks at 90 s, extension at 120 s, health deadline 5 minutes later (420 s).
    cli("sim", "clock", "advance", "7m", "--only-show-errors")
    assert latest(cli, "{c: runningStatus.code, e: error.code}") == \
        "RollingBack\tMaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade\n"
    assert history(cli, "[0].properties.runningStatus.code") == "RollingBack\n"
    r = cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--no-wait")
    assert r.exit_code == 1 and "already in progress" in r.stderr
    cli("sim", "clock", "advance", "89s", "--only-show-errors")
    assert latest(cli, "runningStatus.code") == "RollingBack\n"
    cli("sim", "clock", "advance", "1s", "--only-show-errors")
    assert history(cli, "[0].properties.{c: runningStatus.code, e: runningStatus.endTime, "
                        "r: rollbackInfo.successfullyRolledbackInstanceCount}") == \
        "Faulted\t2026-01-01T00:08:30+00:00\t2\n"


def test_upgraded_limit_error_reads_as_azures_and_agrees_with_progress(cli):
    make(cli, "--upgrade-policy-mode", "Rolling")
    cli(*PUBLISH, "--version", "18.04.202406010")
    assert cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--no-wait").exit_code == 0
    cli("sim", "clock", "advance", "4m", "--only-show-errors")  # instances 0 and 5 healthy on the new image
    cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "5", "--state", "Unhealthy", "-o", "none")
    cli("sim", "clock", "advance", "10m", "--only-show-errors")
    assert latest(cli, "{c: runningStatus.code, f: progress.failedInstanceCount, s: progress.successfulInstanceCount}") \
        == "Faulted\t1\t3\n"  # batch 2 (1, 6) ended with instance 5 of batch 1 found unhealthy: 1 of 4
    assert latest(cli, "error.message") == (
        "Rolling Upgrade failed after exceeding the MaxUnhealthyUpgradedInstancePercent value defined in the "
        "RollingUpgradePolicy. 25% of instances are in an unhealthy state after being upgraded - more than the "
        "threshold of 20%. The most impactful error is: Instance found to be unhealthy or unreachable.. First failed "
        "instance ID is: 5.\n")


def test_a_rollout_within_its_limits_but_with_failed_instances_reports_them(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="20")
    cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "19", "--state", "Unhealthy", "-o", "none")
    assert cli(*PUBLISH, "--version", "18.04.202406010").exit_code == 0
    assert cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors").exit_code == 0  # not a breach
    assert latest(cli, "{c: runningStatus.code, e: error.code, t: error.details[0].target}") == \
        f"Completed\tRollingUpgradeInProgressWithFailedUpgradedVMs\t{target(cli, '19')}\n"
    assert latest(cli, "error.message") == (
        "1 of 20 upgraded instances (5%) are in an unhealthy state after being upgraded, within the threshold of 20% "
        "configured in the RollingUpgradePolicy; the rolling upgrade goes on. First failed instance ID is: 19.\n")


def target(cli, iid):
    return cli("show", "-g", RG, "-n", SS, "--query", "id", "-o", "tsv").stdout.strip() + f"/virtualMachines/{iid}"


def rich_health(cli, grace):
    r = cli("update", "-g", RG, "-n", SS, "--set",
            'virtualMachineProfile.extensionProfile.extensions[0].typeHandlerVersion="2.0"',  # a string, as az wants
            f"virtualMachineProfile.extensionProfile.extensions[0].settings.gracePeriod={grace}", "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli("sim", "clock", "advance", "1h", "--only-show-errors")  # the model upgrade


def test_rich_health_initializing_inside_the_grace_period_is_waited_for(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="5")
    rich_health(cli, 600)
    # The app answers 400 s after the extensions: past the 5 minutes, inside the 600 s grace period.
    cli(*PUBLISH, "--version", "18.04.202406010", "--boot-time", "400")
    r = cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")
    assert r.exit_code == 0, r.stderr
    assert latest(cli, "{c: runningStatus.code, s: progress.successfulInstanceCount, f: progress.failedInstanceCount}") \
        == "Completed\t5\t0\n"


def test_rich_health_the_grace_period_bounds_initializing(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="5")
    rich_health(cli, 600)
    cli(*PUBLISH, "--version", "18.04.202406010", "--boot-time", "700")  # answers after the grace period
    r = cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")
    assert r.exit_code == 1
    events = cli("sim", "events", "-g", RG, "-n", SS, "--query", "[?type=='InstanceFailed'].[time, message]",
                 "-o", "tsv").stdout.splitlines()
    # Disk at +90 s (boot), extension done at +120 s, grace ends at boot + 600 s: Unknown then.
    assert events == ["2026-01-01T01:11:30+00:00\tinstance 0: still Unknown after 570 s; left on the new OS disk "
                      "(rollback is off for this upgrade)"]


def test_an_extension_failure_fails_the_instance_when_the_extensions_have_run(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="5")
    add_script_with_token(cli, "2026-01-01T02:00:00Z")
    cli("sim", "clock", "advance", "3h", "--only-show-errors")  # model upgrades done; the token has expired
    cli(*PUBLISH, "--version", "18.04.202406010")
    r = cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors")
    assert r.exit_code == 1
    # Disk at +90 s, the two extensions at +120 s and +150 s: judged then, not 5 minutes later.
    events = cli("sim", "events", "-g", RG, "-n", SS, "--query",
                 "[?type=='InstanceFailed' || type=='RolloutFaulted'].[time, type, message]", "-o", "tsv").stdout
    assert events.splitlines()[0] == (
        "2026-01-01T03:02:30+00:00\tInstanceFailed\tinstance 0: Unhealthy: an extension failed; left on the new OS "
        "disk (the previous OS disk would fail the same way; update the model and the instances)")
    assert events.splitlines()[1].startswith("2026-01-01T03:02:30+00:00\tRolloutFaulted\t")


def test_a_model_upgrade_failure_does_not_speak_of_a_replaced_disk(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="5")
    cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "0", "--state", "Unhealthy", "-o", "none")
    r = cli("update", "-g", RG, "-n", SS, "--set", "tags.env=prod",
            "virtualMachineProfile.extensionProfile.extensions[0].settings.port=8080", "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    events = cli("sim", "events", "-g", RG, "-n", SS, "--query", "[?type=='InstanceFailed'].message",
                 "-o", "tsv").stdout
    assert events == "instance 0: still Unhealthy after 5 minutes; the model stays applied (no rollback)\n"


def test_first_pickup_counts_its_three_hours_from_when_the_set_was_configured(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")  # configured at 00:00
    cli("sim", "clock", "advance", "10h", "--only-show-errors")
    cli(*PUBLISH, "--version", "18.04.202406010")  # the first release, 10 h later: the 3 h are long over
    cli("sim", "clock", "advance", "60m", "--only-show-errors")
    start = history(cli, "[0].properties.runningStatus.startTime")
    assert "2026-01-01T10:30:00+00:00" <= start.strip() <= "2026-01-01T11:00:00+00:00"


def test_first_pickup_of_a_release_soon_after_configuration_waits_for_the_one_time_delay(cli):
    make(cli, "--upgrade-policy-mode", "Rolling")
    cli("sim", "clock", "advance", "10h", "--only-show-errors")
    r = cli("update", "-g", RG, "-n", SS, "--enable-auto-os-upgrade", "true", "-o", "none")  # configured at 10:00
    assert r.exit_code == 0, r.stderr
    cli(*PUBLISH, "--version", "18.04.202406010")
    cli("sim", "clock", "advance", "3h", "--only-show-errors")
    start = history(cli, "[0].properties.runningStatus.startTime").strip()
    assert "2026-01-01T10:30:00+00:00" <= start <= "2026-01-01T13:00:00+00:00"


def test_a_forced_health_state_can_last_until_the_new_image_fixes_the_instance(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", count="20")
    r = cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "1", "--state", "Unhealthy", "--until",
            "upgrade", "-o", "tsv", "--query", "[].healthState")
    assert r.exit_code == 0 and r.stdout == "Unhealthy\n", r.stderr
    cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "2", "--state", "Unhealthy", "-o", "none")
    cli(*PUBLISH, "--version", "18.04.202406010")
    assert cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors").exit_code == 0
    health = {i: cli("get-instance-view", "-g", RG, "-n", SS, "--instance-id", i, "--query",
                     "vmHealth.status.code", "-o", "tsv").stdout.strip() for i in ("1", "2")}
    # 1: fixed by the new image; 2: the default lasts across the OS disk swap.
    assert health == {"1": "HealthState/healthy", "2": "HealthState/unhealthy"}
    assert latest(cli, "{s: progress.successfulInstanceCount, f: progress.failedInstanceCount}") == "19\t1\n"


def test_sim_health_set_until_rejects_an_unknown_value(cli, vmss_home):
    make(cli, "--upgrade-policy-mode", "Rolling", count="2")
    before = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    r = cli("sim", "health", "set", "-g", RG, "-n", SS, "--instance-ids", "1", "--state", "Unhealthy",
            "--until", "forever")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == ("ERROR: (InvalidParameter) 'forever' is not a valid value for --until. "
                                        "Allowed values: cleared, upgrade.")
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == before


def test_an_unknown_location_is_refused_at_group_create_as_arm_does(cli, vmss_home):
    r = cli("group", "create", "-n", "rg9", "-l", "eastu")
    assert r.exit_code == 1 and r.stdout == ""
    first, code, message = r.stderr.splitlines()[:3]
    assert first.startswith("ERROR: (LocationNotAvailableForResourceGroup) The provided location 'eastu' is not "
                            "available for resource group. List of available regions is 'eastasia,southeastasia,")
    assert code == "Code: LocationNotAvailableForResourceGroup"
    assert message.endswith(",westindia,centraluseuap,eastus2euap'.")
    assert not list(vmss_home.rglob("group.json"))
    # A public region the emulated catalog has no images in is still a region: the group is created.
    assert cli("group", "create", "-n", "rg9", "-l", "Japan East", "--query", "location", "-o", "tsv").stdout == \
        "japaneast\n"


def test_an_unknown_location_is_refused_wherever_a_location_is_taken(cli):
    assert cli("group", "create", "-n", RG, "-l", "eastus").exit_code == 0
    r = cli("create", "-g", RG, "-n", SS, "--image", "Ubuntu2204", "-l", "westeu", "--orchestration-mode", "Uniform")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0].startswith(
        "ERROR: (LocationNotAvailableForResourceType) The provided location 'westeu' is not available for resource "
        "type 'Microsoft.Compute/virtualMachineScaleSets'. List of available regions for the resource type is "
        "'eastasia,")
    r = cli(*PUBLISH[:3], "-l", "westeu", *PUBLISH[5:], "--version", "18.04.202406010")
    assert r.exit_code == 1 and "(NoRegisteredProviderFound)" in r.stderr


def stored_custom_data(vmss_home):
    doc = json.loads(next(vmss_home.rglob("myscaleset.json")).read_text())
    return doc["scaleSet"]["properties"]["virtualMachineProfile"]["osProfile"].get("customData")


def test_custom_data_is_read_from_a_file_and_base64_encoded_as_az_does(cli, vmss_home, tmp_path):
    import base64

    script = tmp_path / "cloud-init.yaml"
    script.write_text("#cloud-config\nruncmd:\n  - echo hello\n")
    make(cli, "--custom-data", str(script), count="1")
    assert base64.b64decode(stored_custom_data(vmss_home)).decode() == script.read_text()


def test_custom_data_given_as_text_is_base64_encoded(cli, vmss_home):
    make(cli, "--custom-data", "#!/bin/sh\necho hi", count="1")
    assert stored_custom_data(vmss_home) == "IyEvYmluL3NoCmVjaG8gaGk="


def test_custom_data_az_cannot_encode_is_an_error_not_a_traceback(cli, vmss_home):
    assert cli("group", "create", "-n", RG, "-l", "eastus").exit_code == 0
    r = cli("create", "-g", RG, "-n", SS, "--image", "Ubuntu2204", "--custom-data", "echo \u2603")
    assert r.exit_code == 1
    assert r.stderr == "ERROR: --custom-data holds characters outside latin-1, which az cannot encode.\n"
    assert not list(vmss_home.rglob("myscaleset.json"))


def test_instance_view_lists_only_the_extensions_applied_to_the_instance(cli):
    make(cli, "--health-probe", "probe1", count="2")  # Manual mode: a model change waits for update-instances
    r = cli("update", "-g", RG, "-n", SS, "--add", "virtualMachineProfile.extensionProfile.extensions",
            script_extension(None), "-o", "none")
    assert r.exit_code == 0, r.stderr

    def names():
        return cli("get-instance-view", "-g", RG, "-n", SS, "--instance-id", "0", "--query", "extensions[].name",
                   "-o", "tsv").stdout

    assert names() == ""
    assert cli("update-instances", "-g", RG, "-n", SS, "--instance-ids", "0").exit_code == 0
    assert names() == "bootstrap\n"


def test_service_fabric_upgrades_whole_update_domains_and_refuses_health_probes(cli, vmss_home):
    from tests.engine.test_seed_policies import sf_extension

    assert cli("group", "create", "-n", RG, "-l", "eastus").exit_code == 0
    r = cli("create", "-g", RG, "-n", SS, "--image", "Canonical:UbuntuServer:18.04-LTS:latest", "--instance-count",
            "20", "--orchestration-mode", "Uniform", "--health-probe", "probe1")
    assert r.exit_code == 0, r.stderr
    exts = f"virtualMachineProfile.extensionProfile.extensions={sf_extension('Silver')}"
    auto = "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=true"
    r = cli("update", "-g", RG, "-n", SS, "--set", exts, auto)
    assert r.exit_code == 1 and "Application Health Probes are not supported for Service Fabric scale sets" in r.stderr
    r = cli("update", "-g", RG, "-n", SS, "--set", exts, auto, "--remove", "virtualMachineProfile.networkProfile.healthProbe",
            "--max-batch-instance-percent", "10", "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli("update-instances", "-g", RG, "-n", SS, "--instance-ids", "*")
    cli(*PUBLISH, "--version", "18.04.202406010")
    assert cli("rolling-upgrade", "start", "-g", RG, "-n", SS, "--only-show-errors").exit_code == 0
    doc = json.loads(next(vmss_home.rglob("myscaleset.json")).read_text())
    # Each batch is one whole update domain (4 instances), though 10 % of 20 would be 2.
    assert doc["rollingUpgrades"][-1]["batches"] == [[str(i) for i in range(ud, 20, 5)] for ud in range(5)]
