"""Fault injection for rehearsals: forced instance health (`vmss sim health set`)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

from vmss_cli.core.rollout import engine, health
from vmss_cli.core.resources import scaleset
from vmss_cli.errors import InvalidParameterError
from vmss_cli.core.rollout.handlers import open_world
from vmss_cli.store.state import Transaction


UNTIL = ("cleared", "upgrade")  # how long a forced state lasts: until `--state clear`, or until the
                               # next OS image upgrade replaces the instance's OS disk ("the new image fixes it")


def set_health(tx: Transaction, rg: str, name: str, instance_ids: list[str], state: str,
               until: str = "cleared") -> list[Document]:
    wanted = next((s for s in (*health.STATES, "clear") if s.lower() == state.lower()), None)
    if wanted is None:
        raise InvalidParameterError(f"'{state}' is not a valid health state. Allowed values: "
                                    f"{', '.join(health.STATES)}, clear.", target="--state")
    lasts = next((u for u in UNTIL if u == until.lower()), None)
    if lasts is None:
        raise InvalidParameterError(f"'{until}' is not a valid value for --until. Allowed values: "
                                    f"{', '.join(UNTIL)}.", target="--until")
    doc = scaleset.load(tx, rg, name)
    ids = [i["instanceId"] for i in doc["instances"]] if instance_ids == ["*"] else instance_ids
    targets = [scaleset.find_instance(doc, iid) for iid in ids]  # all found before any change
    sim = open_world(tx)
    for inst in targets:
        inst["healthOverride"] = None if wanted == "clear" else wanted
        inst["healthOverrideUntil"] = lasts if wanted != "clear" and lasts != "cleared" else None
    engine.recheck(sim, doc, [i["instanceId"] for i in targets])
    scaleset.save(tx, doc)
    sim.close()
    arm = doc["scaleSet"]
    return [{"instanceId": i["instanceId"], "healthState": health.state(arm, i, sim.now)} for i in targets]
