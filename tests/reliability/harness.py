"""Shared by the reliability tests and the benchmarks/ scripts: running the installed `vmss` as a
real process, a store with rollouts in flight, the store's invariants, and one kill -9 trial.

Nothing here sleeps: waits are bounded polls on a process or a file, with a deadline.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
URN = "Canonical:UbuntuServer:18.04-LTS"
NEW_VERSION = "18.04.202406110"  # newer than anything the shipped catalog has for URN
TERMINAL = ("Completed", "Faulted", "Cancelled")
RUNNING = "RollingForward"
KILLED = (-signal.SIGKILL, 137)


def vmss_command() -> list[str]:
    """The console script installed beside this interpreter (what users run), else `python -m vmss_cli`.
    VMSS_TEST_COMMAND (e.g. "python -m vmss_cli") overrides it, to try another build."""
    if os.environ.get("VMSS_TEST_COMMAND"):
        import shlex

        return shlex.split(os.environ["VMSS_TEST_COMMAND"])
    script = Path(sys.executable).parent / "vmss"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "vmss_cli"]


VMSS = vmss_command()


def env_for(home: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(VMSS_HOME=str(home), VMSS_START_TIME="2026-01-01T00:00:00+00:00", VMSS_SEED="42", NO_COLOR="1",
               COLUMNS="120")
    env.pop("VMSS_TEST_CRASH_AT", None)
    # Measure vmss as installed (pip writes bytecode): with PYTHONDONTWRITEBYTECODE set, as on some
    # machines, every process compiled ~45 modules again (~80 ms each). The cache lives outside the repo.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "vmss-test-pycache"))
    env.update(extra)
    return env


def vmss(home: Path, *args: str, timeout: float = 120, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*VMSS, *args], env=env_for(home, **extra_env), cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def inproc(home: Path, *args: str) -> tuple[int, str, str]:
    """`vmss ARGS` in this process against `home` (fast; for building stores)."""
    from vmss_cli.cli.main import main

    saved = {k: os.environ.get(k) for k in ("VMSS_HOME", "VMSS_START_TIME", "VMSS_SEED", "NO_COLOR")}
    os.environ.update(VMSS_HOME=str(home), VMSS_START_TIME="2026-01-01T00:00:00+00:00", VMSS_SEED="42",
                      NO_COLOR="1")
    out, err = io.StringIO(), io.StringIO()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return code, out.getvalue(), err.getvalue()


def must(home: Path, *args: str) -> str:
    code, out, err = inproc(home, *args)
    assert code == 0, f"vmss {' '.join(args)} -> {code}: {err}"
    return out


# --- a store with work in flight ------------------------------------------------------------------

def build_busy_store(home: Path) -> None:
    """rg with three Uniform scale sets, a newer image published, and rollouts queued or running:
      ss1  Rolling, automatic OS upgrades on: a Platform pickup is queued (30 min - 3 h away)
      ss2  Rolling, a manual rollout started --no-wait and two minutes in (a batch in flight)
      ss3  Manual mode, behind the latest version, nothing running
    """
    must(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    common = ("--image", f"{URN}:latest", "--orchestration-mode", "Uniform", "-o", "none")
    must(home, "create", "-g", "rg", "-n", "ss1", "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade",
         "true", "--instance-count", "10", *common)
    must(home, "create", "-g", "rg", "-n", "ss2", "--upgrade-policy-mode", "Rolling", "--instance-count", "6",
         *common)
    must(home, "create", "-g", "rg", "-n", "ss3", "--instance-count", "4", *common)
    must(home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
         "18.04-LTS", "--version", NEW_VERSION, "-o", "none")
    must(home, "rolling-upgrade", "start", "-g", "rg", "-n", "ss2", "--no-wait", "--only-show-errors")
    must(home, "sim", "clock", "advance", "2m", "-o", "none", "--only-show-errors")


def build_rollback_store(home: Path) -> None:
    """rg with one Rolling set under automatic OS upgrades (rollback on) whose new image never turns
    healthy, stopped while an instance is being rolled back (its previous OS disk not yet back)."""
    must(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    must(home, "create", "-g", "rg", "-n", "rb", "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade",
         "true", "--instance-count", "5", "--image", f"{URN}:latest", "--orchestration-mode", "Uniform", "-o", "none")
    must(home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
         "18.04-LTS", "--version", NEW_VERSION, "--fail-percent", "100", "-o", "none")
    for _ in range(600):
        must(home, "sim", "clock", "advance", "1m", "-o", "none", "--only-show-errors")
        doc = json.loads((home / "resourceGroups/rg/virtualMachineScaleSets/rb.json").read_bytes())
        if any((i.get("upgrade") or {}).get("phase") == "RollingBack" for i in doc["instances"]):
            return
    raise AssertionError("no instance was rolled back within 10 h of world time")


# Commands a kill -9 interrupts: each reads and writes the busy store. Those that run the world
# (blocking start, clock advance, disabling automatic upgrades) change several files in one commit.
CRASH_COMMANDS = {
    "rolling-upgrade start": ("rolling-upgrade", "start", "-g", "rg", "-n", "ss3"),
    "rolling-upgrade start (auto set)": ("rolling-upgrade", "start", "-g", "rg", "-n", "ss1"),
    "update --set": ("update", "-g", "rg", "-n", "ss2", "--set", "tags.crash=test", "-o", "none"),
    "update policy": ("update", "-g", "rg", "-n", "ss1", "--enable-auto-os-upgrade", "false",
                      "--max-batch-instance-percent", "50", "-o", "none"),
    "sim clock advance 30m": ("sim", "clock", "advance", "30m", "-o", "none"),
    "sim clock advance 3h": ("sim", "clock", "advance", "3h", "-o", "none"),
}


# --- invariants -------------------------------------------------------------------------------------

def state_files(home: Path) -> list[Path]:
    """Every state file (not the lock, temp files or other dot files), scale sets' event logs included."""
    return sorted(p for pattern in ("*.json", "*.jsonl") for p in home.rglob(pattern)
                  if not any(part.startswith(".") for part in p.relative_to(home).parts))


