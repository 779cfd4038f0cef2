"""YAML and JSON reading with positions in errors, using libyaml when available."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import yaml

from argoplane.core.errors import YAMLError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: far faster
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _error(exc: yaml.YAMLError, file: str, text: str) -> YAMLError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context_mark", None)
    if mark is not None and context is not None and mark.index >= len(text.rstrip()):
        mark = context  # failed at the end of the file: where the unclosed construct began
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = mark.line + 1 if mark is not None else None
    return YAMLError(f"invalid YAML: {problem}", file=file, line=line)


def load_all(text: str, file: str) -> list[Any]:
    """Every document of a YAML stream; empty documents are dropped."""
    try:
        return [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except yaml.YAMLError as exc:
        raise _error(exc, file, text) from None


def iter_documents(text: str, file: str) -> Iterator[Any]:
    """Documents one by one, so callers can tell a failure after good documents."""
    try:
        for doc in yaml.load_all(text, Loader=_Loader):
            if doc is not None:
                yield doc
    except yaml.YAMLError as exc:
        raise _error(exc, file, text) from None


def load(text: str, file: str) -> Any:
    """A single YAML (or JSON) document; an empty file is None."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _error(exc, file, text) from None


def load_json_or_yaml(text: str, file: str) -> Any:
    """JSON first (Go's YAML parser accepts tab-indented JSON, PyYAML does not), then YAML."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return load(text, file)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=1 << 16)


def dump_all(docs: list[Any]) -> str:
    return yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=1 << 16)


_NULL_TAG = "tag:yaml.org,2002:null"


def document_nodes(text: str, file: str) -> list[yaml.Node]:
    """The node tree of every non-empty document, aligned with `load_all` (for positions)."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise _error(exc, file, text) from None
    return [n for n in nodes
            if n is not None and not (isinstance(n, yaml.ScalarNode) and n.tag == _NULL_TAG)]


def document_lines(text: str, file: str) -> list[int]:
    """The 1-based line where each non-empty document's content starts (as `load_all`)."""
    return [n.start_mark.line + 1 for n in document_nodes(text, file)]
