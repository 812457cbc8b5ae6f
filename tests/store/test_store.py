"""The state store's promises: atomic writes, untouched files on failure, clear errors for files it
cannot read, schema versions, permissions whatever the umask, and one writer at a time."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys

import pytest

from tests.util import REPO, python_process, snapshot, vmss_process
from vmss_cli.errors import StoreError
from vmss_cli.store import files, kinds, state


@pytest.fixture
def store(cli, rg, vmss_home):
    """rg1 with scale set s1 (2 instances); returns the scale set's file."""
    result = cli("create", "-g", rg, "-n", "s1")
    assert result.exit_code == 0, result.stderr
    return vmss_home / "resourceGroups" / "rg1" / "virtualMachineScaleSets" / "s1.json"


def capacity(cli) -> int:
    result = cli("show", "-g", "rg1", "-n", "s1", "--query", "sku.capacity")
    assert result.exit_code == 0, result.stderr
    return int(result.stdout)


# --- atomic writes ---------------------------------------------------------------------------------

def test_write_json_replaces_the_file_whole(tmp_path):
    path = tmp_path / "d" / "f.json"
    files.write_json(path, {"b": 1, "a": [1, 2]})
    assert path.read_bytes() == b'{\n "a": [\n  1,\n  2\n ],\n "b": 1\n}\n'
    files.write_json(path, {"c": None})
    assert json.loads(path.read_bytes()) == {"c": None}
    assert sorted(p.name for p in path.parent.iterdir()) == ["f.json"]  # no temp file left


def test_failed_replace_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "f.json"
    files.write_json(path, {"old": True})
    before = path.read_bytes()

    def crash(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(StoreError) as caught:
        files.write_json(path, {"new": True})
    assert caught.value.message == (f"Cannot write state file '{path}': No space left on device. "
                                    "The previous version of the file was kept.")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_command_whose_write_fails_reports_and_keeps_store(cli, store, vmss_home, monkeypatch):
    before = snapshot(vmss_home)

    def crash(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    result = cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "3")
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (f"ERROR: Cannot write state file '{store}': Input/output error. "
                             "The previous version of the file was kept.\n")
    assert snapshot(vmss_home) == before


# A child process that runs `vmss scale` and is SIGKILLed halfway through writing the temp file:
# the closest thing to pulling the plug in the middle of a write.
KILL_MID_WRITE = r"""
import os, signal, sys
real_open, real_write = os.open, os.write
temp_fds = set()

def fake_open(path, *args, **kwargs):
    fd = real_open(path, *args, **kwargs)
    if str(path).endswith(".tmp"):
        temp_fds.add(fd)
    return fd

def fake_write(fd, data):
    if fd in temp_fds:
        real_write(fd, bytes(data[: len(data) // 2]))
        os.kill(os.getpid(), signal.SIGKILL)
    return real_write(fd, data)

os.open, os.write = fake_open, fake_write
from vmss_cli.cli.main import main
main(sys.argv[1:])
"""


def test_write_killed_midway_leaves_a_loadable_store(cli, store, vmss_home):
    before = store.read_bytes()
    child = subprocess.run([sys.executable, "-c", KILL_MID_WRITE, "scale", "-g", "rg1", "-n", "s1",
                            "--new-capacity", "3"], cwd=REPO, env=dict(os.environ), capture_output=True,
                           timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert store.read_bytes() == before
    leftovers = [p for p in store.parent.iterdir() if p.name != "s1.json"]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".s1.json.") and leftovers[0].name.endswith(".tmp")
    with pytest.raises(json.JSONDecodeError):  # it really was cut in half
        json.loads(leftovers[0].read_bytes())

    assert capacity(cli) == 2
    listed = cli("list", "--query", "[].name", "-o", "tsv")
    assert (listed.exit_code, listed.stdout) == (0, "s1\n")
    assert cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "3").exit_code == 0
    assert capacity(cli) == 3
    assert sorted(p.name for p in store.parent.iterdir()) == ["s1.json"]  # the next write swept the leftover


# --- a failed command changes nothing --------------------------------------------------------------

