"""Issue 17 item 11: a removed upgrade mode gets Azure's default; --max-items below 1 is az's error."""

from __future__ import annotations

from tests.util import snapshot


def make(cli):
    assert cli("group", "create", "-n", "rg1", "-l", "eastus").exit_code == 0
    assert cli("create", "-g", "rg1", "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Automatic").exit_code == 0


def test_removing_the_upgrade_mode_gives_azures_default_manual(cli):
    make(cli)
    r = cli("update", "-g", "rg1", "-n", "ss", "--remove", "upgradePolicy.mode", "--query", "upgradePolicy")
    assert (r.exit_code, r.json) == (0, {"mode": "Manual"})
    assert cli("show", "-g", "rg1", "-n", "ss", "--query", "upgradePolicy.mode", "-o", "tsv").stdout == "Manual\n"
    r = cli("update", "-g", "rg1", "-n", "ss", "--remove", "upgradePolicy", "--query", "upgradePolicy")
    assert (r.exit_code, r.json) == (0, {"mode": "Manual"})


def test_max_items_below_one_is_azs_error(cli, vmss_home):
    make(cli)
    before = snapshot(vmss_home)
    for value in ("-1", "0"):
        r = cli("get-os-upgrade-history", "-g", "rg1", "-n", "ss", "--max-items", value)
        assert (r.exit_code, r.stdout, r.stderr) == (
            1, "", f"ERROR: InvalidArgumentValue: --max-items: Invalid format: '{value}' is less than 1\n")
    assert snapshot(vmss_home) == before
    assert cli("get-os-upgrade-history", "-g", "rg1", "-n", "ss", "--max-items", "1").json == []
