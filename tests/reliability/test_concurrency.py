"""Concurrency, with real processes running the installed `vmss` (what parallel CI jobs do).

- parallel `vmss update --set tags.kN=vN` on one scale set while readers run show / get-latest:
  every update lands (no lost update), every read is whole, valid JSON. The suite runs 8 x 10; the
  full 16 x 50 of issue 7 is `python benchmarks/concurrency.py` (it prints the figures);
- parallel `vmss sim clock advance` never runs an event twice: the result is byte-identical to running
  the same advances one after another, and every instance was upgraded exactly once;
- lock waits are bounded (VMSS_LOCK_TIMEOUT) and a lock held by a SIGKILLed vmss does not wedge the store.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.reliability.harness import (NEW_VERSION, REPO, URN, VMSS, check_invariants, env_for, load_all, must,
                                       state_files, vmss)


def make_set(home: Path, name: str = "ss", count: int = 4, *extra: str) -> None:
    if not (home / "resourceGroups" / "rg").exists():
        must(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    must(home, "create", "-g", "rg", "-n", name, "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling",
         "--image", f"{URN}:latest", "--instance-count", str(count), "-o", "none", *extra)


def publish(home: Path, version: str = NEW_VERSION) -> None:
    must(home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
         "--version", version, "-o", "none")


def parallel_updates(home: Path, writers: int, updates: int, readers: int = 2) -> dict:
    """`writers` threads each run `updates` `vmss update` processes in turn while `readers` threads
    alternate show and get-latest until the writers are done. Returns figures and failures."""
    failures: list[str] = []
    reads = {"count": 0}
    done = threading.Event()
    env = env_for(home)

    def writer(w: int) -> None:
        for u in range(updates):
            proc = subprocess.run([*VMSS, "update", "-g", "rg", "-n", "ss", "--set", f"tags.k{w}_{u}=v{w}_{u}",
                                   "-o", "none"], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                failures.append(f"writer {w} update {u}: exit {proc.returncode}: {proc.stderr}")

    def reader(r: int) -> None:
        commands = (["show", "-g", "rg", "-n", "ss"], ["rolling-upgrade", "get-latest", "-g", "rg", "-n", "ss"])
        i = r
        while not done.is_set():
            args = commands[i % 2]
            i += 1
            proc = subprocess.run([*VMSS, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
            reads["count"] += 1
            try:
                json.loads(proc.stdout)
                assert proc.returncode == 0 and proc.stderr == ""
            except (ValueError, AssertionError):
                failures.append(f"reader: vmss {' '.join(args)}: exit {proc.returncode}: {proc.stderr} {proc.stdout[:200]}")

    started = time.monotonic()
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    observers = [threading.Thread(target=reader, args=(r,)) for r in range(readers)]
    for t in threads + observers:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    done.set()
    for t in observers:
        t.join()
    tags = json.loads(vmss(home, "show", "-g", "rg", "-n", "ss", "--query", "tags").stdout)
    expected = {f"k{w}_{u}": f"v{w}_{u}" for w in range(writers) for u in range(updates)}
    lost = sorted(set(expected) - set(tags))
    return {"seconds": elapsed, "updates": writers * updates, "reads": reads["count"], "lost": lost,
            "wrong": sorted(k for k in expected if k in tags and tags[k] != expected[k]), "failures": failures}


def prepare_update_target(home: Path) -> None:
    """ss with a finished rollout, so get-latest has something to show."""
    make_set(home)
    publish(home)
    must(home, "rolling-upgrade", "start", "-g", "rg", "-n", "ss", "--only-show-errors")


@pytest.mark.slow
def test_parallel_updates_lose_nothing_and_reads_stay_whole(vmss_home):
    prepare_update_target(vmss_home)
    figures = parallel_updates(vmss_home, writers=8, updates=10)
    assert figures["failures"] == []
    assert figures["lost"] == [] and figures["wrong"] == []
    assert figures["reads"] > 0
    assert check_invariants(vmss_home) == []


# --- the clock -------------------------------------------------------------------------------------

def build_rollouts(home: Path) -> None:
    """Three sets with rollouts queued (one paused between batches), so advances have events to run."""
    for name, count in (("ss1", 10), ("ss2", 6), ("ss3", 5)):
        make_set(home, name, count, "--pause-time-between-batches", "PT3M")
    publish(home)
    for name in ("ss1", "ss2", "ss3"):
        must(home, "rolling-upgrade", "start", "-g", "rg", "-n", name, "--no-wait", "--only-show-errors")


def test_parallel_clock_advances_never_run_an_event_twice(tmp_path):
    concurrent, serial = tmp_path / "concurrent", tmp_path / "serial"
    build_rollouts(concurrent)
    shutil.copytree(concurrent, serial)
    rounds, width, step = 3, 4, "7m"
    for _ in range(rounds):  # `width` advances at once, three times
        procs = [subprocess.Popen([*VMSS, "sim", "clock", "advance", step, "-o", "none", "--only-show-errors"],
                                  env=env_for(concurrent), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(width)]
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert (proc.returncode, err) == (0, ""), err
    for _ in range(rounds * width):
        assert vmss(serial, "sim", "clock", "advance", step, "-o", "none", "--only-show-errors").returncode == 0

    world = json.loads((concurrent / "world.json").read_bytes())
    assert world["now"] - world["startTime"] == rounds * width * 7 * 60  # every advance moved the clock once
    # Each advance ran alone, so the order cannot matter: the same files, byte for byte, as one after another.
    for path in state_files(serial):
        assert (concurrent / path.relative_to(serial)).read_bytes() == path.read_bytes(), path
    assert check_invariants(concurrent) == []
    for name in ("ss1", "ss2", "ss3"):
        doc = load_all(concurrent)[1][f"resourceGroups/rg/virtualMachineScaleSets/{name}.json"]  # events too
        op = doc["rollingUpgrades"][-1]
        assert op["status"] == "Completed"
        assert sorted(iid for batch in op["batches"] for iid in batch) == sorted(i["instanceId"] for i in doc["instances"])
        for inst in doc["instances"]:  # upgraded exactly once: one disk replacement, generation 2
            replaced = [e for e in doc["events"] if e["type"] == "OSDiskReplaced" and inst["instanceId"] in e["instances"]]
            assert len(replaced) == 1 and inst["osDisk"]["generation"] == 2
            assert inst["osDisk"]["imageReference"]["exactVersion"] == NEW_VERSION


# --- the lock --------------------------------------------------------------------------------------

# A real vmss command that stops inside its commit, the lock held, before its first state file is
# replaced (after its journal, when it has one: files.place puts its staged files in place), and says
# so; it goes on when a line arrives on stdin, or dies when killed.
PAUSED_IN_COMMIT = r"""
import sys
from vmss_cli.store import files
real_write, real_place = files.write_bytes, files.place
def pause():
    print("in commit", flush=True)
    sys.stdin.readline()