@pytest.mark.parametrize("args, exit_code", [
    (["create", "-g", "rg1", "-n", "s2", "--image", "NoSuchPublisher:offer:sku:latest"], 3),
    (["create", "-g", "rg1", "-n", "s2", "--image", "NotAnAlias"], 1),
    (["create", "-g", "rg1", "-n", "s1"], 1),  # exists already
    (["create", "-g", "rg1", "-n", "s2", "--health-probe", "p1"], 1),  # Flexible
    (["create", "-g", "rg1", "-n", "s2", "--upgrade-policy-mode", "Rolling", "--max-batch-instance-percent", "1"], 1),
    (["create", "-g", "nosuchgroup", "-n", "s2"], 3),
    (["create", "-g", "rg1", "-n", "bad!"], 1),
    (["create", "-g", "rg1", "-n", "-bad"], 2),  # argparse: `argument --name/-n: expected one argument`
    (["scale", "-g", "rg1", "-n", "s1", "--new-capacity", "5000"], 1),
    (["update", "-g", "rg1", "-n", "nosuchset", "--set", "tags.a=b"], 3),
    (["group", "create", "-n", "rg1", "-l", "westus"], 1),  # exists in another location
    (["group", "delete", "-n", "nosuchgroup", "--yes"], 3),
])
def test_failed_command_leaves_every_file_byte_identical(cli, store, vmss_home, args, exit_code):
    before = snapshot(vmss_home)
    result = cli(*args)
    assert result.exit_code == exit_code, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("ERROR: ")
    assert snapshot(vmss_home) == before


# --- files the store cannot read -------------------------------------------------------------------

def _corrupt_cases(home):
    ss = home / "resourceGroups" / "rg1" / "virtualMachineScaleSets" / "s1.json"
    group = home / "resourceGroups" / "rg1" / "group.json"
    world = home / "world.json"
    return [
        (ss, ["show", "-g", "rg1", "-n", "s1"]),
        (ss, ["list"]),
        (ss, ["list-instances", "-g", "rg1", "-n", "s1"]),
        (ss, ["scale", "-g", "rg1", "-n", "s1", "--new-capacity", "3"]),
        (ss, ["delete", "-g", "rg1", "-n", "s1"]),
        (group, ["group", "show", "-n", "rg1"]),
        (group, ["group", "list"]),
        (group, ["create", "-g", "rg1", "-n", "s2"]),
        (world, ["create", "-g", "rg1", "-n", "s2"]),
        (world, ["get-instance-view", "-g", "rg1", "-n", "s1", "--instance-id", "0"]),
    ]


@pytest.mark.parametrize("case", range(10))
@pytest.mark.parametrize("content, problem", [
    (b'{"broken', "is not valid JSON (Unterminated string starting at: line 1 column 2 (char 1))"),
    (b"", "is not valid JSON (Expecting value: line 1 column 1 (char 0))"),
    (b"\xff\xfe\x00garbage", None),
])
def test_corrupt_file_is_named_and_left_untouched(cli, store, vmss_home, case, content, problem):
    path, args = _corrupt_cases(vmss_home)[case]
    path.write_bytes(content)
    before = snapshot(vmss_home)
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"ERROR: State file '{path}' is not valid JSON (")
    if problem:
        assert result.stderr == f"ERROR: State file '{path}' {problem}. It was left untouched; fix or remove it.\n"
    assert result.stderr.endswith(". It was left untouched; fix or remove it.\n")
    assert result.stderr.count("\n") == 1  # one line, no traceback
    assert snapshot(vmss_home) == before


@pytest.mark.parametrize("content", [b"[]", b"[1, 2]", b'"text"', b"null", b"42", b"true"])
def test_non_object_json_is_an_error(cli, store, vmss_home, content):
    store.write_bytes(content)
    result = cli("show", "-g", "rg1", "-n", "s1")
    assert result.exit_code == 1
    assert result.stderr == (f"ERROR: State file '{store}' does not hold a JSON object. "
                             "It was left untouched; fix or remove it.\n")
    assert store.read_bytes() == content


def _set_schema_version(path, value):
    doc = json.loads(path.read_bytes())
    if value is ...:
        del doc["schemaVersion"]
    else:
        doc["schemaVersion"] = value
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize("args", [["show", "-g", "rg1", "-n", "s1"], ["scale", "-g", "rg1", "-n", "s1",
                                                                      "--new-capacity", "1"]])
def test_newer_schema_version_is_refused(cli, store, vmss_home, args):
    _set_schema_version(store, 2)
    before = snapshot(vmss_home)
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr == (f"ERROR: State file '{store}' has schemaVersion 2, newer than this vmss understands "
                             "(1). Upgrade vmss. The file was left untouched.\n")
    assert snapshot(vmss_home) == before


