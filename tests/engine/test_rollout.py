"""Every rule of the seed's rollout algorithm, with exact counts, codes and timestamps.

Timing model (engine constants): OS disk swap + boot 90 s, each extension 30 s, the shipped
versions' apps answer 60 s after that; Rolling sets carry one extension, so a healthy batch
takes 180 s.
"""

from __future__ import annotations

import pytest

from vmss_cli.core.rollout import engine, rollouts
from vmss_cli.core.world import timeutil
from vmss_cli.errors import ConflictError, NotFoundError

T0 = timeutil.parse_time("2026-01-01T00:00:00Z")
BATCH = 180


def ids(n):
    return [str(i) for i in range(n)]


def test_ten_instances_go_in_five_batches_of_two_walking_update_domains(w):
    w.make_set(count=10)
    w.publish("18.04.202406010")
    op = w.start()
    assert op["status"] == "Completed"
    assert op["batches"] == [["0", "5"], ["1", "6"], ["2", "7"], ["3", "8"], ["4", "9"]]
    assert engine.progress(op) == {"successfulInstanceCount": 10, "failedInstanceCount": 0,
                                   "inProgressInstanceCount": 0, "pendingInstanceCount": 0}
    assert op["endTime"] == T0 + 5 * BATCH
    assert set(w.versions().values()) == {"18.04.202406010"}
    assert w.now() == T0 + 5 * BATCH


def test_five_or_fewer_instances_go_one_at_a_time(w):
    w.make_set(count=5)
    w.publish("18.04.202406010")
    op = w.start()
    assert op["batches"] == [["0"], ["1"], ["2"], ["3"], ["4"]]
    assert op["endTime"] == T0 + 5 * BATCH


def test_upgrade_replaces_os_disk_keeps_data_disks_and_previous_disk(w):
    from vmss_cli.core.resources import scaleset
    from vmss_cli.store.state import transaction

    with transaction() as tx:
        from vmss_cli.core.resources import groups
        groups.create(tx, "rg", "eastus")
        scaleset.create(tx, resource_group="rg", name="ss", image="Canonical:UbuntuServer:18.04-LTS:latest",
                        instance_count=2, orchestration_mode="Uniform", upgrade_policy_mode="Rolling",
                        data_disk_sizes_gb=[10, 20])
    before = {i["instanceId"]: i for i in w.doc()["instances"]}
    w.publish("18.04.202406010")
    w.start()
    for inst in w.doc()["instances"]:
        old = before[inst["instanceId"]]
        assert inst["dataDisks"] == old["dataDisks"]
        assert [d["diskSizeGB"] for d in inst["dataDisks"]] == [10, 20]
        assert inst["osDisk"]["name"] != old["osDisk"]["name"]
        assert inst["osDisk"]["id"] != old["osDisk"]["id"]
        assert inst["osDisk"]["imageReference"]["exactVersion"] == "18.04.202406010"
        assert inst["previousOsDisk"] == old["osDisk"]
        assert inst["extensions"][0]["lastRun"] > old["extensions"][0]["lastRun"]


def test_instances_already_on_the_target_are_not_touched(w):
    w.make_set(count=10)
    w.publish("18.04.202406010")
    with w.edit() as doc:  # two instances got there another way (e.g. a scale-out after the release)
        for inst in doc["instances"][:2]:
            inst["osDisk"]["imageReference"]["exactVersion"] = "18.04.202406010"
    op = w.start()
    assert op["status"] == "Completed"
    assert "0" not in sum(op["batches"], []) and "1" not in sum(op["batches"], [])
    assert engine.progress(op)["successfulInstanceCount"] == 8


def test_nothing_to_upgrade_completes_at_once(w):
    w.make_set(count=3)
    op = w.start()
    assert op["status"] == "Completed" and op["batches"] == [] and op["endTime"] == T0


def test_zones_never_share_a_batch_unless_cross_zone(w):
    w.make_set(count=15, zones=["1", "2", "3"])
    w.publish("18.04.202406010")
    op = w.start()
    zone = {i["instanceId"]: i["zone"] for i in w.doc()["instances"]}
    assert all(len({zone[i] for i in batch}) == 1 for batch in op["batches"])
    assert op["batches"][0] == ["0", "6", "12"]  # zone 1, update domains 0, 1, 2
    assert max(len(b) for b in op["batches"]) == 3


