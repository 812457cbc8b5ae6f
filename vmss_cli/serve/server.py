"""`vmss serve`: start the HTTPS endpoint over the store, announce it, stop cleanly on Ctrl-C/SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from vmss_cli.serve.clock import Clock


class App:
    """What every handler sees: the store, the clock, the service context factory."""

    def __init__(self, root: Path, clock: Clock, log: bool = False) -> None:
        from vmss_cli.service.simulator import store_subscription

        self.root = root
        self.clock = clock
        self.log = log
        self.subscription = store_subscription(root)  # one per store, fixed when it is first written

    def context(self, subscription: str | None = None):
        from vmss_cli.service.context import Context

        return Context(self.root, (subscription or self.subscription).lower())


def endpoint_file(root: Path) -> Path:
    return root / "serve" / "endpoint"


class Serving:
    """A started server (tests use it in-process; `vmss serve` runs it in the foreground)."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8443, clock: str = "on-poll",
                 log: bool = False) -> None:
        from vmss_cli.serve import tls
        from vmss_cli.serve.http import Server
        from vmss_cli.store import files

        self.app = App(root, Clock(clock), log)
        ssl_context = tls.context(root, host)
        self.httpd = Server((host, port), self.app, ssl_context)
        self.port = self.httpd.server_address[1]
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "::1", "localhost") else host
        self.url = f"https://{shown}:{self.port}"
        self.ca_file = tls.ca_file(root)
        files.write_bytes(endpoint_file(root), (self.url + "\n").encode())
        self._thread: threading.Thread | None = None

    def start_background(self) -> "Serving":
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="vmss-serve", daemon=True)
        self._thread.start()
        self.app.clock.start(_service(), self.app.context())
        return self

    def close(self) -> None:
        self.app.clock.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
        from vmss_cli.store import files

        files.remove(endpoint_file(self.app.root))  # nothing listens there any more
        if self._thread is not None:
            self._thread.join(timeout=5)


def _service():
    from vmss_cli.serve import resources

    return resources


def run(root: Path, host: str, port: int, clock: str, log: bool = False) -> int:
    """Foreground: serve until Ctrl-C (SIGINT) or SIGTERM, then stop accepting, finish, exit 0."""
    serving = Serving(root, host, port, clock, log)
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    serving.start_background()
    sys.stderr.write(
        f"vmss serve: listening on {serving.url} (store {root}, clock {serving.app.clock.describe()}). "
        "Ctrl-C stops it.\n"
        "In another shell:\n"
        f"  export REQUESTS_CA_BUNDLE={serving.ca_file}\n"
        f"  vmss serve az-login        # then az group create, az vmss create, ... talk to vmss\n")
    sys.stderr.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        serving.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    sys.stderr.write("vmss serve: stopped.\n")
    return 0