@pytest.mark.parametrize("value, shown", [("1", "'1'"), (-1, "-1"), (True, "True"), (None, "None"), (1.0, "1.0")])
def test_invalid_schema_version_is_refused(cli, store, value, shown):
    _set_schema_version(store, value)
    before = store.read_bytes()
    result = cli("show", "-g", "rg1", "-n", "s1")
    assert result.exit_code == 1
    assert result.stderr == f"ERROR: State file '{store}' has an invalid schemaVersion {shown}. It was left untouched.\n"
    assert store.read_bytes() == before


def test_every_file_kind_has_an_ordered_migration_list():
    assert set(kinds.KINDS) == {"scaleSet", "group", "world", "images", "gallery", "deployment"}
    for kind in kinds.KINDS.values():
        assert kind.schema_version == len(kind.migrations) == (2 if kind.name == "world" else files.SCHEMA_VERSION)
        assert all(callable(step) for step in kind.migrations)


@pytest.mark.parametrize("kind", sorted(kinds.KINDS))
def test_migrations_so_far_only_stamp_the_version(kind):
    doc = {"name": "x", "nested": {"a": [1, 2]}}
    latest = kinds.KINDS[kind].schema_version
    assert files.migrate(dict(doc), kind) == {**doc, "schemaVersion": latest}
    assert files.migrate({**doc, "schemaVersion": 1}, kind) == {**doc, "schemaVersion": latest}


def test_migrations_run_in_order(monkeypatch):
    calls = []
    monkeypatch.setattr(kinds.KINDS["world"], "migrations", [lambda d: calls.append(1) or {**d, "one": 1},
                                                              lambda d: calls.append(2) or {**d, "two": d["one"] + 1}])
    assert files.migrate({"schemaVersion": 0}, "world") == {"schemaVersion": 2, "one": 1, "two": 2}
    assert files.migrate({"schemaVersion": 1, "one": 5}, "world") == {"schemaVersion": 2, "one": 5, "two": 6}
    assert calls == [1, 2, 2]


def test_version_0_file_loads_and_is_stamped_on_next_write(cli, store):
    shown = cli("show", "-g", "rg1", "-n", "s1").stdout
    _set_schema_version(store, ...)
    unversioned = store.read_bytes()
    result = cli("show", "-g", "rg1", "-n", "s1")
    assert (result.exit_code, result.stdout) == (0, shown)
    assert store.read_bytes() == unversioned  # a read never rewrites
    assert cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "2").exit_code == 0
    assert json.loads(store.read_bytes())["schemaVersion"] == 1


def test_invalid_config_toml_is_named(cli, vmss_home):
    vmss_home.mkdir(mode=0o700)
    config = vmss_home / "config.toml"
    config.write_text("[sim\nseed = 1\n")
    result = cli("group", "create", "-n", "rg1", "-l", "eastus")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ERROR: Config file '{config}' is not valid TOML: ")
    assert result.stderr.count("\n") == 1
    # The config is read before the command takes the lock: nothing at all is written.
    assert sorted(p.name for p in vmss_home.iterdir()) == ["config.toml"]


# --- permissions ----------------------------------------------------------------------------------

def test_files_0600_dirs_0700_with_umask_000(tmp_path):
    top = tmp_path / "a"
    env = dict(os.environ, VMSS_HOME=str(top / "b" / "home"))
    for args in (["group", "create", "-n", "rg1", "-l", "eastus"],
                 ["create", "-g", "rg1", "-n", "s1", "--upgrade-policy-mode", "Rolling"],
                 ["scale", "-g", "rg1", "-n", "s1", "--new-capacity", "3"],
                 ["group", "create", "-n", "rg2", "-l", "westus"]):
        result = vmss_process(*args, env=env, umask=0)
        assert result.returncode == 0, result.stderr
    modes = {str(p.relative_to(tmp_path)): stat.S_IMODE(p.stat().st_mode)
             for p in [top, *top.rglob("*")]}
    assert "a/b/home/resourceGroups/rg1/virtualMachineScaleSets/s1.json" in modes
    assert "a/b/home/.lock" in modes
    assert {p: m for p, m in modes.items() if (tmp_path / p).is_dir()} == \
        {p: 0o700 for p in modes if (tmp_path / p).is_dir()}
    assert {p: m for p, m in modes.items() if not (tmp_path / p).is_dir()} == \
        {p: 0o600 for p in modes if not (tmp_path / p).is_dir()}