def test_cross_zone_upgrade_lets_a_batch_span_zones(w):
    w.make_set(count=15, zones=["1", "2", "3"], rolling={"enableCrossZoneUpgrade": True})
    w.publish("18.04.202406010")
    op = w.start()
    zone = {i["instanceId"]: i["zone"] for i in w.doc()["instances"]}
    assert any(len({zone[i] for i in batch}) > 1 for batch in op["batches"])
    assert sorted(sum(op["batches"], []), key=int) == ids(15)


def test_prioritize_unhealthy_puts_unhealthy_first_and_stops_on_upgraded_limit(w):
    w.make_set(count=10, rolling={"prioritizeUnhealthyInstances": True})
    w.set_health(["7"], "Unhealthy")
    w.publish("18.04.202406010")
    op = w.start()
    assert op["batches"] == [["7", "0"]]
    # The forced state survives the upgrade: 1 of 2 upgraded unhealthy = 50 % > 20 %.
    assert op["status"] == "Faulted"
    assert op["error"]["code"] == "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"
    assert op["error"]["details"] == [{"code": "RollingUpgradeInstanceUnhealthyError",
                                       "target": w.doc()["scaleSet"]["id"] + "/virtualMachines/7",
                                       "message": "Instance found to be unhealthy or unreachable."}]
    assert engine.progress(op) == {"successfulInstanceCount": 1, "failedInstanceCount": 1,
                                   "inProgressInstanceCount": 0, "pendingInstanceCount": 8}
    assert op["endTime"] == T0 + 120 + 300  # waited the full five minutes for instance 7


def test_thirty_percent_unhealthy_before_start_stops_before_any_batch(w):
    w.make_set(count=10)
    w.set_health(["2", "4", "6"], "Unhealthy")
    w.publish("18.04.202406010")
    op = w.start()
    assert op["status"] == "Faulted" and op["batches"] == [] and op["endTime"] == T0
    err = op["error"]
    assert err["code"] == "MaxUnhealthyInstancePercentExceededBeforeRollingUpgrade"
    assert err["message"] == (
        "Rolling Upgrade failed due to exceeding the MaxUnhealthyInstancePercent value (defined in the "
        "RollingUpgradePolicy) before any batch was attempted. 30% of instances are in an unhealthy state, more "
        "than the threshold of 20% configured in the RollingUpgradePolicy. The most impactful error is: Instance "
        "found to be unhealthy or unreachable. For details on rolling upgrades, use "
        "http://aka.ms/AzureVMSSRollingUpgrade")
    assert [d["target"].rsplit("/", 1)[1] for d in err["details"]] == ["2", "4", "6"]
    assert engine.progress(op)["pendingInstanceCount"] == 10
    assert set(w.versions().values()) == {"18.04.202405140"}


def test_exactly_twenty_percent_unhealthy_is_allowed_but_takes_no_healthy_instance_down(w):
    w.make_set(count=10)
    w.set_health(["8", "9"], "Unhealthy")  # 20 % is not *more than* 20 %
    w.publish("18.04.202406010")
    w.start(wait=False)
    w.advance(1)
    op = w.op()
    # Budget: 2 may be unhealthy and 2 already are, so no healthy instance may go down; in
    # update-domain order the first candidate (0) is healthy, so no batch can start: one more
    # instance down would make 30 %.
    assert op["batches"] == [] and op["status"] == "Faulted"
    assert op["error"]["code"] == "MaxUnhealthyInstancePercentExceededBeforeRollingUpgrade"
    assert "30% of instances are in an unhealthy state" in op["error"]["message"]


def test_at_the_unhealthy_limit_prioritize_unhealthy_instances_upgrades_the_unhealthy_ones(w):
    w.make_set(count=10, rolling={"prioritizeUnhealthyInstances": True})
    w.set_health(["8", "9"], "Unhealthy")
    w.publish("18.04.202406010")
    w.start(wait=False)
    w.advance(1)
    assert w.op()["batches"][0] == ["8", "9"]  # they cost nothing; no healthy one goes down


def test_one_failed_instance_in_a_batch_of_two_trips_the_upgraded_limit(w):
    w.make_set(count=10)
    w.publish("18.04.202406010")
    w.start(wait=False)
    w.advance(120)  # batch 1 (instances 0 and 5) has its new OS disks
    w.set_health(["5"], "Unhealthy")
    w.advance(3600)
    op = w.op()
    assert op["status"] == "Faulted"
    assert op["error"]["code"] == "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"
    assert op["batches"] == [["0", "5"]]
    assert engine.progress(op) == {"successfulInstanceCount": 1, "failedInstanceCount": 1,
                                   "inProgressInstanceCount": 0, "pendingInstanceCount": 8}
    assert op["endTime"] == T0 + 120 + 300


