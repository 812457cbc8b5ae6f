"""Crash-safe JSON files: temp file in the same directory -> flush -> fsync -> os.replace, in one
step (write_bytes) or in two around a commit's journal (stage, then place: store/state.py).

A reader sees the old file or the new one, never half of one. Files are 0600, directories 0700,
whatever the umask. A file that does not parse is reported with its path and never overwritten.
"""

from __future__ import annotations

import gc
import json
import os
from pathlib import Path

from vmss_cli.errors import AppliedError, StoreError
from vmss_cli.store import kinds

SCHEMA_VERSION = 1  # of every kind but world.json, which is at 2 (store/kinds.py: each kind's migrations)


def ensure_dir(path: Path) -> None:
    """Create `path` and any missing parents as 0700 (mkdir's mode is masked by the umask, and
    `parents=True` would create the parents with the umask's default instead). A directory that
    already exists is never changed: VMSS_HOME may point at a shared one (a 1777 /tmp directory
    would lose its sticky bit), directly or through a symlink."""
    missing = []
    while not path.is_dir():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=0o700)
        except FileExistsError:  # another process created it between the check and here
            if not directory.is_dir():
                raise
            continue
        os.chmod(directory, 0o700)
        # The new directory's entry is durable before anything in it is named by a journal: a power cut
        # must not keep the journal and lose the directory of a temp file it lists (a replay takes a
        # listed temp that is gone for one already placed).
        _fsync_dir(directory.parent)


def read_json(path: Path, kind: str) -> dict | None:
    """The migrated document at `path`, or None when the file does not exist."""
    raw = read_bytes(path)
    return None if raw is None else parse(raw, path, kind)


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"Cannot read state file '{path}': {exc.strerror}.") from None


def parse(raw: bytes, path: Path, kind: str, read: int = 0) -> dict:
    """The document in a state file's bytes, migrated and checked. `read`: how many bytes of state the
    caller has parsed with these (a transaction's: past a few megabytes, orjson reads them: _loads)."""
    try:
        with paused_gc():
            doc = _loads(raw, read >= ORJSON_PARSE_AFTER)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, a 5000-digit integer
        what = exc if not isinstance(exc, RecursionError) else "nested too deeply"
        raise StoreError(f"State file '{path}' is not valid JSON ({what}). "
                         "It was left untouched; fix or remove it.") from None
    if not isinstance(doc, dict):
        raise StoreError(f"State file '{path}' does not hold a JSON object. It was left untouched; fix or remove it.")
    doc = migrate(doc, kind, path)
    kinds.check(doc, kind, path)
    return doc


def _loads(raw: bytes, fast: bool):
    """json.loads(raw), or when `fast` (a transaction that has parsed megabytes: a fleet's advance)
    through orjson, twice as fast, for every file it gives the same value: the others (NaN and
    infinities, lone surrogates, UTF-16, anything invalid) it refuses, and the standard library reads
    them or says what is wrong, as before. It reads an integer past 64 bits as a float, so a file with
    a number of 19 digits or more (say, in a tag, by hand) is read by the standard library too."""
    if not fast or len(raw) < 4096 or _LONG_NUMBER in raw.translate(_NUMBERS):
        return json.loads(raw)
    import orjson

    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


ORJSON_PARSE_AFTER = 2 * 1024 * 1024  # its import (7 ms) pays for itself past about this
# raw.translate(_NUMBERS): digits are "0", what can stand before a JSON number is " ", the rest stays
_NUMBERS = bytes.maketrans(b"0123456789:,[ \t\r\n-", b"0" * 10 + b" " * 8)
_LONG_NUMBER = b" " + b"0" * 19


class paused_gc:
    """The cyclic garbage collector off for a block that builds many objects and frees none (parsing
    a state file, running the world's events): its collections, triggered every 700 new containers,
    walked the whole store over and over (0.88x the time of a 500-set advance without them).
    Nests; restores the collector as it found it. State documents hold no reference cycles."""

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        if self.enabled:
            gc.enable()


