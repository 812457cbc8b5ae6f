"""A scale set's rollout event log, oldest first (what `vmss sim events` prints and draws).

The engine writes each event as its log line (`line`); every reader goes through `read`. The log is `<name>.events.jsonl` beside the set's file, one JSON
object per line, appended through the store's journal (the engine hands it each event as it happens);
past store.state.LOG_ROTATE_BYTES its older lines move to `<name>.events.1.jsonl`, read first;
a store from before the log keeps older events in the set file's `events` list until the set is
next written, and they come first.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

from json.encoder import encode_basestring_ascii as _text

from vmss_cli.store.state import Transaction


def line(time: str, kind: str, rg: str, name: str, operation_id: str, message: str, progress: Document,
         batch: int | None = None, instances: list[str] | None = None) -> str:
    """The log line of an engine event (engine._emit's record: these texts, the progress counts, maybe
    `batch` and `instances`): the bytes the store's encoder writes for the record (keys sorted, ", "
    and ": ", ASCII escapes), spelled out: a fleet's advance logs ~100,000 events, and the general
    encoder took 1.9x as long (tests/engine/test_event_log_lines.py holds the two to the same bytes)."""
    head = "" if batch is None else f'"batch": {batch}, '
    if instances is not None:
        head += f'"instances": [{", ".join(map(_text, instances))}], '
    return (f'{{{head}"message": {_text(message)}, "operationId": {_text(operation_id)}, "progress": '
            f'{{"failedInstanceCount": {progress["failedInstanceCount"]}, "inProgressInstanceCount": '
            f'{progress["inProgressInstanceCount"]}, "pendingInstanceCount": {progress["pendingInstanceCount"]}, '
            f'"successfulInstanceCount": {progress["successfulInstanceCount"]}}}, "resourceGroup": {_text(rg)}, '
            f'"scaleSet": {_text(name)}, "time": {_text(time)}, "type": {_text(kind)}}}')


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
