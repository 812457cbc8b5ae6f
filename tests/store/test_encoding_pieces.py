"""The commit's cheaper paths write the same bytes: a journal written in pieces (writev, short writes
finished; the logs' lines are not copied into it), and log lines from the one C encoder built once."""

from __future__ import annotations

import json
import os

from vmss_cli.store import files, state


def test_a_file_written_in_pieces_holds_them_in_order(tmp_path):
    pieces = [bytes([65 + i % 26]) * (i * 7 % 300) for i in range(1300)]  # more than one writev, empty ones too
    files.write_bytes(tmp_path / "j.json", pieces)
    assert (tmp_path / "j.json").read_bytes() == b"".join(pieces)


def test_a_short_writev_is_finished(tmp_path, monkeypatch):
    real = os.writev
    monkeypatch.setattr(os, "writev", lambda fd, buffers: real(fd, [b"".join(buffers)[:5]]))  # 5 bytes a call
    pieces = [b"abc", b"", b"defghij", b"k" * 40, b"lmn"]
    files.write_bytes(tmp_path / "j.json", pieces)
    assert (tmp_path / "j.json").read_bytes() == b"".join(pieces)


def test_the_journal_in_pieces_reads_back(tmp_path):
    """A header, then the logs' lines in the order of their entries: read back as they were given."""
    renames = [(tmp_path / "rg" / "a.json", files.temp_for(tmp_path / "rg" / "a.json")),
               (tmp_path / "rg" / "b.json", None),
               (tmp_path / "rg" / "s.events.1.jsonl", files.temp_for(tmp_path / "rg" / "s.events.1.jsonl"))]
    appends = [(tmp_path / "rg" / "s.events.jsonl", 12, b'{"a": 1}\n{"b": "]}"}\n]}\n'),
               (tmp_path / "rg" / "t.events.jsonl", 0, b'{"c": "\xc3\xa9"}\n')]
    for r, a in ((renames, appends), ([], []), (renames[:1], []), ([], appends)):
        pieces = state._journal_pieces(tmp_path, r, a)
        files.write_bytes(tmp_path / state.JOURNAL, pieces)
        raw = (tmp_path / state.JOURNAL).read_bytes()
        assert raw == b"".join(pieces) and len(pieces) == 1 + len(a)
        assert raw.endswith(b"".join(data for _, _, data in a))
        assert state.read_journal(tmp_path) == (r, a)


def test_log_lines_are_json_dumps_with_sorted_keys():
    records = [{"b": 1, "a": [1.5, -0.0, 1e300, None, True], "é": "ü\n\"", "z": {"y": {}, "x": []}},
               {"progress": {"pendingInstanceCount": 3, "failedInstanceCount": 0}, "message": "\u2028 ☃"}, {}]
    assert files.encode_lines(records) == "".join(json.dumps(r, sort_keys=True) + "\n" for r in records).encode()
