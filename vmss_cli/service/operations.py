"""Long-running operation records (ARM's async-operation status shape) for the emulator's rollouts.

A rollout's own record (core.rollout.engine) says RollingForward/RollingBack/Completed/Faulted/
Cancelled; ARM's operation status says InProgress/Succeeded/Failed/Canceled.
"""

from __future__ import annotations

from vmss_cli.core.arm.documents import Document

from vmss_cli.core.resources import model, scaleset
from vmss_cli.core.world import timeutil
from vmss_cli.errors import NotFoundError
from vmss_cli.service.context import Context

STATUS = {"RollingForward": "InProgress", "RollingBack": "InProgress", "Completed": "Succeeded",
          "Faulted": "Failed", "Cancelled": "Canceled"}


def record(ctx: Context, doc: Document, op: Document) -> Document:
    """The operation status document of one rollout `op` of the scale set file `doc`."""
    arm = doc["scaleSet"]
    rid = model.scale_set_id(ctx.subscription, model.resource_group(arm), arm["name"])
    return {"id": f"{rid}/rollingUpgrades/{op['operationId']}", "name": op["operationId"],
            "status": STATUS.get(op["status"], "InProgress"), "startTime": timeutil.format_time(op["startTime"]),
            "endTime": timeutil.format_time(op["endTime"]) if op.get("endTime") is not None else None,
            "error": op.get("error") or None}


def get(ctx: Context, rg: str, name: str, operation_id: str) -> Document:
    with ctx.transaction(write=False) as tx:
        doc = scaleset.load(tx, rg, name)
    for op in doc["rollingUpgrades"]:
        if op["operationId"] == operation_id:
            return record(ctx, doc, op)
    raise NotFoundError(f"The operation '{operation_id}' was not found.", code="NotFound")