def load_all(home: Path) -> tuple[dict, dict[str, dict]]:
    """(world, {relative path: scale set doc}); raises whatever the store's reader raises."""
    from vmss_cli.store import files

    world, sets = {}, {}
    for path in state_files(home):
        rel = str(path.relative_to(home))
        if path.name.endswith(".events.jsonl"):
            continue  # read with its scale set below
        kind = ("world" if rel == "world.json" else "images" if rel == "images.json" else
                "group" if path.name == "group.json" else "scaleSet" if "virtualMachineScaleSets" in rel else None)
        if kind is None:
            json.loads(path.read_bytes())  # a file of a newer module (galleries, deployments): must parse
            continue
        doc = files.read_json(path, kind)
        if kind == "world":
            world = doc
        elif kind == "scaleSet":
            log = path.with_name(path.name[:-len(".json")] + ".events.jsonl")
            logged = [json.loads(line) for line in (log.read_bytes() if log.exists() else b"").splitlines()]
            doc["events"] = (doc.get("events") or []) + logged  # the whole log, as `vmss sim events` reads it
            sets[rel] = doc
    return world, sets


def check_invariants(home: Path) -> list[str]:
    """Problems found in the store at `home` (empty when every invariant holds)."""
    try:
        world, sets = load_all(home)
    except Exception as exc:  # noqa: BLE001 (any failure to load is the finding)
        return [f"store does not load: {type(exc).__name__}: {exc}"]
    problems: list[str] = []
    queue = world.get("queue", [])
    now = world.get("now")
    for event in queue:
        if event["at"] < now:
            problems.append(f"queued event {event['kind']} at {event['at']} is before world time {now}")
    seqs = [e["seq"] for e in queue]
    if len(seqs) != len(set(seqs)) or (seqs and max(seqs) > world.get("sequence", 0)):
        problems.append("queue sequence numbers are not unique or exceed the world's counter")
    for rel, doc in sets.items():
        arm = doc["scaleSet"]
        ids = [i["instanceId"] for i in doc["instances"]]
        if arm["sku"]["capacity"] != len(ids):
            problems.append(f"{rel}: sku.capacity {arm['sku']['capacity']} != {len(ids)} instances")
        if len(ids) != len(set(ids)):
            problems.append(f"{rel}: duplicate instance ids {ids}")
        for inst in doc["instances"]:
            disk = inst.get("osDisk")
            if not isinstance(disk, dict) or not isinstance(disk.get("imageReference", {}).get("exactVersion"), str):
                problems.append(f"{rel}: instance {inst['instanceId']} has no OS disk with an exactVersion")
        ops = doc["rollingUpgrades"]
        running = [op for op in ops if op["status"] == RUNNING]
        if len(running) > 1:
            problems.append(f"{rel}: {len(running)} RollingForward operations")
        if running and ops[-1] is not running[0]:
            problems.append(f"{rel}: a RollingForward operation is not the latest one")
        for op in ops:
            if op["status"] in TERMINAL and op.get("endTime") is None:
                problems.append(f"{rel}: {op['status']} operation {op['operationId']} has no endTime")
            if op["status"] not in TERMINAL + (RUNNING,):
                problems.append(f"{rel}: operation status {op['status']!r}")
            # An instance being rolled back is both failed and still in progress until its previous OS
            # disk is back (engine.on_health -> on_rolled_back): an ordinary state, not a broken one.
            rolling_back = {i["instanceId"] for i in doc["instances"]
                            if (i.get("upgrade") or {}).get("phase") == "RollingBack"
                            and i["upgrade"].get("op") == op["operationId"]}
            lists = [set(op.get(k) or []) - (rolling_back if k == "failed" else set())
                     for k in ("pending", "inProgress", "succeeded", "failed")]
            total = sum(len(x) for x in lists)
            if len(set().union(*lists)) != total:
                problems.append(f"{rel}: an instance is in two of pending/inProgress/succeeded/failed of "
                                f"{op['operationId']}")
            batched = [iid for batch in op.get("batches") or [] for iid in batch]
            if len(batched) != len(set(batched)):
                problems.append(f"{rel}: an instance is in two batches of {op['operationId']}")
        events = doc.get("events") or []
        seen: dict[tuple, int] = {}
        for record in events:
            if record["type"] in ("OSDiskReplaced", "ModelApplied", "InstanceHealthy", "InstanceRolledBack",
                                  "InstanceFailed"):
                for iid in record.get("instances") or []:
                    key = (record["operationId"], iid, record["type"])
                    seen[key] = seen.get(key, 0) + 1
        twice = sorted(k for k, n in seen.items() if n > 1)
        if twice:
            problems.append(f"{rel}: instance events recorded twice (work done twice): {twice[:5]}")
        for op in ops:
            started = sum(1 for r in events if r["type"] == "BatchStarted" and r["operationId"] == op["operationId"])
            if started != len(op.get("batches") or []):
                problems.append(f"{rel}: {started} BatchStarted events for {len(op.get('batches') or [])} batches "
                                f"of {op['operationId']}")
        if running:
            op = running[0]
            waiting = any((i.get("upgrade") or {}).get("phase") == "AwaitingApproval" for i in doc["instances"])
            # events that can still move it: a next batch, or one for an instance it is upgrading now
            live = [e for e in queue if (e.get("data") or {}).get("op") == op["operationId"]
                    and (not _instances_of(e) or _instances_of(e) & set(op.get("inProgress") or []))]
            if not live and not waiting:
                problems.append(f"{rel}: RollingForward operation {op['operationId']} has no queued event that can "
                                "move it on: it can never finish (silently lost)")
            queued_for = {iid for e in queue if (e.get("data") or {}).get("op") == op["operationId"]
                          for iid in _instances_of(e)}
            for iid in op.get("inProgress") or []:
                inst = next((i for i in doc["instances"] if i["instanceId"] == iid), None)
                phase = ((inst or {}).get("upgrade") or {})
                if inst is None or phase.get("op") != op["operationId"]:
                    problems.append(f"{rel}: in-progress instance {iid} is not being upgraded by the operation")
                elif iid not in queued_for and phase.get("phase") != "AwaitingApproval":
                    problems.append(f"{rel}: in-progress instance {iid} ({phase.get('phase')}) has no queued event: "
                                    "its upgrade can never finish")
        for inst in doc["instances"]:
            upgrade = inst.get("upgrade") or {}
            if upgrade and not any(op["operationId"] == upgrade.get("op") and op["status"] == RUNNING for op in ops):
                problems.append(f"{rel}: instance {inst['instanceId']} is stuck in phase {upgrade.get('phase')} of a "
                                "finished operation")
    return problems


