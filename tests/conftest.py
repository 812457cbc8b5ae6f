"""Every test gets its own VMSS_HOME, a fixed world start and seed, no colour, fixed width."""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pytest

START = "2026-01-01T00:00:00+00:00"


@pytest.fixture(autouse=True)
def vmss_home(tmp_path, monkeypatch):
    home = tmp_path / "vmss-home"
    monkeypatch.setenv("VMSS_HOME", str(home))
    monkeypatch.setenv("VMSS_START_TIME", START)
    monkeypatch.setenv("VMSS_SEED", "42")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("VMSS_REALTIME", raising=False)
    return home


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout)


def run_cli(*args: str) -> Result:
    """Run `vmss ARGS` in-process (fast) and capture exactly what a user would see."""
    from vmss_cli.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def rg(cli):
    result = cli("group", "create", "-n", "rg1", "-l", "eastus")
    assert result.exit_code == 0, result.stderr
    return "rg1"


# --- golden files ----------------------------------------------------------------------------------

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/* from the current output instead of comparing")


@pytest.fixture
def golden(request):
    """golden(name, text): `text` must equal tests/golden/<name>; with --update-golden, the file is
    rewritten instead. A missing file fails (it is never created silently)."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = os.path.join(GOLDEN_DIR, name)
        if update:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            return
        if not os.path.exists(path):
            pytest.fail(f"golden file tests/golden/{name} is missing; run pytest --update-golden and review it")
        with open(path, encoding="utf-8", newline="") as handle:
            expected = handle.read()
        assert text == expected, f"output differs from tests/golden/{name} (pytest --update-golden to refresh)"

    return check
