"""`argoplane diff -o markdown`: a merge request comment that stays under a size limit.

A summary table, then one collapsible `<details>` per Application with one `diff` block.
When the comment would be longer than the limit (GitHub refuses comments over 65,536
characters), the largest diffs are truncated first, as little as needed, so small diffs stay
whole; if even that is not enough, the Applications with the largest diffs lose their
details. A note at the end says what was cut.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from argoplane.diff.model import AppChange, ResourceChange, TreeDiff

DEFAULT_MAX_CHARS = 65_000
_MAX_NAMES = 20

_APP_MARK = {"added": "+", "removed": "-", "changed": "~"}
_RES_MARK = {"added": "+", "removed": "-", "modified": "~", "moved": ">"}


@dataclass(frozen=True)
class _Unit:
    """One diff in an Application's block: a header line, notes and the diff itself."""

    header: str
    notes: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class _Cut:
    app: str
    header: str
    lines: int


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _units(app: AppChange) -> list[_Unit]:
    units: list[_Unit] = []
    if app.spec_diff:
        what = (f"{', '.join(app.fields)} changed" if app.action == "changed"
                else app.action)
        units.append(_Unit(f"# {_APP_MARK[app.action]} Application {app.name}: {what}", (),
                           app.spec_diff))
    for r in app.resources:
        units.append(_resource_unit(app, r))
    return units


def _resource_unit(app: AppChange, r: ResourceChange) -> _Unit:
    what: str = r.action
    if r.action == "moved":
        what = f"moved to {r.app}" if r.from_app == app.name else f"moved from {r.from_app}"
    notes = (f"# Secret keys changed: {', '.join(r.secret_keys)}",) if r.secret_keys else ()
    body = "" if r.action == "moved" and r.from_app == app.name else r.diff
    return _Unit(f"# {_RES_MARK[r.action]} {r.title} ({what})", notes, body)


def _cut(body: str, cap: int | None) -> tuple[str, int]:
    """`body` within `cap` characters, whole lines only; and how many lines were cut."""
    if cap is None or len(body) <= cap:
        return body, 0
    kept: list[str] = []
    size = 0
    lines = body.splitlines()
    for line in lines:
        if size + len(line) + 1 > cap:
            break
        kept.append(line)
        size += len(line) + 1
    cut = len(lines) - len(kept)
    return "\n".join([*kept, f"… {_plural(cut, 'more line')} cut"]), cut


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _app_summary(app: AppChange) -> str:
    parts: list[str] = [app.action]
    if app.fields:
        parts.append(f"Application {', '.join(app.fields)}")
    counts = [f"{app.count(a)} {a}" for a in ("added", "removed", "modified", "moved")
              if app.count(a)]
    if counts:
        parts.append(_plural(len(app.resources), "resource") + ": " + ", ".join(counts))
    if app.status is not None:
        parts.append(f"status {app.status[0]} → {app.status[1]}")
    return (f"<summary><code>{_APP_MARK[app.action]}</code> <b>{html.escape(app.name)}</b> · "
            f"{html.escape(' · '.join(parts))}</summary>")


def _header(diff: TreeDiff) -> list[str]:
    counts = diff.resource_counts()
    apps = {"added": len(diff.apps_with("added")), "removed": len(diff.apps_with("removed")),
            "changed": len(diff.apps_with("changed"))}
    changed_res = counts["modified"] + counts["moved"]
    moved = f" ({counts['moved']} moved)" if counts["moved"] else ""
    lines = [
        "### argoplane diff",
        "",
        f"`{diff.base.label}` → `{diff.head.label}`",
        "",
    ]
    if not diff.changed:
        return [*lines, f"No differences: {_plural(diff.unchanged, 'application')} unchanged.",
                ""]
    return [
        *lines,
        "| | Added | Removed | Changed | Unchanged |",
        "|---|---:|---:|---:|---:|",
        f"| Applications | {apps['added']} | {apps['removed']} | {apps['changed']} | "
        f"{diff.unchanged} |",
        f"| Resources | {counts['added']} | {counts['removed']} | {changed_res}{moved} | |",
        "",
    ]


