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
    err = exc.to_api_error()
    if not err.get("code"):
        err = _deployment_error(exc.message) or dict(err, code="BadRequest")
    return {"error": err}


def _deployment_error(message: str) -> dict | None:
    """Template deployment errors come out of the core already in az's printed form (the service's error
    object as JSON for InvalidTemplate; `Code - message` lines for a provider's preflight refusal, as az's
    _build_preflight_error_message prints it): serve sends the error object az printed them from."""
    import json

    if message.startswith("{"):
        try:
            err = json.loads(message)
        except ValueError:
            return None
        return err if isinstance(err, dict) and isinstance(err.get("code"), str) else None
    lines = message.split("\n")
    parts = [line.split(" - ", 1) for line in lines]
    if len(parts) < 2 or parts[0][0] != "InvalidTemplateDeployment" or any(len(p) != 2 for p in parts):
        return None
    return {"code": parts[0][0], "message": parts[0][1],
            "details": [{"code": code, "message": text} for code, text in parts[1:]]}


def not_found_route(method: str, path: str) -> ArmError:
    return ArmError(404, "NotFound", f"No HTTP resource was found that matches the request URI "
                    f"'{path}' for method {method}.")


def method_not_allowed(method: str, path: str) -> ArmError:
    return ArmError(405, "MethodNotAllowed", f"The requested resource '{path}' does not support http method "
                    f"'{method}'.")
