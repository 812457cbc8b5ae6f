"""az's generic update (`--set/--add/--remove/--force-string`) on the az form of a scale set.

This mirrors azure-cli-core `commands/arm.py` (`set_properties`, `add_properties`, `remove_properties`,
`_find_property`, `throw_and_show_options`) as 2.91 runs it on plain dicts, error texts included
(reference/az-behavior.md §2). With `schema_aware` it adds the three deliberate differences of issue 4:
  1. a path segment names a schema property ignoring case and underscores; the schema's name is stored;
  2. a missing (or null) intermediate object or list the schema defines is created;
  3. a key the schema does not define, outside free-form maps (tags, settings...), is an error in az's
     `Couldn't find 'X' in 'P'. Available options: [...]` form (az would silently drop it).
Error messages name paths exactly as az 2.91 words them (the typed path, az's `path[-2]` quirks
included), except rule 3's, which az never prints. In schema mode keys inside JSON values are checked
and spelled like paths.
"""

from __future__ import annotations

import copy
import json
import re

from vmss_cli.errors import CliError

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from typing import Any

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.schema import Node

SET_USAGE = "`--set property1.property2=<value>`"
ADD_USAGE = "`--add property.listProperty <key=value, string or JSON string>`"
REMOVE_USAGE = "`--remove property.list <indexToRemove>` OR `--remove propertyToRemove`"
EMPTY_KEY = "usage error: Empty key in --set. Correct syntax: --set KEY=VALUE [KEY=VALUE ...]"

# az's own regexes: the same text must split into the same segments
_INDEX_OR_FILTER = re.compile(r"\[(.*)\]")
_INTERNAL_PATH = re.compile(r"(\[.*?\])|([^.]+)")


class _Syntax(Exception):
    """Where az raises ValueError; its command handler turns that into `invalid syntax: <usage>`."""


class _Ctx:
    __slots__ = ("force_string", "schema")

    def __init__(self, force_string: bool, schema: Node | None) -> None:
        self.force_string = force_string
        self.schema = schema  # the root Node, or None for az 2.91's plain-dict behaviour


def apply(resource: Document, operations: list[tuple[str, list[str]]], force_string: bool = False,
          schema_aware: bool = True) -> Document:
    """operations = [("set", ["a.b=1", "c=2"]), ("add", ["path", "k=v", ...]), ("remove", ["path", "0"])] in
    command-line order. Works on a deep copy; returns the new dict; raises CliError with az's exact text on
    any error (nothing partially applied)."""
    root = None
    if schema_aware:
        from vmss_cli.core.arm import schema as arm_schema  # only `vmss update` pays for the table
        root = arm_schema.load().root
    ctx = _Ctx(force_string, root)
    doc = copy.deepcopy(resource)
    for op, args in operations:
        try:
            if op == "set":
                for expression in args:
                    _set(ctx, doc, root, [], expression)
            elif op == "add":
                _add(ctx, doc, list(args))
            elif op == "remove":
                _remove(ctx, doc, list(args))
            else:
                raise ValueError(f"unknown generic update operation {op!r}")
        except _Syntax:
            usage = {"set": SET_USAGE, "add": ADD_USAGE, "remove": REMOVE_USAGE}[op]
            raise CliError(f"invalid syntax: {usage}") from None
    return doc


# ---- parsing (az's rules, quirks included) ----------------------------------------------------------

def split_key_value(expression: str) -> tuple[str, str]:
    """Split at the first `=` outside `[...]` (az: one `=` is split plainly, even inside brackets)."""
    if expression.count("=") == 1:
        key, value = expression.split("=", 1)
        return key, value
    chars: list[str] = []
    brackets = False
    for i, c in enumerate(expression):
        if c == "=" and not brackets:
            return "".join(chars), expression[i + 1:]
        if c == "[":
            brackets = True
        elif c == "]" and brackets:
            brackets = False
        chars.append(c)
    return "".join(chars), ""


def internal_path(path: str) -> list[str]:
    """`a.b[0].c` and `a.b.[0].c` -> ['a', 'b', '[0]', 'c']."""
    path = path.replace(".[", "[").replace("[", ".[")
    return [bracketed or plain for bracketed, plain in _INTERNAL_PATH.findall(path)]


def parse_value(raw: str) -> Any:
    """JSON, else a Python literal, else the string itself: malformed JSON never errors (az).
    Literals become what their JSON would be (tuples -> lists, int keys -> strings), since the value is
    stored as JSON; a literal JSON cannot hold (bytes, sets, complex) stays the raw string."""
    from vmss_cli.core import limits

    try:
        value = json.loads(raw)
    except RecursionError:
        raise limits.too_deep("A --set/--add value") from None
    except Exception:  # az: any failure falls through to the literal / the string
        pass
    else:
        limits.check_depth(value, "A --set/--add value")
        return value
    try:
        import ast  # only malformed JSON needs it (~3 ms to import)

        literal = ast.literal_eval(raw)
        value = json.loads(json.dumps(literal))
    except RecursionError:
        raise limits.too_deep("A --set/--add value") from None
    except Exception:
        return raw
    limits.check_depth(value, "A --set/--add value")
    return value


