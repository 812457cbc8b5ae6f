"""The commit's cheaper paths write the same bytes: a journal written in pieces (writev, short writes
finished), and log lines from the one C encoder built once."""

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


def test_the_journal_in_pieces_is_the_journal(tmp_path):
    changes = [(tmp_path / "rg" / "a.json", b'{\n "a": 1\n}\n'), (tmp_path / "rg" / "b.json", None),
               (tmp_path / "rg" / "s.events.1.jsonl", b'{"x": "\xc3\xa9"}\n')]
    appends = [(tmp_path / "rg" / "s.events.jsonl", 12, b'{"a": 1}\n{"b": 2}\n')]
    for c, a in ((changes, appends), ([], []), (changes[:1], []), ([], appends)):
        files.write_bytes(tmp_path / state.JOURNAL, state._journal_chunks(tmp_path, c, a))
        raw = (tmp_path / state.JOURNAL).read_bytes()
        assert raw == state._journal_bytes(tmp_path, c, a)
        assert json.loads(raw)["kind"] == "vmssJournal"
        assert state.read_journal(tmp_path) == (c, a)


def test_log_lines_are_json_dumps_with_sorted_keys():
    records = [{"b": 1, "a": [1.5, -0.0, 1e300, None, True], "é": "ü\n\"", "z": {"y": {}, "x": []}},
               {"progress": {"pendingInstanceCount": 3, "failedInstanceCount": 0}, "message": "\u2028 ☃"}, {}]
    assert files.encode_lines(records) == "".join(json.dumps(r, sort_keys=True) + "\n" for r in records).encode()
