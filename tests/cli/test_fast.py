"""The typer-free fast path of the hot read commands (cli/fast.py): it must pass exactly what typer
passes, refuse every line it is not sure of (typer then owns the usage error), and keep typer out."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.util import REPO
from vmss_cli.cli import fast, reads, writes
from vmss_cli.cli.writes import extract_generic

HOT = ["show", "list_instances", "get_os_upgrade_history", "get_latest", "image_list"]

WELL_FORMED = [
    ["show", "-g", "rg1", "-n", "web"],
    ["show", "--resource-group=rg1", "--vm-scale-set-name", "web", "--instance-id", "3"],
    ["show", "-n", "web"],
    ["show", "--name=", "-g", "rg1"],
    ["list-instances", "--name", "web", "--resource-group", "rg1"],
    ["get-os-upgrade-history", "-g", "rg1", "-n", "web", "--max-items", "2", "--next-token", "1"],
    ["get-os-upgrade-history", "-g", "rg1", "-n", "web", "--max-items=-1"],
    ["rolling-upgrade", "get-latest", "-g", "rg1", "-n", "web"],
    ["rolling-upgrade", "get-latest", "--ids", "/subscriptions/x/resourceGroups/rg1/providers/"
     "Microsoft.Compute/virtualMachineScaleSets/web", "/subscriptions/x/b"],
    ["image", "list"],
    ["image", "list", "--all", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS", "-l", "eastus"],
    ["update", "-g", "rg1", "-n", "web", "--set", "tags.a=b"],
    ["update", "-g", "rg1", "-n", "web", "--set", "tags.a=1", "tags.b=-1", "--add", "tags", "x=y",
     "--max-batch-instance-percent", "50", "--pause-time-between-batches", "PT5S", "--no-wait", "--remove", "tags.a"],
    ["update", "--ids", "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/web",
     "--force-string", "--set", "tags.a=[1]", "--enable-auto-os-upgrade", "true"],
]

REFUSED = [
    ["show", "--help"],
    ["show", "-g", "rg1", "-n", "web", "--bogus"],
    ["show", "-g", "rg1", "-g", "rg2", "-n", "web"],         # repeated: click keeps the last one
    ["show", "-g", "rg1", "extra"],                          # a positional word
    ["show", "-g"],                                          # a value missing
    ["show", "-g", "-n", "web"],                             # a value that looks like a flag
    ["show", "-grg1", "-n", "web"],                          # a short option with its value attached
    ["image", "list", "--architecture", "x64"],              # an enum: typer converts it
    ["image", "list", "--all=true"],
    ["rolling-upgrade", "--help"],
    ["rolling-upgrade", "start", "-g", "rg1", "-n", "web"],  # not a hot command
    ["--version"],
    ["update", "-g", "rg1", "-n", "web", "--upgrade-policy-mode"],     # a value missing
    ["update", "-g", "rg1", "-n", "web", "--no-wait=true"],
]


def fast_run(argv):
    """cli/fast.py as main() calls it: `vmss update`'s --set/--add/--remove taken off the line first."""
    generic, rest = extract_generic(argv) if argv[:1] == ["update"] else ([], argv)
    return fast.run(rest, generic)


@pytest.fixture
def recorded(monkeypatch):
    """reads.* and writes.update replaced by recorders: (function name, keyword arguments) of each call."""
    calls = []
    for module, name in [(reads, name) for name in HOT] + [(writes, "update")]:
        signature = list(__import__("inspect").signature(getattr(module, name)).parameters)

        def record(*args, _name=name, _params=signature, **kwargs):
            calls.append((_name, dict(zip(_params, args)) | kwargs))
        monkeypatch.setattr(module, name, record)
    return calls


@pytest.mark.parametrize("argv", WELL_FORMED, ids=" ".join)
def test_fast_path_passes_what_typer_passes(argv, recorded, monkeypatch):
    from vmss_cli.cli.main import main

    assert main(list(argv)) == 0
    assert fast_run(list(argv)) is True
    fast_calls = recorded[:]
    recorded.clear()
    monkeypatch.setattr(fast, "run", lambda args, operations=(): False)  # typer only
    assert main(list(argv)) == 0
    assert len(recorded) == 1
    assert fast_calls == [recorded[0], recorded[0]]


@pytest.mark.parametrize("argv", REFUSED, ids=lambda a: " ".join(a) or "nothing")
def test_fast_path_leaves_doubtful_lines_to_typer(argv, recorded):
    assert fast_run(list(argv)) is False
    assert recorded == []


def test_usage_errors_are_typer_s(cli):
    result = cli("show", "-g", "rg1", "-n", "web", "--bogus")
    assert result.exit_code == 2
    assert "--bogus" in result.stderr and result.stderr.startswith(("ERROR:", "usage:"))