def _parse_filter(raw: str) -> Any:
    # az compares the parsed value with ==, untouched (so `[lun=1]` also matches `true`, as in Python)
    try:
        return json.loads(raw)
    except Exception:
        pass
    try:
        import ast

        return ast.literal_eval(raw)
    except Exception:
        return raw


def _to_int(text: str) -> int:
    try:
        return int(text)
    except (ValueError, TypeError):
        raise _Syntax() from None


# ---- messages ----------------------------------------------------------------------------------------

def _camel(key: str) -> str:
    # az's make_camel_case, applied to the keys it lists (keys of JSON objects: always strings)
    parts = key.split("_")
    return (parts[0].lower() + "".join(p.capitalize() for p in parts[1:])) if len(parts) > 1 else key


def _dotted(segments: list[str]) -> str:
    return ".".join(segments).replace(".[", "[")


def _not_found(instance: Any, part: str, path: list[str]) -> CliError:
    """az's throw_and_show_options: `path` ends with the segment that failed."""
    parent = _dotted(path[:-1])
    message = f"Couldn't find '{part}' in '{parent}'."
    if isinstance(instance, dict):
        options = sorted(_camel(k) for k in instance)
        return CliError(f"{message} Available options: {options}")
    if isinstance(instance, list):
        return CliError(f"{message} Available options: index into the collection '{parent}' with "
                        "[<index>] or [<key=value>]")
    return CliError(f"{message} '{parent}' does not support further indexing.")


def _unknown(part: str, parent: list[str], node: Node) -> CliError:
    """Rule 3: a property the schema does not define, listed against the schema's names."""
    return CliError(f"Couldn't find '{part}' in '{_dotted(parent)}'. Available options: {list(node.names)}")


# ---- traversal ---------------------------------------------------------------------------------------

def _find(ctx: _Ctx, instance: Any, node: Node | None, base: list[str], path: list[str],
          create: bool = False) -> tuple[Any, Node | None, list[str]]:
    """Walk `path` from `instance`: (value, schema node, canonical path incl. `base`)."""
    where = list(base)
    for part in path:
        # az words its errors with the whole path as typed, whichever segment failed
        instance, node, segment = _step(ctx, instance, node, part, path, where, create)
        where.append(segment)
    return instance, node, where


def _step(ctx: _Ctx, instance: Any, node: Node | None, part: str, msg_path: list[str], where: list[str],
          create: bool) -> tuple[Any, Node | None, str]:
    match = _INDEX_OR_FILTER.match(part)
    if match and not isinstance(instance, list):
        raise _not_found(instance, part, msg_path)
    item_node = node.item if node is not None else None
    if match and "=" in match.group(1):
        key, raw = match.group(1).split("=", 1)
        value = _parse_filter(raw)
        if item_node is not None and item_node.kind == "object":
            key = item_node.canonical(key) or key
        found = [x for x in instance if isinstance(x, dict) and x.get(key, None) == value]
        if len(found) == 1:
            return found[0], item_node, part
        if found:
            raise CliError(f"non-unique key '{key}' found multiple matches on {msg_path[-2]}. Key must be unique.")
        raise CliError(f"item with value '{value}' doesn't exist for key '{key}' on {msg_path[-2]}")
    if match:
        index = _to_int(match.group(1))
        try:
            return instance[index], item_node, part
        except IndexError:
            raise CliError(f"index {index} doesn't exist on {msg_path[-2]}") from None
    if not isinstance(instance, dict):
        # lists and scalars (az would poke at Python attributes such as str.upper; we do not)
        raise _not_found(instance, part, msg_path)
    name, child = part, None
    if node is not None:
        if node.kind == "object":
            canonical = node.canonical(part)
            if canonical is None:
                raise _unknown(part, where, node)
            name = canonical
        child = node.child(name)
    if name in instance:
        value = instance[name]
        if value is None and create and child is not None and child.kind in ("object", "array"):
            value = instance[name] = {} if child.kind == "object" else []
        return value, child, name
    if create and child is not None and child.kind in ("object", "array"):
        value = instance[name] = {} if child.kind == "object" else []
        return value, child, name
    raise _not_found(instance, part, msg_path)


def _conform(value: Any, node: Node | None, where: list[str]) -> Any:
    """Schema mode: keys inside a JSON value are spelled and checked like path segments (rules 1, 3)."""
    if node is None:
        return value
    if node.kind == "object" and isinstance(value, dict):
        out = {}
        for key, sub in value.items():
            name = node.canonical(key)
            if name is None:
                raise _unknown(key, where, node)
            out[name] = _conform(sub, node.child(name), where + [name])
        return out
    if node.kind == "array" and isinstance(value, list):
        item = node.item
        return [_conform(v, item, where + [f"[{i}]"]) for i, v in enumerate(value)]
    return value


