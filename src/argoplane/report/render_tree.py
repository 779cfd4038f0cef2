"""`argoplane render -o tree`: the App-of-Apps hierarchy with each app's resources."""

from __future__ import annotations

from rich.markup import escape
from rich.tree import Tree

from argoplane.argocd.objects import APPLICATION, APPLICATION_SET, argo_kind, project_of
from argoplane.render.model import RenderedApp, RenderedAppSet, RenderedTree
from argoplane.report.render_formats import destination_label

_STATUS_STYLE = {"rendered": "green", "skipped": "yellow", "error": "bold red"}
_LEVEL_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


def _app_label(app: RenderedApp) -> str:
    style = _STATUS_STYLE[app.status]
    own = [r for r in app.resources if argo_kind(r.manifest) not in (APPLICATION, APPLICATION_SET)]
    children = len(app.resources) - len(own)
    parts = []
    if own or not children:
        parts.append(f"{len(own)} resource{'s' if len(own) != 1 else ''}")
    if children:
        parts.append(f"deploys {children} Argo CD object{'s' if children != 1 else ''}")
    count = ", " + ", ".join(parts) if app.status != "skipped" else ""
    return (f"[bold]Application[/] [cyan]{escape(app.name)}[/]  "
            f"[dim]project[/] {escape(project_of(app.manifest))}  "
            f"[dim]→[/] {escape(destination_label(app))}  [{style}]{app.status}[/]{count}")


def _messages(node: Tree, messages: list) -> None:  # type: ignore[type-arg]
    for m in messages:
        node.add(f"[{_LEVEL_STYLE[m.level]}]{m.level}: {escape(m.text)}[/]")


def _add_app(parent: Tree, app: RenderedApp, tree: RenderedTree, seen: set[int]) -> None:
    if id(app) in seen:
        return
    seen.add(id(app))
    node = parent.add(_app_label(app))
    _messages(node, app.messages)
    for r in app.resources:
        kind = argo_kind(r.manifest)
        if kind == APPLICATION:
            child = next((a for a in tree.apps if a.name == r.name and a.parent == app.name
                          and a.generated_by is None and id(a) not in seen), None)
            if child is not None:
                _add_app(node, child, tree, seen)
            continue
        if kind == APPLICATION_SET:
            appset = next((s for s in tree.appsets if s.name == r.name and s.parent == app.name),
                          None)
            if appset is not None:
                _add_appset(node, appset, tree, seen)
            continue
        where = f"{r.namespace}/" if r.namespace else ""
        node.add(f"{escape(r.kind)} [white]{escape(where + r.name)}[/]")


def _add_appset(parent: Tree, appset: RenderedAppSet, tree: RenderedTree, seen: set[int]) -> None:
    count = len(appset.applications)
    node = parent.add(f"[bold]ApplicationSet[/] [magenta]{escape(appset.name)}[/]  "
                      f"[dim]→[/] {count} Application{'s' if count != 1 else ''}")
    _messages(node, appset.messages)
    for name in appset.applications:
        child = next((a for a in tree.apps if a.name == name and a.generated_by == appset.name
                      and id(a) not in seen), None)
        if child is not None:
            _add_app(node, child, tree, seen)


def build_tree(tree: RenderedTree, title: str, apps: list[RenderedApp]) -> Tree:
    """The whole tree; with `apps` narrowed by --app, only those apps and their resources."""
    root = Tree(f"[bold]{escape(title)}[/]")
    seen: set[int] = set()
    selected = {id(a) for a in apps}
    if len(selected) != len(tree.apps):
        for app in apps:
            _add_app(root, app, tree, seen)
    else:
        for name in tree.roots:
            appset = next((s for s in tree.appsets if s.name == name and s.parent is None), None)
            if appset is not None and id(appset) not in seen:
                _add_appset(root, appset, tree, seen)
                seen.add(id(appset))
                continue
            top = next((a for a in tree.apps if a.name == name and a.parent is None
                        and a.generated_by is None and id(a) not in seen), None)
            if top is not None:
                _add_app(root, top, tree, seen)
    for m in tree.messages:
        root.add(f"[{_LEVEL_STYLE[m.level]}]{m.level}: {escape(m.text)}[/]")
    if tree.projects:
        projects = root.add("[bold]AppProjects[/]")
        for name in sorted(tree.projects):
            where = tree.project_files.get(name)
            projects.add(f"[blue]{escape(name)}[/]" + (f"  [dim]{escape(where)}[/]" if where
                                                        else ""))
    return root


def summary_line(tree: RenderedTree, apps: list[RenderedApp]) -> str:
    by_status = {s: sum(a.status == s for a in apps) for s in ("rendered", "skipped", "error")}
    resources = sum(len(a.resources) for a in apps)
    return (f"{len(tree.roots)} root{'s' if len(tree.roots) != 1 else ''}, "
            f"{len(tree.appsets)} ApplicationSets, {len(apps)} Applications "
            f"({by_status['rendered']} rendered, {by_status['skipped']} skipped, "
            f"{by_status['error']} failed), {resources} resources, "
            f"{len(tree.projects)} AppProjects")
