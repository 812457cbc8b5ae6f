"""The batch planner: which instances go next. Pure; shared by the engine and the plan preview.

Rules (seed + reference/azure-rolling-upgrades.md §1.2–1.3):
- a batch holds at most maxBatchInstancePercent of the *total* instance count, minimum one
  (so sets of five or fewer go one instance at a time);
- it is shrunk so that the healthy instances it takes down cannot push the set past
  maxUnhealthyInstancePercent (an instance already unhealthy costs nothing). A set with no
  unhealthy instance always takes at least one (sets of five or fewer must move at all); a set
  already at its limit takes no healthy instance, so the batch can be empty (the engine stops);
- instances of two availability zones never share a batch unless enableCrossZoneUpgrade;
- update domains are walked in order, so a batch holds one update domain where sizes allow
  (Service Fabric node types: exactly one whole update domain per batch, whatever its size). The
  walk stops at the first healthy instance the budget cannot afford: an unhealthy instance further
  on is not pulled ahead of its update domain ("unhealthy instances shrink the batch");
- with prioritizeUnhealthyInstances, unhealthy instances go first (the opt-in to pull them ahead).
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document


class Candidate:
    """One pending instance as the planner sees it. (A plain class: importing dataclasses loads
    inspect, a fifth of `vmss update`'s imports.) `rank`: its place in the walk, zone (none first),
    update domain, then instance id by number."""

    __slots__ = ("instance_id", "zone", "update_domain", "unhealthy", "rank")

    def __init__(self, instance_id: str, zone: str | None, update_domain: int, unhealthy: bool) -> None:
        self.instance_id = instance_id
        self.zone = zone
        self.update_domain = update_domain
        self.unhealthy = unhealthy
        self.rank = (zone or "", update_domain, int(instance_id) if instance_id.isdigit() else 0, instance_id)

    def __repr__(self) -> str:
        return (f"Candidate(instance_id={self.instance_id!r}, zone={self.zone!r}, "
                f"update_domain={self.update_domain!r}, unhealthy={self.unhealthy!r})")


def batch_cap(total: int, max_batch_percent: int) -> int:
    return max(1, total * max_batch_percent // 100)


def unhealthy_budget(total: int, max_unhealthy_percent: int, currently_unhealthy: int) -> int:
    """How many more instances may turn unhealthy without exceeding the limit."""
    return total * max_unhealthy_percent // 100 - currently_unhealthy


def order(candidates: list[Candidate], prioritize_unhealthy: bool) -> list[Candidate]:
    """The walk's order: by rank, unhealthy instances first when prioritized. (Sorted by a C-level key:
    a Python key function per candidate on every batch was a tenth of a fleet's rollout engine.)"""
    ordered = sorted(candidates, key=_RANK)
    if prioritize_unhealthy:
        ordered.sort(key=_UNHEALTHY, reverse=True)  # stable, reverse too: the rank order holds within each
    return ordered


_RANK = attrgetter("rank")
_UNHEALTHY = attrgetter("unhealthy")


def next_batch(pending: list[Candidate], total: int, policy: Document, currently_unhealthy: int,
               one_update_domain: bool = False) -> list[Candidate]:
    """The next batch from `pending`: empty when nothing is pending, or when the set is already at
    its unhealthy limit and the next instance in order is healthy."""
    if not pending:
        return []
    ordered = order(pending, bool(policy.get("prioritizeUnhealthyInstances")))
    cap = batch_cap(total, policy["maxBatchInstancePercent"])
    budget = unhealthy_budget(total, policy["maxUnhealthyInstancePercent"], currently_unhealthy)
    if one_update_domain:
        # Service Fabric node types go update domain by update domain: a domain is never split.
        cap, budget = len(ordered), len(ordered)
    cross_zone = bool(policy.get("enableCrossZoneUpgrade"))
    first = ordered[0]
    batch: list[Candidate] = []
    healthy_taken = 0
    for cand in ordered:
        if len(batch) >= cap:
            break
        if not cross_zone and cand.zone != first.zone:
            continue
        if one_update_domain and cand.update_domain != first.update_domain:
            continue
        if not cand.unhealthy:
            if healthy_taken >= budget and (batch or currently_unhealthy):
                break
            healthy_taken += 1
        batch.append(cand)
    return batch


def plan_all(pending: list[Candidate], total: int, policy: Document, currently_unhealthy: int = 0,
             one_update_domain: bool = False) -> list[list[Candidate]]:
    """Every batch, assuming each upgraded instance comes back healthy (the preview's view)."""
    left = list(pending)
    batches = []
    unhealthy = currently_unhealthy
    while left:
        batch = next_batch(left, total, policy, unhealthy, one_update_domain)
        if not batch:
            break  # at the unhealthy limit: the rollout stops here
        taken = {c.instance_id for c in batch}
        left = [c for c in left if c.instance_id not in taken]
        unhealthy -= sum(1 for c in batch if c.unhealthy)
        batches.append(batch)
    return batches