def peek(raw: bytes, key: str):
    """The value of top-level `key` of a state file in the layout `encode` writes, decoding only that
    value (a set's instances and history are not parsed), or None when the file is not in that layout.
    A newline then one space then a key is a top-level key: JSON escapes newlines inside strings."""
    marker = b"\n " + json.dumps(key).encode() + b": "
    at = raw.find(marker)
    if at < 0 or not raw.startswith(b"{\n"):
        return None
    try:
        text = raw[at + len(marker):].decode()
        return json.JSONDecoder().raw_decode(text)[0]
    except (ValueError, RecursionError):
        return None


def migrate(doc: dict, kind: str, path: Path | str = "<memory>") -> dict:
    version = doc.get("schemaVersion", 0)
    steps = kinds.KINDS[kind].migrations
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise StoreError(f"State file '{path}' has an invalid schemaVersion {version!r}. It was left untouched.")
    if version > len(steps):
        raise StoreError(f"State file '{path}' has schemaVersion {version}, newer than this vmss understands "
                         f"({len(steps)}). Upgrade vmss. The file was left untouched.")
    for step in steps[version:]:
        doc = step(doc)
    doc["schemaVersion"] = len(steps)
    return doc


def encode(doc: dict, fast: bool = False) -> bytes:
    """The bytes of a state file: sorted keys, so an unchanged document encodes to unchanged bytes.
    Indented for a person down to the second level, compact below it: one instance, rollout or event
    per line (greppable, diffable), in UTF-8. json.dumps(indent=...) runs Python's pure-Python encoder;
    this runs the C one on each line through one encoder built once (json.dumps with options builds a
    new encoder per call). `fast` (a commit of megabytes: store.state) encodes the lines with orjson,
    ten times faster, to the same bytes (tests/store/test_encoding.py); orjson costs 7 ms to import,
    so a small commit does not use it."""
    if fast:
        data = _encode_orjson(doc)
        if data is not None:
            return data
    try:
        return _layout(doc, 0, _state_line, _key).encode() + b"\n"
    except UnicodeEncodeError:  # a lone surrogate (from a \udXXX escape in JSON input) is not UTF-8: escaped
        return _layout(doc, 0, _state_line_ascii, _key_ascii).encode() + b"\n"


def _c_encoder(separators: tuple[str, str], ascii: bool):
    """json.dumps(value, sort_keys=True, separators=..., ensure_ascii=ascii) of one line, through one C
    encoder built once: JSONEncoder.encode builds a new C encoder (and a cycle-check dict) on every
    call, which was a third of encoding the ~100,000 log lines of a fleet's advance. The same bytes:
    the arguments JSONEncoder passes it, with no cycle check (state documents come from JSON and hold
    no cycles)."""
    plain = json.JSONEncoder(sort_keys=True, separators=separators, ensure_ascii=ascii)
    make = getattr(json.encoder, "c_make_encoder", None)  # (not in typeshed)
    if make is None:  # an interpreter without the C accelerator
        return plain.encode
    text = json.encoder.encode_basestring_ascii if ascii else json.encoder.encode_basestring
    chunks = make(None, plain.default, text, None, separators[1], separators[0], True, False, True)
    join = "".join
    return lambda value: join(chunks(value, 0))


_line = _c_encoder((", ", ": "), True)  # a log line (encode_lines)
_state_line = _c_encoder((",", ":"), False)  # a state file's line: what orjson writes
_state_line_ascii = _c_encoder((",", ":"), True)


def encode_lines(records: list) -> bytes:
    """An append-only log's lines: one JSON object per line, keys sorted. A str is a line encoded
    already, to these same bytes (core.rollout.eventlog.line)."""
    return "".join([(r if r.__class__ is str else _line(r)) + "\n" for r in records]).encode()


