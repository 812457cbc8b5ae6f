"""Property tests for the batch planner: batches partition the pending instances, each within
its limit, never two zones unless cross-zone upgrade is on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vmss_cli.core.rollout import planner


@st.composite
def scenarios(draw):
    total = draw(st.integers(1, 120))
    zones = draw(st.sampled_from([None, ["1"], ["1", "2"], ["1", "2", "3"]]))
    pending_ids = draw(st.sets(st.integers(0, total - 1), min_size=0, max_size=total))
    unhealthy = draw(st.sets(st.sampled_from(sorted(pending_ids)), max_size=len(pending_ids)) if pending_ids
                     else st.just(set()))
    candidates = [planner.Candidate(str(i), zones[i % len(zones)] if zones else None, i % 5, i in unhealthy)
                  for i in sorted(pending_ids)]
    policy = {"maxBatchInstancePercent": draw(st.integers(5, 100)),
              "maxUnhealthyInstancePercent": draw(st.integers(5, 100)),
              "enableCrossZoneUpgrade": draw(st.booleans()),
              "prioritizeUnhealthyInstances": draw(st.booleans())}
    return total, candidates, policy, len(unhealthy)


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_batches_partition_pending_within_limits(scenario):
    total, candidates, policy, unhealthy = scenario
    batches = planner.plan_all(candidates, total, policy, unhealthy)
    flat = [c.instance_id for b in batches for c in b]
    assert len(flat) == len(set(flat))
    left = [c for c in candidates if c.instance_id not in set(flat)]
    if left:  # planning stops only at the unhealthy limit, with unhealthy instances in the set
        still_unhealthy = unhealthy - sum(1 for c in candidates if c.unhealthy and c.instance_id in set(flat))
        assert still_unhealthy > 0
        assert planner.unhealthy_budget(total, policy["maxUnhealthyInstancePercent"], still_unhealthy) <= 0
        assert not policy["prioritizeUnhealthyInstances"] or not any(c.unhealthy for c in left)
    cap = max(1, total * policy["maxBatchInstancePercent"] // 100)
    for batch in batches:
        assert 1 <= len(batch) <= cap
        if not policy["enableCrossZoneUpgrade"]:
            assert len({c.zone for c in batch}) == 1


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_a_batch_takes_down_no_more_healthy_instances_than_the_unhealthy_budget(scenario):
    total, candidates, policy, unhealthy = scenario
    batch = planner.next_batch(candidates, total, policy, unhealthy)
    healthy_taken = sum(1 for c in batch if not c.unhealthy)
    budget = planner.unhealthy_budget(total, policy["maxUnhealthyInstancePercent"], unhealthy)
    # The minimum batch of one may exceed a zero budget only in a set with nothing unhealthy.
    assert healthy_taken <= max(budget, 0 if unhealthy else 1)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_prioritize_unhealthy_takes_unhealthy_first(scenario):
    total, candidates, policy, unhealthy = scenario
    policy = dict(policy, prioritizeUnhealthyInstances=True, enableCrossZoneUpgrade=True)
    batch = planner.next_batch(candidates, total, policy, unhealthy)
    sick = [c for c in candidates if c.unhealthy]
    if sick:
        assert batch[0].unhealthy
        assert sum(1 for c in batch if c.unhealthy) == min(len(sick), len(batch))


def test_batch_sizes_from_the_seed():
    policy = {"maxBatchInstancePercent": 20, "maxUnhealthyInstancePercent": 20}
    assert planner.batch_cap(10, 20) == 2
    assert [planner.batch_cap(n, 20) for n in (1, 2, 3, 4, 5)] == [1, 1, 1, 1, 1]
    assert planner.batch_cap(1000, 20) == 200
    cands = [planner.Candidate(str(i), None, i % 5, False) for i in range(10)]
    assert [[c.instance_id for c in b] for b in planner.plan_all(cands, 10, policy)] == [
        ["0", "5"], ["1", "6"], ["2", "7"], ["3", "8"], ["4", "9"]]


def test_at_the_unhealthy_limit_no_healthy_instance_is_taken():
    """4 of 20 unhealthy with maxUnhealthyInstancePercent 20: taking one healthy instance down
    would make 25 %; the batch is empty (the engine stops the rollout)."""
    policy = {"maxBatchInstancePercent": 20, "maxUnhealthyInstancePercent": 20}
    cands = [planner.Candidate(str(i), None, i % 5, i in (3, 8, 13, 18)) for i in range(20)]
    assert planner.next_batch(cands, 20, policy, 4) == []
    # Healthy sets of five or fewer still move one instance at a time (budget 0, nothing unhealthy).
    small = [planner.Candidate(str(i), None, i % 5, False) for i in range(3)]
    assert [c.instance_id for c in planner.next_batch(small, 3, policy, 0)] == ["0"]


def test_an_unhealthy_instance_is_not_pulled_ahead_of_its_update_domain():
    policy = {"maxBatchInstancePercent": 20, "maxUnhealthyInstancePercent": 20}
    cands = [planner.Candidate(str(i), None, i % 5, i == 19) for i in range(20)]
    assert [c.instance_id for c in planner.next_batch(cands, 20, policy, 1)] == ["0", "5", "10"]
    first = planner.next_batch(cands, 20, dict(policy, prioritizeUnhealthyInstances=True), 1)
    assert [c.instance_id for c in first] == ["19", "0", "5", "10"]


def test_service_fabric_batches_are_whole_update_domains():
    policy = {"maxBatchInstancePercent": 20, "maxUnhealthyInstancePercent": 20}
    cands = [planner.Candidate(str(i), None, i % 5, False) for i in range(20)]
    batches = planner.plan_all(cands, 20, policy, one_update_domain=True)
    assert [[c.instance_id for c in b] for b in batches] == [
        [str(i) for i in range(ud, 20, 5)] for ud in range(5)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["0", "7", "12", "12a", "x", "003"]), st.sampled_from([None, "1", "2", "3"]),
                          st.integers(0, 4), st.booleans()), max_size=12),
       st.booleans())
def test_order_walks_zone_then_update_domain_then_instance_number(members, prioritize):
    """The walk's order, spelled out: zones by name (none first), update domains in order, instance
    ids by number (a non-numeric id as 0, then by text); unhealthy instances first when prioritized,
    in that same order among themselves."""
    candidates = [planner.Candidate(iid, zone, ud, bad) for iid, zone, ud, bad in members]
    zones = sorted({c.zone or "" for c in candidates})
    expected = sorted(candidates, key=lambda c: (not c.unhealthy if prioritize else False, zones.index(c.zone or ""),
                                                 c.update_domain,
                                                 int(c.instance_id) if c.instance_id.isdigit() else 0, c.instance_id))
    assert [id(c) for c in planner.order(candidates, prioritize)] == [id(c) for c in expected]
