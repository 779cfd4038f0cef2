"""Write a plan: every file through a temporary file and a rename, so none is ever half
written, even when the run is interrupted."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from argoplane.core.files import write_atomic
from argoplane.layout.plan import Change, Plan

PARALLEL_FROM = 64  # changes; fewer are written one by one
WRITERS = 4


def apply(plan: Plan) -> list[str]:
    """Write every change of the plan; returns the paths written. The last change (the
    inventory, when it changes) is written after all the others. Large plans are written by
    a few threads: creating files is kernel time, and it overlaps."""
    changes = plan.changes
    for folder in sorted({(plan.root / c.path).parent for c in changes}):
        folder.mkdir(parents=True, exist_ok=True)

    def write(change: Change) -> str:
        write_atomic(plan.root / change.path, change.content, sync=change.action == "update")
        return change.path

    if len(changes) <= PARALLEL_FROM:
        return [write(c) for c in changes]
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        written = list(pool.map(write, changes[:-1], chunksize=32))
    return [*written, write(changes[-1])]
