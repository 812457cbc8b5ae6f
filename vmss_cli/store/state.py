"""Read-modify-write transactions over the state directory.

One lock (filelock, an OS-level flock released when its process dies) covers a writer's whole
span. Documents are loaded on demand, changed in memory, and written only when the block ends
without an exception: a failed command leaves every file byte-identical.
Readers do not lock: every write is an atomic replace, so a reader sees a whole file.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from vmss_cli.core.errors import StoreError
from vmss_cli.store import files, paths

LOCK_TIMEOUT_SECONDS = float(os.environ.get("VMSS_LOCK_TIMEOUT", "60"))


class Transaction:
    def __init__(self, root: Path, writable: bool) -> None:
        self.root = root
        self.writable = writable
        self._docs: dict[Path, dict | None] = {}
        self._dirty: set[Path] = set()

    def load(self, path: Path, kind: str) -> dict | None:
        if path not in self._docs:
            self._docs[path] = files.read_json(path, kind)
        return self._docs[path]

    def save(self, path: Path, doc: dict) -> None:
        self._require_writable()
        doc["schemaVersion"] = files.SCHEMA_VERSION
        self._docs[path] = doc
        self._dirty.add(path)

    def delete(self, path: Path) -> None:
        self._require_writable()
        self._docs[path] = None
        self._dirty.add(path)

    def list_files(self, directory: Path, pattern: str) -> list[Path]:
        """Existing files plus ones created in this transaction, minus deleted ones, sorted."""
        found = set(directory.glob(pattern)) if directory.is_dir() else set()
        for path in self._docs:
            if path.parent == directory and path.match(pattern):
                (found.add if self._docs[path] is not None else found.discard)(path)
        return sorted(p for p in found if not p.name.startswith("."))

    def commit(self) -> None:
        # Scale sets before world: if a crash hits between the two, the world's queue still holds
        # the events, and engine handlers are written to tolerate an event that already ran.
        for path in sorted(self._dirty, key=lambda p: p.name == "world.json"):
            doc = self._docs[path]
            if doc is None:
                files.remove(path)
            else:
                files.write_json(path, doc)
        self._dirty.clear()

    def _require_writable(self) -> None:
        if not self.writable:
            raise AssertionError("write in a read-only transaction")


@contextmanager
def transaction(root: Path | None = None, write: bool = True) -> Iterator[Transaction]:
    root = root or paths.home()
    if not write:
        yield Transaction(root, writable=False)
        return
    from filelock import FileLock, Timeout  # lazy: readers never pay for it

    files.ensure_dir(root)
    lock = FileLock(str(paths.lock_file(root)), timeout=LOCK_TIMEOUT_SECONDS, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(f"Timed out after {LOCK_TIMEOUT_SECONDS:g} s waiting for the lock on "
                         f"'{paths.lock_file(root)}'; another vmss command is still running.") from None
    try:
        tx = Transaction(root, writable=True)
        yield tx
        tx.commit()
    finally:
        lock.release()
