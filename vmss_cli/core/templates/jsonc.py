"""JSON as az reads templates and parameter files (plus // and /* */ comments), keeping the
offset of every value so that errors can name the line and column, as ARM's do.
Raises ValueError (with line and column) for text that is not JSON, and limits.LimitError for one
nested deeper than limits.MAX_DEPTH (a recursive parser must not overflow the stack)."""

from __future__ import annotations

import json
import re
from typing import Any

from vmss_cli.core import limits

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class JsonDocument:
    """A parsed JSON text and the offset of each value, by path (a tuple of keys and indexes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets: dict[tuple[str | int, ...], int] = {}
        self._i = 0
        self.value = self._parse()

    def line_info(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """(line, column) of the value at `path`, 1-based, as Newtonsoft reports them (column = the
        characters read on that line once the value's first character is read)."""
        offset = self.offsets.get(path, 0)
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    # parsing
    def _parse(self) -> Any:
        value = self._value(())
        self._skip()
        if self._i != len(self.text):
            raise self._error("Additional text found after the end of the JSON value")
        return value

    def _error(self, what: str) -> ValueError:
        line = self.text.count("\n", 0, self._i) + 1
        column = self._i - (self.text.rfind("\n", 0, self._i) + 1) + 1
        return ValueError(f"{what} (line {line}, column {column})")

    def _skip(self) -> None:
        text, n = self.text, len(self.text)
        while self._i < n:
            ch = text[self._i]
            if ch in " \t\r\n\ufeff":
                self._i += 1
            elif text.startswith("//", self._i):
                end = text.find("\n", self._i)
                self._i = n if end < 0 else end + 1
            elif text.startswith("/*", self._i):
                end = text.find("*/", self._i + 2)
                if end < 0:
                    raise self._error("Unterminated comment")
                self._i = end + 2
            else:
                return

    def _value(self, path: tuple[str | int, ...]) -> Any:
        self._skip()
        if self._i >= len(self.text):
            raise self._error("Unexpected end of the JSON text")
        self.offsets[path] = self._i
        ch = self.text[self._i]
        if ch in "{[" and len(path) >= limits.MAX_DEPTH:
            raise limits.too_deep("The JSON document")
        if ch == "{":
            return self._object(path)
        if ch == "[":
            return self._array(path)
        if ch == '"':
            return self._string()
        match = _NUMBER.match(self.text, self._i)
        if match:
            self._i = match.end()
            return float(match.group()) if match.group(1) or match.group(2) else int(match.group())
        for word, value in _LITERALS.items():
            if self.text.startswith(word, self._i):
                self._i += len(word)
                return value
        raise self._error(f"Unexpected character '{ch}'")

    def _string(self) -> str:
        try:
            # the C string scanner json itself uses (typeshed does not list it)
            value, self._i = json.decoder.scanstring(self.text, self._i + 1, False)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            raise self._error(exc.msg) from None
        return str(value)

    def _object(self, path: tuple[str | int, ...]) -> Document:
        self._i += 1
        out: Document = {}
        self._skip()
        if self.text.startswith("}", self._i):
            self._i += 1
            return out
        while True:
            self._skip()
            if not self.text.startswith('"', self._i):
                raise self._error("Expected a property name in double quotes")
            key = self._string()
            self._skip()
            if not self.text.startswith(":", self._i):
                raise self._error("Expected ':' after a property name")
            self._i += 1
            out[key] = self._value(path + (key,))
            self._skip()
            if self.text.startswith(",", self._i):
                self._i += 1
                continue
            if self.text.startswith("}", self._i):
                self._i += 1
                return out
            raise self._error("Expected ',' or '}'")

    def _array(self, path: tuple[str | int, ...]) -> list[Any]:
        self._i += 1
        out: list[Any] = []
        self._skip()
        if self.text.startswith("]", self._i):
            self._i += 1
            return out
        while True:
            out.append(self._value(path + (len(out),)))
            self._skip()
            if self.text.startswith(",", self._i):
                self._i += 1
                continue
            if self.text.startswith("]", self._i):
                self._i += 1
                return out
            raise self._error("Expected ',' or ']'")
