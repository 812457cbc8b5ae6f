"""The README stays true: its two Quick start commands, the CI script running the same test command,
its example commands, and the environment variables the code reads."""

from __future__ import annotations

import re
import shlex

from tests.util import REPO

README = (REPO / "README.md").read_text()
CI = (REPO / ".ci" / "run").read_text()


def code_blocks(section: str) -> list[str]:
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", body, re.S)


def test_quick_start_is_two_commands():
    demo, tests = code_blocks("Quick start")[:2]
    assert demo == "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/vmss demo\n"
    assert tests == "python3 -m venv .venv && .venv/bin/pip install -q '.[test]' && .venv/bin/python -m pytest -q\n"


def test_ci_runs_the_readme_test_command():
    tests = code_blocks("Quick start")[1]
    pytest_args = tests.strip().rsplit("/python ", 1)[1]  # "-m pytest -q"
    assert f'"$venv/python" {pytest_args} ' in CI
    assert "\"$venv/pip\" install -q '.[test]'" in CI
    assert "set -euo pipefail" in CI
    assert '"$status" -eq 5' in CI


def test_next_steps_commands_run(cli):
    block = code_blocks("Quick start")[2]
    for line in block.strip().splitlines():
        args = shlex.split(line)
        assert args[0] == "vmss"
        result = cli(*args[1:])
        assert result.exit_code == 0, (line, result.stderr)
        assert result.stdout


def test_every_environment_variable_the_code_reads_is_documented():
    used = set()
    for path in (REPO / "vmss_cli").rglob("*.py"):
        used |= set(re.findall(r"""environ(?:\.get\(|\[)\s*["'](VMSS_[A-Z_]+|NO_COLOR)["']""", path.read_text()))
        used |= set(re.findall(r"""["'](NO_COLOR)["']\s+(?:not\s+)?in\s+os\.environ""", path.read_text()))
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, re.M))
    assert {"VMSS_HOME", "VMSS_START_TIME", "VMSS_SEED", "VMSS_LOCK_TIMEOUT", "NO_COLOR"} <= used
    assert used <= documented


def console_transcript() -> list[tuple[str, str]]:
    """(command line, expected output) for every `$ vmss …` line of the README's console blocks, in order."""
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for line in block.splitlines(keepends=True):
            if line.startswith("$ "):
                steps.append((line[2:].strip(), ""))
            else:
                command, shown = steps[-1]
                steps[-1] = (command, shown + line)
    return steps


def test_readme_console_examples_print_what_the_readme_shows(cli, monkeypatch):
    monkeypatch.chdir(REPO)  # "Rehearse your own scale set" imports a fixture by its path in the checkout
    steps = console_transcript()
    assert len(steps) >= 15
    for command, shown in steps:
        args = shlex.split(command)
        assert args[0] == "vmss", command
        result = cli(*args[1:])
        assert result.stdout + result.stderr == shown, command
        assert (result.exit_code != 0) == shown.startswith("ERROR:"), command
