"""Read-modify-write transactions over the state directory.

One lock (an OS-level flock, released when its process dies) covers a writer's whole
span. Documents are loaded on demand, changed in memory, and written only when the block ends
without an exception: a failed command leaves every file byte-identical.
Readers do not lock: every write is an atomic replace, so a reader sees a whole file.

A commit that changes several files (a clock advance moves many scale sets and the world's queue)
is all-or-nothing across a crash. Each new file goes first into its temp file beside it (written,
fsynced, not renamed), then one write-ahead journal (`$VMSS_HOME/.journal.json`, itself written
atomically) lists the renames and deletes that put them in place and the event logs' appends (with
their lines), then they are done and the journal is removed: each file is written once. A
process killed half way leaves the journal; the next command (reader or writer) replays it under
the lock before it reads anything (a reader that cannot write, on a full disk, reads the temp files
through it instead). The replay is idempotent: a listed temp file that is gone was placed already.
Without a journal, a kill between a scale set's file and world.json left a rollout whose pending
events were gone: RollingForward for ever.
Documents whose bytes did not change are not rewritten.

The exit rule: a command that fails changed nothing a later command sees, or says plainly that its
change was applied. The commit point is the first file in place (the journal, or the one file);
a failure before it leaves the store as it was (its temp files removed, or swept by a later write),
one after it is an AppliedError, and Ctrl-C waits for the commit to end.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from vmss_cli.errors import AppliedError, StoreError
from vmss_cli.store import files, paths

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TypeGuard

    # A commit's steps after its commit point, as _apply takes them: (file, its staged temp file | its
    # whole bytes (a journal of schemaVersion 1) | None: delete), and (log, committed length, lines).
    _Renames = list[tuple[Path, Path | bytes | None]]
    _Appends = list[tuple[Path, int, bytes]]

JOURNAL = ".journal.json"
# An append-only log that would grow past this is rotated by the commit that appends to it: its
# committed lines become `<log>.1` (replacing the one before), and the new lines start it again, so a
# set's log and its `.1` hold at most about twice this (plus one commit's lines). A 100-instance
# rollout logs about 100 KB, so the pair keeps the last 40 rollouts or more of a set that size.
LOG_ROTATE_BYTES = 4 * 1024 * 1024
FAST_ENCODE_BYTES = 4 * 1024 * 1024  # see Transaction._changes


def _lock_timeout_setting() -> float | str:
    """VMSS_LOCK_TIMEOUT in seconds (default 60); the raw text when it is not a finite number >= 0,
    reported when a writer needs the lock (a reader never does)."""
    raw = os.environ.get("VMSS_LOCK_TIMEOUT")
    if raw is None or not raw.strip():
        return 60.0
    try:
        value = float(raw)
    except ValueError:
        return raw
    return value if 0 <= value < float("inf") else raw


LOCK_TIMEOUT_SECONDS = _lock_timeout_setting()
POLL_SECONDS = 0.002


_UNREAD: dict = {}  # Transaction.load's marker for a path not read yet (a document may be None: no file)


class Transaction:
    def __init__(self, root: Path, writable: bool, overlay: dict[Path, Path | bytes | None] | None = None) -> None:
        self.root = root
        self.writable = writable
        # a reader's view of an unfinished commit (its journal): a file's staged temp file, or None: deleted
        self._overlay = overlay or {}
        self._docs: dict[Path, dict | None] = {}
        self._raw: dict[Path, bytes | None] = {}  # the bytes each document was read from
        self._dirty: set[Path] = set()
        self._appends: dict[Path, list[dict | str]] = {}  # append-only logs: records to add at commit
        self._read = 0  # bytes of state parsed (files.parse: past some megabytes, orjson reads)

    def load(self, path: Path, kind: str) -> Any:
        """The document at `path` (None when there is none), its top level checked against its kind
        (store.kinds). Typed Any: the caller names the document's type (core.arm.documents)."""
        doc = self._docs.get(path, _UNREAD)  # one lookup: the engine loads a set on every event
        if doc is _UNREAD:
            raw = _through(self._overlay[path], path) if path in self._overlay else files.read_bytes(path)
            if raw is not None:
                self._read += len(raw)
            doc = self._docs[path] = None if raw is None else files.parse(raw, path, kind, self._read)
            if self.writable:
                self._raw[path] = raw
        return doc

    def peek(self, path: Path, key: str, kind: str):
        """Top-level `key` of the document at `path`: from this transaction when it has the document,
        else decoding only that value from the file (files.peek), else from the whole document."""
        if path not in self._docs and path not in self._overlay:
            raw = files.read_bytes(path)
            value = None if raw is None else files.peek(raw, key)
            if value is not None:
                return value
        doc = self.load(path, kind)
        return None if doc is None else doc.get(key)

    def keep(self, path: Path, doc: dict) -> None:
        """Hold a document made in memory, so later loads of `path` return it; written only if saved."""
        self._docs[path] = doc

    def save(self, path: Path, doc: Any) -> None:  # Any: a TypedDict of core.arm.documents, or a dict
        self._require_writable()
        # (a document read carries its kind's version, stamped by its migration; a new one says it or is 1)
        doc.setdefault("schemaVersion", files.SCHEMA_VERSION)
        self._docs[path] = doc
        self._dirty.add(path)

    def delete(self, path: Path) -> None:
        self._require_writable()
        self._docs[path] = None
        self._dirty.add(path)
        self._appends.pop(path, None)  # a deleted log takes no lines (an old set migrated, then deleted)

    def append(self, path: Path, records: list[dict] | list[str]) -> None:
        """Add `records`, one JSON object per line, to the end of the append-only log at `path` when the
        transaction commits, through the journal: the log never holds lines of a commit that did not
        happen. Encoded once, at commit; a str is a record encoded already (files.encode_lines)."""
        self._require_writable()
        self._appends.setdefault(path, []).extend(records)

    def appending(self, path: Path) -> bool:
        """Whether this transaction has lines to append to the log at `path`."""
        return path in self._appends

    def list_files(self, directory: Path, pattern: str) -> list[Path]:
        """Existing files plus ones created in this transaction, minus deleted ones, sorted."""
        found = set(directory.glob(pattern)) if directory.is_dir() else set()
        for path, state in [*self._overlay.items(), *self._docs.items()]:
            if path.parent == directory and path.match(pattern):
                (found.add if state is not None else found.discard)(path)
        return sorted(p for p in found if not p.name.startswith("."))

    def commit(self) -> None:
        appends: _Appends = []
        with _sigint_deferred() as (interrupted, cancel_if_asked):
            done = _commit(self.root, self._changes(appends), appends, cancel_if_asked)
        for path, temp in done:
            # (a deleted file stays known as deleted; a written one's bytes are not kept: a fleet's commit
            # writes 90 MB, and a second commit of a transaction, were there one, writes it again)
            if temp is None:
                self._raw[path] = None
            else:
                self._raw.pop(path, None)
        if interrupted():
            err = AppliedError("Operation cancelled while its change was being saved. The change was applied; "
                               "running the command again would repeat it.")
            err.exit_code = 130
            raise err

    def _changes(self, appends: _Appends) -> Iterator[tuple[Path, bytes | None]]:
        """The files to write, each encoded as the commit asks for it (path, its bytes, or None: delete),
        so that one is written before the next is encoded: a 500-set commit held 90 MB of them at once.
        The logs' appends to existing logs go to `appends` (complete once this is exhausted)."""
        # world.json last (any order is safe with the journal; this one reads best in it)
        dirty = sorted(self._dirty, key=lambda p: (p.name == "world.json", str(p)))
        # A commit of megabytes (a fleet's advance) encodes with orjson (files.encode): its 7 ms import
        # pays for itself past about 2 MB of state; the size of what was read is the estimate.
        fast = sum([len(self._raw.get(path) or b"") for path in dirty]) >= FAST_ENCODE_BYTES
        for path in dirty:
            doc = self._docs[path]
            data = None if doc is None else files.encode(doc, fast)
            if path in self._raw and data == self._raw[path]:
                continue  # unchanged: no write, no fsync
            yield path, data
        self._dirty.clear()
        # A log's committed length is recorded with its lines: replaying the journal cuts the log back
        # to it before appending, so a kill half way through an append never leaves a line twice.
        for path, records in sorted(self._appends.items()):
            size, data = _size(path), files.encode_lines(records)
            if not size:  # a new (or empty) log: written whole like any file, its bytes once
                yield path, data
            elif size + len(data) > LOG_ROTATE_BYTES:
                # Rotation: two whole-file writes through the journal, so a replay repeats them exactly.
                yield paths.rotated_log(path), (files.read_bytes(path) or b"")[:size]
                yield path, data
            else:
                appends.append((path, size, data))
        self._appends.clear()

    def _require_writable(self) -> None:
        if not self.writable:
            raise AssertionError("write in a read-only transaction")


