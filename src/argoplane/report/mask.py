"""Secret values never leave argoplane unless asked for; they are masked as Argo CD masks them."""

from __future__ import annotations

import copy
from typing import Any

MASK = "++++++++"


def is_secret(manifest: dict[str, Any]) -> bool:
    return manifest.get("kind") == "Secret" and manifest.get("apiVersion") == "v1"


def mask_secret(manifest: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Secret with every `data` / `stringData` value replaced by `++++++++`."""
    if not is_secret(manifest):
        return manifest
    masked = copy.deepcopy(manifest)
    for field in ("data", "stringData"):
        values = masked.get(field)
        if isinstance(values, dict):
            masked[field] = dict.fromkeys(values, MASK)
    return masked
