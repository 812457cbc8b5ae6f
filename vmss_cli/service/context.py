"""One invocation context, passed explicitly to every service call (no global state)."""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # typing stays off a read command's start-up path
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Callable, Sequence

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.store.state import Transaction

    Listener = Callable[[Document], None]

DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


def _never() -> bool:
    return False


class Context:
    """Where the state lives, whose subscription the ids name, who watches the world's events and
    how a blocking call learns it should stop waiting. A plain class: cheap to import (see cli/context.py)."""

    def __init__(self, root: Path | None = None, subscription: str = DEFAULT_SUBSCRIPTION,
                 listeners: Sequence[Listener] = (), interrupted: Callable[[], bool] = _never) -> None:
        self._root = root
        self.subscription = subscription
        self.listeners = tuple(listeners)
        self.interrupted = interrupted

    @property
    def root(self) -> Path:
        if self._root is None:
            from vmss_cli.store import paths

            self._root = paths.home()
        return self._root

    def transaction(self, write: bool = True) -> AbstractContextManager[Transaction]:
        from vmss_cli.store.state import transaction

        return transaction(self.root, write=write)
