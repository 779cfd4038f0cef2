"""The repository's directory tree, trimmed to what matters and annotated with what each file is.

Folders that look alike (one per service, one per environment) are shown once and the rest
are summed up on one line; chart templates and long lists of files are folded.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field

from argoplane.assess.images import is_tag_file
from argoplane.assess.inventory import Inventory
from argoplane.core.errors import ArgoplaneError
from argoplane.render.discover import Candidate

MAX_DEPTH = 6
MAX_FILES = 6
SHOW_ALL = 8  # up to this many files in a folder are all shown
ALIKE = 0.6  # share of common files for two folders to count as the same layout
_KEEP_HIDDEN = {".argoplane.yaml", ".sops.yaml"}
_SKIP_FILES = {".helmignore", ".gitkeep", ".gitignore", ".DS_Store"}


@dataclass
class Node:
    name: str
    files: list[str] = field(default_factory=list)  # repo-relative paths of files directly here
    dirs: dict[str, Node] = field(default_factory=dict)

    def all_files(self, prefix: str = "") -> set[str]:
        out = {prefix + posixpath.basename(f) for f in self.files}
        for name, child in self.dirs.items():
            out |= child.all_files(f"{prefix}{name}/")
        return out


def _build(files: list[str]) -> Node:
    root = Node("")
    for rel in files:
        parts = rel.split("/")
        if any(p.startswith(".") and p not in _KEEP_HIDDEN for p in parts) \
                or parts[-1] in _SKIP_FILES:
            continue
        node = root
        for part in parts[:-1]:
            node = node.dirs.setdefault(part, Node(part))
        node.files.append(rel)
    return root


def _signature(node: Node) -> set[str]:
    return {f.replace(node.name, "*") for f in node.all_files()}


def _alike(a: Node, b: Node) -> bool:
    sa, sb = _signature(a), _signature(b)
    if not sa or not sb:
        return False
    return len(sa & sb) / len(sa | sb) >= ALIKE


class Annotator:
    """What a file is, in a few words, from the manifests and the inventory."""

    def __init__(self, inventory: Inventory, candidates: list[Candidate]) -> None:
        self.inventory = inventory
        self.by_file: dict[str, list[Candidate]] = {}
        for c in candidates:
            self.by_file.setdefault(c.file, []).append(c)
        tree = inventory.tree
        self.appset_apps = {s.name: len(s.applications) for s in tree.appsets}
        self.roots = {a.name: a for a in inventory.roots}
        self.charts = {a.source_path for a in inventory.apps if a.source_type == "helm"}
        layers = [la for a in inventory.apps for la in a.layers if la.file]
        self.layers = {la.file: la for la in layers}

    def __call__(self, rel: str) -> str:
        base = posixpath.basename(rel)
        if rel in self.by_file:
            return "; ".join(self._manifest(c) for c in self.by_file[rel][:2]) + (
                f" (+{len(self.by_file[rel]) - 2} more)" if len(self.by_file[rel]) > 2 else "")
        folder = posixpath.dirname(rel)
        if base == "Chart.yaml" and folder in self.charts:
            return "Helm chart"
        layer = self.layers.get(rel)
        if layer is not None:
            if layer.encrypted:
                return "secrets, SOPS-encrypted"
            if layer.secrets:
                return "secrets, plain text"
            if layer.kind == "chart":
                return "base values" + (", image tag inside" if self._has_tag(layer.data) else "")
            if layer.data is not None and is_tag_file(layer.data):
                return "image tag"
            return "values"
        if base == ".argoplane.yaml":
            return "argoplane settings"
        if base == ".sops.yaml":
            return "SOPS rules: who can decrypt what"
        return ""

    @staticmethod
    def _has_tag(data: Mapping[str, object] | None) -> bool:
        image = (data or {}).get("image")
        return isinstance(image, Mapping) and image.get("tag") not in (None, "")

    def _manifest(self, c: Candidate) -> str:
        from argoplane.argocd.objects import name_of

        name = name_of(c.manifest)
        if c.kind == "ApplicationSet":
            count = self.appset_apps.get(name)
            return f"ApplicationSet {name}" + (f" -> {count} Applications" if count else "")
        if c.kind == "AppProject":
            return f"AppProject {name}"
        if name in self.roots:
            return f"root Application {name}"
        return f"Application {name}"


def directory_tree(title: str, files: list[str], annotate: Annotator) -> list[str]:
    """The trimmed tree as text lines, each annotated file with a `# note`."""
    root = _build(files)
    rows: list[tuple[str, str]] = [(f"{title}/", "")]
    _walk(root, "", 0, rows, annotate)
    width = min(max(len(r[0]) for r in rows) + 2, 56)
    return [f"{text.ljust(width)}# {note}" if note else text for text, note in rows]


def _walk(node: Node, prefix: str, depth: int, rows: list[tuple[str, str]],
          annotate: Annotator) -> None:
    entries: list[tuple[str, object]] = []
    dirs = sorted(node.dirs.values(), key=lambda d: d.name)
    used: set[str] = set()
    for d in dirs:
        if d.name in used:
            continue
        used.add(d.name)
        alike = [o for o in dirs if o.name not in used and _alike(d, o)]
        used.update(o.name for o in alike)
        entries.append(("dir", d))
        if alike:
            entries.append(("alike", (d, alike)))
    files = sorted(node.files, key=lambda f: (not posixpath.basename(f).lower().startswith(
        "readme"), f))
    noted = [f for f in files if annotate(f)]
    plain = [f for f in files if f not in noted]
    shown = files if len(files) <= SHOW_ALL else [
        f for f in files if f in noted[:MAX_FILES - 1] or f in plain[:1]]
    if len(shown) < len(files) and len(shown) < MAX_FILES:
        shown = files[:MAX_FILES - 1]
    file_entries: list[tuple[str, object]] = [("file", f) for f in shown]
    if len(shown) < len(files):
        file_entries.append(("more", len(files) - len(shown)))
    entries = file_entries + entries
    for index, (kind, item) in enumerate(entries):
        last = index == len(entries) - 1
        branch = "└── " if last else "├── "
        child_prefix = prefix + ("    " if last else "│   ")
        if kind == "file":
            assert isinstance(item, str)
            rows.append((prefix + branch + posixpath.basename(item), annotate(item)))
        elif kind == "more":
            rows.append((prefix + branch + f"… {item} more files like these", ""))
        elif kind == "alike":
            assert isinstance(item, tuple)
            first, others = item
            names = [o.name for o in others]
            shown_names = ", ".join(names[:4]) + (f" and {len(names) - 4} more"
                                                  if len(names) > 4 else "")
            if len(names) == 1:
                rows.append((prefix + branch + f"{names[0]}/", f"same layout as {first.name}/"))
            else:
                rows.append((prefix + branch + f"… {len(names)} more like {first.name}/: "
                             f"{shown_names}", ""))
        else:
            assert isinstance(item, Node)
            _dir_row(item, prefix + branch, child_prefix, depth, rows, annotate)


def _dir_row(node: Node, head: str, prefix: str, depth: int, rows: list[tuple[str, str]],
             annotate: Annotator) -> None:
    if node.name == "templates" and not node.dirs and node.files:
        names = [posixpath.basename(f) for f in node.files]
        rows.append((head + "templates/", ", ".join(names[:5]) + (
            f" and {len(names) - 5} more" if len(names) > 5 else "")))
        return
    count = len(node.all_files())
    if depth + 1 >= MAX_DEPTH:
        rows.append((head + f"{node.name}/", f"{count} files"))
        return
    rows.append((head + f"{node.name}/", ""))
    _walk(node, prefix, depth + 1, rows, annotate)


def load_candidates_safe(inventory: Inventory) -> list[Candidate]:
    from argoplane.render.discover import discover

    try:
        candidates, _ = discover(inventory.snapshot)
    except ArgoplaneError:
        return []
    return candidates
