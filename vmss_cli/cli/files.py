"""The one reader of the files a command names (an ARM template, parameter files, `vmss import`'s JSON):
at most a limit plus one byte is read, so a device or a pipe that never ends cannot exhaust memory,
and every failure is az's `[Errno N] …: 'path'` text."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

    from vmss_cli.errors import CliError


def read_bounded(path: str, limit: int, too_big: Callable[[int | None], CliError]) -> str:
    """The text of `path` (`-`: standard input), UTF-8 with or without a byte-order mark. `too_big(size)`
    is the error for more than `limit` bytes (`size` when the file says it, else None)."""
    from vmss_cli.errors import CliError

    try:
        if path == "-":
            data = sys.stdin.buffer.read(limit + 1) if hasattr(sys.stdin, "buffer") else \
                sys.stdin.read(limit + 1).encode("utf-8")
        else:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size  # 0 for a device (/dev/zero): read, then count
                if size > limit:
                    raise too_big(size)
                data = handle.read(limit + 1)
    except FileNotFoundError:
        raise CliError(f"[Errno 2] No such file or directory: '{path}'") from None
    except IsADirectoryError:
        raise CliError(f"[Errno 21] Is a directory: '{path}'") from None
    except OSError as exc:
        raise CliError(f"[Errno {exc.errno}] {exc.strerror}: '{path}'") from None
    if len(data) > limit:
        raise too_big(None)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"Failed to parse '{path}', please check whether it is a valid JSON format") from None
