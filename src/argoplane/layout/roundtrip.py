"""Edit YAML files in place: comments, key order, quoting and indentation are kept.

ruamel.yaml's round trip, set up with the indentation the file already uses, so an edit
changes the lines it means to change and no others.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from argoplane.core.errors import YAMLError
from argoplane.layout.yamltext import scalar

_KEY_LINE = re.compile(r"^(\s*)[^\s#-][^#]*:\s*(#.*)?$")
_ITEM = re.compile(r"^(\s*)-(\s+)\S")


@dataclass(frozen=True)
class Indent:
    mapping: int = 2
    sequence: int = 4
    offset: int = 2


def guess_indent(text: str) -> Indent:
    """The indentation of nested mappings and of `- ` items under a key, as written."""
    mapping: int | None = None
    sequence: tuple[int, int] | None = None
    prev: re.Match[str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if prev is not None:
            parent = len(prev.group(1))
            item = _ITEM.match(line)
            if item is not None and sequence is None and indent >= parent:
                offset = indent - parent
                sequence = (offset + 1 + len(item.group(2)), offset)
            elif item is None and mapping is None and indent > parent:
                mapping = indent - parent
        if mapping is not None and sequence is not None:
            break
        prev = _KEY_LINE.match(line)
    default = Indent()
    seq, offset = sequence if sequence is not None else (default.sequence, default.offset)
    return Indent(mapping or default.mapping, max(seq, offset + 2), offset)


class Document:
    """One YAML document loaded for editing; `text()` writes it back."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.original = text
        self._yaml = YAML(typ="rt")
        self._yaml.preserve_quotes = True
        self._yaml.width = 4096
        indent = guess_indent(text)
        self._yaml.indent(mapping=indent.mapping, sequence=indent.sequence,
                          offset=indent.offset)
        self._yaml.explicit_start = text.lstrip().startswith("---")
        try:
            self.data: Any = self._yaml.load(text)
        except (MarkedYAMLError, RuamelError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise YAMLError(f"invalid YAML: {problem}", file=file, line=line) from None

    def text(self) -> str:
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()


def plain(node: Any) -> Any:
    """Round-trip nodes as plain dicts, lists and scalars."""
    if isinstance(node, Mapping):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def string_like(new: str, old: Any = None) -> Any:
    """`new` as a scalar for a round-trip document: quoted the way `old` was, or as YAML
    readers need it (`1.10` or `on` would not read back as strings when plain)."""
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    if isinstance(old, DoubleQuotedScalarString) or scalar(new) != new:
        return DoubleQuotedScalarString(new)
    return new
