"""One invocation context per command line (cli/context.Invocation), and no module-level state written by a
command: two command lines run in one process (tests, `vmss demo`) cannot see each other's options."""

from __future__ import annotations

import sys

from tests.conftest import run_cli

# Module-level caches a command may still fill, each with its reason. Everything else in vmss_cli must be
# the same object with the same contents after a command as before it.
ALLOWED = {
    # core/rollout/engine.py (owned by the engine's performance work): memo tables of resource groups by id
    # and of printed times, filled by the engine while it runs events
    ("vmss_cli.core.rollout.engine", "_TIME_TEXT"),
    # the extension run order and credential scan of a model, keyed by the model's objects (see its comment)
    ("vmss_cli.core.resources.extensions", "_PLANS"),
}


def _module_state() -> dict[tuple[str, str], tuple[int, object]]:
    """(module, global) -> (id of the value, a shallow copy of a mutable container's contents)."""
    state: dict[tuple[str, str], tuple[int, object]] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("vmss_cli") or module is None:
            continue
        for key, value in list(vars(module).items()):
            if key.startswith("__") or (name, key) in ALLOWED or isinstance(value, type(sys)):
                continue
            if isinstance(value, (dict, list, set)):
                contents: object = (dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list)
                                    else set(value))
            else:
                contents = None
            state[(name, key)] = (id(value), contents)
    return state


def test_two_invocations_in_one_process_have_their_own_options(rg):
    assert run_cli("create", "-g", rg, "-n", "ss", "-o", "none").exit_code == 0
    table = run_cli("show", "-g", rg, "-n", "ss", "-o", "tsv", "--query", "name")
    plain = run_cli("show", "-g", rg, "-n", "ss")
    assert (table.exit_code, table.stdout) == (0, "ss\n")
    assert plain.exit_code == 0 and plain.json["name"] == "ss" and plain.json["sku"]["capacity"] == 2
    quiet = run_cli("show", "-g", rg, "-n", "ss", "--subscription", "nope", "--only-show-errors")
    loud = run_cli("show", "-g", rg, "-n", "ss", "--subscription", "nope")
    assert quiet.stderr == "ERROR: Subscription 'nope' not found. Check the spelling and casing and try again.\n"
    assert loud.stderr == ("WARNING: Subscription 'nope' not recognized.\n"
                           "ERROR: Subscription 'nope' not found. Check the spelling and casing and try again.\n")


def test_the_invocation_ends_with_its_command_line(rg):
    from vmss_cli.cli import context

    before = context.current()
    assert run_cli("group", "list", "-o", "table", "--verbose").exit_code == 0
    after = context.current()
    assert after is before
    assert (after.output, after.query, after.verbose, after.generic) == ("json", None, False, [])


def test_commands_write_no_module_level_state(rg):
    # every module a command may load, loaded first: a first import is not a write
    assert run_cli("create", "-g", rg, "-n", "ss", "-o", "none").exit_code == 0
    assert run_cli("create", "-g", rg, "-n", "web", "--upgrade-policy-mode", "Rolling", "--instance-count", "3",
                   "--image", "Canonical:UbuntuServer:18.04-LTS:latest", "-o", "none").exit_code == 0

    def commands(release: str) -> list[tuple[str, ...]]:
        return [
            ("update", "-g", rg, "-n", "ss", "--set", "tags.team=web", "-o", "none", "--verbose"),
            ("show", "-g", rg, "-n", "ss", "-o", "table", "--query", "{n:name}"),
            ("list-instances", "-g", rg, "-n", "ss", "-o", "tsv"),
            ("scale", "-g", rg, "-n", "ss", "--new-capacity", "3", "-o", "yaml"),
            ("sim", "clock", "advance", "1h", "-o", "none"),
            ("show", "-g", "no_such_group", "-n", "ss"),
            # a whole rollout (every engine event runs): its run keeps nothing in a module (the sets it
            # touched, their instance index) once the command is over
            ("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
             "--version", release, "-o", "none"),
            ("rolling-upgrade", "start", "-g", rg, "-n", "web", "-o", "none"),
        ]

    for args in commands("18.04.203001010"):
        run_cli(*args)
    before = _module_state()
    second = commands("18.04.203002010")
    for args in second:
        assert run_cli(*args).exit_code == (3 if "no_such_group" in args else 0), args
    after = _module_state()
    changed = sorted(key for key in before if key in after and before[key] != after[key])
    assert changed == []
    latest = run_cli("rolling-upgrade", "get-latest", "-g", rg, "-n", "web").json  # (az flattens properties)
    assert (latest["runningStatus"]["code"], latest["progress"]["successfulInstanceCount"]) == ("Completed", 3)
