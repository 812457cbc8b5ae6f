"""The commit's cheaper paths write the same bytes: log lines from the one C encoder built once."""

from __future__ import annotations

import json

from vmss_cli.store import files


def test_log_lines_are_json_dumps_with_sorted_keys():
    records = [{"b": 1, "a": [1.5, -0.0, 1e300, None, True], "é": "ü\n\"", "z": {"y": {}, "x": []}},
               {"progress": {"pendingInstanceCount": 3, "failedInstanceCount": 0}, "message": "\u2028 ☃"}, {}]
    assert files.encode_lines(records) == "".join(json.dumps(r, sort_keys=True) + "\n" for r in records).encode()