def _through(source: Path | bytes | None, path: Path) -> bytes | None:
    """A file as an unfinished commit leaves it: its staged temp file, or the file itself once that
    temp file is gone (a writer placed it meanwhile: os.replace is atomic)."""
    if isinstance(source, Path):
        raw = files.read_bytes(source)
        return files.read_bytes(path) if raw is None else raw
    return source


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _commit(root: Path, changes: Iterator[tuple[Path, bytes | None]], appends: _Appends,
            before_writing: Callable[[], None] = lambda: None) -> list[tuple[Path, Path | bytes | None]]:
    """The commit point is the first file in place: the journal for several files (the next
    command replays it if this one stops), else the one file. A failure before it changed nothing
    (StoreError: "... was kept"); a failure after it says the change was applied (AppliedError).
    Each file's bytes are written once: into its temp file before the journal, which lists the
    renames (and the logs' appends) that put them in place. `appends` is complete once `changes`
    is exhausted; `before_writing` is called once, before anything is written (a Ctrl-C check).
    Returns what it did: (file, None when deleted)."""
    first = next(changes, None)
    second = None if first is None else next(changes, None)
    before_writing()
    if second is None and not appends:  # (changes exhausted: appends complete)
        if first is None:
            return []
        try:  # one file: its own rename is the commit point
            _apply(root, [first], [])
        except AppliedError as exc:
            raise _applied(exc, False) from None
        return [first]
    staged: list[Path] = []
    try:
        renames = _stage(itertools.chain([c for c in (first, second) if c is not None], changes), staged)
        files.write_bytes(root / JOURNAL, _journal_pieces(root, renames, appends))
    except AppliedError as exc:  # the journal is in place, its directory not synced
        raise _applied(exc, True) from None
    except BaseException:
        files.discard(staged)  # nothing is in place: the store is unchanged
        raise
    try:
        _apply(root, renames, appends)
        files.remove(root / JOURNAL)
    except StoreError as exc:
        raise _applied(exc, True) from None
    return list(renames)


