"""Where a finding points: the line of a manifest in its file, and of a field inside it."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError
from argoplane.core.snapshot import Snapshot

FieldPath = Sequence[str | int]


def child(node: yaml.Node | None, key: str | int) -> tuple[yaml.Node, int] | None:
    """The value node under `key` (a mapping key or a list index) and the line naming it."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v, k.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(
            node.value):
        item = node.value[key]
        return item, item.start_mark.line + 1
    return None


def scalar(node: yaml.Node | None, *path: str | int) -> str | None:
    for key in path:
        found = child(node, key)
        if found is None:
            return None
        node = found[0]
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def field_line(node: yaml.Node, path: FieldPath) -> int:
    """The line of the field at `path`, or of its deepest ancestor that exists."""
    line = node.start_mark.line + 1
    for key in path:
        found = child(node, key)
        if found is None:
            break
        node, line = found
    return line


class Locator:
    """Parses repository files once, on demand, for the positions of their documents."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._nodes: dict[str, list[yaml.Node]] = {}

    def documents(self, file: str) -> list[yaml.Node]:
        if file not in self._nodes:
            try:
                text = self.snapshot.read_text(file)
                self._nodes[file] = yamlio.document_nodes(text, file)
            except (ArgoplaneError, OSError):
                self._nodes[file] = []
        return self._nodes[file]

    def document(self, file: str, *, kind: str | None = None, name: str | None = None,
                 namespace: str | None = None, index: int | None = None) -> yaml.Node | None:
        docs = self.documents(file)
        if index is not None:
            return docs[index] if 0 <= index < len(docs) else None
        for doc in docs:
            if kind is not None and scalar(doc, "kind") != kind:
                continue
            if name is not None and scalar(doc, "metadata", "name") != name:
                continue
            doc_ns = scalar(doc, "metadata", "namespace")
            if namespace and doc_ns and doc_ns != namespace:
                continue
            return doc
        return None

    def line(self, file: str, path: FieldPath = (), *, kind: str | None = None,
             name: str | None = None, namespace: str | None = None,
             index: int | None = None) -> int | None:
        doc = self.document(file, kind=kind, name=name, namespace=namespace, index=index)
        if doc is None:
            if index is None and kind is None and name is None:
                return 1 if self.documents(file) or self._readable(file) else None
            return None
        return field_line(doc, path)

    def _readable(self, file: str) -> bool:
        try:
            return self.snapshot.resolve(file).is_file()
        except ArgoplaneError:
            return False
