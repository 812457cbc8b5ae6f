"""Instance events scheduled one after another for the same second, set and operation are one queued event
(Sim.schedule_instance): its instances run in the order they joined, as their own events would have, so
the sets, their logs, the world and `pendingEvents` come out as they did when each had its own event."""

from __future__ import annotations

import json

from tests.reliability.harness import check_invariants
from tests.util import snapshot
from vmss_cli.core.world.events import Sim
from vmss_cli.store.state import transaction

URN = "Canonical:UbuntuServer:18.04-LTS"
IMG = ["-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"]


def test_instance_events_join_only_while_nothing_comes_between(tmp_path):
    world = {"schemaVersion": 1, "now": 1000, "startTime": 1000, "seed": 0, "sequence": 0, "queue": []}
    (tmp_path / "world.json").write_text(json.dumps(world))
    ran = []
    with transaction(tmp_path) as tx:
        sim = Sim(tx, {"rollout.upgraded": lambda sim, event: ran.append(list(event["data"]["instances"]))})
        sim.schedule_instance(1100, "rollout.upgraded", "rg", "a", "op1", "0")
        sim.schedule_instance(1100, "rollout.upgraded", "rg", "a", "op1", "1")
        sim.schedule_instance(1200, "rollout.upgraded", "rg", "a", "op1", "2")  # another second
        sim.schedule_instance(1200, "rollout.health", "rg", "a", "op1", "3")  # another kind
        sim.schedule_instance(1200, "rollout.health", "rg", "b", "op1", "4")  # another set
        sim.schedule_instance(1200, "rollout.health", "rg", "b", "op2", "5")  # another operation
        sim.schedule_instance(1200, "rollout.health", "rg", "b", "op2", "6")
        sim.schedule(1200, "rollout.batch", "rg", "b", op="op2")
        sim.schedule_instance(1200, "rollout.health", "rg", "b", "op2", "7")  # an event came between
        assert [(e["at"], e["seq"], e["kind"], e["name"], e["data"]) for e in sim.pending()] == [
            (1100, 1, "rollout.upgraded", "a", {"op": "op1", "instances": ["0", "1"]}),
            (1200, 3, "rollout.upgraded", "a", {"op": "op1", "instances": ["2"]}),
            (1200, 4, "rollout.health", "a", {"op": "op1", "instances": ["3"]}),
            (1200, 5, "rollout.health", "b", {"op": "op1", "instances": ["4"]}),
            (1200, 6, "rollout.health", "b", {"op": "op2", "instances": ["5", "6"]}),
            (1200, 8, "rollout.batch", "b", {"op": "op2"}),
            (1200, 9, "rollout.health", "b", {"op": "op2", "instances": ["7"]})]
        assert sim.world["sequence"] == 9  # a number for each instance, as when each had its own event
        sim.run(1100)
        assert ran == [["0", "1"]]
        sim.schedule_instance(1200, "rollout.health", "rg", "b", "op2", "8")  # joins the last one, still queued
        sim.schedule_instance(1100, "rollout.upgraded", "rg", "a", "op1", "9")  # the one that ran is gone
        assert [e["data"].get("instances") for e in sim.pending()] == [["9"], ["2"], ["3"], ["4"], ["5", "6"], None,
                                                                       ["7", "8"]]


def _release(cli, rg):
    for name, count in (("web", 10), ("api", 7)):
        r = cli("create", "-g", rg, "-n", name, "--image", f"{URN}:latest", "--instance-count", str(count),
                "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", "-o", "none")
        assert r.exit_code == 0, r.stderr
    r = cli("sim", "image", "publish", *IMG, "--version", "18.04.202406110", "--fail-percent", "25", "-o", "none")
    assert r.exit_code == 0, r.stderr


def _advance(cli, duration):
    r = cli("sim", "clock", "advance", duration, "-o", "json")
    assert r.exit_code == 0, r.stderr
    return r.json