# ---- the three operations ----------------------------------------------------------------------------

def _set(ctx: _Ctx, root: Any, root_node: Node | None, base: list[str], expression: str) -> None:
    """az's set_properties on `root` (the resource, or a sub-object when az recurses)."""
    key, raw = split_key_value(expression)
    if key is None or key.strip() == "":
        raise CliError(EMPTY_KEY)
    value = raw if ctx.force_string else parse_value(raw)
    path = internal_path(key)
    if not path:
        raise _Syntax()  # only dots: az fails with an IndexError here
    name = path.pop()
    create = ctx.schema is not None
    instance, node, where = _find(ctx, root, root_node, base, path, create)
    if instance is None:
        # az: a null last intermediate is replaced through a nested `--set <it>={}` (so with
        # --force-string it becomes the string "{}"); schema mode gets here only outside modelled objects
        parent, parent_node, parent_where = _find(ctx, root, root_node, base, path[:-1])
        _set(ctx, parent, parent_node, parent_where, f"{path[-1]}={{}}")
        instance, node, where = _find(ctx, root, root_node, base, path)

    msg_path = key.split(".")
    match = _INDEX_OR_FILTER.match(name)
    index = _to_int(match.group(1)) if match else None
    if index is not None:
        if isinstance(instance, list):
            value = _conform(value, node.item if node is not None else None, where + [name])
            try:
                instance[index] = value
            except IndexError:
                raise CliError(f"index {index} doesn't exist on {name}") from None
        elif isinstance(instance, dict):
            if node is not None and node.kind == "object":
                raise _unknown(name, where, node)
            instance[str(index)] = value  # az stores an int key; JSON would write it as this string
        else:
            raise _not_found(instance, name, msg_path)
    elif isinstance(instance, dict):
        if node is not None and node.kind == "object":
            canonical = node.canonical(name)
            if canonical is None:
                raise _unknown(name, where, node)
            name = canonical
            value = _conform(value, node.child(name), where + [name])
        instance[name] = value
    else:
        raise _not_found(instance, name, msg_path)


def _add(ctx: _Ctx, doc: Document, args: list[str]) -> None:
    if not args:
        raise _Syntax()  # argparse requires the list path
    path = internal_path(args.pop(0))
    create = ctx.schema is not None
    target, node, where = _find(ctx, doc, ctx.schema, [], path, create)
    if target is None:
        # az: a null list becomes [] through a nested `--set <it>=[]` (a string with --force-string)
        parent, parent_node, parent_where = _find(ctx, doc, ctx.schema, [], path[:-1])
        _set(ctx, parent, parent_node, parent_where, f"{path[-1]}=[]")
        target, node, where = _find(ctx, doc, ctx.schema, [], path)
    if not isinstance(target, list):
        raise _Syntax()
    item = node.item if node is not None else None

    def append(value: Any) -> None:
        target.append(_conform(value, item, where + [f"[{len(target)}]"]))

    entry: Document = {}
    for argument in args:
        if "=" in argument and not _json_container(argument):
            # consecutive key=value arguments build one object; its values stay strings (az)
            k, v = argument.split("=", 1)
            entry[k] = v
            continue
        if entry:
            append(entry)
            entry = {}
        append(argument if ctx.force_string else parse_value(argument))
    if entry:
        append(entry)


def _json_container(argument: str) -> bool:
    """A whole JSON object or list: taken as one value even when a string inside holds `=`. az
    splits it at the first `=` and echoes the left part in its error, secrets included."""
    if argument[:1] not in ("{", "["):
        return False
    return isinstance(parse_value(argument), (dict, list))


def _remove(ctx: _Ctx, doc: Document, args: list[str]) -> None:
    if not args:
        raise _Syntax()
    path = internal_path(args.pop(0))
    index = args.pop(0) if args else None
    if not index:  # az: a missing or empty index removes the property itself
        if not path:
            raise _Syntax()
        _, _, where = _find(ctx, doc, ctx.schema, [], path)
        parent, _, _ = _find(ctx, doc, ctx.schema, [], path[:-1])
        if not isinstance(parent, dict):
            raise _Syntax()  # `--remove a.list[0]`: an index belongs in the second argument
        del parent[where[-1] if ctx.schema is not None else path[-1]]
        return
    target, _, where = _find(ctx, doc, ctx.schema, [], path)
    last = path[-1] if path else ""
    if isinstance(target, list):
        try:
            target.pop(_to_int(index))
        except (IndexError, OverflowError):  # OverflowError: an index beyond any list's size
            raise CliError(f"index {index} doesn't exist on {last}") from None
    elif isinstance(target, dict):
        raise _Syntax()  # az crashes on dict.pop(int); an index only applies to a list
    else:
        raise CliError(f"{last} doesn't exist")
