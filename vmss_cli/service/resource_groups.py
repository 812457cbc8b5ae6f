"""Microsoft.Resources/resourceGroups: PUT, GET, list, DELETE (which takes the group's resources with it)."""

from __future__ import annotations

import builtins

from vmss_cli.core.resources import groups
from vmss_cli.service.context import Context

TYPE_CHECKING = False  # typing stays off a read command's start-up path
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document


def put(ctx: Context, rg: str, body: Document) -> tuple[int, Document]:
    """Create the group (201) or, as ARM does for an existing one in the same location, update its tags (200)."""
    from vmss_cli.store import names, paths

    with ctx.transaction() as tx:
        existed = tx.load(paths.group_file(tx.root, names.validate_resource_group(rg)), "group") is not None
        doc = groups.create(tx, rg, str(body.get("location") or ""), body.get("tags"))
        return (200 if existed else 201), groups.view(doc)


def get(ctx: Context, rg: str) -> Document:
    with ctx.transaction(write=False) as tx:
        return groups.view(groups.get(tx, rg))


def list(ctx: Context) -> builtins.list[Document]:  # noqa: A001 (ARM's operation name)
    with ctx.transaction(write=False) as tx:
        return [groups.view(g) for g in groups.list_all(tx)]


def delete(ctx: Context, rg: str) -> tuple[int, None]:
    with ctx.transaction() as tx:
        groups.delete(tx, rg)
    return 200, None
