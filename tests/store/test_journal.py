"""The commit journal (store/state.py): each file's new bytes are written once, into a temp file
beside it, before a small journal lists the renames and appends that put them in place. Replaying
it is idempotent, it is checked before anything is replayed, a reader that cannot write reads
through it, and a failure before it changes nothing."""

from __future__ import annotations

import json
import os

import pytest

from tests.store.journals import stopped_commit
from vmss_cli.errors import StoreError
from vmss_cli.store import files, state


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def temps(root):
    return sorted(p.name for p in root.rglob("*.tmp"))


@pytest.fixture
def full_disk(monkeypatch):
    """Every write step from the first on fails with ENOSPC (files.fault_point)."""
    monkeypatch.setattr(files, "_FAULT_AT", 1)
    monkeypatch.setattr(files, "_fault_steps", 0)


def test_a_commit_writes_each_file_once_and_a_small_journal(tmp_path, monkeypatch):
    root = tmp_path / "home"
    big = {"rows": [{"n": i, "text": "x" * 50} for i in range(2000)]}
    log = root / "rg" / "s.events.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(b'{"n": 0}\n')
    written = []  # (file name, bytes) of every file written and every append
    real_new, real_append = files._write_new, files.append_bytes

    def write_new(tmp, data):
        written.append((tmp.name, b"".join(data) if isinstance(data, list) else data))
        real_new(tmp, data)

    def append_bytes(path, offset, data):
        written.append((path.name, data))
        real_append(path, offset, data)
    monkeypatch.setattr(files, "_write_new", write_new)
    monkeypatch.setattr(files, "append_bytes", append_bytes)
    with state.transaction(root) as tx:
        tx.save(root / "rg" / "a.json", dict(big))
        tx.save(root / "rg" / "b.json", dict(big, b=1))
        tx.append(log, [{"n": 1}, {"n": 2}])
        tx.append(root / "rg" / "t.events.jsonl", [{"m": 1}])  # a new log: written whole, like a file
    a, b = (root / "rg" / "a.json").read_bytes(), (root / "rg" / "b.json").read_bytes()
    assert (a, b) == (files.encode(dict(big, schemaVersion=1)), files.encode(dict(big, b=1, schemaVersion=1)))
    assert log.read_bytes() == b'{"n": 0}\n{"n": 1}\n{"n": 2}\n'
    assert (root / "rg" / "t.events.jsonl").read_bytes() == b'{"m": 1}\n'
    pid, lines = os.getpid(), b'{"n": 1}\n{"n": 2}\n'
    journal = (b'{"kind": "vmssJournal", "schemaVersion": 2, "changes": [\n'
               b'{"path": "rg/a.json", "temp": ".a.json.%d.tmp"},\n'
               b'{"path": "rg/b.json", "temp": ".b.json.%d.tmp"},\n'
               b'{"path": "rg/t.events.jsonl", "temp": ".t.events.jsonl.%d.tmp"},\n'
               b'{"path": "rg/s.events.jsonl", "offset": 9, "length": 18}\n'
               b']}\n' % (pid, pid, pid)) + lines
    # each file's bytes once (the appended lines twice: in the journal, then the log)
    assert written == [(f".a.json.{pid}.tmp", a), (f".b.json.{pid}.tmp", b),
                       (f".t.events.jsonl.{pid}.tmp", b'{"m": 1}\n'), (f"..journal.json.{pid}.tmp", journal),
                       ("s.events.jsonl", lines)]
    assert not (root / state.JOURNAL).exists() and temps(root) == []
    written.clear()
    with state.transaction(root) as tx:  # one file: its own temp file and rename, no journal
        tx.save(root / "rg" / "a.json", {"one": 1})
    assert written == [(f".a.json.{pid}.tmp", files.encode({"one": 1, "schemaVersion": 1}))] and temps(root) == []


def test_a_listed_temp_file_that_is_gone_was_placed(tmp_path):
    a, b = tmp_path / "rg" / "a.json", tmp_path / "rg" / "b.json"
    a.parent.mkdir(parents=True)
    a.write_bytes(b"old a\n")
    stopped_commit(tmp_path, {a: b"new a\n", b: b"new b\n"})
    os.replace(files.temp_for(a), a)  # killed after the first rename
    assert state.recover(tmp_path) is True
    assert (a.read_bytes(), b.read_bytes()) == (b"new a\n", b"new b\n")
    assert temps(tmp_path) == [] and not (tmp_path / state.JOURNAL).exists()


