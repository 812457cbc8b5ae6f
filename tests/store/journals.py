"""A commit stopped at its commit point, built by hand: the temp files staged and the journal in
place, as files.stage and state._journal_bytes write them, nothing applied yet."""

from __future__ import annotations

from pathlib import Path

from vmss_cli.store import files, state


def stopped_commit(root: Path, changes: dict[Path, bytes | None],
                   appends: list[tuple[Path, int, bytes]] = ()) -> bytes:
    """Stage `changes` ({file: new bytes, or None: delete}) and `appends` ((log, committed length,
    lines)), write the journal, and return its bytes."""
    for path in [*changes, *(log for log, _, _ in appends)]:
        files.ensure_dir(path.parent)
    renames = [(path, None if data is None else files.stage(path, data)) for path, data in changes.items()]
    logged = [(log, offset, files.stage(log, lines, step=False), None) for log, offset, lines in appends]
    journal = state._journal_bytes(root, renames, logged)
    (root / state.JOURNAL).write_bytes(journal)
    return journal
