"""Scale sets and image releases for engine scenarios, built through the core API (fast)."""

from __future__ import annotations

import pytest

from vmss_cli.core.resources import catalog, groups, scaleset
from vmss_cli.core.rollout import eventlog, platform, rollouts
from vmss_cli.core.world import clock as world
from vmss_cli.store.state import transaction

URN = "Canonical:UbuntuServer:18.04-LTS"
START_VERSION = "18.04.202405140"  # the shipped catalog's latest for this SKU


class World:
    """A thin driver: every call is one transaction, as one CLI command would be."""

    def make_set(self, name="ss", count=10, mode="Rolling", zones=None, rolling=None, auto=None, probe=None,
                 orchestration="Uniform"):
        with transaction() as tx:
            if not any(g["name"] == "rg" for g in groups.list_all(tx)):
                groups.create(tx, "rg", "eastus")
            scaleset.create(tx, resource_group="rg", name=name, image=f"{URN}:latest", instance_count=count,
                            orchestration_mode=orchestration, upgrade_policy_mode=mode, zones=zones,
                            rolling_policy=rolling, enable_auto_os_upgrade=auto, health_probe=probe)
        return name

    def publish(self, version, fail_percent=0, boot_seconds=60):
        with transaction() as tx:
            record = rollouts.publish_image(tx, "eastus", "Canonical", "UbuntuServer", "18.04-LTS", version,
                                            boot_seconds, fail_percent)
        return record

    def start(self, name="ss", wait=True):
        with transaction() as tx:
            return rollouts.start(tx, "rg", name, wait=wait)

    def cancel(self, name="ss", wait=False):
        with transaction() as tx:
            return rollouts.cancel(tx, "rg", name, wait=wait)

    def advance(self, seconds):
        with transaction() as tx:
            return rollouts.advance(tx, seconds)

    def doc(self, name="ss"):
        with transaction(write=False) as tx:
            return scaleset.load(tx, "rg", name)

    def events(self, name="ss"):
        with transaction(write=False) as tx:
            return eventlog.read(tx, "rg", name)

    def op(self, name="ss"):
        return self.doc(name)["rollingUpgrades"][-1]

    def edit(self, name="ss"):
        """Context manager yielding the scale set doc; saved on exit."""
        from contextlib import contextmanager

        @contextmanager
        def editing():
            with transaction() as tx:
                doc = scaleset.load(tx, "rg", name)
                yield doc
                scaleset.save(tx, doc)
        return editing()

    def set_health(self, ids, state, name="ss"):
        from vmss_cli.core.rollout import faults

        with transaction() as tx:
            return faults.set_health(tx, "rg", name, ids, state)

    def now(self):
        with transaction(write=False) as tx:
            return world.now(tx)

    def versions(self, name="ss"):
        return {i["instanceId"]: i["osDisk"]["imageReference"]["exactVersion"] for i in self.doc(name)["instances"]}


@pytest.fixture
def w():
    return World()