def rollout_summary(home: Path) -> dict[str, list[str]]:
    """{set: [status of each rollout]}"""
    _, sets = load_all(home)
    return {doc["scaleSet"]["name"]: [op["status"] for op in doc["rollingUpgrades"]] for doc in sets.values()}


# --- one kill -9 trial ------------------------------------------------------------------------------

def poll(predicate, timeout: float, what: str) -> None:
    """Wait for `predicate()` with a deadline (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def fresh_copy(template: Path, home: Path) -> None:
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(template, home, symlinks=True)


def write_steps(template: Path, home: Path, args: tuple) -> int:
    """How many store write steps (VMSS_TEST_CRASH_AT points) `vmss ARGS` has on this store: each
    replaced file is two (temp file complete, replaced), each removed file one, and a commit of more
    than one file adds its journal (two) and the journal's removal (one)."""
    return measure(template, home, args)[0]


def measure(template: Path, home: Path, args: tuple) -> tuple[int, float]:
    """(write steps, wall seconds) of one uninterrupted `vmss ARGS` on a copy of `template`."""
    fresh_copy(template, home)
    before = {p: p.read_bytes() for p in state_files(home)}
    started = time.monotonic()
    proc = vmss(home, *args)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    after = {p: p.read_bytes() for p in state_files(home)}
    written = sum(1 for p, data in after.items() if before.get(p) != data)
    removed = sum(1 for p in before if p not in after)
    changes = written + removed
    return 2 * written + removed + (3 if changes > 1 else 0), seconds


