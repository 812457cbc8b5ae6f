"""`vmss config` defaults (az config): -g/-l/-o fall back to them; bad TOML is reported."""

from __future__ import annotations


def test_defaults_fill_in_group_location_and_output(cli, vmss_home):
    r = cli("config", "set", "defaults.group=rg9", "defaults.location=westus", "core.output=tsv")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    text = (vmss_home / "config.toml").read_text()
    assert 'group = "rg9"' in text and 'output = "tsv"' in text
    assert oct((vmss_home / "config.toml").stat().st_mode & 0o777) == "0o600"
    r = cli("group", "create", "-n", "rg9", "-o", "json")  # location from defaults.location
    assert r.exit_code == 0 and r.json["location"] == "westus"
    r = cli("create", "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest", "-o", "none")
    assert r.exit_code == 0, r.stderr
    r = cli("show", "-n", "ss", "--query", "[name, location]")  # -g from defaults, tsv from core.output
    assert r.stdout == "ss\nwestus\n"
    r = cli("config", "get", "defaults.group", "-o", "json")
    assert r.json == {"name": "group", "source": str(vmss_home / "config.toml"), "value": "rg9"}
    assert cli("config", "unset", "defaults.group").exit_code == 0
    r = cli("show", "-n", "ss")
    assert r.exit_code == 2 and r.stderr.startswith("ERROR: the following arguments are required: --resource-group/-g")


def test_unknown_keys_and_bad_values(cli, vmss_home):
    r = cli("config", "set", "defaults.colour=red")
    assert r.exit_code == 1 and r.stderr.startswith("ERROR: Unknown configuration key 'defaults.colour'.")
    r = cli("config", "set", "core.output=xml")
    assert r.exit_code == 1 and "core.output must be one of" in r.stderr
    assert not (vmss_home / "config.toml").exists()


def test_bad_toml_names_the_file_and_line(cli, vmss_home):
    vmss_home.mkdir(parents=True)
    (vmss_home / "config.toml").write_text('[defaults]\ngroup = "rg1"\nlocation = \n')
    before = (vmss_home / "config.toml").read_bytes()
    r = cli("group", "list")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"ERROR: Config file '{vmss_home / 'config.toml'}' is not valid TOML: ")
    assert "line 3" in r.stderr
    assert (vmss_home / "config.toml").read_bytes() == before


import os  # noqa: E402

import pytest  # noqa: E402

from vmss_cli.store import config  # noqa: E402


@pytest.mark.parametrize("content, message", [
    ("a = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    ("a = " + "1" * 5000 + "\n", "Exceeds the limit"),
])
def test_valid_but_hostile_toml_is_an_error_not_a_bug(cli, vmss_home, content, message):
    vmss_home.mkdir(parents=True)
    (vmss_home / "config.toml").write_text(content)
    for args in (("group", "list"), ("--version",)):
        r = cli(*args)
        assert r.exit_code == 1, (args, r.stderr)
        assert r.stderr.startswith(f"ERROR: Config file '{vmss_home / 'config.toml'}' is not valid TOML: "), r.stderr
        assert message in r.stderr and "bug" not in r.stderr


def test_a_config_path_that_cannot_be_read_is_an_error(cli, vmss_home):
    (vmss_home / "config.toml").mkdir(parents=True)
    r = cli("group", "list")
    assert (r.exit_code, r.stderr) == (1, f"ERROR: Cannot read config file '{vmss_home / 'config.toml'}': Is a "
                                          "directory.\n")


def test_config_is_written_whole_when_writes_are_short(cli, vmss_home, monkeypatch):
    """A write may take fewer bytes than given (a file size limit, a signal): the rest is written too."""
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:64])))
    long_group = "g" * 80
    r = cli("config", "set", f"defaults.group={long_group}", "defaults.location=westeurope", "core.output=yaml")
    assert r.exit_code == 0, r.stderr
    monkeypatch.undo()
    config._load.cache_clear()
    assert config.load(vmss_home) == {"defaults": {"group": long_group, "location": "westeurope"},
                                      "core": {"output": "yaml"}}


def test_a_full_disk_keeps_the_old_config_and_no_temp_file(tmp_path):
    from tests.reliability.harness import vmss

    home = tmp_path / "home"
    assert vmss(home, "config", "set", "defaults.group=rg1").returncode == 0
    before = (home / "config.toml").read_bytes()
    proc = vmss(home, "config", "set", "defaults.group=rg2", VMSS_TEST_FAULT_AT="1")
    assert (proc.returncode, proc.stderr) == (1, f"ERROR: Cannot write state file '{home / 'config.toml'}': No space "
                                                 "left on device. The previous version of the file was kept.\n")
    assert (home / "config.toml").read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == [".lock", "config.toml"]