def _stage(changes: Iterable[tuple[Path, bytes | None]], staged: list[Path]) -> list[tuple[Path, Path | None]]:
    """Every new file's bytes in its temp file beside it (fsynced; the directories synced once),
    added to `staged` as they are made: (file, its temp file, or None: delete)."""
    renames: list[tuple[Path, Path | None]] = []
    ready: set[Path] = set()
    for path, data in changes:
        temp = None if data is None else files.stage(path, data, ready)
        staged += [temp] if temp else []
        renames.append((path, temp))
    files.sync_dirs(staged)
    return renames


def _applied(exc: StoreError, journaled: bool) -> AppliedError:
    rest = (" The next vmss command completes the store from its journal." if journaled else "")
    reason = getattr(exc, "reason", exc.message)
    return AppliedError(f"The change was applied, but the store could not be finished: {reason}.{rest} "
                        "Do not run the command again; it would repeat the change.")


@contextmanager
def _sigint_deferred() -> Iterator[tuple[Callable[[], bool], Callable[[], None]]]:
    """Ctrl-C during a commit waits for it to end: the change lands whole and the command says so,
    instead of exiting "cancelled" with a journal the next command applies. Yields (whether a Ctrl-C
    came, a check for the commit to call before it writes anything): a Ctrl-C that came before then
    cancels the command as it would without the wait (KeyboardInterrupt, the store unchanged) unless
    the command handles Ctrl-C itself."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield (lambda: False), (lambda: None)
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))

    def cancel_if_asked() -> None:
        if caught and previous is signal.default_int_handler:
            caught.clear()
            raise KeyboardInterrupt

    try:
        yield (lambda: bool(caught)), cancel_if_asked
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and previous is signal.SIG_IGN:
            caught.clear()  # Ctrl-C is ignored in this process (nohup, a background job)
        elif caught and callable(previous) and previous is not signal.default_int_handler:
            previous(signal.SIGINT, None)  # a command's own handler (rolling-upgrade start) takes it
            caught.clear()


_V2 = b'{"kind": "vmssJournal", "schemaVersion": 2, "changes": [\n'


def _journal_pieces(root: Path, renames: list[tuple[Path, Path | None]], appends: _Appends) -> list[bytes]:
    """The journal: a JSON header, one entry a line,
        {"kind": "vmssJournal", "schemaVersion": 2, "changes": [
        {"path": relative, "temp": its staged temp file's name (files.temp_for)} | {"path": relative, "delete": true}
        | {"path": relative log, "offset": its committed length, "length": how many bytes of lines it takes}
        ]}
    then the logs' new lines, in the order of their entries: a log's appended lines are written here,
    and then to the log (a temp file of its own beside each log cost each one more fsync), in pieces
    without assembling a copy. Files are written once: their temp files are renamed into place."""
    lines = []
    for path, temp in renames:
        rel = path.relative_to(root).as_posix()
        lines.append({"path": rel, "delete": True} if temp is None else {"path": rel, "temp": temp.name})
    for path, offset, data in appends:
        lines.append({"path": path.relative_to(root).as_posix(), "offset": offset, "length": len(data)})
    return [_V2 + ",\n".join(map(json.dumps, lines)).encode() + b"\n]}\n", *(data for _, _, data in appends)]


def _apply(root: Path, renames: Sequence[tuple[Path, Path | bytes | None]], appends: _Appends) -> None:
    """Put a commit in place; idempotent, so a journal can be replayed any number of times: a listed
    temp file that is gone was placed already, and an append first cuts its log to its committed length."""
    with files.batched():  # each directory synced once (and swept of temp files), before the journal goes
        for path, source in renames:
            if source is None:
                files.remove(path)
                files.remove_empty_parents(path.parent, root)
            elif isinstance(source, bytes):
                files.write_bytes(path, source)
            else:
                files.place(source, path)
        for path, offset, data in appends:
            files.append_bytes(path, offset, data)


def recover(root: Path) -> bool:
    """Finish a commit that a crash interrupted (call with the lock held). True if there was one."""
    found = read_journal(root)
    if found is None:
        return False
    _apply(root, *found)
    files.remove(root / JOURNAL)
    return True


def read_journal(root: Path) -> tuple[_Renames, _Appends] | None:
    """(file changes, log appends) of a committed but unfinished command, or None when there is no
    journal. The journal is written whole (temp file, fsync, rename) after every temp file it lists,
    so one that exists is complete; one that does not parse, names a file outside the store or a
    temp file the store would not write, or whose lines do not add up, was not written by vmss.
    Reads schemaVersion 1 too (a vmss before 2026-11 wrote each file's whole document into it)."""
    journal = root / JOURNAL
    raw = files.read_bytes(journal)
    if raw is None:
        return None
    damaged = f"The store's journal '{journal}' of an interrupted command is damaged"
    end = raw.find(b"\n]}\n") + 4 if raw.startswith(_V2) else 0
    head, tail = (raw[:end], memoryview(raw)[end:]) if end >= 4 else (raw, memoryview(b""))
    try:
        doc = json.loads(head)
        entries = doc["changes"] if doc.get("kind") == "vmssJournal" else None
        version = doc.get("schemaVersion", 1)
    except (ValueError, RecursionError, TypeError, AttributeError, KeyError):
        entries = version = None
    if not isinstance(entries, list) or type(version) is not int or version not in (1, 2):
        raise StoreError(f"{damaged}. It was left untouched; remove it to drop that command's changes.")
    renames: _Renames = []
    appends: _Appends = []
    at = 0  # how much of the lines after the header the entries took
    for entry in entries:
        rel = entry.get("path") if isinstance(entry, dict) else None
        taken = None
        if _safe_relative(rel):
            taken = (_entry(root, entry, renames, appends, tail[at:]) if version == 2
                     else _entry_v1(root, entry, renames, appends))
        if taken is None:
            raise StoreError(f"{damaged} (entry {str(rel)[:200]!r}). It was left untouched; remove it to drop "
                             "that command's changes.")
        at += taken
    if at != len(tail):
        raise StoreError(f"{damaged} (lines no entry takes). It was left untouched; remove it to drop that "
                         "command's changes.")
    return renames, appends


def _entry(root: Path, entry: dict, renames: _Renames, appends: _Appends, lines: memoryview) -> int | None:
    """One schemaVersion 2 entry, if it is one vmss writes (else None); an append takes its lines from
    the start of `lines`. Returns how many bytes of them it took."""
    path, temp, offset, length = root / entry["path"], entry.get("temp"), entry.get("offset"), entry.get("length")
    if entry == {"path": entry["path"], "delete": True}:
        renames.append((path, None))
    elif entry.keys() == {"path", "temp"} and isinstance(temp, str) and files.is_temp_for(temp, path.name):
        renames.append((path, path.with_name(temp)))
    elif entry.keys() == {"path", "offset", "length"} and path.name.endswith(".jsonl") \
            and _count(offset) and _count(length) and 0 < length <= len(lines):
        appends.append((path, offset, bytes(lines[:length])))
        return length
    else:
        return None
    return 0


def _count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entry_v1(root: Path, entry: dict, renames: _Renames, appends: _Appends) -> int | None:
    """One schemaVersion 1 entry: the file's whole document, a rotated log's text, or a log's records."""
    rel, offset, records, text = entry["path"], entry.get("offset"), entry.get("records"), entry.get("text")
    if isinstance(records, list) and all(isinstance(r, dict) for r in records) and _count(offset):
        appends.append((root / rel, offset, files.encode_lines(records)))  # the same bytes: keys sorted
    elif rel.endswith(".jsonl") and isinstance(text, str):
        try:
            renames.append((root / rel, text.encode("latin-1")))  # a rotated log, byte for byte
        except UnicodeEncodeError:
            return None  # not written by vmss
    elif entry.get("delete") is True or isinstance(entry.get("doc"), dict):
        renames.append((root / rel, None if entry.get("delete") is True else files.encode(entry["doc"])))
    else:
        return None
    return 0


def _safe_relative(rel: object) -> bool:
    """A path the store itself writes: relative, plain segments, inside the store."""
    if not isinstance(rel, str) or not rel or "\0" in rel or "\\" in rel or rel.startswith("/"):
        return False
    parts = rel.split("/")
    return all(part and part not in (".", "..") for part in parts) and rel.endswith((".json", ".jsonl"))


@contextmanager
def transaction(root: Path | None = None, write: bool = True) -> Iterator[Transaction]:
    root = root or paths.home()
    if os.path.exists(root) and not os.path.isdir(root):  # else a reader would see an empty store
        raise StoreError(f"The state directory '{root}' (VMSS_HOME) is not a directory.")
    if not write:
        overlay = {}
        if (root / JOURNAL).exists():  # a writer was stopped mid-commit: finish its commit first
            try:
                with transaction(root, write=True):
                    pass
            except StoreError:
                # The store cannot be written (a full disk): read through the journal instead, so
                # a reader sees the committed change without writing anything.
                # (log lines it appends are not overlaid: a reader sees them once a writer finishes)
                overlay = dict((read_journal(root) or ([], []))[0])
        yield Transaction(root, writable=False, overlay=overlay)
        return
    timeout = LOCK_TIMEOUT_SECONDS
    if isinstance(timeout, str):
        raise StoreError(f"VMSS_LOCK_TIMEOUT='{timeout[:50]}' is not a number of seconds (0 or more).")
    try:
        files.ensure_dir(root)
        fd = _lock(paths.lock_file(root), timeout)
    except TimeoutError:
        raise StoreError(f"Timed out after {timeout:g} s waiting for the lock on "
                         f"'{paths.lock_file(root)}'; another vmss command is still running.") from None
    except OSError as exc:
        raise StoreError(f"Cannot lock the state directory '{root}': {exc.strerror or exc}.") from None
    try:
        recover(root)
        tx = Transaction(root, writable=True)
        # No cyclic collection while a writer loads, changes and encodes documents (which hold no
        # cycles): on a 500-set clock advance its passes over the whole store were a sixth of the time.
        with files.paused_gc():
            yield tx
            tx.commit()
    finally:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _lock(path: Path, timeout: float) -> int:
    """An exclusive flock on `path` (created 0600), polled every POLL_SECONDS up to `timeout`: the
    OS drops it when the process dies, even if killed. (The filelock package did the same; importing
    it cost a write command a fifth of its run.) A poll of 50 ms, filelock's default, left the lock
    idle while waiters slept: 16 parallel writers got 4.5 updates/s (benchmarks/concurrency.py)."""
    import fcntl
    import time

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TimeoutError from None
                time.sleep(POLL_SECONDS)
    except BaseException:
        os.close(fd)
        raise
