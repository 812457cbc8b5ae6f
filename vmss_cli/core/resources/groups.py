"""Resource groups, as `az group` shows them."""

from __future__ import annotations

from vmss_cli.store import names
from vmss_cli.core.world import clock as world
from vmss_cli.errors import CliError, NotFoundError
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any
    from pathlib import Path

    from vmss_cli.core.arm.documents import Document


def view(doc: Document) -> Document:
    return {k: v for k, v in doc.items() if k != "schemaVersion"}


def group_id(subscription: str, rg: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{rg}"


def create(tx: Transaction, name: str, location: str, tags: Document | None = None) -> Document:
    from vmss_cli.core.resources import regions

    names.validate_resource_group(name)
    location = regions.check_for_group(location)
    path = paths.group_file(tx.root, name)
    existing: Document | None = tx.load(path, "group")
    if existing:
        # az group create on an existing group updates it in place (location must match).
        if existing["location"] != location:
            raise CliError(f"Invalid resource group location '{location}'. The Resource group already exists "
                           f"in location '{existing['location']}'.", code="InvalidResourceGroupLocation")
        if tags is not None:
            existing["tags"] = tags
        tx.save(path, existing)
        return existing
    world.save(tx, world.load(tx))  # the first write fixes the world's start time and seed
    doc = {"id": group_id(world.subscription(tx), name), "location": location, "managedBy": None,
           "name": name, "properties": {"provisioningState": "Succeeded"}, "tags": tags,
           "type": "Microsoft.Resources/resourceGroups"}
    tx.save(path, doc)
    return doc


def get(tx: Transaction, name: str) -> Document:
    names.validate_resource_group(name)
    doc: Document | None = tx.load(paths.group_file(tx.root, name), "group")
    if doc is None:
        raise NotFoundError(f"Resource group '{name}' could not be found.", code="ResourceGroupNotFound")
    return doc


def list_all(tx: Transaction) -> list[Document]:
    root = paths.groups_dir(tx.root)
    out = []
    for directory in sorted(root.iterdir()) if root.is_dir() else []:
        doc = tx.load(directory / "group.json", "group")
        if doc:
            out.append(doc)
    return out


def resource_docs(tx: Transaction, rg: str | None, directory: Callable[[Path, str], Path], kind: str) \
        -> list[Any]:
    """Every stored resource of one kind (as the caller's type of that kind's document) in group `rg` (ResourceGroupNotFound when it does not exist),
    or in every group. `directory(root, group)` is the kind's folder in store.paths."""
    group_names = [get(tx, rg)["name"]] if rg is not None else [g["name"] for g in list_all(tx)]
    out: list[Any] = []
    for group in group_names:
        for path in tx.list_files(directory(tx.root, group), "*.json"):
            doc = tx.load(path, kind)
            if doc:
                out.append(doc)
    return out


def delete(tx: Transaction, name: str) -> None:
    """Deletes the group and every resource in it (scale sets, galleries, deployments), as ARM
    does: all in one commit, under the lock, so a crash or a racing `group create` never brings
    part of it back. Its queued events go too."""
    get(tx, name)
    for directory, patterns in ((paths.scale_sets_dir, ("*.json", "*.events.jsonl", "*.events.1.jsonl")),  # sets, logs
                                (paths.galleries_dir, ("*.json",)), (paths.deployments_dir, ("*.json",))):
        for pattern in patterns:
            for path in tx.list_files(directory(tx.root, name), pattern):
                tx.delete(path)
    tx.delete(paths.group_file(tx.root, name))
    world.drop_events(tx, name)