def crash_trial(template: Path, home: Path, args: tuple, step: int | None = None, delay: float | None = None,
                name: str | None = None) -> dict:
    """Copy the busy store to `home`, run `vmss ARGS` and kill it -9: at store write step `step`
    (VMSS_TEST_CRASH_AT), or with SIGKILL after `delay` seconds. Then check the store, let the next
    commands recover and resume, and check again. Returns what happened; `problems` lists broken
    invariants (empty = pass)."""
    fresh_copy(template, home)
    before = rollout_summary(home)
    if step is not None:
        proc = vmss(home, *args, VMSS_TEST_CRASH_AT=str(step))
        point = f"write step {step}"
    else:
        child = subprocess.Popen([*VMSS, *args], env=env_for(home), cwd=REPO, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=60)
        proc = subprocess.CompletedProcess(child.args, child.returncode, out, err)
        point = f"after {delay * 1000:.0f} ms"
    killed = proc.returncode in KILLED
    result = {"command": name or " ".join(args[:3]), "point": point, "killed": killed, "exit": proc.returncode,
              "journal": (home / ".journal.json").exists(), "problems": []}
    if not killed and proc.returncode != 0:
        result["problems"].append(f"`vmss {' '.join(args)}` failed without a kill: {proc.stderr.strip()}")
    if "Traceback" in proc.stderr:
        result["problems"].append(f"traceback: {proc.stderr}")
    # A reader first: it must see a consistent store (and finish any commit the kill interrupted).
    listed = vmss(home, "list", "-o", "json")
    if listed.returncode != 0:
        result["problems"].append(f"`vmss list` after the crash failed: {listed.stderr.strip()}")
    else:
        json.loads(listed.stdout)
    if (home / ".journal.json").exists():
        result["problems"].append("the journal of the interrupted commit is still there after a command")
    result["problems"] += [f"after the crash: {p}" for p in check_invariants(home)]
    interrupted = {s for s, statuses in before.items() if statuses and statuses[-1] == RUNNING}
    # The next command resumes whatever was in flight: 6 h is enough for every queued rollout to end.
    advanced = vmss(home, "sim", "clock", "advance", "6h", "-o", "none", "--only-show-errors")
    if advanced.returncode != 0:
        result["problems"].append(f"`vmss sim clock advance 6h` after the crash failed: {advanced.stderr.strip()}")
    result["problems"] += [f"after resuming: {p}" for p in check_invariants(home)]
    after = rollout_summary(home)
    for name in interrupted | {s for s, statuses in after.items() if statuses and statuses[-1] == RUNNING}:
        statuses = after.get(name) or []
        if not statuses or statuses[-1] not in TERMINAL:
            result["problems"].append(f"rollout on {name} in flight before the crash did not finish: {statuses}")
    return result


def random_trial(rng: random.Random, template: Path, home: Path, commands: dict, profile: dict) -> dict:
    """One seeded random kill: a random command, killed at a random write step (two trials in three)
    or after a random delay within its measured run time. `profile`: {name: measure(...)}."""
    name = rng.choice(sorted(commands))
    steps, seconds = profile[name]
    if rng.random() < 2 / 3 and steps:
        return crash_trial(template, home, commands[name], step=rng.randint(1, steps), name=name)
    return crash_trial(template, home, commands[name], delay=rng.uniform(0.0, seconds), name=name)


def crash_commands() -> dict:
    """CRASH_COMMANDS, plus `deployment group create`."""
    commands = dict(CRASH_COMMANDS)
    commands["deployment group create"] = (
        "deployment", "group", "create", "-g", "rg", "--template-file", str(REPO / "tests/fixtures/templates/autoupdate.json"),
        "--parameters", "vmssNamePrefix=dep", "instanceCount=3", "adminUsername=azureuser",
        "adminPassword=Crash-Pw-1", "-o", "none", "--only-show-errors")
    return commands


