"""The one table of world event handlers, handed to the queue (core.world.events.Sim).

The queue knows no handler by itself: the kinds below are all the events the world schedules.
An event of a kind not listed (written by a newer vmss) is dropped rather than wedging the queue.
"""

from __future__ import annotations

from vmss_cli.core.rollout import engine, platform
from vmss_cli.core.world.events import Sim

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from typing import Sequence

    from vmss_cli.core.world.events import Handler, Listener
    from vmss_cli.store.state import Transaction

HANDLERS: dict[str, Handler] = {
    "rollout.batch": engine.on_batch,
    "rollout.upgraded": engine.on_upgraded,
    "rollout.health": engine.on_health,
    "rollout.rolledback": engine.on_rolled_back,
    "platform.osUpgrade": platform.on_due,
    "gallery.replicated": platform.on_gallery_replicated,
}


def open_world(tx: Transaction, listeners: Sequence[Listener] = ()) -> Sim:
    """The world (clock, queue) of this transaction, with every handler; `close()` saves it."""
    return Sim(tx, HANDLERS, listeners)
