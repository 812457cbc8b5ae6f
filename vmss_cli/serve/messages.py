"""A request as serve's handlers see it, and the response they give back."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, unquote, urlsplit


class Request:
    def __init__(self, method: str, target: str, headers, body: bytes) -> None:
        parts = urlsplit(target)
        self.method = method
        self.path = unquote(parts.path)
        self.raw_query = parts.query
        self.query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        self.headers = headers
        self.body = body
        host = headers.get("Host") or "localhost"
        self.base = f"https://{host}"

    def json(self):
        from vmss_cli.serve.errors import ArmError

        if not self.body:
            return {}
        try:
            value = json.loads(self.body, strict=False)  # ARM (Newtonsoft) takes control characters in strings
        except (ValueError, RecursionError):
            raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                           "deserialized: the body is not valid JSON.") from None
        if not isinstance(value, dict):
            raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                           "deserialized: the body must be a JSON object.")
        return value

    def form(self) -> dict:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))


class Response:
    def __init__(self, status: int, body=None, headers: dict | None = None, raw: bytes | None = None,
                 content_type: str = "application/json; charset=utf-8") -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw
        self.content_type = content_type

    def encode(self) -> bytes:
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body).encode()
