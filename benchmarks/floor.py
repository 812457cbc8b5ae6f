"""The stdlib floor of a read command: read the scale set's state file with json, then print the bytes
vmss prints (here: re-encode the expected output as vmss's -o json does). Nothing else is imported.

    python benchmarks/floor.py STATE_FILE EXPECTED_OUTPUT
"""

import json
import sys

with open(sys.argv[1], "rb") as f:
    json.loads(f.read())
with open(sys.argv[2], "rb") as f:
    result = json.loads(f.read())
sys.stdout.write(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
