"""A full disk (ENOSPC) and Ctrl-C inside a commit, at every store write step of every command that
moves the world (issue 14, item 3). The exit rule (README "The state store"): a command that exits
non-zero changed nothing a later command sees, or its error says plainly that the change was
applied. `python benchmarks/crash.py --faults` prints the same sweep's figures."""

from __future__ import annotations

import subprocess

import pytest

from tests.reliability import harness


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    template = tmp_path_factory.mktemp("busy") / "home"
    harness.build_busy_store(template)
    return template


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["ENOSPC", "SIGINT"])
def test_a_fault_at_every_write_step_keeps_the_exit_rule(busy, tmp_path, fault):
    failures, trials, applied, kept = [], 0, 0, 0
    for name, args in sorted(harness.crash_commands().items()):
        results = harness.fault_sweep(busy, tmp_path / "home", args, fault, name)
        assert results, name
        for result in results:
            trials += 1
            applied += result["applied"]
            kept += result["exit"] != 0 and not result["applied"]
            if result["problems"]:
                failures.append((name, result["point"], result["problems"]))
    assert failures == []
    assert trials >= 25
    if fault == "ENOSPC":
        # the first write step fails before anything is in place; later ones after the commit point
        assert kept >= len(harness.crash_commands()) and applied >= 10
    else:  # Ctrl-C waits for the commit: every interrupted commit lands whole and says so
        assert kept == 0 and applied == trials


def test_enospc_after_the_journal_says_applied_and_the_next_command_finishes(busy, tmp_path):
    home = tmp_path / "home"
    args = ("sim", "clock", "advance", "30m", "-o", "none", "--only-show-errors")
    clean = harness.clean_result(busy, home, args)
    harness.fresh_copy(busy, home)
    # a write step for each file staged (not for a log's appended lines: they go in the journal), then
    # the journal, then the first file put in place (the commit's order: sorted, world.json last)
    before = harness.store_bytes(home)
    staged = sorted(rel for rel, data in clean.items() if before.get(rel) != data
                    and not (rel.endswith(".jsonl") and before.get(rel) and data.startswith(before[rel])))
    proc = harness.vmss(home, *args, VMSS_TEST_FAULT_AT=str(len(staged) + 2))
    assert proc.returncode == 1
    first = min(staged, key=lambda rel: (rel == "world.json", rel.endswith(".jsonl"), rel))
    assert proc.stderr.startswith("ERROR: The change was applied, but the store could not be finished: No space "
                                  f"left on device ('{home / first}'"), proc.stderr
    assert proc.stderr.endswith("'). The next vmss command completes the store from its journal. Do not run the "
                                "command again; it would repeat the change.\n"), proc.stderr
    assert (home / ".journal.json").exists()
    # the disk is still full: a reader cannot finish the commit, and reads through the journal
    before = harness.store_bytes(home)
    shown = harness.vmss(home, "sim", "clock", "show", "--query", "now", "-o", "tsv", VMSS_TEST_FAULT_AT="1")
    assert (shown.returncode, shown.stdout, shown.stderr) == (0, "2026-01-01T00:32:00+00:00\n", "")
    assert harness.store_bytes(home) == before and (home / ".journal.json").exists()
    # space again: the next command completes the commit
    assert harness.vmss(home, "list", "-o", "none").returncode == 0
    assert not (home / ".journal.json").exists()
    assert harness.store_bytes(home) == clean


def test_enospc_before_the_commit_point_changes_nothing(busy, tmp_path):
    home = tmp_path / "home"
    harness.fresh_copy(busy, home)
    before = harness.store_bytes(home)
    proc = harness.vmss(home, "update", "-g", "rg", "-n", "ss3", "--set", "tags.a=b", "-o", "none",
                        VMSS_TEST_FAULT_AT="1")
    path = home / "resourceGroups/rg/virtualMachineScaleSets/ss3.json"
    assert (proc.returncode, proc.stderr) == (1, f"ERROR: Cannot write state file '{path}': No space left on device. "
                                                 "The previous version of the file was kept.\n")
    assert harness.store_bytes(home) == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []  # no temp file left


def test_ctrl_c_inside_a_commit_lands_the_change_and_says_so(busy, tmp_path):
    home = tmp_path / "home"
    args = ("update", "-g", "rg", "-n", "ss1", "--enable-auto-os-upgrade", "false", "-o", "none")
    clean = harness.clean_result(busy, home, args)
    harness.fresh_copy(busy, home)
    proc = harness.vmss(home, *args, VMSS_TEST_CRASH_AT="2", VMSS_TEST_CRASH_SIGNAL="SIGINT")
    assert (proc.returncode, proc.stderr) == (130, "ERROR: Operation cancelled while its change was being saved. "
                                                   "The change was applied; running the command again would repeat "
                                                   "it.\n")
    assert not (home / ".journal.json").exists()
    assert harness.store_bytes(home) == clean