def test_hot_read_commands_do_not_import_typer(cli, rg):
    assert cli("create", "-g", rg, "-n", "web", "--image", "Ubuntu2204", "--instance-count", "1").exit_code == 0
    probe = ("import sys, json; from vmss_cli.cli.main import main; codes = [main(a) for a in json.loads(sys.argv[1])]; "
             "sys.stdout.flush(); print(json.dumps([codes, sorted(m for m in sys.modules if m.split('.')[0] in "
             "('typer', 'click', 'rich', 'pydantic', 'yaml', 'jmespath', 'filelock', 'typing', 'shutil', 'copy'))]))")
    lines = [["show", "-g", rg, "-n", "web"], ["list-instances", "-g", rg, "-n", "web", "-o", "tsv"],
             ["get-os-upgrade-history", "-g", rg, "-n", "web"], ["image", "list", "--only-show-errors"]]
    proc = subprocess.run([sys.executable, "-c", probe, json.dumps(lines)], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    codes, heavy = json.loads(proc.stdout.splitlines()[-1])
    assert codes == [0, 0, 0, 0]
    assert heavy == []


def test_update_set_does_not_import_typer(cli, rg):
    assert cli("create", "-g", rg, "-n", "web", "--image", "Ubuntu2204", "--instance-count", "1").exit_code == 0
    probe = ("import sys, json; from vmss_cli.cli.main import main; codes = [main(a) for a in json.loads(sys.argv[1])]; "
             "sys.stdout.flush(); print(json.dumps([codes, sorted({m.split('.')[0] for m in sys.modules} & {"
             "'typer', 'click', 'rich', 'pydantic', 'yaml', 'jmespath', 'filelock', 'typing', 'dataclasses'})]))")
    lines = [["update", "-g", rg, "-n", "web", "--set", "tags.team=a", "-o", "none"],
             ["update", "-g", rg, "-n", "web", "--set", "tags.team=b", "--remove", "tags.team", "-o", "json"],
             ["show", "-g", rg, "-n", "web", "--query", "tags", "-o", "json"]]
    proc = subprocess.run([sys.executable, "-c", probe, json.dumps(lines)], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    codes, heavy = json.loads(proc.stdout.splitlines()[-1])
    assert codes == [0, 0, 0]
    assert heavy == ["jmespath"]  # --query's, not update's
    assert proc.stdout.splitlines()[-2] == "{}"  # the tag set, then removed: the commands ran


def test_the_table_is_generated_from_the_declarations():
    from tests.docs.test_completions import gen_docs

    assert (REPO / gen_docs.FAST_TABLE).read_text() == gen_docs.fast_table()


HELP_LINES = [["--help"], [], ["rolling-upgrade", "--help"], ["sig"], ["sig", "image-definition", "--help"],
              ["sim", "clock", "--help"], ["show", "--help"], ["rolling-upgrade", "strat"], ["image"]]


def typer_only(argv):
    """(exit code, stdout, stderr) of the typer path alone."""
    import contextlib
    import io

    from vmss_cli.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv), fast_path=False)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", HELP_LINES, ids=lambda a: " ".join(a) or "nothing")
def test_help_shows_the_same_with_stand_ins(argv, cli, monkeypatch):
    from vmss_cli.cli import main as main_module

    listed = cli(*argv)
    monkeypatch.setattr(main_module, "listed_only", lambda app, named: app)  # every signature converted
    assert (listed.exit_code, listed.stdout, listed.stderr) == typer_only(argv)
    assert listed.stdout or listed.stderr


@pytest.mark.parametrize("columns", ["200", "80", "79", "50", ""])
def test_root_help_from_the_table_is_typer_s(columns, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", columns)
    for argv in (["--help"], []):
        result = cli(*argv)
        assert (result.exit_code, result.stdout, result.stderr) == typer_only(argv)
    from vmss_cli.cli import fast

    if columns:  # unset, the terminal's own width decides (as in click)
        assert fast.run(["--help"]) is (int(columns) >= 80)


def test_help_converts_only_what_it_shows(cli, monkeypatch):
    import typer.main

    converted = []
    real = typer.main.get_params_convertors_ctx_param_name_from_function

    def counting(callback):
        converted.append(getattr(callback, "__name__", None))
        return real(callback)
    monkeypatch.setattr(typer.main, "get_params_convertors_ctx_param_name_from_function", counting)
    assert cli("--help").exit_code == 0
    assert set(converted) <= {"root", "_listed", None}  # the root callback (--version), stand-ins, groups
    converted.clear()
    assert cli("rolling-upgrade", "start", "--help").exit_code == 0
    assert "start" in converted and "cancel" not in converted