def test_manual_start_never_rolls_back(w):
    w.make_set(count=10)
    w.publish("18.04.202406010", fail_percent=100)
    op = w.start()
    assert op["rollback"] is False and op["startedBy"] == "User"
    assert op["rolledBack"] == 0 and op["status"] == "Faulted"
    v = w.versions()
    assert v["0"] == v["5"] == "18.04.202406010"  # left on the new, unhealthy disk


def test_platform_rollout_rolls_back_unhealthy_instances(w):
    w.make_set(count=10, auto=True)
    w.publish("18.04.202406010", fail_percent=100)
    w.advance(4 * 3600)
    op = w.op()
    assert op["startedBy"] == "Platform" and op["rollback"] is True
    assert op["status"] == "Faulted"
    assert op["error"]["code"] == "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"
    assert op["rolledBack"] == 2 and op["rollbackFailed"] == 0
    doc = w.doc()
    for inst in doc["instances"]:
        assert inst["osDisk"]["imageReference"]["exactVersion"] == "18.04.202405140"
    restored = [i for i in doc["instances"] if i["instanceId"] in ("0", "5")]
    assert all(i["previousOsDisk"]["imageReference"]["exactVersion"] == "18.04.202406010" for i in restored)
    # rollback takes 90 s after the five-minute wait
    assert op["endTime"] == op["startTime"] + 120 + 300 + 90


def test_disable_automatic_rollback_keeps_failed_disks(w):
    w.make_set(count=10, auto=True)
    with w.edit() as doc:
        doc["scaleSet"]["properties"]["upgradePolicy"]["automaticOSUpgradePolicy"]["disableAutomaticRollback"] = True
    w.publish("18.04.202406010", fail_percent=100)
    w.advance(4 * 3600)
    op = w.op()
    assert op["startedBy"] == "Platform" and op["rollback"] is False and op["rolledBack"] == 0
    assert w.versions()["0"] == "18.04.202406010"


def test_concurrent_maintenance_stops_at_the_end_of_the_current_batch(w):
    w.make_set(count=10)
    w.publish("18.04.202406010")
    w.start(wait=False)
    w.advance(60)
    w.set_health(["1", "2", "3"], "Unhealthy")  # maintenance takes 30 % down mid-batch
    w.advance(3600)
    op = w.op()
    assert op["status"] == "Faulted"
    assert op["error"]["code"] == "MaxUnhealthyInstancePercentExceededInRollingUpgrade"
    assert op["error"]["message"] == (
        "Rolling Upgrade failed after exceeding the MaxUnhealthyInstancePercent value defined in the "
        "RollingUpgradePolicy. 30% of instances are in an unhealthy state - more than the threshold of 20%. To apply "
        "upgrades, consider increasing the MaxUnhealthyInstancePercent value.")
    assert op["batches"] == [["0", "5"]]
    assert engine.progress(op)["successfulInstanceCount"] == 2
    assert op["endTime"] == T0 + BATCH


def test_cancel_finishes_the_current_batch_then_ends_cancelled(w):
    w.make_set(count=10)
    w.publish("18.04.202406010")
    w.start(wait=False)
    w.advance(60)
    w.cancel()
    w.advance(3600)
    op = w.op()
    assert op["status"] == "Cancelled" and op["lastAction"] == "Cancel" and op["lastActionTime"] == T0 + 60
    assert engine.progress(op) == {"successfulInstanceCount": 2, "failedInstanceCount": 0,
                                   "inProgressInstanceCount": 0, "pendingInstanceCount": 8}
    assert op["endTime"] == T0 + BATCH


def test_cancel_with_nothing_running_is_409(w):
    w.make_set(count=2)
    with pytest.raises(ConflictError) as err:
        w.cancel()
    assert err.value.message == "There is no ongoing Rolling Upgrade to cancel."
    assert err.value.code == "OperationNotAllowed"


def test_pause_between_batches(w):
    w.make_set(count=10, rolling={"pauseTimeBetweenBatches": "PT10M"})
    w.publish("18.04.202406010")
    op = w.start()
    assert op["endTime"] == T0 + 5 * BATCH + 4 * 600
    assert op["policy"]["pauseTimeBetweenBatches"] == "PT10M"