def test_stdout_on_a_full_device_after_a_commit_is_an_output_error(tmp_path):
    home = tmp_path / "home"
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*harness.VMSS, "group", "create", "-n", "rg", "-l", "eastus"],
                              env=harness.env_for(home), stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (1, "ERROR: The result could not be written to standard output: No space "
                                                 "left on device. The command itself succeeded: any change it made "
                                                 "was applied.\n")
    assert harness.vmss(home, "group", "exists", "-n", "rg").stdout == "true\n"



def test_a_closed_stdout_is_an_output_error_and_nothing_to_print_needs_none(tmp_path):
    import os

    home = tmp_path / "home"

    def closed(*args):  # `vmss ARGS >&-`: the process starts without file descriptor 1
        return subprocess.run([*harness.VMSS, *args], env=harness.env_for(home), preexec_fn=lambda: os.close(1),
                              stderr=subprocess.PIPE, text=True, timeout=60)

    proc = closed("group", "create", "-n", "rg", "-l", "eastus")
    assert (proc.returncode, proc.stderr) == (1, "ERROR: The result could not be written to standard output: Bad file "
                                                 "descriptor. The command itself succeeded: any change it made was "
                                                 "applied.\n")
    assert harness.vmss(home, "group", "exists", "-n", "rg").stdout == "true\n"
    proc = closed("group", "create", "-n", "rg2", "-l", "eastus", "-o", "none")
    assert (proc.returncode, proc.stderr) == (0, "")

# --- Ctrl-C while a commit encodes its files (each file is encoded as it is written) ---------------------

def _ctrl_c_on_encode(monkeypatch, at: int) -> list[int]:
    """Ctrl-C (a real SIGINT to this process) as the commit encodes its `at`-th file."""
    import os
    import signal

    from vmss_cli.store import files

    encode, calls = files.encode, [0]

    def encode_then_ctrl_c(doc, fast=False):
        calls[0] += 1
        if calls[0] == at:
            os.kill(os.getpid(), signal.SIGINT)
        return encode(doc, fast)

    encode_then_ctrl_c.__wrapped__ = encode  # type: ignore[attr-defined]
    monkeypatch.setattr(files, "encode", encode_then_ctrl_c)
    return calls


def test_ctrl_c_before_a_commit_writes_anything_cancels_it(cli, rg, vmss_home, monkeypatch):
    from tests.util import snapshot

    assert cli("create", "-g", rg, "-n", "ss", "--instance-count", "2", "-o", "none").exit_code == 0
    assert cli("update", "-g", rg, "-n", "ss", "--set", "tags.a=b", "-o", "none").exit_code == 0
    before = snapshot(vmss_home)
    calls = _ctrl_c_on_encode(monkeypatch, 1)
    for args in (("update", "-g", rg, "-n", "ss", "--set", "tags.c=d"),  # a change
                 ("update", "-g", rg, "-n", "ss", "--set", "tags.a=b"),  # nothing to write
                 ("scale", "-g", rg, "-n", "ss", "--new-capacity", "4")):  # (typer's path: exit 130, no text)
        calls[0] = 0
        result = cli(*args, "-o", "none")
        assert calls[0] >= 1 and result.exit_code == 130, (args, result.stderr)
        assert result.stderr in ("ERROR: Operation cancelled.\n", "") and (result.stderr == "") == (args[0] == "scale")
        assert snapshot(vmss_home) == before, args  # nothing written, no temp file left


def test_ctrl_c_once_a_commit_has_begun_writing_lands_it_and_says_so(cli, rg, vmss_home, monkeypatch):
    for name in ("a", "b", "c"):
        assert cli("create", "-g", rg, "-n", name, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade",
                   "true", "--image", "Canonical:UbuntuServer:18.04-LTS:latest", "--instance-count", "2",
                   "-o", "none").exit_code == 0
    calls = _ctrl_c_on_encode(monkeypatch, 3)  # the first two files are written by then
    result = cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
                 "18.04-LTS", "--version", "18.04.202406110", "-o", "none")
    assert calls[0] >= 4  # every file of the commit was encoded: it went on to the end
    assert (result.exit_code, result.stderr) == (130, "ERROR: Operation cancelled while its change was being saved. "
                                                      "The change was applied; running the command again would "
                                                      "repeat it.\n")
    from vmss_cli.store import files

    monkeypatch.setattr(files, "encode", files.encode.__wrapped__)
    queued = cli("sim", "clock", "show", "--query", "pendingEvents", "-o", "tsv")
    assert queued.stdout == "3\n"  # each set's pickup was saved