def test_an_existing_store_dir_keeps_its_mode(cli, vmss_home):
    """Only directories vmss creates are made 0700 (issue 14: VMSS_HOME may be a shared directory)."""
    vmss_home.mkdir()
    os.chmod(vmss_home, 0o755)
    assert cli("group", "create", "-n", "rg1", "-l", "eastus").exit_code == 0
    assert stat.S_IMODE(vmss_home.stat().st_mode) == 0o755
    assert stat.S_IMODE((vmss_home / "resourceGroups").stat().st_mode) == 0o700


# --- the lock --------------------------------------------------------------------------------------

# Holds the store's lock inside an open transaction that has created group rgHeld (not yet
# committed) until a line arrives on stdin.
HOLDER = r"""
import sys
from vmss_cli.core.resources import groups
from vmss_cli.store.state import transaction
with transaction() as tx:
    groups.create(tx, "rgHeld", "eastus")
    print("locked", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""

# Runs a vmss command and says on stderr when it first finds the lock taken.
WAITER = r"""
import fcntl, sys
real_flock, said = fcntl.flock, []

def flock(fd, op):
    try:
        return real_flock(fd, op)
    except BlockingIOError:
        if not said:
            said.append(1)
            print("waiting", file=sys.stderr, flush=True)
        raise

fcntl.flock = flock
from vmss_cli.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def holder():
    proc = python_process(HOLDER)
    assert proc.stdout.readline() == "locked\n", proc.stderr.read()
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def release(proc):
    out, err = proc.communicate("\n", timeout=60)
    assert (proc.returncode, out, err) == (0, "released\n", "")


def test_second_writer_gives_up_after_the_lock_timeout(cli, vmss_home, holder, monkeypatch):
    monkeypatch.setattr(state, "LOCK_TIMEOUT_SECONDS", 0.2)
    before = snapshot(vmss_home)
    result = cli("group", "create", "-n", "rg2", "-l", "eastus")
    assert result.exit_code == 1
    assert result.stderr == (f"ERROR: Timed out after 0.2 s waiting for the lock on '{vmss_home / '.lock'}'; "
                             "another vmss command is still running.\n")
    assert snapshot(vmss_home) == before
    release(holder)
    assert cli("group", "exists", "-n", "rgHeld").stdout == "true\n"
    assert cli("group", "create", "-n", "rg2", "-l", "eastus").exit_code == 0


def test_readers_do_not_wait_for_the_lock(cli, vmss_home, holder, monkeypatch):
    monkeypatch.setattr(state, "LOCK_TIMEOUT_SECONDS", 0.01)
    result = cli("group", "list")
    assert (result.exit_code, result.stdout) == (0, "[]\n")  # the holder's group is not committed yet


