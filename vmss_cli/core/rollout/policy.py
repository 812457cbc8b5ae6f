"""Which rolling-upgrade policy a rollout runs under — decided here and nowhere else.

- a manual start (`rolling-upgrade start`) and Rolling-mode model upgrades: the set's
  rollingUpgradePolicy, Azure's defaults filling what it leaves out;
- an automatic (Platform) OS upgrade: the set's policy only when
  automaticOSUpgradePolicy.useRollingUpgradePolicy is true, else Azure's defaults.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

DEFAULT_POLICY = {
    "maxBatchInstancePercent": 20,
    "maxUnhealthyInstancePercent": 20,
    "maxUnhealthyUpgradedInstancePercent": 20,
    "pauseTimeBetweenBatches": "PT0S",
    "rollbackFailedInstancesOnPolicyBreach": False,
    "maxSurge": False,
}
OPTIONAL_FLAGS = ("enableCrossZoneUpgrade", "prioritizeUnhealthyInstances")


def upgrade_policy(arm: Document) -> Document:
    return arm["properties"].get("upgradePolicy") or {}


def auto_os_policy(arm: Document) -> Document:
    return upgrade_policy(arm).get("automaticOSUpgradePolicy") or {}


def effective(arm: Document, started_by: str) -> Document:
    """The full policy a rollout started by 'User' or 'Platform' uses."""
    own = upgrade_policy(arm).get("rollingUpgradePolicy") or {}
    if started_by == "Platform" and not auto_os_policy(arm).get("useRollingUpgradePolicy"):
        own = {}
    policy = dict(DEFAULT_POLICY)
    for key, value in own.items():
        if value is not None and (key in DEFAULT_POLICY or key in OPTIONAL_FLAGS):
            policy[key] = value
    return policy


def rollback_enabled(arm: Document, started_by: str) -> bool:
    """The seed: a manual trigger has no automatic rollback; automatic upgrades roll back
    unless disableAutomaticRollback is set."""
    return started_by == "Platform" and not auto_os_policy(arm).get("disableAutomaticRollback", False)
