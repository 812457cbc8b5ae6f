"""Every command's --help at 80 columns: examples one per line and copy-paste ready, no flag broken over
two lines, -g/-n marked [Required] where az marks them, <int> for integer flags, no hidden arguments."""

from __future__ import annotations

import re
import shlex

import pytest


def command_paths():
    import typer.main

    from vmss_cli.cli.main import build_app

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                yield from walk(sub, path + (name,))
        else:
            yield path
    return list(walk(typer.main.get_command(build_app(None)), ()))


PATHS = command_paths()


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_help_reads_cleanly_at_80_columns(cli, path):
    r = cli(*path, "--help")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert "extra_ids" not in text and "[ARGS]" not in text.upper().replace("[OPTIONS]", "")
    lines = text.splitlines()
    examples = [line for line in lines if line.startswith("    vmss ")]
    for line in examples:  # one command per line, parsed as a shell would
        argv = shlex.split(line)
        assert argv[:len(path) + 1] == ["vmss", *path], line
    for n, line in enumerate(lines):
        if line.startswith("    vmss "):
            continue
        assert len(line) <= 80, line
        assert not re.search(r"(^|\s)--?[a-z0-9]+-$", line), f"a flag broken over two lines: {line!r}"
    opts = " ".join(lines)
    if re.search(r"-g, --resource-group", text) and re.search(r"-n, --name", text) and "--ids" not in text:
        assert re.search(r"Name of resource group\.\s+\[Required\]", opts)
        assert re.search(r"\[Required\]", text.split("-n, --name", 1)[1].split("\n  -", 1)[0])


def test_examples_are_unwrapped_and_integer_flags_say_int(cli):
    text = cli("rolling-upgrade", "plan", "--help").stdout
    assert ("    vmss rolling-upgrade plan -g myResourceGroup -n myScaleSet --target-version 18.04.202406010 "
            "--assume-unhealthy 3\n") in text
    update = cli("update", "--help").stdout
    for flag in ("--max-batch-instance-percent", "--max-unhealthy-instance-percent",
                 "--max-unhealthy-upgraded-instance-percent"):
        assert f"{flag} <int>" in update
    assert cli("sim", "health", "set", "--help").stdout.startswith("Usage: vmss sim health set [OPTIONS]\n")
    assert cli("update-instances", "--help").stdout.startswith("Usage: vmss update-instances [OPTIONS]\n")
    assert "Name of resource group.\n" in cli("list", "--help").stdout  # optional there, as in az
