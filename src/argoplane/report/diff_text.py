"""`argoplane diff -o text`: the changes as a terminal reads them, plain or coloured."""

from __future__ import annotations

from rich.text import Text

from argoplane.diff.model import AppChange, ResourceChange, TreeDiff

Line = tuple[str, str | None]  # text, rich style

_APP_MARK = {"added": "+", "removed": "-", "changed": "~"}
_RES_MARK = {"added": "+", "removed": "-", "modified": "~", "moved": ">"}
_STYLE = {"+": "green", "-": "red", "~": "yellow", ">": "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(diff: TreeDiff) -> str:
    apps = (f"{len(diff.apps_with('changed'))} changed, {len(diff.apps_with('added'))} added, "
            f"{len(diff.apps_with('removed'))} removed, {diff.unchanged} unchanged")
    counts = diff.resource_counts()
    res = ", ".join(f"{counts[a]} {a}" for a in ("added", "removed", "modified", "moved"))
    return f"applications: {apps}; resources: {res}"


def _diff_lines(text: str, indent: str) -> list[Line]:
    out: list[Line] = []
    for line in text.splitlines():
        style = ("cyan" if line.startswith("@@") else "green" if line.startswith("+")
                 else "red" if line.startswith("-") else None)
        out.append((indent + line, style))
    return out


def _resource(app: AppChange, change: ResourceChange) -> list[Line]:
    mark = _RES_MARK[change.action]
    head = f"    {mark} {change.title}"
    if change.action == "moved":
        head += (f"  (moved to {change.app})" if change.from_app == app.name
                 else f"  (moved from {change.from_app})")
        if change.from_app == app.name:
            return [(head, _STYLE[mark])]
    elif change.action != "modified":
        head += f"  ({change.action})"
    lines: list[Line] = [(head, _STYLE[mark])]
    if change.secret_keys:
        lines.append((f"      Secret keys changed: {', '.join(change.secret_keys)}", "yellow"))
    return lines + _diff_lines(change.diff, "      ")


def _app(app: AppChange) -> list[Line]:
    mark = _APP_MARK[app.action]
    where = f"project {app.project}" if app.project else ""
    if app.generated_by:
        where += f", from ApplicationSet {app.generated_by}"
    label = f"{mark} {app.name}" + (f"  ({app.action}; {where})" if app.action != "changed"
                                    else f"  ({where})" if where else "")
    lines: list[Line] = [(label, f"bold {_STYLE[mark]}")]
    if app.status is not None:
        lines.append((f"    status: {app.status[0]} -> {app.status[1]}", "yellow"))
    lines += [(f"    error: {e}", "red") for e in app.errors]
    if app.fields:
        lines.append((f"    ~ Application: {', '.join(app.fields)} changed", "yellow"))
        lines += _diff_lines(app.spec_diff, "      ")
    for change in app.resources:
        lines += _resource(app, change)
    return lines


def lines(diff: TreeDiff) -> list[Line]:
    out: list[Line] = [(f"argoplane diff: {diff.base.label} -> {diff.head.label}", "bold")]
    if not diff.changed:
        out.append((f"no differences ({_plural(diff.unchanged, 'application')} unchanged)",
                    None))
        return out
    out.append((summary(diff), None))
    for app in diff.apps:
        out.append(("", None))
        out += _app(app)
    return out


def diff_text(diff: TreeDiff) -> str:
    return "".join(text + "\n" for text, _ in lines(diff))


def diff_rich(diff: TreeDiff) -> Text:
    """The same lines with styles; the console decides whether colour is shown."""
    text = Text()
    for line, style in lines(diff):
        text.append(line, style=style)
        text.append("\n")
    return text
