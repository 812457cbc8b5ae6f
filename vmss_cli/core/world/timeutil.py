"""World time as whole seconds since the Unix epoch, ISO 8601 durations and timestamps."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

import re
import time

from vmss_cli.errors import InvalidParameterError

# PnYnMnDTnHnMnS / PnW, as xs:duration allows; years and months are not fixed lengths, so
# (like Azure's TimeSpan conversion) only days and smaller units are accepted. ASCII digits only:
# `\d` would also take '٣' or '３', and str.isdigit() takes '²', which float() then refuses.
_ISO = re.compile(
    r"P(?:(?P<weeks>\d+)W|(?:(?P<days>\d+)D)?(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?)", re.IGNORECASE | re.ASCII)
_SHORT = re.compile(r"(?:(?P<days>\d+)d)?(?:(?P<hours>\d+)h)?(?:(?P<minutes>\d+)m)?(?:(?P<seconds>\d+)s)?",
                    re.IGNORECASE | re.ASCII)
_UNIT = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
MAX_DURATION = 10 * 365 * 86400
# The world clock's range: far enough from datetime's year 9999 that advancing cannot overflow it.
MIN_EPOCH = 0                  # 1970-01-01T00:00:00Z
MAX_EPOCH = 7258118399         # 2199-12-31T23:59:59Z


def parse_iso_duration(text: str, target: str = "duration") -> int:
    """`PT45M` -> 2700. Raises InvalidParameter naming `target` for anything else."""
    match = _ISO.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match or text.strip().upper() in ("P", "PT") or not any(match.groupdict().values()):
        raise InvalidParameterError(
            f"The value '{text}' of parameter '{target}' is not a valid ISO 8601 duration (for example PT0S, PT5M, PT1H30M).",
            target=target)
    return _to_seconds(match.groupdict(), text, target)


def parse_duration(text: str, target: str = "duration") -> int:
    """ISO 8601 (`PT45M`) or the short forms `45m`, `2h`, `1h30m`, `90s`, `1d`, or plain seconds."""
    stripped = text.strip() if isinstance(text, str) else ""
    if stripped[:1].upper() == "P":
        return parse_iso_duration(stripped, target)
    if stripped.isascii() and stripped.isdigit():
        return _to_seconds({"seconds": stripped}, text, target)
    match = _SHORT.fullmatch(stripped)
    if not stripped or not match or not any(match.groupdict().values()):
        raise InvalidParameterError(
            f"The value '{text}' of parameter '{target}' is not a duration. Use ISO 8601 (PT45M) or a short "
            "form such as 45m, 2h, 1h30m, 90s.", target=target)
    return _to_seconds(match.groupdict(), text, target)


def _to_seconds(parts: Document, text: str, target: str) -> int:
    total = sum(float(v) * _UNIT[k] for k, v in parts.items() if v)
    if total > MAX_DURATION:
        raise InvalidParameterError(f"The duration '{text}' of parameter '{target}' is longer than ten years.",
                                    target=target)
    return int(round(total))


def format_duration(seconds: int) -> str:
    """2700 -> 'PT45M'; 0 -> 'PT0S'."""
    if seconds <= 0:
        return "PT0S"
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    out = "P" + (f"{days}D" if days else "")
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{secs}S" if secs else "")
    return out + ("T" + clock if clock else "")


def format_time(epoch: int) -> str:
    """Azure's timestamp shape: '2026-01-01T00:00:00+00:00'."""
    if type(epoch) is int and MIN_EPOCH <= epoch <= MAX_EPOCH:
        # what datetime's isoformat() gives for whole seconds; importing datetime costs a read ~1 ms
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat()


def parse_time(text: str, target: str = "time") -> int:
    from datetime import datetime, timezone

    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, AttributeError):
        raise InvalidParameterError(f"'{text}' is not an ISO 8601 date-time such as 2026-01-01T00:00:00Z.",
                                    target=target) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        epoch = int(value.timestamp())
    except (OverflowError, ValueError):  # '0001-01-01T00:00:00+14:00' is in year 0 in UTC
        epoch = None
    if epoch is None or not MIN_EPOCH <= epoch <= MAX_EPOCH:
        raise InvalidParameterError(f"'{text}' is outside the years 1970-2199 that the world clock covers.",
                                    target=target)
    return epoch
