"""Evaluators for the Argo CD behaviour vectors, one module per area.

Each module exposes `KINDS: dict[str, Callable[[dict], Any]]` mapping a vector `kind` to a
function that takes the case's `input` and returns a value of the shape of its `expected`
(or raises an exception whose message is compared with `expected_error`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

Evaluator = Callable[[dict[str, Any]], Any]


def all_kinds() -> dict[str, Evaluator]:
    kinds: dict[str, Evaluator] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for kind, fn in getattr(module, "KINDS", {}).items():
            if kind in kinds:
                raise RuntimeError(f"vector kind {kind!r} defined twice ({info.name})")
            kinds[kind] = fn
    return kinds