def test_an_append_replayed_after_it_was_done_is_not_repeated(tmp_path):
    log = tmp_path / "rg" / "s.events.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(b'{"n": 1}\n')
    journal = stopped_commit(tmp_path, {tmp_path / "rg" / "s.json": b"{}\n"}, [(log, 9, b'{"n": 2}\n')])
    log.write_bytes(b'{"n": 1}\n{"n": 2}\n')  # appended, killed before the journal was removed
    assert state.recover(tmp_path) is True
    assert log.read_bytes() == b'{"n": 1}\n{"n": 2}\n'
    (tmp_path / state.JOURNAL).write_bytes(journal)  # and once more
    assert state.recover(tmp_path) is True
    assert log.read_bytes() == b'{"n": 1}\n{"n": 2}\n' and temps(tmp_path) == []


def test_the_temp_sweep_never_eats_a_temp_file_the_journal_lists(tmp_path):
    s = tmp_path / "rg" / "s.json"
    s.parent.mkdir(parents=True)
    s.write_bytes(b"old\n")
    (s.parent / ".s.json.1.tmp").write_bytes(b"a stale temp file of a writer killed before its commit point\n")
    stopped_commit(tmp_path, {s: b"committed\n", tmp_path / "world.json": b"{}\n"})
    with state.transaction(tmp_path) as tx:  # a writer: replays the journal first, then commits in that directory
        tx.save(s.parent / "t.json", {"t": 1})
    assert s.read_bytes() == b"committed\n"
    assert (tmp_path / "world.json").read_bytes() == b"{}\n"
    assert temps(tmp_path) == [] and not (tmp_path / state.JOURNAL).exists()


def _journal(root, *entries, version=2, lines=b""):
    """A journal as vmss writes it (version 2: the header one entry a line, then the logs' lines), or
    as a vmss before it did (version 1, any other: one JSON document)."""
    if version == 2:
        header = b",\n".join(json.dumps(e).encode() for e in entries)
        (root / state.JOURNAL).write_bytes(b'{"kind": "vmssJournal", "schemaVersion": 2, "changes": [\n' + header
                                           + b"\n]}\n" + lines)
    else:
        (root / state.JOURNAL).write_text(json.dumps({"kind": "vmssJournal", "schemaVersion": version,
                                                      "changes": list(entries)}))


@pytest.mark.parametrize("entry", [
    {"path": "../x.json", "temp": ".x.json.1.tmp"},
    {"path": "/tmp/x.json", "temp": ".x.json.1.tmp"},
    {"path": "rg/s.json", "temp": "../.s.json.1.tmp"},
    {"path": "rg/s.json", "temp": "../rg/.s.json.1.tmp"},
    {"path": "rg/s.json", "temp": ".s.json.1.tmp/x"},
    {"path": "rg/s.json", "temp": ".s.json.x.tmp"},
    {"path": "rg/s.json", "temp": ".s.json..tmp"},
    {"path": "rg/s.json", "temp": ".s.json.١.tmp"},  # a digit, but not an ASCII one
    {"path": "rg/s.json", "temp": ".t.json.1.tmp"},  # another file's
    {"path": "rg/s.json", "temp": "t.json"},
    {"path": "rg/s.json", "temp": 1},
    {"path": "rg/s.json", "temp": ".s.json.1.tmp", "offset": 0},
    {"path": "rg/s.json", "offset": 0, "length": 4},  # an append to a document
    {"path": "rg/s.events.jsonl", "offset": -1, "length": 4},
    {"path": "rg/s.events.jsonl", "offset": True, "length": 4},
    {"path": "rg/s.events.jsonl", "offset": 1.0, "length": 4},
    {"path": "rg/s.events.jsonl", "offset": 0, "length": 0},
    {"path": "rg/s.events.jsonl", "offset": 0, "length": 5},  # more lines than the journal holds
    {"path": "rg/s.events.jsonl", "offset": 0, "length": "4"},
    {"path": "rg/s.events.jsonl", "offset": 0, "length": 4, "temp": ".s.events.jsonl.1.tmp"},
    {"path": "rg/s.events.jsonl", "offset": 0},
    {"path": "rg/s.json", "temp": ".s.json.1.tmp", "doc": {}},
    {"path": "rg/s.json", "delete": True, "temp": ".s.json.1.tmp"},
    {"path": "rg/s.json", "doc": {"a": 1}},  # a schemaVersion 1 entry in a version 2 journal
    {"path": "rg/s.json"},
    [],
])
def test_a_journal_entry_vmss_would_not_write_is_damaged_and_nothing_is_replayed(tmp_path, entry):
    root = tmp_path / "home"
    (root / "rg").mkdir(parents=True)
    (root / "rg" / "s.json").write_bytes(b"old\n")
    for name in (".s.json.1.tmp", ".t.json.1.tmp", "t.json", ".s.events.jsonl.1.tmp"):
        (root / "rg" / name).write_bytes(b"new\n")
    (tmp_path / ".x.json.1.tmp").write_bytes(b"new\n")
    _journal(root, {"path": "rg/t.json", "delete": True}, entry, lines=b"{}\n\n")
    before, outside = snapshot(root), snapshot(tmp_path)
    with pytest.raises(StoreError) as caught:
        state.recover(root)
    rel = entry.get("path") if isinstance(entry, dict) else None
    assert caught.value.message == (f"The store's journal '{root / state.JOURNAL}' of an interrupted command is "
                                    f"damaged (entry {str(rel)!r}). It was left untouched; remove it to drop that "
                                    "command's changes.")
    assert snapshot(root) == before and snapshot(tmp_path) == outside


