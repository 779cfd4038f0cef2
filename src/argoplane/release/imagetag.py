"""What a container image tag may be (the Docker/OCI reference grammar)."""

from __future__ import annotations

import re
from collections.abc import Callable

from argoplane.core.errors import InputError

# `[\w][\w.-]{0,127}` in distribution/reference: a word character first, at most 128.
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


def is_valid_tag(tag: str) -> bool:
    return bool(_TAG.match(tag))


def check_tag(tag: str, fail: Callable[[str], InputError] | None = None) -> None:
    if is_valid_tag(tag):
        return
    reason = ("it is empty" if not tag else "more than 128 characters" if len(tag) > 128
              else "use letters, digits, '_', '.' and '-', not starting with '.' or '-'")
    message = f"{tag!r} is not a valid image tag: {reason}"
    raise fail(message) if fail is not None else InputError(message)
