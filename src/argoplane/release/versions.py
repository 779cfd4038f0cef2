"""Order image tags that look like versions (SemVer precedence, an optional `v`)."""

from __future__ import annotations

import re

_VERSION = re.compile(
    r"^v?(?P<nums>\d+(?:\.\d+){0,3})(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def _key(tag: str) -> tuple[tuple[int, ...], tuple[tuple[int, int, str], ...] | None] | None:
    match = _VERSION.match(tag)
    if match is None:
        return None
    nums = tuple(int(n) for n in match.group("nums").split("."))
    nums += (0,) * (4 - len(nums))
    pre = match.group("pre")
    if pre is None:
        return nums, None
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return nums, ids


def compare(a: str, b: str) -> int | None:
    """-1, 0 or 1 as `a` is older than, the same as or newer than `b`; None when either is
    not a version (a Git SHA, `latest`) and the two differ."""
    if a == b:
        return 0
    ka, kb = _key(a), _key(b)
    if ka is None or kb is None:
        return None
    if ka[0] != kb[0]:
        return -1 if ka[0] < kb[0] else 1
    pa, pb = ka[1], kb[1]
    if pa == pb:
        return 0
    if pa is None:  # a release is newer than any of its pre-releases
        return 1
    if pb is None:
        return -1
    return -1 if pa < pb else 1
