"""The console command runs without cyclic garbage collection (its documents hold no reference cycles, and a
collection after a big transaction walked every object it made), and leaves what it made frozen for the
interpreter's exit. `vmss serve`, which runs for hours, turns it back on; an in-process call (tests,
`vmss demo`) keeps the collector as it was."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json, sys
from vmss_cli.cli.main import main
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
sys.argv = ["vmss", *sys.argv[1:]]
code = main()
print(json.dumps({"code": code, "collections": collections, "enabled": gc.isenabled(),
                  "frozen": gc.get_freeze_count()}))
"""


def _probe(vmss_home, *args: str) -> dict:
    env = {"VMSS_HOME": str(vmss_home), "VMSS_START_TIME": "2026-01-01T00:00:00Z", "NO_COLOR": "1",
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout.splitlines()[-1])


def test_a_command_process_runs_without_cyclic_collection(vmss_home):
    assert _probe(vmss_home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")["code"] == 0
    # a write big enough that the collector, were it on, would run many times (thousands of new objects)
    created = _probe(vmss_home, "create", "-g", "rg", "-n", "web", "--instance-count", "50", "-o", "none")
    assert (created["code"], created["collections"], created["enabled"]) == (0, [], False)
    assert created["frozen"] > 1000  # what the command left is not walked at exit


def test_an_in_process_call_leaves_the_collector_as_it_found_it(cli, rg):
    import gc

    assert gc.isenabled()
    assert cli("create", "-g", rg, "-n", "web", "--instance-count", "3", "-o", "none").exit_code == 0
    assert gc.isenabled()


SERVE_PROBE = """
import gc, json, sys
from vmss_cli.serve import server
seen = []
server.run = lambda *args: seen.append(gc.isenabled()) or 0  # the server itself is not started
sys.argv = ["vmss", "serve", "--port", "0"]
from vmss_cli.cli.main import main
print(json.dumps({"code": main(), "collector_on_while_serving": seen}))
"""


def test_serve_runs_with_the_collector_on(vmss_home):
    env = {"VMSS_HOME": str(vmss_home), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", SERVE_PROBE], env=env, capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout.splitlines()[-1]) == {"code": 0, "collector_on_while_serving": [True]}
