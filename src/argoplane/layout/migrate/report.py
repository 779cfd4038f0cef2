"""A migration as the terminal shows it, and as JSON. Neither ever holds a secret value: file
contents are not shown, and rendered diffs come masked from diff/normalize.py."""

from __future__ import annotations

import json
from typing import Any

from argoplane.layout.migrate.model import Intended, Migration, PhaseResult, Proof
from argoplane.report.diff_text import diff_text
from argoplane.report.diff_text import summary as diff_summary

Line = tuple[str, str | None]  # text, rich style

_MARK = {"create": ("+", "green"), "update": ("~", "yellow"), "delete": ("-", "red")}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _intended(item: Intended) -> str:
    count = f" ({item.count})" if item.count > 1 else ""
    return f"{item.kind}: {item.text}{count}"


def _all_intended(proof: Proof) -> list[Intended]:
    """The proof's intended changes, with the new environments' Applications as one."""
    items = list(proof.intended)
    if proof.added_apps:
        kinds = ", ".join(f"{k} {n}" for k, n in proof.added_resources.items())
        items.append(Intended("Application", f"{len(proof.added_apps)} added for the new "
                              f"environments and regions ({kinds or 'no resources'})"))
    return items


def _proof(proof: Proof, shown: set[Intended], with_diff: bool) -> list[Line]:
    out: list[Line] = []
    head = (f"  proof: {proof.identical} of the {_plural(proof.resources, 'resource')} that "
            f"the {_plural(proof.applications, 'Application')} of today deploy come out "
            "exactly as before")
    out.append((head, "green" if proof.ok else "bold red"))
    for item in _all_intended(proof):
        if item not in shown:
            out.append((f"    intended  {_intended(item)}", "cyan"))
    if proof.ok:
        out.append(("    unintended: none", "green"))
    for difference in proof.unintended:
        out.append((f"    UNINTENDED  {difference.text}", "bold red"))
        for line in difference.diff.splitlines():
            style = ("green" if line.startswith("+") else "red" if line.startswith("-")
                     else "cyan" if line.startswith("@@") else None)
            out.append((f"        {line}", style))
    if proof.diff is not None:
        out.append((f"    rendered diff: {diff_summary(proof.diff)}", None))
        if with_diff:
            out += [(f"      {line}", None) for line in diff_text(proof.diff).splitlines()]
    return out


def _phase(result: PhaseResult, shown: set[Intended], with_diff: bool) -> list[Line]:
    plan = result.plan
    out: list[Line] = [("", None)]
    title = plan.title or ("nothing to do" if plan.empty else "")
    out.append((f"{plan.phase}: {title}", "bold"))
    for change in sorted(plan.changes, key=lambda c: ("cud".index(c.action[0]), c.path)):
        mark, style = _MARK[change.action]
        suffix = f"  {change.summary}" if change.summary else ""
        out.append((f"  {mark} {change.path}{suffix}", style))
    out += [(f"  = {note}", None) for note in plan.notes]
    out += [(f"  not migrated: {skip.app}: {skip.reason}", "yellow") for skip in plan.skipped]
    if result.proof is not None:
        out += _proof(result.proof, shown, with_diff)
        shown |= set(_all_intended(result.proof))
    return out


def lines(migration: Migration, *, with_diff: bool = False) -> list[Line]:
    counts = migration.counts()
    what = ("applied" if migration.applied else "not applied" if migration.aborted
            else "plan, nothing written")
    out: list[Line] = [(f"argoplane migrate {migration.repo.name}: {what}", "bold")]
    shown: set[Intended] = set()
    for result in migration.phases:
        out += _phase(result, shown, with_diff)
    out.append(("", None))
    parts = [f"{counts['create']} to create" if counts["create"] else "",
             f"{counts['update']} to change" if counts["update"] else "",
             f"{counts['delete']} to delete" if counts["delete"] else ""]
    files = ", ".join(p for p in parts if p)
    failed = [r.plan.phase for r in migration.phases if r.proof is not None and not r.proof.ok]
    if not migration.changes:
        out.append(("Nothing to do.", "bold"))
    elif migration.applied:
        done = [f"{counts['create']} created" if counts["create"] else "",
                f"{counts['update']} changed" if counts["update"] else "",
                f"{counts['delete']} deleted" if counts["delete"] else ""]
        out.append((f"Written: {', '.join(d for d in done if d)} "
                    f"({_plural(len(migration.changes), 'file')}).", "bold green"))
    elif migration.aborted:
        out.append((f"Nothing written: the proof of {', '.join(failed)} found unintended "
                    "differences (above).", "bold red"))
    elif failed:
        out.append((f"Files: {files}. The proof of {', '.join(failed)} found unintended "
                    "differences: --apply would write nothing.", "bold red"))
    else:
        out.append((f"Files: {files}. Every proof holds; run again with --apply to write "
                    "them.", "bold"))
    return out


def _proof_json(proof: Proof) -> dict[str, Any]:
    return {
        "environment": proof.environment, "ok": proof.ok,
        "applications": proof.applications, "resources": proof.resources,
        "identical": proof.identical,
        "intended": [{"kind": i.kind, "text": i.text, "count": i.count}
                     for i in proof.intended],
        "unintended": [{"text": d.text, "diff": d.diff} for d in proof.unintended],
        "added_applications": proof.added_apps,
        "added_resources": proof.added_resources,
    }


def to_json(migration: Migration) -> str:
    counts = migration.counts()
    data = {
        "repo": str(migration.repo),
        "phases": [{
            "phase": r.plan.phase, "title": r.plan.title,
            "changes": [{"path": c.path, "action": c.action, "summary": c.summary}
                        for c in r.plan.changes],
            "notes": r.plan.notes,
            "skipped": [{"app": s.app, "reason": s.reason} for s in r.plan.skipped],
            "renamed": r.plan.renames,
            "proof": _proof_json(r.proof) if r.proof is not None else None,
        } for r in migration.phases],
        "changes": [{"path": c.path, "action": c.action} for c in migration.changes],
        "summary": {**counts, "ok": migration.ok, "applied": migration.applied,
                    "aborted": migration.aborted},
    }
    return json.dumps(data, indent=2) + "\n"
