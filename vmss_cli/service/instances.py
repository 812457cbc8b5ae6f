"""Microsoft.Compute/virtualMachineScaleSets/virtualMachines (Uniform and Flexible alike): list, GET, GET
instanceView; and GET …/virtualMachineScaleSets/{name}/instanceView (the set's status summaries).

The documents are core.resources.vm_views', built from the scale set file in one read-only
transaction; an unknown instance id is Azure's 404 (core.resources.scaleset.find_instance).
"""

from __future__ import annotations

import builtins

from vmss_cli.core.resources import scaleset, vm_views
from vmss_cli.service.context import Context

TYPE_CHECKING = False  # list-instances is a hot read: typing stays off its start-up path
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document


def list(ctx: Context, rg: str, name: str) -> builtins.list[Document]:  # noqa: A001 (ARM's operation name)
    """VirtualMachineScaleSetVMs_List, in the scale set's instance order (ascending instance ids)."""
    with ctx.transaction(write=False) as tx:
        doc = scaleset.load(tx, rg, name)
    return [vm_views.instance_arm(doc, inst) for inst in doc["instances"]]


def get(ctx: Context, rg: str, name: str, instance_id: str) -> Document:
    with ctx.transaction(write=False) as tx:
        doc = scaleset.load(tx, rg, name)
    arm: Document = vm_views.instance_arm(doc, scaleset.find_instance(doc, instance_id))
    return arm


def get_instance_view(ctx: Context, rg: str, name: str, instance_id: str) -> Document:
    """VirtualMachineScaleSetVMInstanceView of one instance at world time."""
    from vmss_cli.core.world import clock

    with ctx.transaction(write=False) as tx:
        doc = scaleset.load(tx, rg, name)
        now = clock.now(tx)
    view: Document = vm_views.instance_view(doc, scaleset.find_instance(doc, instance_id), now)
    return view


def list_instance_views(ctx: Context, rg: str, name: str) -> builtins.list[Document]:
    """Every instance's view, read in one transaction (`az vmss get-instance-view --instance-id *`)."""
    from vmss_cli.core.world import clock

    with ctx.transaction(write=False) as tx:
        doc = scaleset.load(tx, rg, name)
        now = clock.now(tx)
    return [vm_views.instance_view(doc, inst, now) for inst in doc["instances"]]


def scale_set_instance_view(ctx: Context, rg: str, name: str) -> Document:
    """VirtualMachineScaleSetInstanceView: status summaries over every instance."""
    from vmss_cli.core.world import clock

    with ctx.transaction(write=False) as tx:
        doc = scaleset.load(tx, rg, name)
        now = clock.now(tx)
    view: Document = vm_views.scale_set_instance_view(doc, now)
    return view
