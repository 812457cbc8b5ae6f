"""A console command's process: it runs without cyclic garbage collection (its documents hold no reference
cycles, and a collection after a big transaction walked every object it made), and ends without taking its
objects apart (main.console -> end_process: its atexit callbacks run and its output is flushed, then the process
exits; freeing a 500-set advance's documents took 0.1 s). With another thread running, or under a profiler, it
ends the usual way, what it made frozen for the interpreter's last collection. `vmss serve`, which runs for hours, turns the collector back
on; an in-process call (tests, `vmss demo`) keeps the collector as it was."""

from __future__ import annotations

import json
import subprocess
import sys

# What the process saw, printed by an atexit callback: console() does not return to a console process.
PROBE = """
import atexit, gc, json, sys, threading, weakref
from vmss_cli.cli.main import console
from vmss_cli.store import state
collections, transactions = [], []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
made = state.Transaction.__init__
def init(self, *args, **kwargs):
    transactions.append(weakref.ref(self))
    made(self, *args, **kwargs)
state.Transaction.__init__ = init
def report(returned):
    print(json.dumps({"returned": returned, "collections": collections, "enabled": gc.isenabled(),
                      "frozen": gc.get_freeze_count(), "alive": [t() is not None for t in transactions]}), flush=True)
atexit.register(report, False)
if sys.argv[1] == "--with-a-thread":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
if sys.argv[1] == "--profiled":
    sys.setprofile(lambda frame, event, arg: None)  # as python -m cProfile does
sys.argv = ["vmss", *sys.argv[2:]]
code = console()
atexit.unregister(report)
report(True)
sys.exit(code)
"""


def _probe(vmss_home, *args: str, mode: str = "--") -> tuple[int, dict]:
    env = {"VMSS_HOME": str(vmss_home), "VMSS_START_TIME": "2026-01-01T00:00:00Z", "NO_COLOR": "1",
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", PROBE, mode, *args], env=env, capture_output=True, text=True)
    assert proc.stderr == "" or proc.returncode != 0, proc.stderr
    return proc.returncode, json.loads(proc.stdout.splitlines()[-1])


def test_a_command_process_runs_without_cyclic_collection_and_exits_without_freeing(vmss_home):
    assert _probe(vmss_home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")[0] == 0
    # a write big enough that the collector, were it on, would run many times (thousands of new objects)
    code, seen = _probe(vmss_home, "create", "-g", "rg", "-n", "web", "--instance-count", "50", "-o", "none")
    assert (code, seen["returned"], seen["collections"], seen["enabled"]) == (0, False, [], False)
    # main() did not return: the process ended after its atexit callbacks, its last transaction never freed
    assert seen["alive"][-1] is True


def test_a_failing_command_exits_with_its_code_and_its_whole_message(vmss_home):
    code, seen = _probe(vmss_home, "show", "-g", "rg", "-n", "nope")
    assert (code, seen["returned"]) == (3, False)
    proc = subprocess.run([sys.executable, "-m", "vmss_cli", "show", "-g", "rg", "-n", "nope"], capture_output=True,
                          text=True, env={"VMSS_HOME": str(vmss_home), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 3
    assert proc.stderr.startswith("ERROR: (ResourceGroupNotFound) Resource group 'rg' could not be found.\n")


def test_a_long_output_is_written_whole_before_the_process_exits(vmss_home):
    env = {"VMSS_HOME": str(vmss_home), "VMSS_START_TIME": "2026-01-01T00:00:00Z", "PATH": "/usr/bin:/bin"}
    vmss = [sys.executable, "-m", "vmss_cli"]
    subprocess.run([*vmss, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none"], env=env, check=True)
    subprocess.run([*vmss, "create", "-g", "rg", "-n", "web", "--instance-count", "100", "-o", "none"], env=env,
                   check=True)
    proc = subprocess.run([*vmss, "list-instances", "-g", "rg", "-n", "web"], env=env, capture_output=True)
    assert proc.returncode == 0 and len(proc.stdout) > 200_000  # more than a pipe holds: written as it is read
    assert [i["instanceId"] for i in json.loads(proc.stdout)] == [str(i) for i in range(100)]


def test_with_another_thread_running_the_process_ends_the_usual_way(vmss_home):
    code, seen = _probe(vmss_home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none", mode="--with-a-thread")
    assert (code, seen["returned"], seen["enabled"]) == (0, True, False)
    assert seen["frozen"] > 1000  # what the command left is not walked by the exit's last collection


def test_under_a_profiler_the_process_ends_the_usual_way(vmss_home, tmp_path):
    code, seen = _probe(vmss_home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none", mode="--profiled")
    assert (code, seen["returned"]) == (0, True)
    # python -m cProfile writes its profile when the program ends
    out = tmp_path / "vmss.prof"
    env = {"VMSS_HOME": str(vmss_home), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "vmss_cli", "group", "list", "-o",
                           "none"], env=env, capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (0, "")
    import pstats

    assert pstats.Stats(str(out)).total_calls > 1000


def test_an_in_process_call_leaves_the_collector_as_it_found_it(cli, rg):
    import gc

    assert gc.isenabled()
    assert cli("create", "-g", rg, "-n", "web", "--instance-count", "3", "-o", "none").exit_code == 0
    assert gc.isenabled()


SERVE_PROBE = """
import atexit, gc, json, sys
from vmss_cli.serve import server
seen = []
server.run = lambda *args: seen.append(gc.isenabled()) or 0  # the server itself is not started
atexit.register(lambda: print(json.dumps({"collector_on_while_serving": seen}), flush=True))
sys.argv = ["vmss", "serve", "--port", "0"]
from vmss_cli.cli.main import console
sys.exit(console())
"""


def test_serve_runs_with_the_collector_on(vmss_home):
    env = {"VMSS_HOME": str(vmss_home), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", SERVE_PROBE], env=env, capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert json.loads(proc.stdout.splitlines()[-1]) == {"collector_on_while_serving": [True]}
