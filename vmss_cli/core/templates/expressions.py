"""The ARM template expression language.

Expressions (`"[concat('a', parameters('p'))]"`) are parsed by a small recursive-descent parser
and evaluated against a Scope; nothing is ever passed to Python's eval. A string that starts with
`[[` is a literal with the first `[` removed. Function names and property names are matched
case-insensitively, as ARM does.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from vmss_cli.core import limits

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.templates.jsonc import JsonDocument

ARM_FUNCTIONS_URL = "https://aka.ms/arm-functions"


class TemplateError(Exception):
    """An error in the template or its expressions; the caller adds where it happened."""


def parse_json(text: str) -> JsonDocument:
    """A template or parameter file as az reads it (JSON with comments), with value positions."""
    from vmss_cli.core.templates.jsonc import JsonDocument

    return JsonDocument(text)


# ---- the expression language ----------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>'(?:[^']|'')*')"
                    r"|(?P<punct>[(),.\[\]]))")


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


def _tokens(expr: str) -> list[tuple[str, Any, int]]:
    out, i = [], 0
    while i < len(expr):
        if expr[i:].strip() == "":
            break
        match = _TOKEN.match(expr, i)
        if not match:
            position = len(expr[:i]) + len(expr[i:]) - len(expr[i:].lstrip())
            raise TemplateError(f"The language expression '{expr}' is not valid: the string character "
                                f"'{expr[position]}' at position '{position}' is not expected.")
        kind = match.lastgroup or ""  # every alternative of the pattern is named
        text = match.group(kind)
        value: Any = text
        if kind == "num":
            if len(text) > 20:  # before int(): a 5,000-digit literal
                raise TemplateError(f"The language expression '{expr[:200]}' is not valid: the number at position "
                                    f"'{match.start(kind)}' is outside the range of a 64-bit integer.")
            value = float(text) if "." in text else int(text)
        elif kind == "str":
            value = text[1:-1].replace("''", "'")
        out.append((kind, value, match.start(kind)))
        i = match.end()
    out.append(("end", None, len(expr)))
    return out


class _Parser:
    """expression := primary ( '.' name | '[' expression ']' )* ;
    primary := string | number | name '(' [expression (',' expression)*] ')'."""

    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.tokens = _tokens(expr)
        self.pos = 0
        self.depth = 0

    def parse(self) -> tuple[Any, ...]:
        node = self._expression()
        self._expect("end")
        return node

    def _peek(self) -> tuple[str, Any, int]:
        return self.tokens[self.pos]

    def _take(self) -> tuple[str, Any, int]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _expect(self, kind: str, value: Any = None) -> tuple[Any, ...]:
        token = self._take()
        if token[0] != kind or (value is not None and token[1] != value):
            if token[0] == "end":
                raise TemplateError(f"The language expression '{self.expr}' is not valid: the expression is not "
                                    "complete.")
            raise TemplateError(f"The language expression '{self.expr}' is not valid: the string character "
                                f"'{self.expr[token[2]]}' at position '{token[2]}' is not expected.")
        return token

    def _expression(self) -> tuple[Any, ...]:
        self.depth += 1
        if self.depth > limits.MAX_EXPRESSION_DEPTH:
            raise TemplateError(f"The language expression '{self.expr[:200]}' is not valid: it nests more than "
                                f"{limits.MAX_EXPRESSION_DEPTH} function calls or indexes (the limit "
                                "MAX_EXPRESSION_DEPTH).")
        try:
            return self._postfix()
        finally:
            self.depth -= 1

    def _postfix(self) -> tuple[Any, ...]:
        node = self._primary()
        while True:
            kind, value, _ = self._peek()
            if kind == "punct" and value == ".":
                self._take()
                node = ("prop", node, self._expect("name")[1])
            elif kind == "punct" and value == "[":
                self._take()
                node = ("index", node, self._expression())
                self._expect("punct", "]")
            else:
                return node

    def _primary(self) -> tuple[Any, ...]:
        kind, value, _ = self._peek()
        if kind in ("str", "num"):
            self._take()
            return ("lit", value)
        if kind == "name":
            self._take()
            self._expect("punct", "(")
            args = []
            if self._peek()[:2] != ("punct", ")"):
                args.append(self._expression())
                while self._peek()[:2] == ("punct", ","):
                    self._take()
                    args.append(self._expression())
            self._expect("punct", ")")
            return ("call", value, args)
        self._expect("name")  # raises with the position
        raise AssertionError("unreachable")


class Scope:
    """What expressions can see. `parameter`/`variable` resolve lazily (defaults and variables
    may themselves be expressions)."""

    def __init__(self, parameter: Callable[[str], Any], variable: Callable[[str], Any], resource_group: Document,
                 subscription: Document, deployment: Document, reference: Callable[..., Any] | None = None) -> None:
        self.parameter = parameter
        # reference(resourceId[, apiVersion, 'Full']): a deployed resource's properties (the deployment
        # supplies the lookup: it evaluates outputs after its resources exist)
        self.reference = reference
        self.variable = variable
        self.resource_group = resource_group
        self.subscription = subscription
        self.deployment = deployment


def evaluate(value: Any, scope: Scope) -> Any:
    """A template value with every expression string evaluated (object keys are kept as written)."""
    if isinstance(value, dict):
        return {k: evaluate(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [evaluate(v, scope) for v in value]
    if isinstance(value, str):
        if value.startswith("[["):
            return value[1:]
        if is_expression(value):
            return _eval(_Parser(value[1:-1]).parse(), scope, value[1:-1])
    return value


def _eval(node: tuple[Any, ...], scope: Scope, expr: str) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "prop":
        target = _eval(node[1], scope, expr)
        return _property(target, node[2])
    if kind == "index":
        target = _eval(node[1], scope, expr)
        key = _eval(node[2], scope, expr)
        if isinstance(target, list) and isinstance(key, int) and not isinstance(key, bool):
            if not 0 <= key < len(target):
                raise TemplateError(f"The language expression property array index '{key}' is out of bounds.")
            return target[key]
        if isinstance(key, str):
            return _property(target, key)
        raise TemplateError(f"The language expression '{expr}' is not valid: '{key}' cannot index "
                            f"a value of type '{type_name(target)}'.")
    name, args = node[1], node[2]
    lowered = name.lower()
    if lowered == "if":  # only the branch taken is evaluated
        _arity(name, args, 3, 3)
        condition = _eval(args[0], scope, expr)
        if not isinstance(condition, bool):
            raise TemplateError(f"Unable to evaluate template language function 'if': the first argument must be "
                                f"a boolean, not '{type_name(condition)}'. Please see {ARM_FUNCTIONS_URL} for "
                                "usage details.")
        return _eval(args[1] if condition else args[2], scope, expr)
    fn = FUNCTIONS.get(lowered)
    if fn is None:
        raise TemplateError(f"The template function '{name}' is not valid. Please see {ARM_FUNCTIONS_URL} for usage "
                            "details.")
    low, high, impl = fn
    _arity(name, args, low, high)
    result = impl(scope, *[_eval(a, scope, expr) for a in args])
    problem = limits.value_problem(result)
    if problem:
        raise TemplateError(f"Unable to evaluate template language function '{name}': the result would be {problem}.")
    return result


def _arity(name: str, args: list[Any], low: int, high: int | None) -> None:
    if len(args) < low or (high is not None and len(args) > high):
        wanted = str(low) if low == high else f"at least {low}" if high is None else f"{low} to {high}"
        raise TemplateError(f"Unable to evaluate template language function '{name}': function requires {wanted} "
                            f"argument(s) while {len(args)} were provided. Please see {ARM_FUNCTIONS_URL} for usage "
                            "details.")


def _property(target: Any, name: str) -> Any:
    if isinstance(target, dict):
        for key, value in target.items():
            if key.lower() == name.lower():
                return value
        raise TemplateError(f"The language expression property '{name}' doesn't exist, available properties are "
                            f"'{', '.join(target)}'.")
    raise TemplateError(f"The language expression property '{name}' can't be evaluated, property name must be "
                        f"a string and the value must be an object, not '{type_name(target)}'.")


def type_name(value: Any) -> str:
    """JToken type names, which ARM's messages use."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return "Null"