# --- a full disk or Ctrl-C inside a commit ----------------------------------------------------------

def store_bytes(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in state_files(home)}


def clean_result(template: Path, home: Path, args: tuple) -> dict[str, bytes]:
    """The store after `vmss ARGS` ran without a fault on a copy of `template`."""
    fresh_copy(template, home)
    proc = vmss(home, *args)
    assert proc.returncode == 0, proc.stderr
    return store_bytes(home)


APPLIED = "The change was applied"


def fault_trial(template: Path, home: Path, args: tuple, step: int, clean: dict[str, bytes],
                fault: str = "ENOSPC", name: str | None = None) -> dict:
    """Copy `template` to `home`, run `vmss ARGS` with a fault at store write step `step`: a full disk
    (VMSS_TEST_FAULT_AT: that write fails with ENOSPC) or Ctrl-C (SIGINT at that step). The exit
    rule: exit 0 and the store is `clean` (the fault-free result); or a failure and the store, as
    the next command sees it, is unchanged; or a failure whose error says the change was applied and
    the store is `clean`. Then the invariants hold and the world runs on."""
    fresh_copy(template, home)
    before = store_bytes(home)
    env = ({"VMSS_TEST_FAULT_AT": str(step)} if fault == "ENOSPC"
           else {"VMSS_TEST_CRASH_AT": str(step), "VMSS_TEST_CRASH_SIGNAL": "SIGINT"})
    proc = vmss(home, *args, **env)
    applied = APPLIED in proc.stderr or "What ran so far is saved" in proc.stderr
    result = {"command": name or " ".join(args[:3]), "point": f"{fault} at write step {step}", "exit": proc.returncode,
              "applied": applied, "reached": proc.returncode != 0, "problems": []}
    if "Traceback" in proc.stderr or "This is a bug" in proc.stderr:
        result["problems"].append(f"reported as a bug: {proc.stderr.strip()}")
    # a reader next: what every later command sees
    listed = vmss(home, "list", "-o", "json")
    if listed.returncode != 0:
        result["problems"].append(f"`vmss list` after the fault failed: {listed.stderr.strip()}")
    seen = store_bytes(home)
    if proc.returncode == 0 or applied:
        if seen != clean:
            result["problems"].append(f"exit {proc.returncode} ({proc.stderr.strip()[:200]!r}) but the store is not "
                                      "the command's result")
    elif seen != before:
        result["problems"].append(f"exit {proc.returncode} without saying the change was applied "
                                  f"({proc.stderr.strip()[:200]!r}), yet the store changed")
    if (home / ".journal.json").exists():
        result["problems"].append("the journal is still there after a command")
    result["problems"] += [f"after the fault: {p}" for p in check_invariants(home)]
    advanced = vmss(home, "sim", "clock", "advance", "6h", "-o", "none", "--only-show-errors")
    if advanced.returncode != 0:
        result["problems"].append(f"`vmss sim clock advance 6h` after the fault failed: {advanced.stderr.strip()}")
    result["problems"] += [f"after resuming: {p}" for p in check_invariants(home)]
    return result


def fault_sweep(template: Path, home: Path, args: tuple, fault: str, name: str | None = None,
                limit: int = 60) -> list[dict]:
    """fault_trial at write step 1, 2, ... until the command no longer reaches the step."""
    clean = clean_result(template, home, args)
    results = []
    for step in range(1, limit + 1):
        result = fault_trial(template, home, args, step, clean, fault, name)
        if not result["reached"] and not result["problems"]:
            break
        results.append(result)
    return results


# --- churn: delete/create and scale while rollouts run -------------------------------------------------

CHURN_SETS = ("c1", "c2")