def _split(home):
    """world.json as vmss wrote it before instance events joined (schemaVersion 1): an event an instance,
    each with its own sequence number (the numbers the joined instances took)."""
    path = home / "world.json"
    world = json.loads(path.read_text())
    queue = []
    for event in world["queue"]:
        data = event["data"]
        for n, iid in enumerate(data.pop("instances", None) or [None]):
            queue.append(dict(event, seq=event["seq"] + n, data=data if iid is None else dict(data, instance=iid)))
    world["queue"] = queue
    world["schemaVersion"] = 1
    path.write_text(json.dumps(world))
    return len(queue)


def test_a_rollout_run_in_steps_or_from_an_older_queue_ends_as_one_run(cli, rg, vmss_home, tmp_path):
    """A release with failures and rollbacks on two sets: advanced in one go; in 12-minute steps (the
    queue, joined events and all, saved and read back each time); and with the queue rewritten after
    each step as an older vmss saved it. The three stores end byte for byte the same."""
    import shutil

    _release(cli, rg)
    start = tmp_path / "start"
    shutil.copytree(vmss_home, start)
    _advance(cli, "5h")
    once = snapshot(vmss_home)
    assert check_invariants(vmss_home) == []
    logged = b"".join(v[1] for k, v in once.items() if k.endswith(".events.jsonl"))
    assert b'"type": "InstanceRolledBack"' in logged and b'"type": "RolloutFaulted"' in logged
    assert b'"type": "RolloutCompleted"' in logged
    for older in (False, True):
        shutil.rmtree(vmss_home)
        shutil.copytree(start, vmss_home)
        joined = 0
        for step in range(25):  # 5 hours
            pending = _advance(cli, "12m")["pendingEvents"]
            world = json.loads((vmss_home / "world.json").read_text())
            joined += sum(len(e["data"].get("instances") or []) > 1 for e in world["queue"])
            assert check_invariants(vmss_home) == []
            if older and step < 24:
                assert _split(vmss_home) == pending  # pendingEvents counts an event an instance
        assert snapshot(vmss_home) == once, older
        assert older or joined > 0  # (the steps did save joined events)


def test_a_waiting_command_leaves_the_stale_rest_of_an_event_queued(cli, rg, vmss_home, tmp_path):
    """The operation ends with the first instance of a joined event (a cancel waits for it): the rest are
    stale, and stay queued, as their own events did, until the next run drops them."""
    import shutil

    ok = lambda *args: cli(*args, "-o", "json")  # noqa: E731
    assert ok("create", "-g", rg, "-n", "web", "--image", f"{URN}:latest", "--instance-count", "2",
              "--upgrade-policy-mode", "Rolling", "--max-batch-instance-percent", "100",
              "--max-unhealthy-instance-percent", "100", "--max-unhealthy-upgraded-instance-percent", "100").exit_code == 0
    assert ok("sim", "image", "publish", *IMG, "--version", "18.04.202406110", "--fail-percent", "100").exit_code == 0
    assert ok("rolling-upgrade", "start", "-g", rg, "-n", "web", "--no-wait").exit_code == 0
    _advance(cli, "2m")
    assert ok("sim", "health", "set", "-g", rg, "-n", "web", "--instance-ids", "1", "--state", "Healthy").exit_code == 0
    _advance(cli, "1s")  # (instance 1 now has a second health event, joined after instance 0's)
    start = tmp_path / "start"
    shutil.copytree(vmss_home, start)
    results = []
    for older in (False, True):
        shutil.rmtree(vmss_home)
        shutil.copytree(start, vmss_home)
        if older:
            _split(vmss_home)
        assert ok("rolling-upgrade", "cancel", "-g", rg, "-n", "web").exit_code == 0
        queue = json.loads((vmss_home / "world.json").read_text())["queue"]
        results.append((ok("sim", "clock", "show").json["pendingEvents"], [e["kind"] for e in queue]))
    assert results[0] == results[1] and results[0][0] >= 1, results
