"""Long-running operations as ARM answers them: the 201/202 carries `Azure-AsyncOperation` (the
operation-status URL), `Location` (its `monitor=true` variant) and `Retry-After`; a client polls the
status until it is terminal.

The operation id in those URLs carries what the status needs (kind, group, scale set, rollout id or
a final status), base64url-encoded, so serve keeps no table and a restarted server still answers.
`Retry-After` is an integer ≥ 1: azure-core treats 0 as "no header" and then sleeps 30 s.
"""

from __future__ import annotations

import base64
import json

from vmss_cli.serve.errors import ArmError

RETRY_AFTER = 1


def token(**fields) -> str:
    raw = json.dumps(fields, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse(op_id: str) -> dict:
    try:
        fields = json.loads(base64.urlsafe_b64decode(op_id + "=" * (-len(op_id) % 4)))
        if isinstance(fields, dict) and isinstance(fields.get("k"), str):
            return fields
    except (ValueError, TypeError):
        pass
    raise ArmError(404, "NotFound", f"The operation '{op_id}' was not found.")


def compute_status_url(base: str, subscription: str, location: str, op_id: str, api_version: str) -> str:
    return (f"{base}/subscriptions/{subscription}/providers/Microsoft.Compute/locations/{location}/operations/"
            f"{op_id}?api-version={api_version}")


def headers(status_url: str, location: bool = True) -> dict:
    out = {"Azure-AsyncOperation": status_url, "Retry-After": str(RETRY_AFTER)}
    if location:
        out["Location"] = status_url.replace("?api-version=", "?monitor=true&api-version=", 1)
    return out


def done(start: str, status: str = "Succeeded") -> str:
    """The id of an operation that finished when it was accepted (CRP's PUT/DELETE of a set)."""
    return token(k="done", s=status, t=start)
