"""YAML and JSON reading with positions in errors, using libyaml when available.

Documents are built straight from libyaml's parse events for the common case (plain
mappings, sequences and scalars that are strings, null, booleans, integers or floats), which
is about twice as fast as PyYAML's constructor; anything else (anchors and aliases, tags,
merge keys, timestamps, complex keys) is read again by PyYAML's safe loader, so the result,
and every error, is exactly what `yaml.safe_load` gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

import yaml
from yaml.events import (
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from argoplane.core.errors import YAMLError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: far faster
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_NULL = "tag:yaml.org,2002:null"
_SCALAR_TAGS = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                          "tag:yaml.org,2002:float"})
# the safe loader's implicit resolvers, by first character of a plain scalar
_RESOLVERS: dict[str, tuple[tuple[str, Any], ...]] = {
    key: tuple(value) for key, value in _Loader.yaml_implicit_resolvers.items()
    if key is not None
}
_FAST = not _Loader.yaml_implicit_resolvers.get(None) and not _Loader.yaml_path_resolvers


class _Slow(Exception):
    """The stream uses a feature the event reader leaves to PyYAML's constructor."""


_NO_KEY: Any = object()


_RESOLVABLE = frozenset(_RESOLVERS)  # first characters of plain scalars that may not be str


def _resolve(loader: Any, value: str) -> Any:
    """A plain scalar as the safe loader resolves and constructs it (str, None, bool, int,
    float); other types are left to PyYAML."""
    tag = next((t for t, regexp in _RESOLVERS[value[:1]] if regexp.match(value)), None)
    if tag is None:
        return value
    if tag == _NULL:
        return None
    if tag in _SCALAR_TAGS:
        return loader.yaml_constructors[tag](loader, ScalarNode(tag, value))
    raise _Slow  # timestamps, merge keys, `=`


def _fast_documents(text: str, *, single: bool = False) -> Iterator[Any]:
    """Every document of the stream (None for an empty one), built from parse events.
    `single`: a second document is left to PyYAML (which refuses it)."""
    loader = _Loader(text)
    resolvable = _RESOLVABLE
    try:
        get = loader.get_event
        get()  # StreamStartEvent
        count = 0
        while True:
            event = get()
            if type(event) is StreamEndEvent:
                return
            count += 1
            if single and count > 1:
                raise _Slow
            # a DocumentStartEvent: one node, then DocumentEndEvent
            stack: list[tuple[Any, bool, Any]] = []  # (container, is a list, pending key)
            top: Any = None
            in_list = False
            key: Any = _NO_KEY
            root: Any = None
            while True:
                event = get()
                cls = type(event)
                if cls is ScalarEvent:
                    if event.tag is not None or event.anchor is not None:
                        raise _Slow
                    value = event.value
                    if event.implicit[0] and value[:1] in resolvable:
                        value = _resolve(loader, value)
                    container = False
                elif cls is MappingStartEvent or cls is SequenceStartEvent:
                    if event.tag is not None or event.anchor is not None:
                        raise _Slow
                    value = {} if cls is MappingStartEvent else []
                    container = True
                elif cls is MappingEndEvent or cls is SequenceEndEvent:
                    top, in_list, key = stack.pop()
                    continue
                elif cls is DocumentEndEvent:
                    break
                else:
                    raise _Slow  # an alias
                if in_list:
                    top.append(value)
                elif top is None:
                    root = value
                elif key is _NO_KEY:
                    if container:
                        raise _Slow  # a complex key
                    key = value
                else:
                    top[key] = value
                    key = _NO_KEY
                if container:
                    stack.append((top, in_list, key))
                    top, in_list, key = value, cls is SequenceStartEvent, _NO_KEY
            yield root
    finally:
        loader.dispose()


def _documents(text: str) -> Iterator[Any]:
    """Every non-empty document, as `yaml.load_all` with the safe loader gives them."""
    done = 0
    if _FAST:
        try:
            for doc in _fast_documents(text):
                if doc is not None:
                    done += 1
                    yield doc
            return
        except _Slow:
            pass
    for doc in yaml.load_all(text, Loader=_Loader):
        if doc is not None:
            if done:
                done -= 1  # already given by the event reader
                continue
            yield doc


def _single(text: str) -> Any:
    if _FAST:
        try:
            docs = list(_fast_documents(text, single=True))
            return docs[0] if docs else None
        except _Slow:
            pass
    return yaml.load(text, Loader=_Loader)  # also: "expected a single document"


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
        return list(_documents(text))
    except yaml.YAMLError as exc:
        raise _error(exc, file, text) from None


def iter_documents(text: str, file: str) -> Iterator[Any]:
    """Documents one by one, so callers can tell a failure after good documents."""
    try:
        yield from _documents(text)
    except yaml.YAMLError as exc:
        raise _error(exc, file, text) from None


def load(text: str, file: str) -> Any:
    """A single YAML (or JSON) document; an empty file is None."""
    try:
        return _single(text)
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


T = TypeVar("T")


class ParsedFiles:
    """What was parsed from file contents during one run, keyed by the content (and by the
    parse), so a file read again, by a later step or by the other side of a diff, is not
    parsed again. Failures are not kept: they are raised again, naming the file asked for.
    What it returns is shared: callers must not change it."""

    def __init__(self) -> None:
        self._parsed: dict[Hashable, Any] = {}

    def get(self, key: Hashable, parse: Callable[[], T]) -> T:
        try:
            return self._parsed[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._parsed[key] = parse()
            return value

    def load_all(self, text: str, file: str) -> list[Any]:
        return self.get(("load_all", text), lambda: load_all(text, file))

    def load(self, text: str, file: str) -> Any:
        return self.get(("load", text), lambda: load(text, file))


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
