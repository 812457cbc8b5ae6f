"""Figures the reliability suites report at the end of the run (hostile-input case counts)."""

from __future__ import annotations

from collections import Counter, defaultdict

CASES: Counter = Counter()
OUTCOMES: defaultdict = defaultdict(Counter)  # parser -> exit code -> cases


def record(parser: str, count: int) -> None:
    CASES[parser] += count


def pytest_terminal_summary(terminalreporter):
    if CASES:
        detail = ", ".join(f"{name} {n}" for name, n in sorted(CASES.items()))
        terminalreporter.write_line(f"hostile input: {sum(CASES.values())} cases without a traceback ({detail})")
        for name, outcomes in sorted(OUTCOMES.items()):
            terminalreporter.write_line(f"  {name}: " + ", ".join(f"exit {code}: {n}" for code, n in
                                                                  sorted(outcomes.items())))
