"""A test-only HTTPS endpoint that answers real az 2.91's ARM requests from a vmss store.

Every answer is computed by vmss's own Python functions on the store at `FakeArm.root`, so az
prints vmss's JSON through its own formatting, parsing and error handling: the differential tier
(tests/differential/) compares that with what vmss prints. Only what the tier's commands need is
served (README "Development", differential tier).
Not a product: `vmss serve` is a separate piece of work.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from vmss_cli.errors import VmssError

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"  # vmss's one subscription (core.world)
TENANT = "72f988bf-0000-0000-0000-000000000001"
_VMSS = re.compile(r"^/subscriptions/[^/]+/resourceGroups/([^/]+)/providers/Microsoft\.Compute/"
                   r"virtualMachineScaleSets/([^/]+)(/.*)?$", re.IGNORECASE)
_VMSS_LIST = re.compile(r"^/subscriptions/[^/]+(?:/resourceGroups/([^/]+))?/providers/Microsoft\.Compute/"
                        r"virtualMachineScaleSets$", re.IGNORECASE)
_GROUP = re.compile(r"^/subscriptions/[^/]+/resourcegroups/([^/]+)$", re.IGNORECASE)
_OPERATION = re.compile(r"/operations/", re.IGNORECASE)


def make_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A local CA and a certificate for localhost signed by it (openssl CLI): (ca, cert, key)."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (directory / n for n in ("ca.key", "ca.pem", "server.key", "server.csr",
                                                          "server.pem"))
    ext = directory / "san.ext"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
        "-subj", "/CN=vmss differential CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-out", str(cert),
        "-days", "2", "-extfile", str(ext))
    return ca, cert, key


def _token() -> str:
    def b64(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    now = int(time.time())
    claims = {"aud": "https://localhost/", "iss": "https://localhost/adfs", "iat": now, "nbf": now,
              "exp": now + 86400, "tid": TENANT, "oid": str(uuid.UUID(int=1)), "appid": "any-app"}
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}.sig"


class FakeArm:
    """The server; `root` (a vmss store directory) can be changed between commands."""

    def __init__(self, root: Path, certs: Path) -> None:
        self.root = root
        self.unhandled: list[str] = []
        ca, cert, key = make_certificates(certs)
        self.ca = ca
        handler = type("Handler", (_Handler,), {"arm": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = f"https://localhost:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeArm":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    arm: FakeArm
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # az keeps connections alive: without it, 40 ms per request

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlparse(self.path)
        try:  # ARM decodes the path: a name az sent as `bad_name%21` is `bad_name!` to the provider
            status, body, headers = route(self.arm, method, unquote(url.path), parse_qs(url.query), raw)
        except VmssError as exc:
            status = {3: 404, 2: 400}.get(exc.exit_code, 409 if exc.code in ("OperationNotAllowed", "Conflict")
                                          else 400)
            body, headers = {"error": exc.to_api_error()}, {}
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(data)


def route(arm: FakeArm, method: str, path: str, query: dict, raw: bytes):
    """(status, JSON body or None, extra headers) for one request."""
    from vmss_cli.store.state import transaction

    base = arm.url.rstrip("/")
    if path.endswith("/.well-known/openid-configuration"):
        return 200, {"issuer": f"{base}/adfs", "token_endpoint": f"{base}/adfs/oauth2/token",
                     "authorization_endpoint": f"{base}/adfs/oauth2/authorize",
                     "device_authorization_endpoint": f"{base}/adfs/oauth2/devicecode"}, {}
    if path.endswith("/oauth2/token") or path.endswith("/oauth2/v2.0/token"):
        return 200, {"access_token": _token(), "token_type": "Bearer", "expires_in": 86400,
                     "ext_expires_in": 86400}, {}
    if path.rstrip("/").lower() == "/subscriptions":
        return 200, {"value": [{"id": f"/subscriptions/{SUBSCRIPTION}", "subscriptionId": SUBSCRIPTION,
                                "tenantId": TENANT, "displayName": "vmss", "state": "Enabled"}]}, {}
    if _OPERATION.search(path):
        return 200, {"status": "Succeeded"}, {}
    async_headers = {"Azure-AsyncOperation": f"{base}/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Compute/"
                                             f"locations/eastus/operations/{uuid.uuid4()}?api-version=2024-11-01",
                     "Retry-After": "1"}
    match = _VMSS_LIST.match(path)
    if match and method == "GET":
        from vmss_cli.core.resources import scaleset

        with transaction(arm.root, write=False) as tx:
            return 200, {"value": [d["scaleSet"] for d in scaleset.list_docs(tx, match.group(1))]}, {}
    match = _VMSS.match(path)
    if match:
        return _scale_set(arm, method, match.group(1), match.group(2), (match.group(3) or "").lower(), query, raw,
                          async_headers)
    if re.fullmatch(r"/subscriptions/[^/]+/resourcegroups", path, re.IGNORECASE) and method == "GET":
        from vmss_cli.core.resources import groups

        with transaction(arm.root, write=False) as tx:
            return 200, {"value": [groups.view(g) for g in groups.list_all(tx)]}, {}
    match = _GROUP.match(path)
    if match:
        from vmss_cli.core.resources import groups

        if method in ("GET", "HEAD"):
            with transaction(arm.root, write=False) as tx:
                try:
                    return (200 if method == "GET" else 204), groups.view(groups.get(tx, match.group(1))), {}
                except VmssError:
                    if method == "HEAD":
                        return 404, None, {}
                    raise
    if _SERVED_BY_SERVE.search(path):
        return _serve(arm, method, path, query, raw)
    arm.unhandled.append(f"{method} {path}")
    return 404, {"error": {"code": "NotEmulated", "message": f"{method} {path} is not served by the fake"}}, {}


# the image catalog and deployments: answered by `vmss serve`'s own handlers (serve/routes.py), with the clock frozen
_SERVED_BY_SERVE = re.compile(r"/providers/Microsoft\.Compute/locations/[^/]+/publishers|"
                              r"/providers/Microsoft\.Resources/deployments", re.IGNORECASE)


def _serve(arm: FakeArm, method: str, path: str, query: dict, raw: bytes):
    from urllib.parse import urlencode

    from vmss_cli.serve import routes
    from vmss_cli.serve.clock import Clock
    from vmss_cli.serve.messages import Request
    from vmss_cli.serve.server import App

    target = path + "?" + urlencode([(k, v) for k, values in query.items() for v in values])
    app = App(arm.root, Clock("frozen"))
    response = routes.dispatch(app, Request(method, target, {"Host": arm.url[8:-1]}, raw))
    if path.lower().endswith("/versions") and query.get("$expand") and isinstance(response.body, list):
        # VirtualMachineImages_ListWithProperties (reference arm-api.md): with $expand, each version is the
        # whole VirtualMachineImage, as GET of that version gives it
        api = urlencode({"api-version": query.get("api-version", ["2024-11-01"])[0]})
        response.body = [routes.dispatch(app, Request("GET", f"{path}/{item['name']}?{api}", {}, b"")).body
                         for item in response.body]
    return response.status, response.body, response.headers


def _scale_set(arm: FakeArm, method: str, rg: str, name: str, sub: str, query: dict, raw: bytes,
               async_headers: dict):
    from vmss_cli.core.rollout import history, rollouts
    from vmss_cli.core.resources import scaleset
    from vmss_cli.core.world import clock as world
    from vmss_cli.render import views
    from vmss_cli.store.state import transaction

    if method == "GET":
        with transaction(arm.root, write=False) as tx:
            doc = scaleset.load(tx, rg, name)
            now = world.now(tx)
        if sub == "":
            return 200, doc["scaleSet"], {}
        if sub == "/rollingupgrades/latest":
            return 200, history.latest_status(doc), {}
        if sub == "/osupgradehistory":
            return 200, {"value": history.history(doc, now)}, {}
        if sub == "/instanceview":
            return 200, views.scale_set_instance_view(doc, now), {}
        if sub == "/virtualmachines":
            vms = [views.instance_arm(doc, inst) for inst in doc["instances"]]
            if "instanceView" in "".join(query.get("$expand", [])):
                for vm, inst in zip(vms, doc["instances"]):
                    vm.setdefault("properties", {})["instanceView"] = views.instance_view(doc, inst, now)
            return 200, {"value": vms}, {}
        vm = re.fullmatch(r"/virtualmachines/([^/]+)(/instanceview)?", sub)
        if vm:
            inst = scaleset.find_instance(doc, vm.group(1))
            if vm.group(2):
                return 200, views.instance_view(doc, inst, now), {}
            return 200, views.instance_arm(doc, inst), {}
    if method == "PUT" and sub == "":
        from vmss_cli.core.arm import shape as arm_shape
        from vmss_cli.core.resources import model_update as update

        body = json.loads(raw or b"{}")
        if "properties" not in body:  # `az vmss scale` PUTs only location and sku: Azure's PUT keeps the rest
            from vmss_cli.service import scale_sets
            from vmss_cli.service.context import Context

            status, arm_doc = scale_sets.put(Context(arm.root, SUBSCRIPTION), rg, name, body)
            return status, arm_doc, async_headers
        with transaction(arm.root) as tx:
            doc = scaleset.load(tx, rg, name)
            az = arm_shape.az_flatten(body)
            # CRP keeps create-time values a PUT leaves out (az 2.91 sends no imageReference)
            old = arm_shape.az_flatten(doc["scaleSet"])
            ref = ((az.get("virtualMachineProfile") or {}).get("storageProfile") or {})
            if ref.get("imageReference") is None and "storageProfile" in (az.get("virtualMachineProfile") or {}):
                ref["imageReference"] = old["virtualMachineProfile"]["storageProfile"]["imageReference"]
            ref.get("imageReference", {}).pop("exactVersion", None)
            new_doc = update.put_model(tx, doc, arm_shape.arm_unflatten(az))
        return 200, new_doc["scaleSet"], async_headers
    if method == "POST" and sub in ("/osrollingupgrade", "/rollingupgrades/cancel"):
        with transaction(arm.root) as tx:
            if sub == "/osrollingupgrade":
                rollouts.start(tx, rg, name, wait=False)
            else:
                rollouts.cancel(tx, rg, name, wait=False)
        return 202, None, dict(async_headers, Location=async_headers["Azure-AsyncOperation"])
    if method == "DELETE" and sub == "":
        with transaction(arm.root) as tx:
            scaleset.delete(tx, rg, name)
        return 202, None, dict(async_headers, Location=async_headers["Azure-AsyncOperation"])
    arm.unhandled.append(f"{method} {rg}/{name}{sub}")
    return 404, {"error": {"code": "NotEmulated", "message": f"{method} {sub} is not served by the fake"}}, {}
