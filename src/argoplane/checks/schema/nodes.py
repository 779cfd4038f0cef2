"""A small structural schema language: what a Kubernetes API server checks on a custom resource.

A schema is a tree of nodes (`Obj`, `ListOf`, `MapOf`, `Str`, `Int`, `Bool`, `IntOrStr`,
`Anything`). `check(schema, value)` returns every problem, each with the field path it is
about. The semantics follow the API server's handling of CRD schemas: a field set to
`null` counts as absent (it is pruned before validation), unknown fields are refused
(strict field validation), integers may not be strings and strings may not be numbers.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: FieldPath
    message: str

    @property
    def where(self) -> str:
        return dotted(self.path)


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(document)"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str | datetime.date):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Node:
    """A schema node; `check` appends the problems of `value` at `path` to `out`."""

    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        raise NotImplementedError


def _wrong_type(value: Any, path: FieldPath, expected: str, out: list[Problem]) -> None:
    hint = ""
    if expected == "a string" and type_name(value) in ("number", "integer", "boolean"):
        hint = " (quote it in YAML)"
    out.append(Problem(path, f"must be {expected}, not {type_name(value)} {_shown(value)}{hint}"))


@dataclass(frozen=True)
class Anything(Node):
    """Any value (x-kubernetes-preserve-unknown-fields without a type)."""

    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        return


@dataclass(frozen=True)
class Str(Node):
    pattern: str | None = None
    min_length: int = 0
    max_length: int | None = None
    enum: tuple[str, ...] = ()

    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        if isinstance(value, datetime.date):
            value = value.isoformat()  # YAML timestamps reach the API server as strings
        if not isinstance(value, str):
            _wrong_type(value, path, "a string", out)
            return
        if self.enum and value not in self.enum:
            out.append(Problem(path, f"must be one of {', '.join(self.enum)}, not {value!r}"))
        if len(value) < self.min_length:
            out.append(Problem(path, f"must be at least {self.min_length} characters long"))
        if self.max_length is not None and len(value) > self.max_length:
            out.append(Problem(path, f"must be at most {self.max_length} characters long"))
        if self.pattern is not None and re.search(self.pattern, value) is None:
            out.append(Problem(path, f"{value!r} does not match {self.pattern!r}"))


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


@dataclass(frozen=True)
class Int(Node):
    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        if not _is_integer(value):
            _wrong_type(value, path, "an integer", out)


@dataclass(frozen=True)
class Bool(Node):
    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        if not isinstance(value, bool):
            _wrong_type(value, path, "a boolean (true or false)", out)


@dataclass(frozen=True)
class IntOrStr(Node):
    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        if not (_is_integer(value) or isinstance(value, str)):
            _wrong_type(value, path, "an integer or a string", out)


@dataclass(frozen=True)
class ListOf(Node):
    item: Node

    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        if not isinstance(value, list):
            _wrong_type(value, path, "a list", out)
            return
        for i, item in enumerate(value):
            if item is None:
                out.append(Problem((*path, i), "must not be null"))
            else:
                self.item.check(item, (*path, i), out)


@dataclass(frozen=True)
class MapOf(Node):
    value: Node

    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        if not isinstance(value, Mapping):
            _wrong_type(value, path, "a mapping", out)
            return
        for key, item in value.items():
            if item is not None:
                self.value.check(item, (*path, str(key)), out)


@dataclass(frozen=True)
class Obj(Node):
    """An object with known fields; `open` objects accept any other field too."""

    fields: Mapping[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    open: bool = False

    def check(self, value: Any, path: FieldPath, out: list[Problem]) -> None:
        if not isinstance(value, Mapping):
            _wrong_type(value, path, "a mapping", out)
            return
        for name in sorted(self.required):
            if value.get(name) is None:
                out.append(Problem((*path, name), "is required"))
        for key, item in value.items():
            name = str(key)
            node = self.fields.get(name)
            if node is None:
                if not self.open:
                    out.append(Problem((*path, name), self._unknown(name)))
                continue
            if item is not None:
                node.check(item, (*path, name), out)

    def _unknown(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.fields), n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown field{hint}"

    def extend(self, fields: Mapping[str, Node] | None = None, *,
               required: tuple[str, ...] = ()) -> Obj:
        return Obj({**self.fields, **(fields or {})}, self.required | frozenset(required),
                   self.open)


def obj(required: tuple[str, ...] = (), /, **fields: Node) -> Obj:
    """`obj(("a",), a=Str(), b=Int())`: an object whose fields are the keyword arguments."""
    return Obj(fields, frozenset(required))


def check(schema: Node, value: Any) -> list[Problem]:
    out: list[Problem] = []
    schema.check(value, (), out)
    return out
