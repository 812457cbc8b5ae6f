"""ARM error bodies: `{"error": {"code", "message", "target"?, "details"?}}` with Azure's status."""

from __future__ import annotations


class ArmError(Exception):
    """An error serve itself answers (routing, api-version, request shape)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


def status_of(exc) -> int:
    """The HTTP status of a service error (the service layer's `status`; today's classes by kind)."""
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        return status
    from vmss_cli import errors

    if isinstance(exc, errors.NotFoundError):
        return 404
    if isinstance(exc, errors.ConflictError) or exc.code in ("Conflict", "OperationNotAllowed"):
        return 409
    if isinstance(exc, errors.StoreError):
        return 500
    return 400


def body_of(exc) -> dict:
    """The ARM error body of a service error; one without a code (a client-side check the service
    shares, such as a template that is not JSON) is a BadRequest."""
    err = exc.to_api_error()
    if not err.get("code"):
        err = dict(err, code="BadRequest")
    return {"error": err}


def not_found_route(method: str, path: str) -> ArmError:
    return ArmError(404, "NotFound", f"No HTTP resource was found that matches the request URI "
                    f"'{path}' for method {method}.")


def method_not_allowed(method: str, path: str) -> ArmError:
    return ArmError(405, "MethodNotAllowed", f"The requested resource '{path}' does not support http method "
                    f"'{method}'.")
