"""What a client needs before it calls ARM: the cloud's metadata, a token, a subscription.

The token endpoint is a stand-in for Entra ID / ADFS: any client id and secret get a token. Tokens are
JWTs (HS256 with a key made when the server starts) because az decodes them, unverified, for the
tenant (`tid`); serve does not check the Authorization header at all — it is a local emulator.
Token lifetimes are wall-clock (MSAL compares them with the wall clock), not world time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time

from vmss_cli.serve.errors import ArmError
from vmss_cli.serve.messages import Request, Response

TENANT = "72f988bf-0000-0000-0000-000000000001"
CLOUD_NAME = "VmssEmulator"
TOKEN_SECONDS = 24 * 3600
_KEY = os.urandom(32)


def endpoints(base: str) -> dict:
    """ARM's cloud metadata document (`/metadata/endpoints`), every endpoint on this server."""
    return {
        "name": CLOUD_NAME,
        "portal": base + "/portal",
        "resourceManager": base + "/",
        "gallery": base + "/gallery/",
        "graph": base + "/graph/",
        "graphAudience": base + "/graph/",
        "media": base + "/media/",
        "activeDirectoryDataLake": None,
        "batch": base + "/batch/",
        "sqlManagement": base + "/sql/",
        "microsoftGraphResourceId": base + "/graph/",
        "appInsightsResourceId": base + "/appinsights/",
        "appInsightsTelemetryChannelResourceId": base + "/appinsights/",
        "attestationResourceId": base + "/attestation/",
        "synapseAnalyticsResourceId": base + "/synapse/",
        "logAnalyticsResourceId": base + "/loganalytics/",
        "ossrDbmsResourceId": base + "/ossrdbms/",
        "vmImageAliasDoc": base + "/_vmss/aliases.json",
        "authentication": {"loginEndpoint": base + "/adfs", "audiences": [base + "/"],
                           "tenant": "adfs", "identityProvider": "ADFS"},
        "suffixes": {"acrLoginServer": "azurecr.vmss.local", "keyVaultDns": "vault.vmss.local",
                     "storage": "core.vmss.local", "storageSyncEndpointSuffix": "afs.vmss.local",
                     "sqlServerHostname": "database.vmss.local"},
    }


def metadata_endpoints(app, req: Request) -> Response:
    return Response(200, endpoints(req.base))


def metadata_clouds(app, req: Request) -> Response:
    """A list of clouds, for `ARM_CLOUD_METADATA_URL` (az reads it instead of `az cloud register`)."""
    return Response(200, [endpoints(req.base)])


def openid_configuration(app, req: Request, tenant: str = "adfs") -> Response:
    issuer = f"{req.base}/{tenant}"
    v2 = "" if tenant.lower() == "adfs" else "/v2.0"
    return Response(200, {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth2{v2}/authorize",
        "token_endpoint": f"{issuer}/oauth2{v2}/token",
        "device_authorization_endpoint": f"{issuer}/oauth2{v2}/devicecode",
        "end_session_endpoint": f"{issuer}/oauth2{v2}/logout",
        "jwks_uri": f"{issuer}/discovery/keys",
        "response_types_supported": ["code", "id_token", "code id_token", "token id_token", "token"],
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "tenant_region_scope": "vmss",
    })


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def issue_jwt(audience: str, client_id: str, tenant: str, lifetime: int = TOKEN_SECONDS) -> tuple[str, int]:
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"aud": audience, "iss": f"https://vmss.local/{tenant}/", "iat": now, "nbf": now - 300,
              "exp": now + lifetime, "appid": client_id, "azp": client_id, "oid": _guid(client_id),
              "sub": _guid(client_id), "tid": tenant, "idtyp": "app", "ver": "1.0"}
    signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(_KEY, signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{_b64(signature)}", now + lifetime


def _guid(text: str) -> str:
    h = hashlib.sha256(text.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def token(app, req: Request, tenant: str = "adfs") -> Response:
    """OAuth2 client credentials (a service principal) and refresh tokens: any credentials are accepted."""
    form = req.form()
    grant = form.get("grant_type", "")
    if grant not in ("client_credentials", "refresh_token", "password"):
        return Response(400, {"error": "unsupported_grant_type",
                              "error_description": f"The grant type '{grant}' is not supported by the vmss "
                                                   "emulator's token endpoint (use a service principal)."})
    scope = form.get("scope") or form.get("resource") or req.base + "/"
    audience = scope.split()[0].removesuffix("/.default").removesuffix(".default")
    tenant_id = TENANT if tenant.lower() in ("adfs", "organizations", "common") else tenant
    jwt, expires_on = issue_jwt(audience, form.get("client_id") or "vmss-client", tenant_id)
    return Response(200, {"token_type": "Bearer", "expires_in": TOKEN_SECONDS, "ext_expires_in": TOKEN_SECONDS,
                          "expires_on": expires_on, "resource": audience, "access_token": jwt,
                          "scope": scope})


def managed_identity_token(app, req: Request) -> Response:
    """The App Service managed-identity protocol (`IDENTITY_ENDPOINT`), for `az login --identity`."""
    resource = req.query.get("resource") or req.base + "/"
    jwt, expires_on = issue_jwt(resource, "vmss-managed-identity", TENANT)
    return Response(200, {"access_token": jwt, "expires_on": str(expires_on), "resource": resource,
                          "token_type": "Bearer", "client_id": "vmss-managed-identity"})


def subscription(sub: str) -> dict:
    return {"id": f"/subscriptions/{sub}", "authorizationSource": "RoleBased", "managedByTenants": [],
            "subscriptionId": sub, "tenantId": TENANT, "displayName": "vmss emulated subscription",
            "state": "Enabled", "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                                         "quotaId": "PayAsYouGo_2014-09-01",
                                                         "spendingLimit": "Off"}}


def list_subscriptions(app, req: Request) -> Response:
    return Response(200, {"value": [subscription(app.subscription)]})


def get_subscription(app, req: Request, sub: str) -> Response:
    return Response(200, subscription(sub.lower()))


def list_tenants(app, req: Request) -> Response:
    return Response(200, {"value": [{"id": f"/tenants/{TENANT}", "tenantId": TENANT, "tenantCategory": "Home",
                                     "displayName": "vmss emulator", "defaultDomain": "vmss.local"}]})


def list_locations(app, req: Request, sub: str) -> Response:
    from vmss_cli.service.simulator import locations

    return Response(200, {"value": [
        {"id": f"/subscriptions/{sub}/locations/{name}", "name": name, "displayName": name,
         "regionalDisplayName": name, "type": "Region",
         "metadata": {"regionType": "Physical", "regionCategory": "Recommended"}} for name in locations()]})


def require_form(req: Request) -> None:
    if not req.body:
        raise ArmError(400, "invalid_request", "The token request needs a form body.")
