"""`vmss demo`: the seed's story in under a minute, deterministic, in a throw-away store."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

DEMO_START = "2026-01-01T00:00:00Z"
DEMO_SEED = 3
RG, NAME, LOCATION = "demo-rg", "demo-vmss", "eastus"
IMAGE = ("Canonical", "UbuntuServer", "18.04-LTS")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(keep: Annotated[bool, typer.Option("--keep", help="Keep the temporary store and print its path.")] = False
         ) -> None:
    """Run the automatic OS upgrade story: a healthy rollout, then one that rolls back and stops.

    Always runs in a new temporary store with its own start time and seed: VMSS_HOME, VMSS_START_TIME
    and VMSS_SEED are ignored, and your store is never read or written. Same output every run.
    """
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="vmss-demo-") as home:
        _story(Path(home))
        if keep:
            import shutil

            kept = tempfile.mkdtemp(prefix="vmss-demo-kept-")
            shutil.copytree(home, kept, dirs_exist_ok=True)
            _say(f"Store kept in {kept}")


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# Step 5 prints what this command prints: the history's own table is az's (Location only).
HISTORY_QUERY = ("[].properties.{StartedBy: startedBy, Status: runningStatus.code, "
                 "TargetVersion: targetImageReference.version, Succeeded: progress.successfulInstanceCount, "
                 "Failed: progress.failedInstanceCount, "
                 "RolledBack: rollbackInfo.successfullyRolledbackInstanceCount, Error: error.code}")


def _story(root) -> None:
    """The story, on the store at `root` only: every call names it, nothing reads VMSS_HOME."""
    from vmss_cli.cli.rolling import watching
    from vmss_cli.core.world import timeutil
    from vmss_cli.render.output import render
    from vmss_cli.service import instances, resource_groups, rolling_upgrades, scale_sets, simulator, world
    from vmss_cli.service.context import Context

    ctx = Context(root, subscription=None)
    urn = ":".join(IMAGE)

    _say("== 1. A 10-instance Uniform scale set, Rolling mode, Application Health extension, "
         "automatic OS upgrades on")
    simulator.start_world(ctx, timeutil.parse_time(DEMO_START), DEMO_SEED)
    resource_groups.put(ctx, RG, {"location": LOCATION})
    scale_sets.create(ctx, RG, NAME, image=f"{urn}:latest", instance_count=10, orchestration_mode="Uniform",
                      upgrade_policy_mode="Rolling", enable_auto_os_upgrade=True)
    version = _versions(instances.list(ctx, RG, NAME))[0][0]
    _say(f"   vmss create -g {RG} -n {NAME} --image {urn}:latest --instance-count 10 "
         "--orchestration-mode Uniform --upgrade-policy-mode Rolling --enable-auto-os-upgrade true")
    _say(f"   every instance runs {urn}:{version}")

    _say("\n== 2. The publisher releases a good version; a manual start rolls it out in batches of 2 (20 %)")
    good = _publish(ctx, "18.04.202406010", boot_seconds=60, fail_percent=0)
    _say(f"   vmss sim image publish -l {LOCATION} -p {IMAGE[0]} -f {IMAGE[1]} -s {IMAGE[2]} --version {good}")
    _say(f"   vmss rolling-upgrade start -g {RG} -n {NAME}")
    with watching() as watch:
        rolling_upgrades.start_os_upgrade(Context(root, subscription=None, listeners=watch.listeners), RG, NAME,
                                          wait=True)

    _say("\n== 3. A bad version: 30 % of instances never turn healthy. The platform starts the rollout by "
         "itself,\n   rolls failed instances back to their previous OS disk, and stops once more than 20 % "
         "of the\n   upgraded instances are unhealthy")
    bad = _publish(ctx, "18.04.202407010", boot_seconds=60, fail_percent=30)
    platform_due = simulator.queued(ctx, "platform.osUpgrade")
    _say(f"   vmss sim image publish ... --version {bad} --fail-percent 30")
    if platform_due:
        _say(f"   the platform picks it up at {timeutil.format_time(platform_due[0])} (30-60 min after a "
             "release; up to 3 h the first time)")
    _say("   vmss sim clock advance 4h")
    with watching() as watch:
        world.advance(Context(root, subscription=None, listeners=watch.listeners), 4 * 3600)
    history = rolling_upgrades.os_upgrade_history(ctx, RG, NAME)
    _say("\n== 4. Where the instances are now")
    for ver, ids in _versions(instances.list(ctx, RG, NAME)):
        _say(f"   {ver}: instances {', '.join(ids)}")
    _say(f"\n== 5. vmss get-os-upgrade-history -g {RG} -n {NAME} --query \"{HISTORY_QUERY}\" -o table")
    sys.stdout.write(render(history, "table", HISTORY_QUERY, None, color=False))


def _versions(vms: list[dict]) -> list[tuple[str, list[str]]]:
    """(image version, the ids of the instances running it), by version."""
    on: dict[str, list[str]] = {}
    for vm in vms:
        on.setdefault(vm["properties"]["storageProfile"]["imageReference"]["exactVersion"], []).append(
            vm["instanceId"])
    return sorted(on.items())


def _publish(ctx, version: str, boot_seconds: int, fail_percent: int) -> str:
    """What `vmss sim image publish` does: record the release, then let the platform react."""
    from vmss_cli.service import world

    record = world.publish_image(ctx, LOCATION, *IMAGE, version, boot_seconds, fail_percent)
    return record["version"]
