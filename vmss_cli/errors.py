"""One exception tree for every failure a user can cause, usable from every layer (store included).

`code` is Azure's error code string; errors without a code are client-side (az prints
them as a single `ERROR: message` line). `exit_code` follows az: 1 error, 2 usage, 3 not found.
`status` is the HTTP status the service answers with; `to_arm_body()` the ARM error body it sends.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: every command loads this module
if TYPE_CHECKING:
    from typing import Any

    Document = dict[str, Any]  # (errors.py imports nothing of vmss: core.arm.documents spells the same)


class VmssError(Exception):
    exit_code = 1
    status = 400
    default_code: str | None = None

    def __init__(self, message: str, code: str | None = None, target: str | None = None,
                 details: tuple[Any, ...] | list[Any] = (), additional_info: tuple[Any, ...] | list[Any] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self.default_code
        self.target = target
        self.details = list(details)
        self.additional_info = list(additional_info)  # ARM's ErrorAdditionalInfo ({"type", "info"})

    def to_api_error(self) -> Document:
        """The ARM `ApiError` shape, as stored in a rollout's `error`."""
        err: Document = {"code": self.code, "message": self.message}
        if self.target:
            err["target"] = self.target
        if self.details:
            err["details"] = self.details
        if self.additional_info:
            err["additionalInfo"] = self.additional_info
        return err

    def to_arm_body(self) -> Document:
        """The body of an ARM error response: {"error": ApiError}."""
        return {"error": self.to_api_error()}


class CliError(VmssError):
    """A client-side error: `ERROR: message`, exit 1 (az's CLIError)."""


class UsageError(VmssError):
    """An argument-parsing error: exit 2, as argparse does in az."""
    exit_code = 2


class NotFoundError(VmssError):
    """HTTP 404 from the service: exit 3."""
    exit_code = 3
    status = 404
    default_code = "ResourceNotFound"


class InvalidParameterError(VmssError):
    """HTTP 400 from the service."""
    default_code = "InvalidParameter"


class ConflictError(VmssError):
    """HTTP 409 from the service."""
    status = 409
    default_code = "OperationNotAllowed"


class StoreError(VmssError):
    """The state directory cannot be read or written; the message names the file."""
    status = 500
    reason: str | None = None  # the OS's words and the file, for a commit's own message (store.state)


class AppliedError(StoreError):
    """The command's change is in the store (committed), but a later step failed: the message says
    so plainly, so a script does not repeat the change (README "The state store", the exit rule)."""


class RolloutFailedError(VmssError):
    """A long-running operation ended Faulted: az prints the operation's error."""
