"""YAML documents with the line of every mapping key, for findings that point at a line.

Documents are read with the fast loader; positions need libyaml's node tree, a few times the
work, so it is built only when a finding asks for a line, once per file.
"""

from __future__ import annotations

from typing import Any

import yaml

from argoplane.core import yamlio
from argoplane.core.errors import YAMLError

Path_ = tuple[Any, ...]


class _Positions:
    """The node trees of a stream's non-empty documents, built on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._nodes: list[yaml.Node] | None = None
        self._lines: dict[int, dict[Path_, int]] = {}

    def node(self, index: int) -> yaml.Node | None:
        if self._nodes is None:
            try:
                self._nodes = yamlio.document_nodes(self.text, "")
            except YAMLError:
                self._nodes = []
        return self._nodes[index] if index < len(self._nodes) else None

    def lines(self, index: int) -> dict[Path_, int]:
        known = self._lines.get(index)
        if known is None:
            known = self._lines[index] = {}
            node = self.node(index)
            if node is not None:
                _index(node, (), known)
        return known


class Document:
    """One non-empty document of a stream: its data, and lines on demand."""

    __slots__ = ("_index", "_positions", "data")

    def __init__(self, data: Any, positions: _Positions, index: int) -> None:
        self.data = data
        self._positions = positions
        self._index = index

    @property
    def line(self) -> int:
        """1-based line where the document's content starts."""
        node = self._positions.node(self._index)
        return node.start_mark.line + 1 if node is not None else 1

    @property
    def lines(self) -> dict[Path_, int]:
        """Key path -> line of that key (or list item)."""
        return self._positions.lines(self._index)

    def line_of(self, path: Path_) -> int:
        """The line of the deepest known key on `path` (the document start if none)."""
        lines = self.lines
        for end in range(len(path), 0, -1):
            if path[:end] in lines:
                return lines[path[:end]]
        return self.line


def _index(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                here = (*path, key.value)
                out.setdefault(here, key.start_mark.line + 1)
                _index(value, here, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            here = (*path, i)
            out.setdefault(here, item.start_mark.line + 1)
            _index(item, here, out)


def documents(text: str) -> list[Document]:
    """Every non-empty document; raises `YAMLError` (naming no file) on invalid YAML."""
    positions = _Positions(text)
    return [Document(data, positions, i) for i, data in enumerate(yamlio.load_all(text, ""))]