def write_bytes(path, data):
    if path.name != ".journal.json":  # a multi-file commit pauses with its journal written
        pause()
    real_write(path, data)
def place(tmp, path):
    pause()
    real_place(tmp, path)
files.write_bytes, files.place = write_bytes, place
from vmss_cli.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def paused_writer(vmss_home):
    make_set(vmss_home, "ss", 2, "--enable-auto-os-upgrade", "true")
    publish(vmss_home)  # queues the Platform's pickup of the new version
    procs = []

    def start(*args: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", PAUSED_IN_COMMIT, *args], env=env_for(vmss_home), cwd=REPO,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        assert proc.stdout.readline() == "in commit\n", proc.stderr.read()
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_lock_waits_are_bounded_and_say_why(vmss_home, paused_writer):
    holder = paused_writer("update", "-g", "rg", "-n", "ss", "--set", "tags.holder=x", "-o", "none")
    before = {p: p.read_bytes() for p in state_files(vmss_home)}
    started = time.monotonic()
    proc = vmss(vmss_home, "update", "-g", "rg", "-n", "ss", "--set", "tags.waiter=1", VMSS_LOCK_TIMEOUT="0.5")
    waited = time.monotonic() - started
    assert proc.returncode == 1
    assert proc.stderr == (f"ERROR: Timed out after 0.5 s waiting for the lock on '{vmss_home / '.lock'}'; "
                           "another vmss command is still running.\n")
    assert 0.5 <= waited < 10  # bounded: the timeout plus start-up, not the holder's lifetime
    assert {p: p.read_bytes() for p in state_files(vmss_home)} == before
    # readers never wait for the lock
    shown = vmss(vmss_home, "show", "-g", "rg", "-n", "ss", "--query", "tags", VMSS_LOCK_TIMEOUT="0")
    assert (shown.returncode, json.loads(shown.stdout)) == (0, {})
    out, err = holder.communicate("\n", timeout=60)
    assert (holder.returncode, err) == (0, "")
    assert json.loads(vmss(vmss_home, "show", "-g", "rg", "-n", "ss", "--query", "tags").stdout) == {"holder": "x"}


@pytest.mark.parametrize("value", ["abc", "-1", "inf", "nan", "1e999"])
def test_a_bad_lock_timeout_is_a_clear_error(vmss_home, value):
    make_set(vmss_home)
    proc = vmss(vmss_home, "update", "-g", "rg", "-n", "ss", "--set", "tags.a=1", VMSS_LOCK_TIMEOUT=value)
    assert (proc.returncode, proc.stderr) == (
        1, f"ERROR: VMSS_LOCK_TIMEOUT='{value}' is not a number of seconds (0 or more).\n")
    assert vmss(vmss_home, "show", "-g", "rg", "-n", "ss", VMSS_LOCK_TIMEOUT=value).returncode == 0  # readers: no lock


def test_a_writer_killed_inside_its_commit_does_not_wedge_the_store(vmss_home, paused_writer):
    # Disabling automatic upgrades changes the set and the world's queue: a two-file commit, paused
    # after its journal was written, then killed -9 with the lock held.
    holder = paused_writer("update", "-g", "rg", "-n", "ss", "--enable-auto-os-upgrade", "false", "-o", "none")
    assert (vmss_home / ".journal.json").exists()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    assert holder.returncode == -signal.SIGKILL
    started = time.monotonic()
    proc = vmss(vmss_home, "update", "-g", "rg", "-n", "ss", "--set", "tags.after=x", "-o", "none",
                VMSS_LOCK_TIMEOUT="5")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert time.monotonic() - started < 5  # the OS released the dead process's flock at once
    # the killed command's commit was finished from its journal before the next command read anything
    assert not (vmss_home / ".journal.json").exists()
    shown = json.loads(vmss(vmss_home, "show", "-g", "rg", "-n", "ss").stdout)
    assert shown["upgradePolicy"]["automaticOSUpgradePolicy"]["enableAutomaticOSUpgrade"] is False
    assert shown["tags"] == {"after": "x"}
    world = json.loads((vmss_home / "world.json").read_bytes())
    assert [e for e in world["queue"] if e["kind"] == "platform.osUpgrade"] == []  # the pickup was cancelled
    assert check_invariants(vmss_home) == []


# --- churn ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_delete_create_and_scale_churn_during_rollouts(tmp_path):
    """Parallel processes delete and re-create sets under the same name, scale them in and out and
    start rollouts while the clock moves (issue 14, items 1-2). `python benchmarks/concurrency.py
    --churn` runs a bigger mix and prints its figures."""
    from tests.reliability.harness import churn

    figures = churn(tmp_path / "home", workers=3, commands=20, seed=14)
    assert figures["failures"] == []
    assert figures["problems"] == []
    ran = {k.split(":")[0] for k, n in figures["outcomes"].items() if k.endswith(": ok")}
    assert {"delete", "create", "scale", "rolling-upgrade start", "sim clock"} <= ran, figures["outcomes"]
