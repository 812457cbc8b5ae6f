"""Seeded, order-independent randomness.

Each random draw is a hash of (world seed, what it is for): the same seed gives the same
outcome for the same instance whatever order commands ran in, and no generator state has to
survive between processes.
"""

from __future__ import annotations

import hashlib


def unit(seed: int, *parts: object) -> float:
    """A number in [0, 1) determined by the seed and the parts."""
    digest = hashlib.sha256(":".join(map(str, (seed, *parts))).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def guid(seed: int, *parts: object) -> str:
    digits = guid_hex(seed, *parts)
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def guid_hex(seed: int, *parts: object) -> str:
    """guid(seed, *parts) without its dashes (the 32 hex digits Azure puts in disk names): version 4,
    variant digit 'a'."""
    digest = hashlib.sha256(":".join(map(str, ("guid", seed, *parts))).encode()).hexdigest()
    return f"{digest[:12]}4{digest[13:16]}a{digest[17:32]}"


def between(seed: int, low: int, high: int, *parts: object) -> int:
    """An integer in [low, high]."""
    return low + int(unit(seed, *parts) * (high - low + 1))