def churn_commands(rng: random.Random) -> tuple:
    """One random command of the churn mix: rollouts started, sets deleted and re-created under the
    same name, scaled in and out (two ways), the clock moved, and reads."""
    name = rng.choice(CHURN_SETS)
    common = ("-o", "none", "--only-show-errors")
    choice = rng.randrange(14)
    if choice in (0, 9, 10):
        return ("rolling-upgrade", "start", "-g", "rg", "-n", name, "--no-wait", "--only-show-errors")
    if choice == 11:  # a newer version, so sets that track latest have something to roll out
        return ("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
                "--version", f"18.04.{203000000 + rng.randrange(10**6)}", *common)
    if choice == 1:
        return ("delete", "-g", "rg", "-n", name)
    if choice in (2, 12, 13):
        return ("create", "-g", "rg", "-n", name, "--upgrade-policy-mode", "Rolling", "--image", f"{URN}:latest",
                "--instance-count", str(rng.randint(2, 6)), "--orchestration-mode", "Uniform", *common)
    if choice == 3:
        return ("update", "-g", "rg", "-n", name, "--set", "virtualMachineProfile.storageProfile.imageReference."
                "version=latest", *common)
    if choice == 4:
        return ("scale", "-g", "rg", "-n", name, "--new-capacity", str(rng.randint(0, 6)), *common)
    if choice == 5:
        return ("update", "-g", "rg", "-n", name, "--set", f"sku.capacity={rng.randint(0, 6)}", *common)
    if choice == 6:
        return ("sim", "clock", "advance", f"{rng.randint(1, 4)}m", *common)
    if choice == 7:
        return ("rolling-upgrade", "get-latest", "-g", "rg", "-n", name)
    return ("list", "-o", "json")


# An expected refusal in the churn (the set is gone, exists, is pinned, or a rollout already runs).
CHURN_REFUSALS = ("was not found", "already in progress", "already exists", "is already offered", "cannot be used on a Virtual Machine Scale Set unless",
                  "There is no", "The entity was not found")


def churn(home: Path, workers: int, commands: int, seed: int) -> dict:
    """`workers` threads each run `commands` random churn commands (whole processes). Every command
    succeeds or is refused for a reason in CHURN_REFUSALS, never as a bug; afterwards the store keeps
    its invariants, 6 h of world time end every rollout, and the queue holds nothing for a deleted set."""
    import threading

    must(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    for name in CHURN_SETS:
        must(home, "create", "-g", "rg", "-n", name, "--upgrade-policy-mode", "Rolling", "--image", f"{URN}:latest",
             "--instance-count", "4", "--orchestration-mode", "Uniform", "-o", "none")
    must(home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
         "--version", NEW_VERSION, "-o", "none")
    failures: list[str] = []
    outcomes: dict[str, int] = {}
    env = env_for(home)

    def worker(w: int) -> None:
        rng = random.Random(seed * 1000 + w)
        for _ in range(commands):
            args = churn_commands(rng)
            proc = subprocess.run([*VMSS, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
            key = f"{args[0]} {args[1] if args[0] in ('rolling-upgrade', 'sim') else ''}".strip()
            reason = next((r for r in CHURN_REFUSALS if r in proc.stderr), "other")
            outcome = "ok" if proc.returncode == 0 else f"refused ({reason[:20]})"
            outcomes[f"{key}: {outcome}"] = outcomes.get(f"{key}: {outcome}", 0) + 1
            if proc.returncode != 0 and not any(r in proc.stderr for r in CHURN_REFUSALS):
                failures.append(f"vmss {' '.join(args)}: exit {proc.returncode}: {proc.stderr.strip()[:300]}")
            elif "bug" in proc.stderr or "Traceback" in proc.stderr:
                failures.append(f"vmss {' '.join(args)}: {proc.stderr.strip()[:300]}")

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    problems = [f"after the churn: {p}" for p in check_invariants(home)]
    advanced = vmss(home, "sim", "clock", "advance", "6h", "-o", "none", "--only-show-errors")
    if advanced.returncode != 0:
        problems.append(f"`vmss sim clock advance 6h` after the churn failed: {advanced.stderr.strip()}")
    problems += [f"after 6 h: {p}" for p in check_invariants(home)]
    for name, statuses in rollout_summary(home).items():
        if statuses and statuses[-1] not in TERMINAL:
            problems.append(f"rollout on {name} still {statuses[-1]} after 6 h")
    world, sets = load_all(home)
    present = {doc["scaleSet"]["name"].lower() for doc in sets.values()}
    orphans = [e for e in world.get("queue", []) if e["name"].lower() not in present]
    if orphans:
        problems.append(f"{len(orphans)} queued events for deleted sets")
    return {"commands": workers * commands, "seconds": seconds, "outcomes": outcomes, "failures": failures,
            "problems": problems}


def _instances_of(event: dict) -> set:
    """The instances a queued event is for: {"instances": [...]} (one event for those scheduled together),
    {"instance": id} (a queue from vmss before that), or none (a batch or platform event)."""
    data = event.get("data") or {}
    return set(data.get("instances") or []) | ({data["instance"]} if "instance" in data else set())
