"""Explain an unexpected failure: when a command fails outside the VmssError tree, look for a state
file that vmss did not write (hand-edited, foreign, from a broken tool) and name it.

Runs only on that error path, so reads never pay for the deep checks (service.simulator.bad_state_file:
store/kinds.py, and the model's JSON types as `vmss update` checks them).
"""

from __future__ import annotations

from vmss_cli.errors import StoreError


def bad_state_file() -> StoreError | None:
    """The first state file that is not one vmss could have written, as the error to report."""
    from vmss_cli.service import simulator
    from vmss_cli.service.context import Context

    return simulator.bad_state_file(Context())
