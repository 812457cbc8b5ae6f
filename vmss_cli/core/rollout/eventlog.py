"""A scale set's rollout event log, oldest first (what `vmss sim events` prints and draws).

Every reader goes through `read`. The log is `<name>.events.jsonl` beside the set's file, one JSON
object per line, appended through the store's journal (core.scaleset.save hands it each new event);
past store.state.LOG_ROTATE_BYTES its older lines move to `<name>.events.1.jsonl`, read first;
a store from before the log keeps older events in the set file's `events` list until the set is
next written, and they come first.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

from vmss_cli.store.state import Transaction


def read(tx: Transaction, rg: str, name: str) -> list[Document]:
    import json

    from vmss_cli.core.resources import scaleset
    from vmss_cli.errors import StoreError
    from vmss_cli.store import files, paths

    doc = scaleset.load(tx, rg, name)
    log = paths.scale_set_events_file(tx.root, rg, name)
    logged: list[Document] = []
    # Readers do not lock: a writer may be appending right now. Its last line counts once it is whole.
    # (A rotation replaces both files whole, the older first: a reader may see an event twice, never lose one.)
    for path in (paths.rotated_log(log), log):
        raw = files.read_bytes(path) or b""
        for number, line in enumerate(raw.split(b"\n")[:-1], 1):
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if not isinstance(record, dict):
                raise StoreError(f"State file '{path}' line {number} is not a JSON object. It was left untouched; "
                                 "fix or remove it.")
            logged.append(record)
    return list(doc.get("events") or []) + logged
