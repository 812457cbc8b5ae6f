"""Bounded state: a scale set's file stays the size of the set; its events go to an append-only log
(<name>.events.jsonl) written through the journal; history keeps what Azure shows."""

from __future__ import annotations

import json

from vmss_cli.core.world import rng
from tests.store.journals import stopped_commit
from vmss_cli.store import files, state

SETS = "resourceGroups/rg1/virtualMachineScaleSets"


def make_set(cli, rg):
    assert cli("create", "-g", rg, "-n", "web", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "3", "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling",
               "-o", "none").exit_code == 0


def rollout(cli, rg, n):
    version = f"18.04.2030{n:02d}010"
    assert cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
               "18.04-LTS", "--version", version, "-o", "none").exit_code == 0
    result = cli("rolling-upgrade", "start", "-g", rg, "-n", "web", "--only-show-errors")
    assert result.exit_code == 0, result.stderr


def test_events_live_in_the_log_not_in_the_set_file(cli, rg, vmss_home):
    make_set(cli, rg)
    rollout(cli, rg, 1)
    doc = json.loads((vmss_home / SETS / "web.json").read_bytes())
    assert "events" not in doc
    logged = [json.loads(line) for line in (vmss_home / SETS / "web.events.jsonl").read_bytes().splitlines()]
    assert [e["type"] for e in logged][:2] == ["RolloutStarted", "BatchStarted"]
    assert logged[-1]["type"] == "RolloutCompleted"
    printed = cli("sim", "events", "-g", rg, "-n", "web").json
    assert [(e["time"], e["type"], e["message"]) for e in printed] == \
        [(e["time"], e["type"], e["message"]) for e in logged]


def test_an_older_store_s_events_move_to_the_log_in_order(cli, rg, vmss_home):
    make_set(cli, rg)
    path = vmss_home / SETS / "web.json"
    doc = json.loads(path.read_bytes())
    old = [{"time": "2026-01-01T00:00:00+00:00", "type": "RolloutStarted", "resourceGroup": rg, "scaleSet": "web",
            "operationId": "x", "message": "from an older vmss", "progress": {}}]
    path.write_bytes(files.encode(dict(doc, events=old)))  # a store written before the event log
    assert cli("sim", "events", "-g", rg, "-n", "web", "--query", "[].message", "-o", "tsv").stdout == \
        "from an older vmss\n"
    rollout(cli, rg, 1)
    assert "events" not in json.loads(path.read_bytes())
    messages = cli("sim", "events", "-g", rg, "-n", "web", "--query", "[].type", "-o", "tsv").stdout.split()
    assert messages[0] == "RolloutStarted" and messages[-1] == "RolloutCompleted" and len(messages) > 3
    assert json.loads((vmss_home / SETS / "web.events.jsonl").read_bytes().splitlines()[0])["operationId"] == "x"


def test_a_killed_append_is_cut_back_to_the_committed_length_on_replay(tmp_path):
    log = tmp_path / "rg" / "s.events.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(b'{"n": 1}\n')
    line = b'{"n": 2}\n{"m": "x,\\ny"}\n'
    stopped_commit(tmp_path, {tmp_path / "rg" / "s.json": b'{"a": 1}\n'}, [(log, log.stat().st_size, line)])
    log.write_bytes(b'{"n": 1}\n{"n": 2}\n{"m"')  # killed half way through the append
    assert state.recover(tmp_path) is True
    assert log.read_bytes() == b'{"n": 1}\n' + line  # the lines once, the half line gone
    assert (tmp_path / "rg" / "s.json").read_bytes() == b'{"a": 1}\n'
    assert not (tmp_path / state.JOURNAL).exists()
    assert sorted(p.name for p in log.parent.iterdir()) == ["s.events.jsonl", "s.json"]  # temp files gone
    assert state.recover(tmp_path) is False


def test_a_command_that_fails_appends_nothing(cli, rg, vmss_home):
    make_set(cli, rg)
    rollout(cli, rg, 1)
    before = (vmss_home / SETS / "web.events.jsonl").read_bytes()
    assert cli("rolling-upgrade", "start", "-g", rg, "-n", "web", "--only-show-errors").exit_code == 0  # no-op
    assert cli("rolling-upgrade", "cancel", "-g", rg, "-n", "web").exit_code == 1
    assert (vmss_home / SETS / "web.events.jsonl").read_bytes().startswith(before)


