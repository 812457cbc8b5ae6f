"""Serve's clock modes: on-poll (a poll of a running rollout moves the world one step), frozen, realtime."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.serve.conftest import VMSS_PATH, Client, api, create_seed_set, publish


def _start(client) -> str:
    create_seed_set(client, capacity=10)
    publish(client, "18.04.202406010")
    start = client.request("POST", api(VMSS_PATH + "/osRollingUpgrade"))
    assert start.status == 202
    return start.path_of("Azure-AsyncOperation")


def test_on_poll_moves_the_world_one_batch_per_poll_deterministically(client):
    status_path = _start(client)
    seen = []
    while not seen or seen[-1][0] == "InProgress":
        body = client.get(status_path).json
        latest = client.get(api(VMSS_PATH + "/rollingUpgrades/latest")).json["properties"]["progress"]
        seen.append((body["status"], client.get("/_vmss/clock").json["now"][11:19],
                     latest["successfulInstanceCount"]))
    # 10 instances in batches of 20 %: each poll ends one batch (2.5 minutes of world time: a 90 s disk
    # swap, then 60 s to healthy; this set has a load balancer probe and no extension)
    assert seen == [("InProgress", "00:02:30", 2), ("InProgress", "00:05:00", 4), ("InProgress", "00:07:30", 6),
                    ("InProgress", "00:10:00", 8), ("Succeeded", "00:12:30", 10)]


@pytest.fixture
def frozen(vmss_home):
    from vmss_cli.serve.server import Serving

    server = Serving(Path(os.environ["VMSS_HOME"]), port=0, clock="frozen").start_background()
    client = Client(server.url, server.ca_file)
    yield client
    client.close()
    server.close()


def test_frozen_polls_never_move_the_world_only_the_admin_endpoint_does(frozen):
    status_path = _start(frozen)
    for _ in range(3):
        assert frozen.get(status_path).json["status"] == "InProgress"
        assert frozen.get(api(VMSS_PATH.replace("/web", "/web") + "/rollingUpgrades/latest")).json[
            "properties"]["progress"]["successfulInstanceCount"] == 0
    clock = frozen.get("/_vmss/clock").json
    assert (clock["now"], clock["clock"]) == ("2026-01-01T00:00:00+00:00", "frozen")
    frozen.request("POST", "/_vmss/clock/advance", {"seconds": 3600})
    assert frozen.get(status_path).json["status"] == "Succeeded"


def test_realtime_follows_the_wall_clock_times_speed(vmss_home, cli):
    from vmss_cli.serve import resources
    from vmss_cli.serve.clock import Clock

    cli("group", "create", "-n", "rg1", "-l", "eastus")
    ctx = resources.Context(vmss_home)
    clock = Clock("realtime:60")
    clock.anchor(resources, ctx, wall=1000.0)
    clock.tick(resources, ctx, wall=1010.0)  # 10 wall seconds × 60
    assert resources.now(ctx) == "2026-01-01T00:10:00+00:00"
    cli("sim", "clock", "advance", "1h")  # another shell jumps ahead: realtime never moves it back
    clock.tick(resources, ctx, wall=1020.0)
    assert resources.now(ctx) == "2026-01-01T01:10:00+00:00"
    clock.tick(resources, ctx, wall=1080.0)  # 80 s × 60 = 80 min from the anchor
    assert resources.now(ctx) == "2026-01-01T01:20:00+00:00"


@pytest.mark.parametrize("spec,mode,speed", [("on-poll", "on-poll", 1.0), ("FROZEN", "frozen", 1.0),
                                             ("realtime", "realtime", 1.0), ("realtime:2.5", "realtime", 2.5)])
def test_clock_specs(spec, mode, speed):
    from vmss_cli.serve.clock import Clock

    clock = Clock(spec)
    assert (clock.mode, clock.speed) == (mode, speed)


@pytest.mark.parametrize("spec", ["bogus", "frozen:2", "realtime:0", "realtime:fast", "realtime:-1"])
def test_bad_clock_specs_are_usage_errors(spec, cli):
    result = cli("serve", "--clock", spec)
    assert result.exit_code == 2
    assert result.stderr.startswith("ERROR: argument --clock: ")
