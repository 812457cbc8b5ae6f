"""What az 2.91 does to the updated scale set on its own side, between the generic update and the PUT.

`az vmss update` turns the updated dict into the arguments of its AAZ create-or-update command
(azure-cli vm module, aaz/latest/vmss/_create.py), whose field types convert or reject each value
(azure-cli-core aaz/_field_type.py) and whose required fields must be present:

- a null value is dropped (the key is absent from the PUT body, so absent afterwards);
- a string field takes only a string, an integer field an int or a string holding JSON for one,
  a boolean field a bool or `"true"`/`"false"`, a number field any number; tags are strings.
  az 2.91 stops with a traceback (`Expect <class 'str'>, got 123 (<class 'int'>)`); vmss prints
  the same words as a one-line error naming the property, exit 1 as az;
- a data disk without `createOption` or `lun` (and the few other required fields in _REQUIRED) is
  `InvalidArgumentValue: --<path>: Missing required field: <field>`, az's own text;
- an integer outside the bounds its argument declares (_RANGES: the rolling upgrade policy's percentages)
  is `InvalidArgumentValue: --<path>: Invalid format: '<value>' is less than <minimum>` (or `greater than`).
"""

from __future__ import annotations

import json
import re

from vmss_cli.errors import CliError

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from typing import Any, NoReturn

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.schema import Node

_TYPES = {"string": str, "integer": int, "boolean": bool, "number": float}
# az-form list paths (items) or object paths -> required fields, in the order az checks them
_REQUIRED = {
    ("virtualMachineProfile", "storageProfile", "dataDisks", "[]"): ("createOption", "lun"),
    ("virtualMachineProfile", "storageProfile", "osDisk"): ("createOption",),
    ("virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations", "[]"): ("name",),
    ("virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations", "[]", "ipConfigurations", "[]"):
        ("name",),
}

# az-form paths -> (minimum, maximum) of the integer arguments that declare them (AAZIntArgFormat in
# aaz/latest/vmss/_create.py of az 2.91; measured: `--max-batch-instance-percent 3` ->
# `InvalidArgumentValue: --upgrade-policy.rolling-upgrade-policy.max-batch-instance-percent: Invalid format:
# '3' is less than 5`, before any request)
_RANGES: dict[tuple[str, ...], tuple[int | None, int | None]] = {
    ("upgradePolicy", "rollingUpgradePolicy", "maxBatchInstancePercent"): (5, 100),
    ("upgradePolicy", "rollingUpgradePolicy", "maxUnhealthyInstancePercent"): (5, 100),
    ("upgradePolicy", "rollingUpgradePolicy", "maxUnhealthyUpgradedInstancePercent"): (None, 100),
    ("priorityMixPolicy", "regularPriorityPercentageAboveBase"): (None, 100),
}


def check(az: Document) -> Document:
    """`az` without nulls; raises CliError where az 2.91 fails. Converts as AAZ converts."""
    from vmss_cli.core.arm import schema as arm_schema

    out: Document = _value(az, arm_schema.load().root, [], [])
    return out


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _value(value: Any, node: Node, path: list[str], shape: list[str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, sub in value.items():
            if sub is None and tuple(shape + [key]) in _REQUIRED:
                # an object with required fields set to null is an empty one to AAZ: its first required
                # field is missing (measured: `--set …storageProfile.osDisk=null`)
                _missing(path + [key], _REQUIRED[tuple(shape + [key])][0])
            if sub is None:
                continue  # AAZ: a null for a field that is not nullable is "not given"
            if node.kind == "object":
                child = node.child(key)
            elif shape == ["tags"]:
                from vmss_cli.core.arm import schema as arm_schema

                child = arm_schema.load().node("string")
            else:
                child = None  # free-form (extension settings): any value
            out[key] = sub if child is None else _value(sub, child, path + [key], shape + [key])
        for field in _REQUIRED.get(tuple(shape), ()):
            if field not in out:
                _missing(path, field)
        return out
    if isinstance(value, list):
        item = node.item if node.kind == "array" else None
        if item is None:
            return value
        return [v if v is None else _value(v, item, path[:-1] + [f"{path[-1]}[{i}]"], shape + ["[]"])
                for i, v in enumerate(value)]
    if node.scalar is not None:  # a scalar node
        scalar = _scalar(value, _TYPES[node.scalar], path)
        if tuple(shape) in _RANGES:
            _check_range(scalar, _RANGES[tuple(shape)], path)
        return scalar
    return value


def _check_range(value: Any, bounds: tuple[int | None, int | None], path: list[str]) -> None:
    """AAZIntArgFormat: the bounds az's create-or-update arguments declare, checked before the PUT."""
    low, high = bounds
    where = ".".join(_kebab(p) for p in path)
    if low is not None and value < low:
        raise CliError(f"InvalidArgumentValue: --{where}: Invalid format: '{value}' is less than {low}")
    if high is not None and value > high:
        raise CliError(f"InvalidArgumentValue: --{where}: Invalid format: '{value}' is greater than {high}")


def _missing(path: list[str], field: str) -> NoReturn:
    where = ".".join(_kebab(p) for p in path).replace(".[", "[")
    raise CliError(f"InvalidArgumentValue: --{where}: Missing required field: {_kebab(field)}")


def _scalar(value: Any, wanted: type, path: list[str]) -> Any:
    """AAZSimpleType.process_data: the value if it has the type, else the JSON it holds if that has it."""
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, wanted):
        return value
    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if wanted is float and isinstance(parsed, int) and not isinstance(parsed, bool):
        parsed = float(parsed)
    if isinstance(parsed, wanted):
        return parsed
    where = ".".join(path).replace(".[", "[")
    raise CliError(f"Invalid value for '{where}': Expect {wanted}, got {value} ({type(value)})")


def integer(value: Any, where: str) -> int:
    """An AAZ int argument (`--new-capacity`): an int, or a string holding one."""
    number: int = _scalar(value, int, [where])
    return number
