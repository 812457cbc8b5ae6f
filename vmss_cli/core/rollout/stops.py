"""Azure's words for a rollout that stops on a policy limit, or goes on with failed instances: the
`error` of the operation (what get-latest and get-os-upgrade-history show). The engine (core.engine)
decides when; this module only says it, so the state machine reads without the long texts.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

UNREACHABLE = "Instance found to be unhealthy or unreachable."


def unhealthy_before_batch(arm: Document, op: Document, unhealthy: list[Document], percent: int) -> Document:
    """maxUnhealthyInstancePercent breached before a batch (before the first one, or between batches)."""
    limit = op["policy"]["maxUnhealthyInstancePercent"]
    if not op["batches"]:
        code = "MaxUnhealthyInstancePercentExceededBeforeRollingUpgrade"
        message = (f"Rolling Upgrade failed due to exceeding the MaxUnhealthyInstancePercent value (defined in the "
                   f"RollingUpgradePolicy) before any batch was attempted. {percent}% of instances are in an unhealthy "
                   f"state, more than the threshold of {limit}% configured in the RollingUpgradePolicy. The most "
                   f"impactful error is: {UNREACHABLE} For details on rolling "
                   "upgrades, use http://aka.ms/AzureVMSSRollingUpgrade")
    else:
        code = "MaxUnhealthyInstancePercentExceededInRollingUpgrade"
        message = (f"Rolling Upgrade failed after exceeding the MaxUnhealthyInstancePercent value defined in the "
                   f"RollingUpgradePolicy. {percent}% of instances are in an unhealthy state - more than the threshold "
                   f"of {limit}%. To apply upgrades, consider increasing the MaxUnhealthyInstancePercent value.")
    return {"code": code, "message": message,
            "details": [{"code": "RollingUpgradeInstanceUnhealthyError",
                         "target": f"{arm['id']}/virtualMachines/{i['instanceId']}",
                         "message": UNREACHABLE} for i in unhealthy]}


def upgraded_unhealthy(details: list[Document], bad: list[str], upgraded: int, limit: int) -> Document:
    """maxUnhealthyUpgradedInstancePercent breached after a batch: the rollout stops."""
    return {
        "code": "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade",
        # Azure's text as users report it, the doubled full stop included (the error's own message
        # ends in one): "... The most impactful error is: Instance found to be unhealthy or
        # unreachable.. First failed instance ID is: 0."
        "message": f"Rolling Upgrade failed after exceeding the MaxUnhealthyUpgradedInstancePercent value "
                   f"defined in the RollingUpgradePolicy. {len(bad) * 100 // upgraded}% of instances are in "
                   f"an unhealthy state after being upgraded - more than the threshold of {limit}%. The most "
                   f"impactful error is: {details[0]['message']}. First failed instance ID is: {bad[0]}.",
        "details": details}


def failed_within_limits(details: list[Document], bad: list[str], upgraded: int, limit: int) -> Document:
    """Failed instances within the limits: the rollout goes on. The code is the one Azure's API names
    for it; the wording is vmss's."""
    return {
        "code": "RollingUpgradeInProgressWithFailedUpgradedVMs",
        "message": f"{len(bad)} of {upgraded} upgraded instances ({len(bad) * 100 // upgraded}%) are in "
                   f"an unhealthy state after being upgraded, within the threshold of {limit}% configured in the "
                   f"RollingUpgradePolicy; the rolling upgrade goes on. First failed instance ID is: {bad[0]}.",
        "details": details}


def instance_detail(scale_set_id: str, iid: str, inst: Document | None) -> Document:
    """Why one instance counts as failed: its first failed extension, else unreachable."""
    target = f"{scale_set_id}/virtualMachines/{iid}"
    failed = [e for e in (inst or {}).get("extensions", []) if e.get("status") == "Failed"]
    if failed:
        return {"code": "VMExtensionProvisioningError", "target": target, "message": failed[0]["message"]}
    return {"code": "RollingUpgradeInstanceUnhealthyError", "target": target, "message": UNREACHABLE}
