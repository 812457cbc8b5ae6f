"""Limits on the work one input can cause: templates, parameters, `--set`/`--add` values, `--query`.
(A template or parameter file may be at most 4 MB: core.template.MAX_TEMPLATE_BYTES, ARM's limit.)

Without them a few hostile bytes cost gigabytes or minutes, or overflowed Python's stack and were
reported as a bug (issue 14). Each limit has a name, and its error says which limit was hit and
what it is. The values are far above anything the seed, az's examples or Azure's own limits need;
README "Limits" lists them.
"""

from __future__ import annotations

from vmss_cli.errors import CliError

MAX_DEPTH = 64                      # nesting of a JSON value: a --set/--add value, a template, parameters
MAX_STRING_CHARS = 4 * 1024 * 1024    # a string a template expression builds
MAX_ARRAY_ITEMS = 100_000           # an array a template expression builds
MAX_EXPRESSION_DEPTH = 64           # function calls nested in one template expression
INT64 = (-2**63, 2**63 - 1)          # ARM template integers are 64-bit
MAX_QUERY_CHARS = 10_000            # the text of --query
MAX_QUERY_DEPTH = 64                # brackets, braces and parentheses nested in --query
MAX_OUTPUT_VALUES = 2_000_000       # values in a --query result (a query can repeat one value many times)


class LimitError(CliError):
    """An input asked for more work than a limit allows (exit 1)."""


def check_depth(value: object, what: str) -> None:
    """LimitError when `value` nests lists and objects more than MAX_DEPTH deep."""
    if _exceeds(value, None, MAX_DEPTH) is not None:
        raise too_deep(what)


def too_deep(what: str) -> LimitError:
    return LimitError(f"{what} is nested more than {MAX_DEPTH} levels deep (the limit MAX_DEPTH).")


def value_problem(value: object) -> str | None:
    """Why a value a template expression built is too big (None when it is not): a string longer
    than MAX_STRING_CHARS, an integer outside 64 bits, more than MAX_ARRAY_ITEMS values or more than
    MAX_DEPTH levels."""
    if isinstance(value, int) and not isinstance(value, bool):
        return None if INT64[0] <= value <= INT64[1] else "an integer outside 64 bits (the limit for template integers)"
    return {"string": f"a string longer than {MAX_STRING_CHARS:,} characters (the limit MAX_STRING_CHARS)",
            "values": f"more than {MAX_ARRAY_ITEMS:,} values (the limit MAX_ARRAY_ITEMS)",
            "depth": f"more than {MAX_DEPTH} levels of nesting (the limit MAX_DEPTH)",
            None: None}[_exceeds(value, MAX_ARRAY_ITEMS, MAX_DEPTH, MAX_STRING_CHARS)]


def check_output(value: object) -> None:
    """A --query result must be printable: at most MAX_OUTPUT_VALUES values (a query such as
    `@ | {a:@, b:@}` repeated doubles its result each time by sharing) and MAX_DEPTH + 2 levels."""
    found = _exceeds(value, MAX_OUTPUT_VALUES, MAX_DEPTH + 2)
    if found == "values":
        raise LimitError(f"The --query result has more than {MAX_OUTPUT_VALUES:,} values (the limit "
                         "MAX_OUTPUT_VALUES).")
    if found == "depth":
        raise LimitError(f"The --query result is nested more than {MAX_DEPTH + 2} levels deep (the limit "
                         "MAX_DEPTH).")


def _exceeds(value: object, max_values: int | None, max_depth: int, max_chars: int | None = None) -> str | None:
    """The first limit `value` breaks ("values", "depth", "string") or None. Iterative, so a deep
    value cannot overflow the stack; shared parts count each time they appear (as printing them
    would), and the walk stops at the first breach, so it costs at most `max_values` steps."""
    count, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if max_values is not None and count > max_values:
            return "values"
        if isinstance(item, (dict, list)):
            children = item.values() if isinstance(item, dict) else item
        else:
            if max_chars is not None and isinstance(item, str) and len(item) > max_chars:
                return "string"
            continue
        if depth > max_depth:
            return "depth"
        stack.extend((child, depth + 1) for child in children)
    return None


def check_query(query: str) -> None:
    if len(query) > MAX_QUERY_CHARS:
        raise LimitError(f"The --query expression is {len(query):,} characters long; the limit MAX_QUERY_CHARS is "
                         f"{MAX_QUERY_CHARS:,}.")
    depth = deepest = 0
    quote = None
    for ch in query:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":  # inside a `JSON literal` too: it is parsed as deeply
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    if deepest > MAX_QUERY_DEPTH:
        raise LimitError(f"The --query expression nests brackets more than {MAX_QUERY_DEPTH} levels deep (the limit "
                         "MAX_QUERY_DEPTH).")