def test_manual_start_uses_the_sets_policy_and_platform_the_default(w):
    w.make_set(count=10, rolling={"maxBatchInstancePercent": 50, "maxUnhealthyInstancePercent": 50}, auto=True)
    w.publish("18.04.202406010")
    w.advance(4 * 3600)
    platform_op = w.op()
    assert platform_op["startedBy"] == "Platform"
    assert platform_op["policy"]["maxBatchInstancePercent"] == 20
    assert len(platform_op["batches"][0]) == 2
    w.publish("18.04.202407010")
    with w.edit() as doc:  # opt out so only the manual start runs
        doc["scaleSet"]["properties"]["upgradePolicy"]["automaticOSUpgradePolicy"]["enableAutomaticOSUpgrade"] = False
    manual = w.start()
    assert manual["policy"]["maxBatchInstancePercent"] == 50 and len(manual["batches"][0]) == 5


def test_use_rolling_upgrade_policy_makes_platform_use_the_sets_policy(w):
    w.make_set(count=10, rolling={"maxBatchInstancePercent": 50, "maxUnhealthyInstancePercent": 50}, auto=True)
    with w.edit() as doc:
        doc["scaleSet"]["properties"]["upgradePolicy"]["automaticOSUpgradePolicy"]["useRollingUpgradePolicy"] = True
    w.publish("18.04.202406010")
    w.advance(4 * 3600)
    assert len(w.op()["batches"][0]) == 5


def test_start_on_a_pinned_version_is_409_with_azures_message(w):
    w.make_set(count=2)
    with w.edit() as doc:
        doc["scaleSet"]["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]["version"] = \
            "18.04.202405140"
    with pytest.raises(ConflictError) as err:
        w.start()
    assert err.value.message == (
        "The OS Rolling Upgrade API cannot be used on a Virtual Machine Scale Set unless the Virtual Machine Scale "
        "Set has some unprotected instances which have imageReference.version set to latest.")


def test_second_start_while_running_is_409(w):
    w.make_set(count=10)
    w.publish("18.04.202406010")
    w.start(wait=False)
    with pytest.raises(ConflictError) as err:
        w.start()
    assert "already in progress" in err.value.message


def test_get_latest_without_any_rollout_is_not_found(w):
    w.make_set(count=2)
    with pytest.raises(NotFoundError) as err:
        rollouts.latest_status(w.doc())
    assert (err.value.code, err.value.message) == ("NotFound", "The entity was not found in this Azure location.")


def test_history_keeps_five_newest_within_two_months_and_the_store_keeps_what_it_shows(w):
    w.make_set(count=2)
    for n in range(7):
        w.publish(f"18.04.2024071{n}0")
        w.start()
    doc = w.doc()
    assert len(doc["rollingUpgrades"]) == 5 and doc["rolloutCount"] == 7  # bounded state (issue 16)
    shown = rollouts.history(doc, w.now())
    assert [h["properties"]["targetImageReference"]["version"] for h in shown] == [
        f"18.04.2024071{n}0" for n in (6, 5, 4, 3, 2)]
    w.advance(61 * 86400)
    assert rollouts.history(w.doc(), w.now()) == []
    assert len(w.doc()["rollingUpgrades"]) == 5


def test_rich_health_extension_unknown_counts_as_unhealthy(w):
    w.make_set(count=5, auto=True)
    with w.edit() as doc:
        ext = doc["scaleSet"]["properties"]["virtualMachineProfile"]["extensionProfile"]["extensions"][0]
        ext["properties"]["typeHandlerVersion"] = "2.0"
        ext["properties"]["settings"]["gracePeriod"] = 600
    w.publish("18.04.202406010", fail_percent=100)
    from vmss_cli.core.rollout import health

    w.advance(4 * 3600)
    op = w.op()
    assert op["status"] == "Faulted" and op["rolledBack"] == 1
    events = [e["message"] for e in w.events() if e["type"] == "InstanceUnhealthy"]
    # Initializing is waited for until the 600 s grace period (from boot) ends; then it is Unknown.
    assert events == ["instance 0: still Unknown after 570 s; restoring the previous OS disk"]
    assert health.INITIALIZING == "Initializing"


def test_same_seed_same_story(w, tmp_path, monkeypatch):
    def story():
        w.make_set(count=10, auto=True)
        w.publish("18.04.202406010", fail_percent=30)
        w.advance(4 * 3600)
        return w.doc()

    first = story()
    monkeypatch.setenv("VMSS_HOME", str(tmp_path / "second"))
    second = story()
    assert first == second
