"""YAML documents with the line of every mapping key, for findings that point at a line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Document:
    data: Any
    line: int  # 1-based line where the document starts
    lines: dict[Path_, int] = field(default_factory=dict, repr=False)  # key path -> line

    def line_of(self, path: Path_) -> int:
        """The line of the deepest known key on `path` (the document start if none)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
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
    """Every non-empty document; raises yaml.YAMLError on invalid YAML."""
    loader = yaml.SafeLoader(text)
    docs: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            data = loader.construct_document(node)
            if data is None:
                continue
            lines: dict[Path_, int] = {}
            _index(node, (), lines)
            docs.append(Document(data, node.start_mark.line + 1, lines))
    finally:
        loader.dispose()
    return docs
