"""The world's queue runs events in (world time, sequence number) order, and an event scheduled while
the world runs is numbered after every queued one, whatever world.json says its count is."""

from __future__ import annotations

import json

from vmss_cli.core.world.events import Sim
from vmss_cli.store.state import transaction


def _world(home, queue, sequence=None):
    world = {"schemaVersion": 1, "now": 1000, "startTime": 1000, "seed": 0, "queue": queue}
    if sequence is not None:
        world["sequence"] = sequence
    home.mkdir(parents=True, exist_ok=True)
    (home / "world.json").write_text(json.dumps(world))


def _run(home, until):
    order = []

    def record(name, then=None):
        def handler(sim, event):
            order.append(name)
            if then:
                sim.schedule(sim.now, then, "rg", "x")
        return handler

    handlers = {"t.a": record("a", then="t.b"), "t.b": record("b"), "t.c": record("c"), "t.d": record("d")}
    with transaction(home) as tx:
        sim = Sim(tx, handlers)
        sim.run(until)
        sim.close()
    return order, json.loads((home / "world.json").read_text())


def test_events_run_by_time_then_sequence_and_new_ones_come_after_the_queued(tmp_path):
    saved = [{"at": 1100, "seq": 6, "kind": "t.c", "rg": "rg", "name": "y", "data": {}},
             {"at": 1050, "seq": 9, "kind": "t.d", "rg": "rg", "name": "y", "data": {}},
             {"at": 1100, "seq": 5, "kind": "t.a", "rg": "rg", "name": "x", "data": {}}]
    for sequence in (9, None, 3):  # as vmss writes it; missing; behind the queue (a hand-made world.json)
        home = tmp_path / f"home{sequence}"
        _world(home, saved, sequence)
        order, world = _run(home, 1100)
        assert order == ["d", "a", "c", "b"], sequence  # b, scheduled by a at 1100, is numbered 10
        assert world["sequence"] == 10 and world["queue"] == [] and world["now"] == 1100


def test_a_queue_left_for_later_is_saved_in_run_order(tmp_path):
    home = tmp_path / "home"
    _world(home, [{"at": 1300, "seq": 2, "kind": "t.c", "rg": "rg", "name": "y", "data": {}},
                  {"at": 1200, "seq": 4, "kind": "t.d", "rg": "rg", "name": "y", "data": {}},
                  {"at": 1100, "seq": 3, "kind": "t.a", "rg": "rg", "name": "x", "data": {}}], 4)
    order, world = _run(home, 1100)
    assert order == ["a", "b"]
    assert [(e["at"], e["seq"], e["kind"]) for e in world["queue"]] == [(1200, 4, "t.d"), (1300, 2, "t.c")]
    order, world = _run(home, 1300)
    assert order == ["d", "c"] and world["queue"] == []
