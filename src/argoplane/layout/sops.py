"""New `<env>/<region>.secrets.yaml` files, SOPS-encrypted for their environment's age
recipients with the real sops binary before they are written."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from argoplane.layout.plan import Change, Plan

# What an encrypted placeholder holds: no secret yet (comments would be encrypted too).
PLAINTEXT = "secrets: {}\n"


def _existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path.resolve()


def encrypt_plan(plan: Plan) -> Plan:
    """The plan with every change that has recipients encrypted (one sops run per file, each
    with its own data key; run side by side)."""
    todo = [c for c in plan.changes if c.recipients]
    if not todo:
        return plan
    from argoplane.secrets.sops import KeySources, Sops

    cwd = _existing(plan.root)
    sops = Sops(cwd, KeySources(environ=dict(os.environ)))
    root = plan.root.resolve()

    def encrypt(change: Change) -> Change:
        text = sops.encrypt(PLAINTEXT, root / change.path, recipients=change.recipients,
                            rules=False)
        return replace(change, content=text, recipients=())

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        done = dict(zip((c.path for c in todo), pool.map(encrypt, todo), strict=True))
    return Plan(plan.root, [done.get(c.path, c) for c in plan.changes], list(plan.notes))