def to_text(value: Any) -> str:
    """A value as .NET prints it inside concat/format."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else str(value)


# ---- functions ---------------------------------------------------------------------------------------

def _need(name: str, value: Any, *types: type) -> Any:
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        wanted = " or ".join(type_name(t()) for t in types)
        raise TemplateError(f"Unable to evaluate template language function '{name}': expected a value of type "
                            f"'{wanted}' but got '{type_name(value)}'. Please see {ARM_FUNCTIONS_URL} for usage "
                            "details.")
    return value


def _concat(_: Scope, *values: Any) -> Any:
    if values and all(isinstance(v, list) for v in values):
        return [item for v in values for item in v]
    if any(isinstance(v, (list, dict)) for v in values):
        raise TemplateError("Unable to evaluate template language function 'concat': all arguments must be arrays, "
                            f"or strings and numbers. Please see {ARM_FUNCTIONS_URL} for usage details.")
    return "".join(to_text(v) for v in values)


_FORMAT_ITEM = re.compile(r"\{\{|\}\}|\{(\d+)(?::([^}]*))?\}")


def _format(_: Scope, template: Any, *values: Any) -> str:
    _need("format", template, str)

    def item(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        index = int(match.group(1))
        if index >= len(values):
            raise TemplateError("Unable to evaluate template language function 'format': index (zero based) must be "
                                "greater than or equal to zero and less than the size of the argument list.")
        value, spec = values[index], match.group(2)
        if spec and spec[:1] in "Dd" and isinstance(value, int) and not isinstance(value, bool):
            width = spec[1:] or "0"
            if not width.isdigit() or len(width) > 9 or int(width) > limits.MAX_STRING_CHARS:
                raise TemplateError(f"Unable to evaluate template language function 'format': the width '{width[:20]}' "
                                    f"is more than {limits.MAX_STRING_CHARS:,} characters (the limit "
                                    "MAX_STRING_CHARS).")
            return str(value).zfill(int(width))
        return to_text(value)
    return _FORMAT_ITEM.sub(item, template)


def _resource_id(scope: Scope, *args: Any) -> str:
    texts = [_need("resourceId", a, str) for a in args]
    at = next((i for i, t in enumerate(texts) if "/" in t.strip("/")), None)
    if at is None or at > 2:
        raise TemplateError("Unable to evaluate template language function 'resourceId': the type argument "
                            "(Namespace/type) is missing. Please see https://aka.ms/arm-resource-functions#resourceid "
                            "for usage details.")
    sub, rg = scope.subscription["subscriptionId"], scope.resource_group["name"]
    if at == 1:
        rg = texts[0]
    elif at == 2:
        sub, rg = texts[0], texts[1]
    return resource_id(sub, rg, texts[at], texts[at + 1:])


def _reference(scope: Scope, rid: Any, full: Any) -> Any:
    _need("reference", rid, str)
    if scope.reference is None:
        raise TemplateError("The template function 'reference' is not expected at this location. Please see "
                            f"{ARM_FUNCTIONS_URL} for usage details.")
    return scope.reference(rid, isinstance(full, str) and full.lower() == "full")


# The api-versions providers() reports (newest first), for the resource types vmss emulates.
PROVIDER_API_VERSIONS = {"microsoft.compute/virtualmachinescalesets": ["2024-11-01", "2024-07-01", "2024-03-01"]}


def _providers(namespace: Any, kind: Any) -> Any:
    _need("providers", namespace, str)
    key = f"{namespace}/{kind}".lower()
    return {"resourceType": kind, "locations": [],
            "apiVersions": PROVIDER_API_VERSIONS.get(key, ["2024-11-01"])}


def resource_id(subscription: str, rg: str, resource_type: str, names: list[str]) -> str:
    segments = [s for s in resource_type.strip("/").split("/") if s]
    types = segments[1:]
    if len(names) == 1 and len(types) > 1 and names[0].count("/") == len(types) - 1:
        names = names[0].split("/")  # resourceId('A.B/c/d', 'x/y') is accepted too
    if len(names) != len(types):
        raise TemplateError(f"Unable to evaluate template language function 'resourceId': the type "
                            f"'{resource_type.strip('/')}' requires '{len(types)}' resource name argument(s). Please "
                            "see https://aka.ms/arm-resource-functions#resourceid for usage details.")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names))
    return f"/subscriptions/{subscription}/resourceGroups/{rg}/providers/{segments[0]}/{path}"


def unique_string(*values: str) -> str:
    """ARM's uniqueString: a 64-bit MurmurHash variant (the one Azure Resource Manager uses) of the
    arguments joined by '-', written as 13 base-32 characters."""
    data = "-".join(values).encode("utf-8")
    mask = 0xFFFFFFFF
    c1, c2 = 0xAB0E9789, 0x239B961B

    def rotl(x: int, r: int) -> int:
        return ((x << r) | (x >> (32 - r))) & mask

    def word(i: int, count: int = 4) -> int:
        return int.from_bytes(data[i:i + count], "little")

    h1 = h2 = 0
    n = len(data)
    i = 0
    while i + 8 <= n:
        h1 = rotl(h1 ^ (rotl(word(i) * c2 & mask, 15) * c1 & mask), 19)
        h1 = (((h1 + h2) & mask) * 5 + 0x561CCD1B) & mask
        h2 = rotl(h2 ^ (rotl(word(i + 4) * c1 & mask, 17) * c2 & mask), 13)
        h2 = (((h2 + h1) & mask) * 5 + 0x0BCAA747) & mask
        i += 8
    rest = n - i
    if rest:
        h1 ^= rotl(word(i, min(rest, 4)) * c2 & mask, 15) * c1 & mask
        if rest > 4:
            h2 ^= rotl(word(i + 4, rest - 4) * c1 & mask, 17) * c2 & mask
    h2 = (h2 ^ n) & mask
    h1 = ((h1 ^ n) + h2) & mask
    h2 = (h2 + h1) & mask

    def mix(h: int) -> int:
        h = ((h ^ (h >> 16)) * 0x85EBCA6B) & mask
        h = ((h ^ (h >> 13)) * 0xC2B2AE35) & mask
        return h ^ (h >> 16)

    h1, h2 = mix(h1), mix(h2)
    h1 = (h1 + h2) & mask
    h2 = (h2 + h1) & mask
    value = (h2 << 32) | h1
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    return "".join(alphabet[(value >> (59 - 5 * k)) & 31] if k < 12 else alphabet[(value << 1) & 31]
                   for k in range(13))


def _unique_string(_: Scope, *values: Any) -> str:
    return unique_string(*(_need("uniqueString", v, str) for v in values))


def _guid(_: Scope, *values: Any) -> str:
    import uuid

    texts = [_need("guid", v, str) for v in values]
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "-".join(texts)))


def _equals(_: Scope | None, a: Any, b: Any) -> bool:
    return type_name(a) == type_name(b) and a == b


def _compare(name: str, test: Callable[[Any, Any], bool]) -> Callable[[Scope, Any, Any], bool]:
    def impl(_: Scope, a: Any, b: Any) -> bool:
        if not ((isinstance(a, (int, float)) and not isinstance(a, bool) and isinstance(b, (int, float))
                 and not isinstance(b, bool)) or (isinstance(a, str) and isinstance(b, str))):
            raise TemplateError(f"Unable to evaluate template language function '{name}': the arguments must both "
                                f"be integers or both be strings. Please see {ARM_FUNCTIONS_URL} for usage details.")
        return test(a, b)
    return impl


def _arith(name: str, op: Callable[[int, int], int]) -> Callable[[Scope, Any, Any], int]:
    def impl(_: Scope, a: Any, b: Any) -> int:
        _need(name, a, int)
        _need(name, b, int)
        if name in ("div", "mod") and b == 0:
            raise TemplateError(f"Unable to evaluate template language function '{name}': the second argument "
                                "cannot be zero.")
        return op(a, b)
    return impl


def _truncated(a: int, b: int) -> int:
    """Integer division rounding toward zero, as .NET does (exact: a / b in floats overflows or
    rounds for big integers)."""
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def _to_int(_: Scope, value: Any) -> int:
    try:
        return int(value) if not isinstance(value, bool) else int(value)
    except (TypeError, ValueError):
        raise TemplateError(f"Unable to evaluate template language function 'int': the value '{to_text(value)}' "
                            "cannot be converted to an integer.") from None


def _to_bool(_: Scope, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise TemplateError(f"Unable to evaluate template language function 'bool': the value '{to_text(value)}' cannot "
                        "be converted to a boolean.")


def _length(_: Scope, value: Any) -> int:
    return len(_need("length", value, str, list, dict))


def _empty(_: Scope, value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def _contains(_: Scope, container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return to_text(item) in container
    if isinstance(container, dict):
        return any(k.lower() == to_text(item).lower() for k in container)
    if isinstance(container, list):
        return any(_equals(None, v, item) for v in container)
    raise TemplateError("Unable to evaluate template language function 'contains': the first argument must be a "
                        "string, an array or an object.")


def _coalesce(_: Scope, *values: Any) -> Any:
    return next((v for v in values if v is not None), None)


FUNCTIONS: dict[str, tuple[int, int | None, Callable[..., Any]]] = {
    "parameters": (1, 1, lambda s, name: s.parameter(_need("parameters", name, str))),
    "variables": (1, 1, lambda s, name: s.variable(_need("variables", name, str))),
    "resourcegroup": (0, 0, lambda s: s.resource_group),
    "subscription": (0, 0, lambda s: s.subscription),
    "deployment": (0, 0, lambda s: s.deployment),
    "resourceid": (2, None, _resource_id),
    "reference": (1, 3, lambda s, rid, api=None, full=None: _reference(s, rid, full)),
    "providers": (1, 2, lambda _, ns, kind=None: _providers(ns, kind)),
    "concat": (1, None, _concat),
    "format": (1, None, _format),
    "tolower": (1, 1, lambda _, v: _need("toLower", v, str).lower()),
    "toupper": (1, 1, lambda _, v: _need("toUpper", v, str).upper()),
    "trim": (1, 1, lambda _, v: _need("trim", v, str).strip()),
    "replace": (3, 3, lambda _, v, a, b: _need("replace", v, str).replace(_need("replace", a, str),
                                                                       _need("replace", b, str))),
    "substring": (1, 3, lambda _, v, start=0, length=None: _need("substring", v, str)[
        start:None if length is None else start + length]),
    "startswith": (2, 2, lambda _, v, p: _need("startsWith", v, str).lower().startswith(
        _need("startsWith", p, str).lower())),
    "endswith": (2, 2, lambda _, v, p: _need("endsWith", v, str).lower().endswith(_need("endsWith", p, str).lower())),
    "split": (2, 2, lambda _, v, d: _need("split", v, str).split(_need("split", d, str))),
    "uniquestring": (1, None, _unique_string),
    "guid": (1, None, _guid),
    "string": (1, 1, lambda _, v: v if isinstance(v, str) else to_text(v)),
    "int": (1, 1, _to_int),
    "bool": (1, 1, _to_bool),
    "length": (1, 1, _length),
    "empty": (1, 1, _empty),
    "contains": (2, 2, _contains),
    "equals": (2, 2, _equals),
    "not": (1, 1, lambda _, v: not _need("not", v, bool)),
    "and": (2, None, lambda _, *v: all(_need("and", x, bool) for x in v)),
    "or": (2, None, lambda _, *v: any(_need("or", x, bool) for x in v)),
    "true": (0, 0, lambda _: True),
    "false": (0, 0, lambda _: False),
    "null": (0, 0, lambda _: None),
    "coalesce": (1, None, _coalesce),
    "createarray": (0, None, lambda _, *v: list(v)),
    "first": (1, 1, lambda _, v: (_need("first", v, str, list) or [None])[0]),
    "last": (1, 1, lambda _, v: (_need("last", v, str, list) or [None])[-1]),
    "add": (2, 2, _arith("add", lambda a, b: a + b)),
    "sub": (2, 2, _arith("sub", lambda a, b: a - b)),
    "mul": (2, 2, _arith("mul", lambda a, b: a * b)),
    "div": (2, 2, _arith("div", lambda a, b: _truncated(a, b))),
    "mod": (2, 2, _arith("mod", lambda a, b: a - b * _truncated(a, b))),
    "less": (2, 2, _compare("less", lambda a, b: a < b)),
    "lessorequals": (2, 2, _compare("lessOrEquals", lambda a, b: a <= b)),
    "greater": (2, 2, _compare("greater", lambda a, b: a > b)),
    "greaterorequals": (2, 2, _compare("greaterOrEquals", lambda a, b: a >= b)),
}
