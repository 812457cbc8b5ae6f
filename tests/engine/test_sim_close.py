"""What the engine changes in a run reaches the transaction when the world closes (Sim.close): every changed
set and its log lines, and nothing for a set deleted or replaced in the meantime."""

from __future__ import annotations

from vmss_cli.core.resources import scaleset
from vmss_cli.core.rollout import engine
from vmss_cli.core.rollout.handlers import open_world
from vmss_cli.store import paths
from vmss_cli.store.state import transaction


def _start_unclosed(tx, name="ss"):
    """A rollout started and run a little on a world that is not closed yet."""
    sim = open_world(tx)
    doc = scaleset.load(tx, "rg", name)
    engine.start(sim, doc, "User")
    sim.run(until=sim.now + 100)  # the first batch, its instance upgraded (90 s) but not yet healthy
    return sim, doc


def test_a_run_reaches_the_store_only_through_close(w):
    w.make_set(count=5)
    w.publish("18.04.203001010")
    log = paths.scale_set_events_file(paths.home(), "rg", "ss")
    with transaction() as tx:
        sim, doc = _start_unclosed(tx)
        assert sim.changed and sim.log_lines  # what the handlers did waits for close()
        sim.close()
    after = w.doc()
    assert after["rollingUpgrades"][-1]["operationId"] == doc["rollingUpgrades"][-1]["operationId"]
    assert [i["upgrade"]["phase"] for i in after["instances"] if i.get("upgrade")] == ["WaitingForHealth"]
    kinds = [e["type"] for e in w.events()]
    assert kinds == ["RolloutStarted", "BatchStarted", "OSDiskReplaced"], kinds
    assert log.read_text().count("\n") == 3


def test_a_set_deleted_before_the_world_closes_stays_deleted(w):
    w.make_set(count=5)
    w.publish("18.04.203001010")
    home = paths.home()
    with transaction() as tx:
        sim, _ = _start_unclosed(tx)
        scaleset.delete(tx, "rg", "ss")
        sim.close()
    assert not paths.scale_set_file(home, "rg", "ss").exists()
    assert not paths.scale_set_events_file(home, "rg", "ss").exists()


def test_a_set_recreated_before_the_world_closes_gets_none_of_the_old_sets_lines(w):
    w.make_set(count=5)
    w.publish("18.04.203001010")
    with transaction() as tx:
        sim, _ = _start_unclosed(tx)
        scaleset.delete(tx, "rg", "ss")
        scaleset.create(tx, resource_group="rg", name="ss", image="Canonical:UbuntuServer:18.04-LTS:latest",
                        instance_count=2, orchestration_mode="Uniform", upgrade_policy_mode="Rolling")
        sim.close()
    assert w.doc()["rollingUpgrades"] == [] and w.events() == []


def test_a_set_replaced_before_the_world_closes_keeps_the_replacement(w):
    w.make_set(count=5)
    w.publish("18.04.203001010")
    with transaction() as tx:
        sim, doc = _start_unclosed(tx)
        replacement = dict(doc, scaleSet=dict(doc["scaleSet"], tags={"replaced": "yes"}))
        scaleset.save(tx, replacement)  # as a model update saves its new document
        sim.close()
    assert w.doc()["scaleSet"]["tags"] == {"replaced": "yes"}
