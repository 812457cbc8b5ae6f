"""One exception tree for every failure a user can cause.

`code` is Azure's error code string; errors without a code are client-side (az prints
them as a single `ERROR: message` line). `exit_code` follows az: 1 error, 2 usage, 3 not found.
"""

from __future__ import annotations


class VmssError(Exception):
    exit_code = 1
    default_code: str | None = None

    def __init__(self, message: str, code: str | None = None, target: str | None = None,
                 details: tuple | list = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self.default_code
        self.target = target
        self.details = list(details)

    def to_api_error(self) -> dict:
        """The ARM `ApiError` shape, as stored in a rollout's `error`."""
        err: dict = {"code": self.code, "message": self.message}
        if self.target:
            err["target"] = self.target
        if self.details:
            err["details"] = self.details
        return err


class CliError(VmssError):
    """A client-side error: `ERROR: message`, exit 1 (az's CLIError)."""


class UsageError(VmssError):
    """An argument-parsing error: exit 2, as argparse does in az."""
    exit_code = 2


class NotFoundError(VmssError):
    """HTTP 404 from the service: exit 3."""
    exit_code = 3
    default_code = "ResourceNotFound"


class InvalidParameterError(VmssError):
    """HTTP 400 from the service."""
    default_code = "InvalidParameter"


class ConflictError(VmssError):
    """HTTP 409 from the service."""
    default_code = "OperationNotAllowed"


class StoreError(VmssError):
    """The state directory cannot be read or written; the message names the file."""


class AppliedError(StoreError):
    """The command's change is in the store (committed), but a later step failed: the message says
    so plainly, so a script does not repeat the change (README "The state store", the exit rule)."""


class RolloutFailedError(VmssError):
    """A long-running operation ended Faulted: az prints the operation's error."""