def test_history_keeps_what_azure_shows_and_the_file_stops_growing(cli, rg, vmss_home):
    make_set(cli, rg)
    sizes = []
    for n in range(1, 9):
        rollout(cli, rg, n)
        sizes.append((vmss_home / SETS / "web.json").stat().st_size)
    doc = json.loads((vmss_home / SETS / "web.json").read_bytes())
    assert doc["rolloutCount"] == 8
    assert len(doc["rollingUpgrades"]) == 5
    shown = cli("get-os-upgrade-history", "-g", rg, "-n", "web", "--query",
                "[].properties.targetImageReference.version", "-o", "tsv").stdout.split()
    assert shown == [f"18.04.2030{n:02d}010" for n in range(8, 3, -1)]
    assert sizes[-1] == sizes[-2] == sizes[-3]  # the set's size, not its past
    # operation ids are seeded by the number of rollouts ever started, as before the history was trimmed
    last = doc["rollingUpgrades"][-1]
    world = json.loads((vmss_home / "world.json").read_bytes())
    assert last["operationId"] == rng.guid(world["seed"], doc["scaleSet"]["id"], "op", 7, last["startTime"])


def test_an_older_store_s_history_is_trimmed_on_its_first_write(cli, rg, vmss_home):
    make_set(cli, rg)
    for n in range(1, 4):
        rollout(cli, rg, n)
    path = vmss_home / SETS / "web.json"
    doc = json.loads(path.read_bytes())
    ops = doc["rollingUpgrades"]
    older = dict(doc, rollingUpgrades=[ops[0]] * 6 + ops)  # 9 rollouts kept whole, as before issue 16
    del older["rolloutCount"]
    path.write_bytes(files.encode(older))
    assert cli("update", "-g", rg, "-n", "web", "--set", "tags.team=a", "-o", "none").exit_code == 0
    doc = json.loads(path.read_bytes())
    assert doc["rolloutCount"] == 9
    assert len(doc["rollingUpgrades"]) == 5
    assert doc["rollingUpgrades"][-3:] == ops


def test_publish_reads_whole_only_the_sets_it_may_upgrade(cli, rg, vmss_home, monkeypatch):
    make_set(cli, rg)
    assert cli("create", "-g", rg, "-n", "win", "--image", "Win2022Datacenter", "--instance-count", "1",
               "--admin-password", "Passw0rd!Passw0rd", "-o", "none").exit_code == 0
    assert cli("update", "-g", rg, "-n", "web", "--set",
               "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=true", "-o", "none").exit_code == 0
    parsed = []
    real = files.parse
    monkeypatch.setattr(files, "parse",
                        lambda raw, path, kind, read=0: parsed.append(path.name) or real(raw, path, kind, read))
    rollout_version = "18.04.203001010"
    assert cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
               "18.04-LTS", "--version", rollout_version, "-o", "none").exit_code == 0
    assert "web.json" in parsed and "win.json" not in parsed
    assert cli("sim", "clock", "show", "--query", "pendingEvents", "-o", "tsv").stdout == "1\n"  # web's pickup


def test_a_reader_ignores_a_line_still_being_appended(cli, rg, vmss_home):
    make_set(cli, rg)
    rollout(cli, rg, 1)
    log = vmss_home / SETS / "web.events.jsonl"
    whole = cli("sim", "events", "-g", rg, "-n", "web").stdout
    log.write_bytes(log.read_bytes() + b'{"time": "2026-01-0')  # a writer half way through its append
    result = cli("sim", "events", "-g", rg, "-n", "web")
    assert (result.exit_code, result.stdout, result.stderr) == (0, whole, "")
    log.write_bytes(log.read_bytes().replace(b"\n", b"\nnot json\n", 1))  # damage is reported, not skipped
    result = cli("sim", "events", "-g", rg, "-n", "web")
    assert result.exit_code == 1 and "web.events.jsonl' line 2 is not a JSON object" in result.stderr