@pytest.mark.parametrize("version", [3, 0, "2", True, None])
def test_a_journal_of_an_unknown_version_is_damaged(tmp_path, version):
    (tmp_path / "rg").mkdir()
    (tmp_path / "rg" / ".s.json.1.tmp").write_bytes(b"new\n")
    _journal(tmp_path, {"path": "rg/s.json", "temp": ".s.json.1.tmp"}, version=version)
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as caught:
        state.recover(tmp_path)
    assert caught.value.message == (f"The store's journal '{tmp_path / state.JOURNAL}' of an interrupted command is "
                                    "damaged. It was left untouched; remove it to drop that command's changes.")
    assert snapshot(tmp_path) == before


def test_a_journal_with_lines_no_entry_takes_is_damaged(tmp_path):
    log = tmp_path / "rg" / "s.events.jsonl"
    log.parent.mkdir()
    log.write_bytes(b'{"n": 1}\n')
    _journal(tmp_path, {"path": "rg/s.events.jsonl", "offset": 9, "length": 9}, lines=b'{"n": 2}\n{"n": 3}\n')
    before = snapshot(tmp_path)
    with pytest.raises(StoreError) as caught:
        state.recover(tmp_path)
    assert caught.value.message == (f"The store's journal '{tmp_path / state.JOURNAL}' of an interrupted command is "
                                    "damaged (lines no entry takes). It was left untouched; remove it to drop that "
                                    "command's changes.")
    assert snapshot(tmp_path) == before
    _journal(tmp_path, {"path": "rg/s.events.jsonl", "offset": 9, "length": 9},
             {"path": "rg/s.events.jsonl", "offset": 18, "length": 9}, lines=b'{"n": 2}\n{"n": 3}\n')
    assert state.recover(tmp_path) is True  # the same lines, each taken by its entry
    assert log.read_bytes() == b'{"n": 1}\n{"n": 2}\n{"n": 3}\n'


def test_a_journal_of_an_older_vmss_is_replayed(tmp_path):
    """schemaVersion 1 (before the temp files): each file's whole document, a rotated log's text, a
    log's records with its committed length, in the journal itself."""
    log = tmp_path / "rg" / "s.events.jsonl"
    log.parent.mkdir(parents=True)
    log.write_bytes(b'{"n": 1}\n{"n"')  # killed half way through the append
    (tmp_path / "rg" / "gone.json").write_bytes(b"{}\n")
    _journal(tmp_path, {"path": "rg/s.json", "doc": {"b": [1], "a": {"c": 2}}},
             {"path": "rg/gone.json", "delete": True},
             {"path": "rg/t.events.1.jsonl", "text": '{"m": "\u00e9"}\n'},
             {"path": "rg/s.events.jsonl", "offset": 9, "records": [{"z": 1, "y": 2}]}, version=1)
    assert state.recover(tmp_path) is True
    assert snapshot(tmp_path) == {"rg/s.json": b'{\n "a": {\n  "c": 2\n },\n "b": [\n  1\n ]\n}\n',
                                  "rg/t.events.1.jsonl": b'{"m": "\xe9"}\n',
                                  "rg/s.events.jsonl": b'{"n": 1}\n{"y": 2, "z": 1}\n'}


