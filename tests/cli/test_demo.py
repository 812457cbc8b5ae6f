"""`vmss demo`: a throw-away store of its own, whatever the environment names; step 5's table is what the
command it shows prints."""

from __future__ import annotations

import os
import re
import shutil

from tests.util import snapshot


def test_demo_never_touches_the_users_store_or_environment(cli, rg, vmss_home, monkeypatch):
    monkeypatch.setenv("VMSS_SEED", "7")
    monkeypatch.setenv("VMSS_START_TIME", "2031-05-05T00:00:00Z")
    before, env = snapshot(vmss_home), dict(os.environ)
    first = cli("demo", "--only-show-errors")
    assert first.exit_code == 0, first.stderr
    again = cli("demo", "--only-show-errors")  # a second run used to fail with Conflict in the user's store
    assert (again.exit_code, again.stdout) == (0, first.stdout)
    assert snapshot(vmss_home) == before and dict(os.environ) == env
    assert "2026-01-01T" in first.stdout  # its own clock, not VMSS_START_TIME's


def test_demo_without_a_store_creates_none(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("VMSS_HOME", str(tmp_path / "never"))
    assert cli("demo", "--only-show-errors").exit_code == 0
    assert not (tmp_path / "never").exists()


def test_demo_step_5_shows_the_command_that_prints_its_table(cli, tmp_path, monkeypatch):
    r = cli("demo", "--only-show-errors", "--keep")
    assert r.exit_code == 0, r.stderr
    kept = re.search(r"^Store kept in (.+)$", r.stdout, re.M).group(1)
    head, table = r.stdout.split("== 5. ")[1].split("\n", 1)
    table = table.split("Store kept in")[0]
    assert table.splitlines()[0].split() == ["StartedBy", "Status", "TargetVersion", "Succeeded", "Failed",
                                            "RolledBack", "Error"]
    argv = re.findall(r'"[^"]*"|\S+', head)
    assert argv[:2] == ["vmss", "get-os-upgrade-history"] and "--query" in argv
    monkeypatch.setenv("VMSS_HOME", kept)
    shown = cli(*[a.strip('"') for a in argv[1:]])
    shutil.rmtree(kept)
    assert (shown.exit_code, shown.stdout) == (0, table)
