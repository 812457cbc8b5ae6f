"""The type of the JSON documents vmss passes between layers (`Document`: an ARM or az object, as parsed
JSON) and the one deep copy of such a value. The TypedDicts of the store's files and the ARM shapes in them
are in core.arm.document_types, which only the type checker reads: this module is on every read command's
start-up path, and stays small.

Accessors of what is inside a scale set document live in core.resources.model; ids in core.arm.ids.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: read commands start without it
if TYPE_CHECKING:
    from typing import Any

    Document = dict[str, Any]
else:
    Document = dict


def clone(value: Any) -> Any:
    """A deep copy of a JSON value (copy.deepcopy, without importing copy and weakref on the read path)."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value