def test_a_reader_that_cannot_write_reads_the_staged_files(cli, vmss_home, monkeypatch):
    assert cli("group", "create", "-n", "rg1", "-l", "eastus", "-o", "none").exit_code == 0
    assert cli("group", "create", "-n", "rg2", "-l", "eastus", "-o", "none").exit_code == 0
    rg1, rg2 = vmss_home / "resourceGroups/rg1/group.json", vmss_home / "resourceGroups/rg2/group.json"
    doc1, doc2 = json.loads(rg1.read_bytes()), json.loads(rg2.read_bytes())
    doc1["tags"] = {"a": "b"}
    doc2["tags"] = {"c": "d"}
    rg3 = vmss_home / "resourceGroups/rg3/group.json"
    doc3 = json.loads(json.dumps(doc2).replace("rg2", "rg3"))
    stopped_commit(vmss_home, {rg1: files.encode(doc1), rg2: files.encode(doc2), rg3: files.encode(doc3)})
    os.replace(files.temp_for(rg2), rg2)  # placed before the writer stopped: read from the file itself
    before = snapshot(vmss_home)
    with monkeypatch.context() as disk:
        disk.setattr(files, "_FAULT_AT", 1)
        disk.setattr(files, "_fault_steps", 0)
        listed = cli("group", "list", "--query", "[].[name, tags]", "-o", "json")
        assert (listed.exit_code, listed.stderr) == (0, "")
        assert listed.json == [["rg1", {"a": "b"}], ["rg2", {"c": "d"}], ["rg3", {"c": "d"}]]
        assert cli("group", "show", "-n", "rg3", "--query", "name", "-o", "tsv").stdout == "rg3\n"
        assert snapshot(vmss_home) == before  # nothing written, the journal kept
    assert cli("group", "list", "--query", "[].[name, tags]", "-o", "json").json == listed.json  # finishes it
    assert not (vmss_home / state.JOURNAL).exists() and temps(vmss_home) == []
    assert rg3.read_bytes() == files.encode(doc3)


def test_a_full_disk_before_the_journal_changes_nothing(tmp_path, monkeypatch):
    root = tmp_path / "home"
    a, b, log = root / "rg" / "a.json", root / "rg" / "b.json", root / "rg" / "s.events.jsonl"
    with state.transaction(root) as tx:
        tx.save(a, {"v": 1})
        tx.save(b, {"v": 1})
        tx.append(log, [{"n": 1}])
    before = snapshot(root)
    monkeypatch.setattr(files, "_FAULT_AT", 2)  # the second temp file
    monkeypatch.setattr(files, "_fault_steps", 0)
    with pytest.raises(StoreError) as caught:
        with state.transaction(root) as tx:
            tx.save(a, {"v": 2})
            tx.save(b, {"v": 2})
            tx.append(log, [{"n": 2}])
    assert type(caught.value) is StoreError
    assert caught.value.message == (f"Cannot write state file '{b}': No space left on device. The previous version "
                                    "of the file was kept.")
    assert snapshot(root) == before and temps(root) == []


def test_a_new_directory_is_durable_before_a_journal_names_a_file_in_it(tmp_path, monkeypatch):
    """A power cut must not keep a journal and lose the directory of a temp file it lists (a replay takes a
    listed temp file that is gone for one already placed): each directory created is synced into its parent
    before the journal is written."""
    root = tmp_path / "home"
    root.mkdir()
    synced = []
    real_sync, real_write = files._fsync_dir, files.write_bytes
    monkeypatch.setattr(files, "_fsync_dir", lambda path: synced.append(path) or real_sync(path))
    journal_at = []
    monkeypatch.setattr(files, "write_bytes", lambda path, data: journal_at.append(len(synced)) or
                        real_write(path, data))
    with state.transaction(root) as tx:
        tx.save(root / "rg" / "sets" / "a.json", {"a": 1})
        tx.save(root / "rg" / "sets" / "b.json", {"b": 1})
    assert journal_at, "a two-file commit writes a journal"
    before_journal = synced[:journal_at[0]]
    assert root in before_journal and root / "rg" in before_journal  # the two new directories' entries


def test_a_directory_that_cannot_be_synced_before_the_journal_changes_nothing(tmp_path, monkeypatch):
    root = tmp_path / "home"
    sets = root / "rg" / "sets"
    sets.mkdir(parents=True)
    (sets / "a.json").write_bytes(b"old a\n")
    (root / ".lock").write_bytes(b"")  # (the writer's lock file, as any writer leaves it)
    before = snapshot(root)

    def no_sync(path):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(files, "_fsync_dir", no_sync)
    with pytest.raises(StoreError) as caught:
        with state.transaction(root) as tx:
            tx.save(sets / "a.json", {"a": 2})
            tx.save(sets / "b.json", {"b": 2})
    assert caught.value.message == (f"Cannot sync the state directory '{sets}': Input/output error. "
                                    "The previous version of its files was kept.")
    assert snapshot(root) == before and temps(root) == []