def _layout(value, depth: int, line, key) -> str:
    if depth < 2 and isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        pad = " " * (depth + 1)
        return ("{\n" + ",\n".join([pad + key(k) + ": " + _layout(value[k], depth + 1, line, key)
                                     for k in sorted(value)])
                + "\n" + " " * depth + "}")
    if depth < 2 and isinstance(value, list) and value:
        pad = " " * (depth + 1)
        if depth == 1:
            return "[\n" + pad + (",\n" + pad).join(map(line, value)) + "\n" + " " * depth + "]"
        return "[\n" + ",\n".join([pad + _layout(v, depth + 1, line, key) for v in value]) + "\n" + " " * depth + "]"
    return line(value)


_key = json.encoder.encode_basestring  # json.dumps(key, ensure_ascii=False) of a str key
_key_ascii = json.encoder.encode_basestring_ascii


def _encode_orjson(doc: dict) -> bytes | None:
    """encode(doc) with orjson writing the lines, or None where orjson would not write what the standard
    library writes: it refuses integers past 64 bits, lone surrogates and keys that are not strings,
    and writes NaN and infinities as null and some small numbers otherwise (_floats_as_python finds
    those first)."""
    import orjson

    dumps, sort = orjson.dumps, orjson.OPT_SORT_KEYS
    try:
        if not _floats_as_python(doc):
            return None
        return _layout(doc, 0, lambda value: dumps(value, option=sort).decode(), _key).encode() + b"\n"
    except (TypeError, ValueError):  # orjson.JSONEncodeError is a TypeError; UnicodeEncodeError a ValueError
        return None


def _floats_as_python(doc: dict) -> bool:
    """Whether orjson writes every float in `doc` as the standard library does. It does not write NaN
    and infinities (null), nor magnitudes about 1e-9 to 1e-4 (0.00001 for 1e-05, 2.5e-7 for 2.5e-07;
    a test holds the band). marshal writes each float as a type byte ("g", or 0xE7 with its reference
    flag) and its 8 IEEE 754 bytes, little-endian, whose last two hold the exponent: one scan finds
    both kinds. Ten times the speed of a walk in Python; a string that happens to hold such bytes only
    sends its document to the standard library's encoder."""
    import marshal
    import re

    data = marshal.dumps(doc)
    # (one pattern a type byte: a literal first byte is searched for fast, a class of two byte by byte)
    return not any(re.search(pattern, data, re.DOTALL) for pattern in _NOT_AS_PYTHON)


# NaN and infinities: every exponent bit set; 2**-31 <= |x| < 2**-11: biased exponent 992 to 1012
_FLOAT_NOT_AS_PYTHON = rb".{6}(?:[\xf0-\xff][\x7f\xff]|.[\x3e\xbe]|[\x00-\x4f][\x3f\xbf])"
_NOT_AS_PYTHON = (b"g" + _FLOAT_NOT_AS_PYTHON, b"\xe7" + _FLOAT_NOT_AS_PYTHON)

def write_json(path: Path, doc: dict) -> None:
    write_bytes(path, encode(doc))


def write_bytes(path: Path, data: bytes | list[bytes]) -> None:
    """temp file in the same directory -> write -> fsync -> os.replace -> fsync the directory.
    `data` may be a list of pieces, written in order (a commit's journal: no copy of it is assembled).
    Fails with StoreError while the old file is still in place, with AppliedError once the new
    one has replaced it (a reader already sees the new bytes). Inside `batched()` the directory is
    swept of stale temp files and synced once for all the files written there (settle_dirs)."""
    tmp = temp_for(path)
    try:
        ensure_dir(path.parent)
        _write_new(tmp, data)
        crash_point()
        fault_point()
        os.replace(tmp, path)
    except BaseException as exc:
        # The old file is intact; do not leave the half-written temp file behind.
        discard([tmp])
        if isinstance(exc, OSError):
            raise _kept(path, exc) from None
        raise
    _written(path)
    crash_point()


