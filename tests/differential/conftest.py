"""The differential tier is opt-in (`pytest -m differential`; `.ci/run` runs it): it needs az 2.91
and takes minutes. Otherwise its cases are deselected and the summary says so; when selected without
az 2.91 installed, they are skipped with the reason (tests/differential/harness.find_az)."""

from __future__ import annotations

_DESELECTED: list = []


def pytest_collection_modifyitems(config, items):
    if "differential" in (config.getoption("-m") or ""):
        return
    chosen = [item for item in items if "differential" not in item.keywords]
    _DESELECTED[:] = [item for item in items if "differential" in item.keywords]
    if _DESELECTED:
        config.hook.pytest_deselected(items=_DESELECTED)
        items[:] = chosen


def pytest_terminal_summary(terminalreporter):
    line = figure(terminalreporter.stats)
    if line:
        terminalreporter.write_line(line)
    if _DESELECTED:
        terminalreporter.write_line(f"differential tier: {len(_DESELECTED)} cases not run (opt-in: "
                                    "pytest -m differential, needs az 2.91; .ci/run runs it)")


def figure(stats: dict) -> str | None:
    """The tier's figure (the issue's measure): cases where vmss printed what az 2.91 printed, out of all
    cases but the deliberate differences (skipped):
    `differential figure: P passed / F failed / X xfailed / S skipped (deliberate) of N; P/(N-S) = x %`
    for the cases of test_same_as_az in `stats` (pytest's terminal reporter stats)."""
    counts = {}
    for outcome in ("passed", "failed", "xfailed", "xpassed", "skipped", "error"):
        counts[outcome] = sum(1 for report in stats.get(outcome, [])
                              if "test_same_as_az" in getattr(report, "nodeid", "")
                              and getattr(report, "when", "call") in ("call", "setup"))
    total = sum(counts.values())
    if not total:
        return None
    compared = total - counts["skipped"]
    share = 100.0 * counts["passed"] / compared if compared else 0.0
    return (f"differential figure: {counts['passed']} passed / {counts['failed'] + counts['error']} failed / "
            f"{counts['xfailed'] + counts['xpassed']} xfailed / {counts['skipped']} skipped (deliberate) of {total}; "
            f"same as az 2.91 in {share:.1f} % of the {compared} compared cases")
