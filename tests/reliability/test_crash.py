"""kill -9 during commands that move the world: every write step of every command, plus kills after
random delays. Afterwards every file loads, the invariants hold (tests/reliability/harness.py:
capacity = instances, one OS disk with an exactVersion per instance, at most one RollingForward per
set, every finished rollout has an endTime, nothing done twice), the next command finishes a commit
the kill interrupted (the store's journal), and a rollout in flight resumes and ends.

The seeded 200-trial run of issue 7 is `python benchmarks/crash.py` (it prints the figures).
"""

from __future__ import annotations

import random

import pytest

from tests.reliability import harness


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    template = tmp_path_factory.mktemp("busy") / "home"
    harness.build_busy_store(template)
    assert harness.check_invariants(template) == []
    return template


@pytest.mark.slow
def test_kill_9_at_every_write_step_of_every_command(busy, tmp_path):
    commands = harness.crash_commands()
    trials, mid_commit, failures = 0, 0, []
    for name, args in sorted(commands.items()):
        steps = harness.write_steps(busy, tmp_path / "home", args)
        assert steps >= 2, name
        for step in range(1, steps + 1):
            result = harness.crash_trial(busy, tmp_path / "home", args, step=step)
            trials += 1
            assert result["killed"], result
            mid_commit += result["journal"]
            if result["problems"]:
                failures.append((name, step, result["problems"]))
    assert failures == []
    assert trials >= 40
    assert mid_commit >= 10  # kills that landed inside a multi-file commit, where the journal matters


@pytest.mark.slow
def test_kill_9_after_random_delays(busy, tmp_path):
    rng = random.Random(20261126)
    commands = harness.crash_commands()
    runtime = {name: harness.measure(busy, tmp_path / "home", args)[1] for name, args in commands.items()}
    failures, killed = [], 0
    for _ in range(12):
        name = rng.choice(sorted(commands))
        # within the command's own run time on this machine, so the kill lands while it runs
        result = harness.crash_trial(busy, tmp_path / "home", commands[name], delay=rng.uniform(0.0, runtime[name]),
                                     name=name)
        killed += result["killed"]
        if result["problems"]:
            failures.append((name, result["point"], result["problems"]))
    assert failures == []
    assert killed >= 4


def test_a_command_rewrites_only_the_files_it_changed(busy, tmp_path):
    """Unchanged documents are not written again (no needless fsync, nothing for a crash to tear)."""
    home = tmp_path / "home"
    harness.fresh_copy(busy, home)
    before = {p: (p.stat().st_ino, p.read_bytes()) for p in harness.state_files(home)}
    assert harness.vmss(home, "update", "-g", "rg", "-n", "ss3", "--set", "tags.a=b", "-o", "none").returncode == 0
    after = {p: (p.stat().st_ino, p.read_bytes()) for p in harness.state_files(home)}
    changed = sorted(str(p.relative_to(home)) for p in after if after[p] != before.get(p))
    assert changed == ["resourceGroups/rg/virtualMachineScaleSets/ss3.json"]


def test_a_damaged_journal_is_reported_and_left_alone(busy, tmp_path):
    home = tmp_path / "home"
    harness.fresh_copy(busy, home)
    (home / ".journal.json").write_bytes(b'{"kind": "vmssJournal", "changes": [')
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    for args in (("list",), ("update", "-g", "rg", "-n", "ss3", "--set", "tags.a=b")):
        proc = harness.vmss(home, *args)
        assert proc.returncode == 1
        assert proc.stderr == (f"ERROR: The store's journal '{home / '.journal.json'}' of an interrupted command is "
                               "damaged. It was left untouched; remove it to drop that command's changes.\n")
        assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before


@pytest.fixture(scope="module")
def mid_rollback(tmp_path_factory):
    template = tmp_path_factory.mktemp("rollback") / "home"
    harness.build_rollback_store(template)
    return template


def test_a_store_mid_rollback_keeps_the_invariants(mid_rollback, tmp_path):
    """The checker accepts an ordinary rollback (a failed instance is in progress until its old disk
    is back), so the suites can inspect stores mid-rollback; minute by minute until the rollout ends."""
    home = tmp_path / "home"
    harness.fresh_copy(mid_rollback, home)
    assert harness.check_invariants(home) == []
    statuses = []
    for _ in range(120):
        harness.must(home, "sim", "clock", "advance", "1m", "-o", "none", "--only-show-errors")
        assert harness.check_invariants(home) == []
        statuses = harness.rollout_summary(home)["rb"]
        if statuses[-1] in harness.TERMINAL:
            break
    assert statuses[-1] == "Faulted"


@pytest.mark.slow
def test_kill_9_and_faults_mid_rollback(mid_rollback, tmp_path):
    args = ("sim", "clock", "advance", "10m", "-o", "none", "--only-show-errors")
    steps = harness.write_steps(mid_rollback, tmp_path / "home", args)
    failures = []
    for step in range(1, steps + 1):
        result = harness.crash_trial(mid_rollback, tmp_path / "home", args, step=step)
        assert result["killed"], result
        failures += result["problems"]
    for fault in ("ENOSPC", "SIGINT"):
        for result in harness.fault_sweep(mid_rollback, tmp_path / "home", args, fault):
            failures += result["problems"]
    assert failures == []


def test_group_delete_is_one_commit_with_its_galleries_and_deployments(tmp_path):
    """Issue 14, item 5: galleries and deployments were removed outside the journal and the lock, so a
    kill at the last step, then re-creating the group, brought them back. Killed at every write step,
    the group is afterwards either whole or gone, and a re-created group is empty."""
    template, home = tmp_path / "template", tmp_path / "home"
    harness.must(template, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    harness.must(template, "create", "-g", "rg", "-n", "ss", "--instance-count", "1", "-o", "none")
    harness.must(template, "sig", "create", "-g", "rg", "-r", "gal", "-o", "none")
    plain = tmp_path / "t.json"
    plain.write_text('{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",'
                     ' "contentVersion": "1.0.0.0", "resources": []}')
    harness.must(template, "deployment", "group", "create", "-g", "rg", "-n", "dep", "--template-file", str(plain),
                 "-o", "none")
    args = ("group", "delete", "-n", "rg", "--yes")
    steps = harness.write_steps(template, home, args)
    assert not (home / "resourceGroups").exists()  # the uninterrupted delete leaves no folder behind
    resources = ("group.json", "virtualMachineScaleSets/ss.json", "galleries/gal.json", "deployments/dep.json")
    outcomes = set()
    for step in range(1, steps + 1):
        harness.fresh_copy(template, home)
        assert harness.vmss(home, *args, VMSS_TEST_CRASH_AT=str(step)).returncode in harness.KILLED
        assert harness.vmss(home, "group", "list", "-o", "none").returncode == 0  # finishes the commit
        present = tuple((home / "resourceGroups/rg" / rel).exists() for rel in resources)
        assert present in ((True,) * 4, (False,) * 4), (step, present)
        outcomes.add(present[0])
        if not present[0]:
            harness.must(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
            assert [p.relative_to(home).as_posix() for p in (home / "resourceGroups").rglob("*.json")] == \
                ["resourceGroups/rg/group.json"], step
    assert outcomes == {True, False}
