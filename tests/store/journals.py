"""A commit stopped at its commit point, built by hand: the temp files staged and the journal in
place, as files.stage and state._journal_pieces write them, nothing applied yet."""

from __future__ import annotations

from pathlib import Path

from vmss_cli.store import files, state


def stopped_commit(root: Path, changes: dict[Path, bytes | None],
                   appends: list[tuple[Path, int, bytes]] = ()) -> bytes:
    """Stage `changes` ({file: new bytes, or None: delete}), write the journal with `appends` ((log,
    committed length, lines)), and return its bytes."""
    renames = [(path, None if data is None else files.stage(path, data)) for path, data in changes.items()]
    journal = b"".join(state._journal_pieces(root, renames, list(appends)))
    (root / state.JOURNAL).write_bytes(journal)
    return journal