def temp_for(path: Path) -> Path:
    """Where `path`'s new bytes are written before they replace it: a dot file beside it, named for
    the file and for this process (settle_dirs sweeps the ones a killed writer left)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def is_temp_for(name: str, target: str) -> bool:
    """Whether `name` is a temp file of the form temp_for gives a file named `target`."""
    pid = name[len(target) + 2:-4]
    return name.startswith(f".{target}.") and name.endswith(".tmp") and pid.isascii() and pid.isdigit()


def stage(path: Path, data: bytes, ready: set[Path] | None = None) -> Path:
    """A journaled commit's first half: `path`'s new bytes in its temp file (temp_for), written and
    fsynced but not in place (sync_dirs syncs its directory). Fails with StoreError, the file as it
    was and the temp file removed. `ready`: the directories this commit has made sure of, one stat
    each (a fleet's commit stages a thousand files in one directory); the file's is added."""
    tmp = temp_for(path)
    try:
        if ready is None or path.parent not in ready:
            ensure_dir(path.parent)
            if ready is not None:
                ready.add(path.parent)
        _write_new(tmp, data)
        fault_point()
    except BaseException as exc:
        discard([tmp])
        if isinstance(exc, OSError):
            raise _kept(path, exc) from None
        raise
    crash_point()
    return tmp


def place(tmp: Path, path: Path) -> None:
    """A journaled commit's second half: the staged temp file replaces `path`. A temp file that is
    gone was placed already (the journal replayed twice). Inside `batched()` the directory is synced
    once for all (settle_dirs)."""
    try:
        fault_point()
        os.replace(tmp, path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _failed(StoreError(f"Cannot replace state file '{path}': {exc.strerror or exc}."), path, exc) from None
    _written(path)
    crash_point()


def sync_dirs(paths: list[Path]) -> None:
    """fsync the directories of `paths`, each once: staged temp files are durable before a journal
    names them (else a power cut could keep the journal and lose a temp file it lists)."""
    for directory in {path.parent: None for path in paths}:
        try:
            _fsync_dir(directory)
        except OSError as exc:
            raise _failed(StoreError(f"Cannot sync the state directory '{directory}': {exc.strerror or exc}. "
                                     "The previous version of its files was kept."), directory, exc) from None


def discard(temps: list[Path]) -> None:
    """Remove temp files of a commit that did not happen (best effort: settle_dirs sweeps what is left)."""
    for tmp in temps:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _write_new(tmp: Path, data: bytes | list[bytes]) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        if isinstance(data, bytes):
            _write_all(fd, data)
        else:
            _write_pieces(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _kept(path: Path, exc: OSError) -> StoreError:
    return _failed(StoreError(f"Cannot write state file '{path}': {exc.strerror or exc}. "
                              "The previous version of the file was kept."), path, exc)


def _written(path: Path) -> None:
    if _BATCHES:
        _BATCHES[-1].append(path)
    else:
        settle_dirs([path])


_BATCHES: list[list[Path]] = []  # the files written by the batched() blocks running, innermost last


class batched:
    """A commit's writes: each directory is swept and synced once when the block ends without an
    exception, not once per file (a 500-set commit scanned its 1,000-file directory once per file)."""

    def __enter__(self) -> None:
        _BATCHES.append([])

    def __exit__(self, exc_type, *exc) -> None:
        written = _BATCHES.pop()
        if exc_type is None:
            settle_dirs(written)


def settle_dirs(written: list[Path]) -> None:
    """After files were replaced: remove the temp files of those paths that a writer killed
    mid-write left (writes happen under the store's lock, so no other live process owns one),
    and fsync each directory once, so the renames are durable."""
    by_dir: dict[Path, set[str]] = {}
    for path in written:
        by_dir.setdefault(path.parent, set()).add(path.name)
    for directory, names in by_dir.items():
        try:
            with os.scandir(directory) as entries:
                stale = [e.name for e in entries if e.name.startswith(".") and e.name.endswith(".tmp")
                         and e.name[1:-4].rpartition(".")[0] in names]
            for name in stale:
                (directory / name).unlink(missing_ok=True)
            _fsync_dir(directory)
        except OSError as exc:
            path = directory / sorted(names)[0]
            raise _failed(AppliedError(f"State file '{path}' was written, but syncing its directory failed: "
                                       f"{exc.strerror or exc}."), path, exc) from None


def append_bytes(path: Path, offset: int, data: bytes) -> None:
    """An append-only log: cut back to `offset` (its committed length: what a killed append left past
    it goes), add `data`, fsync. Called from a commit with the journal in place (store.state)."""
    try:
        ensure_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
            size = os.fstat(fd).st_size
            if size > offset:
                os.ftruncate(fd, offset)
            os.lseek(fd, min(size, offset), os.SEEK_SET)
            _write_all(fd, data[:len(data) // 2])
            crash_point()  # killed half way: the journal's replay cuts the log back to `offset`
            _write_all(fd, data[len(data) // 2:])
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _failed(StoreError(f"Cannot write state file '{path}': {exc.strerror or exc}."), path, exc) from None
    _written(path)
    crash_point()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_pieces(fd: int, pieces: list[bytes]) -> None:
    """The pieces one after another, up to 512 per writev call; a short write finishes its piece alone."""
    at = 0
    while at < len(pieces):
        batch = pieces[at:at + 512]
        written = os.writev(fd, batch)
        for piece in batch:
            at += 1
            if written >= len(piece):
                written -= len(piece)
                continue
            _write_all(fd, piece[written:])
            break


def remove(path: Path) -> None:
    try:
        fault_point()
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _failed(StoreError(f"Cannot remove state file '{path}': {exc.strerror or exc}."), path, exc) from None
    try:
        _fsync_dir(path.parent)
    except OSError as exc:
        raise _failed(AppliedError(f"State file '{path}' was removed, but syncing its directory failed: "
                                   f"{exc.strerror or exc}."), path, exc) from None
    crash_point()


def _failed(error: StoreError, path: Path, exc: OSError) -> StoreError:
    error.reason = f"{exc.strerror or exc} ('{path}')"  # for a commit's own message (store.state)
    return error


def remove_empty_parents(directory: Path, root: Path) -> None:
    """Directories a delete left empty (a deleted group's folders), up to `root`, exclusive. Runs
    under the store's lock; a directory that is not empty stays."""
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()
        except OSError:  # not empty (another resource, a temp file), or already gone
            return
        directory = directory.parent


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- crash testing -----------------------------------------------------------------------------------
# VMSS_TEST_CRASH_AT=N makes the process SIGKILL itself at the Nth step of writing the store (a temp
# file complete but not yet in place, a file replaced, a file removed, a log half appended, a log
# appended), so tests can "pull the plug" at every point of a commit (tests/reliability/test_crash.py).
# Unset, it costs one integer compare.
def _step_setting(name: str) -> int:
    try:
        return int(os.environ.get(name) or 0)
    except ValueError:
        return 0


_CRASH_AT = _step_setting("VMSS_TEST_CRASH_AT")
_steps = 0
# VMSS_TEST_CRASH_SIGNAL=SIGINT sends Ctrl-C at that step instead of SIGKILL.
_CRASH_SIGNAL = os.environ.get("VMSS_TEST_CRASH_SIGNAL") or "SIGKILL"


# VMSS_TEST_FAULT_AT=N makes the Nth write step, and every one after it in the process, fail with
# OSError(ENOSPC): a disk that fills up at that point of a commit (tests/reliability/test_faults.py).
# A write step here is a temp file written (about to replace its file, or staged for the journal),
# a staged file about to be put in place, or a file about to be removed.
_FAULT_AT = _step_setting("VMSS_TEST_FAULT_AT")
_fault_steps = 0


def fault_point() -> None:
    global _fault_steps
    if _FAULT_AT:
        _fault_steps += 1
        if _fault_steps >= _FAULT_AT:  # a full disk stays full: every later write step fails too
            import errno

            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def crash_point() -> None:
    global _steps
    if _CRASH_AT:
        _steps += 1
        if _steps == _CRASH_AT:
            import signal

            os.kill(os.getpid(), signal.SIGINT if _CRASH_SIGNAL == "SIGINT" else signal.SIGKILL)
