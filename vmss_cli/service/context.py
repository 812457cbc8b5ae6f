"""One invocation context, passed explicitly to every service call (no global state)."""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # typing stays off a read command's start-up path
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any, Callable, Sequence

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.store.state import Transaction

    Listener = Callable[[Document], None]

DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


def _never() -> bool:
    return False


class Context:
    """Where the state lives, whose subscription the ids name, who watches the world's events and
    how a blocking call learns it should stop waiting. A plain class: cheap to import (see cli/context.py)."""

    def __init__(self, root: Path | None = None, subscription: str | None = DEFAULT_SUBSCRIPTION,
                 listeners: Sequence[Listener] = (), interrupted: Callable[[], bool] = _never,
                 keep: list[Transaction] | None = None) -> None:
        self._root = root
        self._subscription = subscription
        self.listeners = tuple(listeners)
        self.interrupted = interrupted
        self._open: list[Transaction] = []  # the transactions this context has open, innermost last
        # where a finished transaction is left (the last one only), for a caller that ends its process
        # without freeing what the transaction read and wrote (cli.main: a console command's exit)
        self._keep = keep

    @property
    def subscription(self) -> str:
        """The subscription ids are minted in; `None` at construction means the store's own, read when a
        call first needs it (a GET that answers with stored ids never reads it), from the transaction the
        call has open (what that transaction will commit), else from the store."""
        if self._subscription is None:
            from vmss_cli.core.world import clock

            if self._open:
                self._subscription = clock.subscription(self._open[-1])
            else:
                with self.transaction(write=False) as tx:
                    self._subscription = clock.subscription(tx)
        return self._subscription

    @property
    def root(self) -> Path:
        if self._root is None:
            from vmss_cli.store import paths

            self._root = paths.home()
        return self._root

    def transaction(self, write: bool = True) -> AbstractContextManager[Transaction]:
        from vmss_cli.store.state import transaction

        return _Tracked(self._open, transaction(self.root, write=write), self._keep)


class _Tracked:
    """A store transaction that the context knows is open while it is (see Context.subscription)."""

    def __init__(self, open_list: list[Transaction], inner: AbstractContextManager[Transaction],
                 keep: list[Transaction] | None) -> None:
        self._open, self._inner, self._keep = open_list, inner, keep

    def __enter__(self) -> Transaction:
        tx = self._inner.__enter__()
        self._open.append(tx)
        return tx

    def __exit__(self, *exc: Any) -> bool | None:
        tx = self._open.pop()
        if self._keep is not None:
            self._keep[:] = [tx]
        return self._inner.__exit__(*exc)