def test_second_writer_waits_then_sees_the_first_ones_commit(holder):
    # rgHeld exists only once the holder commits, so this create can only succeed if it waited.
    waiter = subprocess.Popen([sys.executable, "-c", WAITER, "create", "-g", "rgHeld", "-n", "s1", "-o", "tsv",
                               "--query", "vmss.provisioningState"], cwd=REPO, text=True,
                              env=dict(os.environ, VMSS_LOCK_TIMEOUT="30"),  # never hang the suite
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert waiter.stderr.readline() == "waiting\n"
        release(holder)
        out, err = waiter.communicate(timeout=60)
    finally:
        if waiter.poll() is None:
            waiter.kill()
    assert (waiter.returncode, out, err) == (0, "Succeeded\n", "")


def test_lock_held_by_a_killed_process_does_not_wedge_the_store(cli, vmss_home, holder, monkeypatch):
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    assert holder.returncode == -signal.SIGKILL
    assert (vmss_home / ".lock").exists()  # the lock file stays; the OS dropped the flock with the process
    monkeypatch.setattr(state, "LOCK_TIMEOUT_SECONDS", 5)
    result = cli("group", "create", "-n", "rg2", "-l", "eastus")
    assert result.exit_code == 0, result.stderr
    assert cli("group", "list", "--query", "[].name", "-o", "tsv").stdout == "rg2\n"  # rgHeld never committed


def test_a_set_file_without_the_optional_extension_profile_still_scales(cli, rg, vmss_home):
    # extensionProfile and dataDisks are optional in a state file (store/shapes.py); scale-out read both
    assert cli("create", "-g", rg, "-n", "ss", "--image", "Ubuntu2204", "--instance-count", "1", "-o",
               "none").exit_code == 0
    path = vmss_home / "resourceGroups/rg1/virtualMachineScaleSets/ss.json"
    doc = json.loads(path.read_bytes())
    vmp = doc["scaleSet"]["properties"]["virtualMachineProfile"]
    del vmp["extensionProfile"], vmp["storageProfile"]["dataDisks"]
    path.write_text(json.dumps(doc))
    result = cli("scale", "-g", rg, "-n", "ss", "--new-capacity", "2", "--query", "sku.capacity", "-o", "tsv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "2\n", "")


def test_an_instance_disk_without_its_optional_time_created_still_lists(cli, rg, vmss_home):
    assert cli("create", "-g", rg, "-n", "ss", "--image", "Ubuntu2204", "--instance-count", "1", "-o",
               "none").exit_code == 0
    path = vmss_home / "resourceGroups/rg1/virtualMachineScaleSets/ss.json"
    doc = json.loads(path.read_bytes())
    del doc["instances"][0]["osDisk"]["timeCreated"]  # optional in a state file (store/shapes.py)
    path.write_text(json.dumps(doc))
    result = cli("list-instances", "-g", rg, "-n", "ss", "--query", "[0].[name, timeCreated]", "-o", "tsv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "ss_0\nNone\n", "")  # tsv: one value a line



def test_an_instance_without_its_vm_id_is_reported_as_a_damaged_file(cli, rg, vmss_home):
    # found by tests/reliability/test_hostile_input.py: list-instances answered "unexpected error (KeyError)"
    assert cli("create", "-g", rg, "-n", "ss", "--instance-count", "2", "-o", "none").exit_code == 0
    path = vmss_home / "resourceGroups/rg1/virtualMachineScaleSets/ss.json"
    doc = json.loads(path.read_bytes())
    del doc["instances"][1]["vmId"]
    path.write_text(json.dumps(doc))
    before = path.read_bytes()
    result = cli("list-instances", "-g", rg, "-n", "ss")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"ERROR: State file '{path}' is not a valid vmss scale set file: 'instances[1].vmId' is "
                             "missing. It was left untouched; fix or remove it.\n")
    assert path.read_bytes() == before


# --- identity on read: every kind of file holds the resource its path names (store/kinds.py) ----------

def test_a_copied_gallery_file_is_reported_not_used(cli, rg, vmss_home):
    assert cli("sig", "create", "-g", rg, "-r", "gal1", "-o", "none").exit_code == 0
    galleries = vmss_home / "resourceGroups" / "rg1" / "galleries"
    (galleries / "gal2.json").write_bytes((galleries / "gal1.json").read_bytes())
    before = (galleries / "gal2.json").read_bytes()
    result = cli("sig", "show", "-g", rg, "-r", "gal2")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"ERROR: State file '{galleries / 'gal2.json'}' is not a valid vmss gallery file: it "
                             "holds gallery 'gal1' of resource group 'rg1', which belongs in another file. It was left "
                             "untouched; fix or remove it.\n")
    assert (galleries / "gal2.json").read_bytes() == before


def test_a_deployment_file_with_a_foreign_id_is_reported(cli, rg, vmss_home):
    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": []}
    path = vmss_home / "t.json"
    path.write_text(json.dumps(template))
    assert cli("deployment", "group", "create", "-g", rg, "-n", "dep1", "--template-file", str(path),
               "-o", "none").exit_code == 0
    stored = vmss_home / "resourceGroups" / "rg1" / "deployments" / "dep1.json"
    doc = json.loads(stored.read_text())
    doc["deployment"]["id"] = "/etc/passwd"
    stored.write_text(json.dumps(doc))
    result = cli("deployment", "group", "show", "-g", rg, "-n", "dep1")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"ERROR: State file '{stored}' is not a valid vmss deployment file: 'deployment.id' is "
                             "not a deployment resource id. It was left untouched; fix or remove it.\n")


def test_diagnose_lists_every_kind_of_the_table(cli, rg, vmss_home):
    assert cli("create", "-g", rg, "-n", "s1", "-o", "none").exit_code == 0
    assert cli("sig", "create", "-g", rg, "-r", "gal1", "-o", "none").exit_code == 0
    listed = {(p.relative_to(vmss_home).as_posix(), kind) for p, kind in kinds.state_files(vmss_home)}
    assert listed == {("world.json", "world"), ("resourceGroups/rg1/group.json", "group"),
                      ("resourceGroups/rg1/virtualMachineScaleSets/s1.json", "scaleSet"),
                      ("resourceGroups/rg1/galleries/gal1.json", "gallery")}
