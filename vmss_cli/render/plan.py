"""`vmss rolling-upgrade plan -o table`: the preview (service.simulator.plan) as rows."""

from __future__ import annotations


def table(result: dict) -> list[dict]:
    """-o table: a row per batch with dated times and comma-separated ids, then the result; a rollout
    with nothing to upgrade says so."""
    if not result["batches"]:
        version = result["targetImageReference"].get("version") or result["targetImageReference"].get("id")
        return [{"Result": f"Nothing to upgrade: every instance already runs {version}."}]

    def when(text: str | None) -> str:
        return text[:19].replace("T", " ") if text else ""

    zoned = any(b["zones"] for b in result["batches"])
    rows = [{"Batch": b["batch"], "Start": when(b["startTime"]), "End": when(b["endTime"]),
             "Instances": ", ".join(b["instanceIds"]), "Zones": ", ".join(b["zones"]) if zoned else None,
             "UpdateDomains": ", ".join(map(str, b["updateDomains"])),
             "FailedInstances": ", ".join(b["failedInstanceIds"])} for b in result["batches"]]
    r = result["result"]
    rows.append({"Batch": "result", "Start": when(r["startTime"]), "End": when(r["endTime"]), "Instances": r["code"],
                 "Zones": "" if zoned else None, "UpdateDomains": "", "FailedInstances": r["error"] or ""})
    return rows


table.compact = True  # type: ignore[attr-defined]  # (read with getattr) a vmss-only table: render.output.compact_table