"""Runs az 2.91 command lines for the differential tier, with az's own Python (harness.AzWorker starts it).

Starting az costs seconds (the interpreter, azure-cli's imports); the tier runs hundreds of
command lines. This process imports az's modules once, then forks one child per command line: the
child runs `python -m azure.cli` exactly as the `az` script does (runpy on azure.cli.__main__, argv
as given, stdout and stderr on files), in a fresh copy of the warm process, and exits with az's exit
code. Nothing a command changes in memory survives it.

Protocol: one JSON line per request on stdin, {"argv": [...], "out": path, "err": path, "env": {extra
variables}}; one line
with the exit code on stdout.
"""

import json
import os
import runpy
import sys


def warm() -> None:
    """Import what every az command imports (best effort: a module missing here is imported later)."""
    for name in ("azure.cli.core", "azure.cli.core.commands", "azure.cli.core.aaz", "azure.cli.core.parser",
                 "azure.cli.core._profile", "azure.cli.core.util", "knack", "requests", "msal",
                 "azure.core.pipeline", "azure.mgmt.core", "azure.cli.command_modules.vm",
                 "azure.cli.command_modules.vm.custom", "azure.cli.command_modules.vm._params",
                 "azure.cli.command_modules.vm.commands", "azure.cli.command_modules.resource",
                 "azure.cli.command_modules.resource.custom", "azure.cli.command_modules.profile",
                 "azure.mgmt.compute", "azure.mgmt.resource", "jmespath", "yaml", "pygments", "tabulate"):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 (best effort)
            pass


def run(argv: list, out: str, err: str, env: dict) -> int:
    pid = os.fork()
    if pid == 0:  # the child: az, as `python -m azure.cli ARGV` runs it
        code = 1
        try:
            os.environ.update(env)
            with open(out, "w") as o, open(err, "w") as e:
                os.dup2(o.fileno(), 1)
                os.dup2(e.fileno(), 2)
            sys.stdin = open(os.devnull)
            os.dup2(sys.stdin.fileno(), 0)
            sys.argv = ["az", *argv]
            try:
                runpy.run_module("azure.cli", run_name="__main__", alter_sys=True)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main() -> None:
    warm()
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        print(run(request["argv"], request["out"], request["err"], request.get("env", {})), flush=True)


if __name__ == "__main__":
    main()
