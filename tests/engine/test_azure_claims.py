"""Claims of the seed and Microsoft's rolling-upgrade docs that an audit found vmss getting wrong
(issue 13), one scenario each, named after the claim, driven as a user would from the CLI."""

from __future__ import annotations

import json

from tests.engine.test_seed_extensions import PUBLISH, RG, SS, make, sas, script_extension


def history(cli, query):
    return cli("get-os-upgrade-history", "-g", RG, "-n", SS, "--query", query, "-o", "tsv").stdout


def test_expired_credentials_in_rolling_mode_heal_with_the_seeds_recovery_steps(cli):
    make(cli, "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    r = cli("update", "-g", RG, "-n", SS, "--add", "virtualMachineProfile.extensionProfile.extensions",
            script_extension(None), "-o", "none")
    assert r.exit_code == 0, r.stderr
    r = cli("update", "-g", RG, "-n", SS, "--set",
            f"virtualMachineProfile.extensionProfile.extensions[1].settings.fileUris=['{sas('2026-01-01T01:00:00Z')}']",
            "-o", "none")
    assert r.exit_code == 0, r.stderr
    cli("sim", "clock", "advance", "2h", "--only-show-errors")  # model rollout done; the token expires at 01:00
    assert cli(*PUBLISH, "--version", "18.04.202406010").exit_code == 0
    cli("sim", "clock", "advance", "4h", "--only-show-errors")
    assert history(cli, "[0].properties.{c: runningStatus.code, d: error.details[0].code}") == \
        "Faulted\tVMExtensionProvisioningError\n"
    failed = cli("list-instances", "-g", RG, "-n", SS, "--query", "[?provisioningState=='Failed'].instanceId",
                 "-o", "tsv").stdout.split()
    assert failed
    # The seed's recovery: a fresh token in the model, then every instance takes the model.
    r = cli("update", "-g", RG, "-n", SS, "--set",
            f"virtualMachineProfile.extensionProfile.extensions[1].settings.fileUris[0]={sas('2027-01-01T00:00:00Z')}",
            "-o", "none")
    assert r.exit_code == 0, r.stderr
    # The model change starts a rolling model upgrade at once; its first batch (the failed instances,
    # update domain 0) runs the new model before the user gets to update-instances.
    cli("sim", "clock", "advance", "2m", "--only-show-errors")
    assert cli("update-instances", "-g", RG, "-n", SS, "--instance-ids", "*").exit_code == 0
    cli("sim", "clock", "advance", "1h", "--only-show-errors")
    r = cli("list-instances", "-g", RG, "-n", SS, "--query", "[].[instanceId, provisioningState, latestModelApplied]",
            "-o", "tsv")
    assert r.stdout.splitlines() == [f"{i}\tSucceeded\tTrue" for i in range(10)]
    for iid in failed:
        view = cli("get-instance-view", "-g", RG, "-n", SS, "--instance-id", iid).json
        assert view["vmHealth"]["status"]["code"] == "HealthState/healthy"
        assert [s["statuses"][0]["code"] for s in view["extensions"]] == ["ProvisioningState/succeeded"] * 2
    assert cli("rolling-upgrade", "get-latest", "-g", RG, "-n", SS, "--query", "runningStatus.code",
               "-o", "tsv").stdout == "Completed\n"
