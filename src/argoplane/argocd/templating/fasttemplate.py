"""Argo CD's `goTemplate: false` renderer: valyala/fasttemplate with flat, literal keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from argoplane.core.errors import TemplateError

# Go's regexp `.*{{.*}}.*`: `.` does not cross a newline, so one tag must sit on a single line.
_PRECHECK = re.compile(r"\{\{.*\}\}")


def replace(text: str, params: Mapping[str, Any]) -> str:
    """Substitute `{{key}}` tags whose key is a string param; leave every other tag verbatim."""
    if _PRECHECK.search(text) is None:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        end = text.find("}}", start + 2)
        if end < 0:
            raise TemplateError(
                f"invalid template: cannot find end tag '}}}}' in {text!r} "
                f"starting from {text[start:]!r}"
            )
        out.append(text[pos:start])
        tag = text[start + 2 : end]
        key = tag.strip()
        value = params.get(key) if key else None  # an empty tag is never substituted
        out.append(value if isinstance(value, str) else "{{" + tag + "}}")
        pos = end + 2
