"""TLS for serve: a local certificate authority (made once, kept in `$VMSS_HOME/serve/`) signs a
certificate for localhost, 127.0.0.1, ::1 and the host serve listens on. Clients trust `ca.pem`
(REQUESTS_CA_BUNDLE, SSL_CERT_FILE, connection_verify). Azure clients need https: MSAL refuses an
http authority and azure-core refuses to send a bearer token over http.

trustme (on `cryptography`) makes the certificates; only serve imports it.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from vmss_cli.store import files


def serve_dir(root: Path) -> Path:
    return root / "serve"


def ca_file(root: Path) -> Path:
    return serve_dir(root) / "ca.pem"


def context(root: Path, host: str) -> ssl.SSLContext:
    import trustme

    directory = serve_dir(root)
    files.ensure_dir(directory)
    ca_cert, ca_key = directory / "ca.pem", directory / "ca.key"
    ca = None
    if ca_cert.exists() and ca_key.exists():
        try:
            ca = trustme.CA.from_pem(ca_cert.read_bytes(), ca_key.read_bytes())
        except (ValueError, TypeError):
            ca = None  # damaged: make a new one (clients must trust the new ca.pem)
    if ca is None:
        ca = trustme.CA(organization_name="vmss serve local CA")
        files.write_bytes(ca_key, ca.private_key_pem.bytes())
        files.write_bytes(ca_cert, ca.cert_pem.bytes())
    names = ["localhost", "127.0.0.1", "::1"]
    if host not in names and host not in ("0.0.0.0", "::", ""):
        names.append(host)
    leaf = ca.issue_cert(*names)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    # the leaf's key lives only in memory: ssl wants files, so it is written 0600 and reused per start
    key_file, cert_file = directory / "server.key", directory / "server.pem"
    files.write_bytes(key_file, leaf.private_key_pem.bytes())
    files.write_bytes(cert_file, b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    ctx.load_cert_chain(str(cert_file), str(key_file))
    return ctx