def _errors(diff: TreeDiff) -> list[str]:
    if not diff.head_errors:
        return []
    lines = [f"**{_plural(len(diff.head_errors), 'error')} rendering "
             f"`{diff.head.label}`:**", ""]
    lines += [f"- {html.escape(e)}" for e in diff.head_errors[:_MAX_NAMES]]
    if len(diff.head_errors) > _MAX_NAMES:
        lines.append(f"- and {len(diff.head_errors) - _MAX_NAMES} more")
    return [*lines, ""]


def _build(diff: TreeDiff, units: dict[str, list[_Unit]], cap: int | None,
           hidden: set[str]) -> str:
    out = _header(diff) + _errors(diff)
    cuts: list[_Cut] = []
    for app in diff.apps:
        if app.name in hidden:
            continue
        block: list[str] = []
        for unit in units[app.name]:
            body, cut = _cut(unit.body, cap)
            if cut:
                cuts.append(_Cut(app.name, unit.header.lstrip("# "), cut))
            block += [unit.header, *unit.notes]
            if body:
                block.append(body)
        text = "\n".join(block)
        fence = _fence(text)
        out += ["<details>", _app_summary(app), ""]
        out += [f"- error: {html.escape(e)}" for e in app.errors]
        if app.errors:
            out.append("")
        out += [f"{fence}diff", text, fence, "", "</details>", ""]
    if hidden:
        shown = [a.name for a in diff.apps if a.name in hidden]
        names = ", ".join(f"`{n}`" for n in shown[:_MAX_NAMES])
        more = f" and {len(shown) - _MAX_NAMES} more" if len(shown) > _MAX_NAMES else ""
        out += [f"{_plural(len(shown), 'application')} with the largest diffs shown without "
                f"details: {names}{more}.", ""]
    if cuts or hidden:
        out.append(f"> Cut to stay under the comment size limit: "
                   f"{_plural(len(cuts), 'diff')} truncated, largest first"
                   + (f"; {_plural(len(hidden), 'application')} without details" if hidden
                      else "")
                   + ". Run `argoplane diff` for everything.")
        for c in cuts[:_MAX_NAMES]:
            out.append(f"> - {html.escape(c.app)}: {html.escape(c.header)}, "
                       f"{_plural(c.lines, 'line')} cut")
        if len(cuts) > _MAX_NAMES:
            out.append(f"> - and {len(cuts) - _MAX_NAMES} more")
        out.append("")
    return "\n".join(out)


def _largest_cap(diff: TreeDiff, units: dict[str, list[_Unit]], hidden: set[str],
                 max_chars: int) -> str | None:
    """The comment with the largest per-diff cap that fits, or None when none does."""
    sizes = [len(u.body) for name, us in units.items() if name not in hidden for u in us]
    low, high, best = 0, max(sizes, default=0), None
    while low <= high:
        mid = (low + high) // 2
        candidate = _build(diff, units, mid, hidden)
        if len(candidate) <= max_chars:
            best, low = candidate, mid + 1
        else:
            high = mid - 1
    return best


def diff_markdown(diff: TreeDiff, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The comment, at most `max_chars` characters long."""
    units = {app.name: _units(app) for app in diff.apps}
    doc = _build(diff, units, None, set())
    if len(doc) <= max_chars:
        return doc
    best = _largest_cap(diff, units, set(), max_chars)
    if best is not None:
        return best
    # the fewest Applications (largest diffs first) to show without details
    by_size = [a.name for a in sorted(
        diff.apps, key=lambda a: -sum(len(u.body) for u in units[a.name]))]
    low, high = 1, len(by_size)
    while low < high:
        mid = (low + high) // 2
        if len(_build(diff, units, 0, set(by_size[:mid]))) <= max_chars:
            high = mid
        else:
            low = mid + 1
    hidden = set(by_size[:low])
    best = _largest_cap(diff, units, hidden, max_chars)
    if best is not None:
        return best
    note = "> Too many changes to show here: run `argoplane diff`."
    minimal = "\n".join([*_header(diff), note, ""])
    return minimal[:max_chars]
