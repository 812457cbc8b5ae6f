"""ARM resource ids: the one parser.

/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{childType}/{childName}...]
Names keep their spelling; comparisons of ids are case-insensitive in ARM (callers lower-case).
"""

from __future__ import annotations


class ResourceId(tuple[str, str, str, tuple[str, ...], tuple[str, ...]]):
    """(subscription, resource_group, namespace, types, names): a tuple, so it compares by value. Not a
    typing.NamedTuple: ids are read on a read command's start-up path, where typing is not imported.
    `types` is ("virtualMachineScaleSets",) or ("galleries", "images", "versions"); one name per type."""

    __slots__ = ()

    def __new__(cls, subscription: str, resource_group: str, namespace: str, types: tuple[str, ...],
                names: tuple[str, ...]) -> ResourceId:
        return super().__new__(cls, (subscription, resource_group, namespace, types, names))

    @property
    def subscription(self) -> str:
        return self[0]

    @property
    def resource_group(self) -> str:
        return self[1]

    @property
    def namespace(self) -> str:
        """'Microsoft.Compute'."""
        return self[2]

    @property
    def types(self) -> tuple[str, ...]:
        return self[3]

    @property
    def names(self) -> tuple[str, ...]:
        return self[4]

    @property
    def name(self) -> str:
        return self.names[-1]

    @property
    def type(self) -> str:
        """'Microsoft.Compute/galleries/images', as a resource's `type` spells it."""
        return "/".join((self.namespace, *self.types))


def parse(rid: object) -> ResourceId | None:
    """The parts of a resource id, or None when `rid` is not one (a group id is not a resource id)."""
    if not isinstance(rid, str):
        return None
    parts = rid.split("/")
    if len(parts) < 9 or len(parts) % 2 == 0 or parts[0] or parts[1].lower() != "subscriptions" \
            or parts[3].lower() != "resourcegroups" or parts[5].lower() != "providers" or not all(parts[1:]):
        return None
    rest = parts[7:]
    return ResourceId(parts[2], parts[4], parts[6], tuple(rest[0::2]), tuple(rest[1::2]))


def resource_group(rid: str) -> str:
    """The resource group of an id the store wrote (always well-formed)."""
    return rid.split("/")[4]


def subscription(rid: str) -> str:
    return rid.split("/")[2]