def test_the_log_is_rotated_and_sim_events_reads_across_it(cli, rg, vmss_home, monkeypatch):
    cap = 12_000  # a 3-instance rollout logs about 4 KB
    monkeypatch.setattr(state, "LOG_ROTATE_BYTES", cap)
    appended = []
    real = state.Transaction.append
    # (the engine hands its events over as their log lines: core.rollout.eventlog.line)
    monkeypatch.setattr(state.Transaction, "append", lambda self, path, records: appended.extend(
        json.loads(r) if isinstance(r, str) else r for r in records) or real(self, path, records))
    make_set(cli, rg)
    log, older = vmss_home / SETS / "web.events.jsonl", vmss_home / SETS / "web.events.1.jsonl"
    for n in range(1, 13):
        rollout(cli, rg, n)
        commit = max(len(files.encode_lines([r])) for r in appended) * 40  # more than one rollout's lines
        assert log.stat().st_size <= cap + commit
        assert not older.exists() or older.stat().st_size <= cap
    assert older.exists()  # rotated, and rotated again: about twice the cap on disk, not twelve rollouts
    assert log.stat().st_size + older.stat().st_size < 3 * cap < len(files.encode_lines(appended))
    printed = cli("sim", "events", "-g", rg, "-n", "web").json
    assert len(printed) < len(appended)
    def key(e):
        return (e["time"], e["type"], e["operationId"], e["message"])
    assert [key(e) for e in printed] == [key(e) for e in appended[-len(printed):]]  # the newest, in order, none lost
    assert printed[-1]["type"] == "RolloutCompleted"
    assert sum(e["type"] == "RolloutStarted" for e in printed) >= 2  # the last rollouts, whole
    assert cli("delete", "-g", rg, "-n", "web").exit_code == 0
    assert not log.exists() and not older.exists()


def test_a_rotation_is_replayed_whole_from_the_journal(tmp_path):
    log = tmp_path / "rg" / "s.events.jsonl"
    older = tmp_path / "rg" / "s.events.1.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(b'{"n": 1}\n{"n": 2}\n')
    older.write_bytes(b'{"n": 0}\n')
    journal = stopped_commit(tmp_path, {older: log.read_bytes(), log: b'{"n": 3}\n'})
    assert state.recover(tmp_path) is True
    assert (older.read_bytes(), log.read_bytes()) == (b'{"n": 1}\n{"n": 2}\n', b'{"n": 3}\n')
    assert state.recover(tmp_path) is False
    (tmp_path / state.JOURNAL).write_bytes(journal.replace(b'"temp": ".s.events.', b'"temp": ".t.events.'))
    try:  # a temp file named for another file: not vmss's
        state.recover(tmp_path)
        raise AssertionError("a damaged journal was replayed")
    except Exception as exc:  # StoreError: reported, left alone
        assert "is damaged" in str(exc)


def test_a_store_from_before_the_event_log_is_migrated_by_its_first_writer(cli, vmss_home):
    """tests/fixtures/store-before-event-log: a store written by vmss before issue 16 (every event in the
    set file, seven rollouts kept whole), and what that vmss printed for it (expected/)."""
    import shutil

    from tests.util import REPO

    fixture = REPO / "tests/fixtures/store-before-event-log"
    shutil.copytree(fixture, vmss_home, ignore=shutil.ignore_patterns("expected"))
    path, log = vmss_home / "resourceGroups/rg1/virtualMachineScaleSets/web.json", \
        vmss_home / "resourceGroups/rg1/virtualMachineScaleSets/web.events.jsonl"
    old = path.read_bytes()
    reads = {"sim-events": ("sim", "events"), "get-os-upgrade-history": ("get-os-upgrade-history",),
             "get-latest": ("rolling-upgrade", "get-latest")}

    def printed():
        return {name: cli(*args, "-g", "rg1", "-n", "web", "-o", "json").stdout for name, args in reads.items()}
    expected = {name: (fixture / "expected" / f"{name}.json").read_text() for name in reads}
    assert printed() == expected  # readers take the old shape as it is, and write nothing
    assert cli("rolling-upgrade", "cancel", "-g", "rg1", "-n", "web").exit_code == 1  # a failed writer: no change
    assert path.read_bytes() == old and not log.exists()
    assert cli("update", "-g", "rg1", "-n", "web", "--set", "tags.team=a", "-o", "none").exit_code == 0
    doc = json.loads(path.read_bytes())
    assert "events" not in doc and len(doc["rollingUpgrades"]) == 5 and doc["rolloutCount"] == 7
    assert [json.loads(line) for line in log.read_bytes().splitlines()] == json.loads(old)["events"]
    assert printed() == expected  # the same story, told from the log
    assert len(path.read_bytes()) < len(old) / 3


def test_deleting_a_set_from_before_the_event_log_leaves_no_log(cli, vmss_home):
    import shutil

    from tests.util import REPO

    shutil.copytree(REPO / "tests/fixtures/store-before-event-log", vmss_home,
                    ignore=shutil.ignore_patterns("expected"))
    sets = vmss_home / "resourceGroups/rg1/virtualMachineScaleSets"
    assert cli("delete", "-g", "rg1", "-n", "web").exit_code == 0
    assert not sets.exists()  # the set, its log, and the directories they leave empty
