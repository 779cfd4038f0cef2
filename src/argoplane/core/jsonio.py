"""JSON output: indented like `kubectl -o json`, encoded in C (large renders are megabytes)."""

from __future__ import annotations

from typing import Any

import orjson


def dumps(data: Any) -> str:
    """Two-space indented JSON with a final newline; unknown types are written as strings."""
    return orjson.dumps(data, default=str, option=orjson.OPT_INDENT_2).decode() + "\n"
