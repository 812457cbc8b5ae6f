"""A small validator for ARM-shaped JSON against the Compute swagger extract in tests/fixtures/arm/.

    from tests.schema import validate
    validate(arm_dict, "VirtualMachineImage")            # raises SchemaError listing every problem
    validate(arm_dict, "VirtualMachineImage", strict=True)  # also rejects undeclared keys

Checks types (int32/int64 ranges, date-time strings), closed enums (`x-ms-enum.modelAsString: false`,
or no x-ms-enum at all), required properties, `additionalProperties`, and recurses through $ref,
allOf, properties and items. A $ref to a definition the extract left out, or to any common-types
definition but SubResource, is treated as "any": the extract is partial by design (arm/SOURCES.md).
The reference files are test inputs: when they are missing the tests fail, they are never skipped.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

ARM_DIR = Path(__file__).resolve().parent / "fixtures" / "arm"
EXTRACT = ARM_DIR / "ComputeRP.2026-09-01.extract.json"
COMMON = ARM_DIR / "common-types-v1-common.json"
_RESOLVED_COMMON = {"SubResource"}  # the only common-types definition resolved; the rest are "any"
_ANY: dict = {}
_INT_RANGES = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}


class SchemaError(AssertionError):
    """The instance does not match; the message lists every mismatch with its JSON path."""


@lru_cache(maxsize=None)
def _load(path: Path) -> dict:
    if not path.is_file():
        raise SchemaError(f"swagger reference file {path} is missing: the fidelity tests need it "
                          "(see tests/fixtures/SOURCES.md)")
    return json.loads(path.read_text())


def definitions() -> dict:
    return _load(EXTRACT)["definitions"]


def resolve(ref: str) -> dict:
    """The schema a $ref points to, or {} ("any") for definitions outside the extract."""
    target, _, pointer = ref.partition("#/definitions/")
    if not pointer:
        return _ANY
    if not target:
        return definitions().get(pointer, _ANY)
    if target.endswith("common-types/v1/common.json") and pointer in _RESOLVED_COMMON:
        return _load(COMMON)["definitions"][pointer]
    return _ANY


def validate(instance, definition_name: str, strict: bool = False) -> None:
    if definition_name not in definitions():
        raise SchemaError(f"no definition '{definition_name}' in {EXTRACT.name}")
    errors: list[str] = []
    _check(instance, definitions()[definition_name], "$", errors, strict)
    if errors:
        raise SchemaError(f"{definition_name}: " + "; ".join(errors))


def _check(value, schema: dict, path: str, errors: list[str], strict: bool, own_keys: bool = True) -> None:
    """`own_keys` is False inside an allOf part: undeclared keys are judged once, on the merged set."""
    if "$ref" in schema:
        target = resolve(schema["$ref"])
        if target is _ANY:
            return
        _check(value, target, path, errors, strict, own_keys)
        schema = {k: v for k, v in schema.items() if k != "$ref"}  # siblings (description…) still apply
    for part in schema.get("allOf", []):
        _check(value, part, path, errors, strict, own_keys=False)
    kind = schema.get("type")
    if kind is None and ("properties" in schema or "required" in schema):
        kind = "object"
    if kind is not None and not _type_ok(value, kind):
        errors.append(f"{path}: expected {kind}, got {type(value).__name__} {value!r}")
        return
    if kind in ("integer",) and schema.get("format") in _INT_RANGES:
        low, high = _INT_RANGES[schema["format"]]
        if not low <= value <= high:
            errors.append(f"{path}: {value} is outside {schema['format']}")
    if kind == "string" and schema.get("format") == "date-time":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            errors.append(f"{path}: {value!r} is not a date-time")
    if "enum" in schema and _closed(schema) and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if kind == "array" and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{path}[{i}]", errors, strict)
    if kind == "object":
        _check_object(value, schema, path, errors, strict, own_keys)


def _check_object(value: dict, schema: dict, path: str, errors: list[str], strict: bool, own_keys: bool) -> None:
    props = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            errors.append(f"{path}: required property '{name}' is missing")
    for name, item in value.items():
        if name in props:
            _check(item, props[name], f"{path}.{name}", errors, strict)
        elif isinstance(schema.get("additionalProperties"), dict):
            _check(item, schema["additionalProperties"], f"{path}.{name}", errors, strict)
    if strict and own_keys and schema.get("additionalProperties") is None:
        declared = _declared(schema)
        if declared is not None:
            for name in value:
                if name not in declared:
                    errors.append(f"{path}: property '{name}' is not in the schema")


def _declared(schema: dict) -> set[str] | None:
    """Every property name the schema declares through allOf; None when a part is unknown ("any")."""
    if "$ref" in schema:
        target = resolve(schema["$ref"])
        if target is _ANY:
            return None
        schema = target
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        more = _declared(part)
        if more is None:
            return None
        names |= more
    return names


def _closed(schema: dict) -> bool:
    return not schema.get("x-ms-enum", {}).get("modelAsString", False)


def _type_ok(value, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return True
