"""A quick yes/no answer to "is this JSON valid for this schema?", for schemas in a small
subset of JSON Schema 2020-12 (the Kubernetes OpenAPI schemas stay inside it).

A schema is compiled once into nested closures. Most rendered objects are valid, and for
them the answer is all that is needed; an invalid object goes to `jsonschema` for the
messages. A schema with a keyword outside the subset is not compiled at all (`compile`
gives None), so the answer is never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

Check = Callable[[Any], bool]

# keywords that never change whether an instance is valid (`format` is an annotation in
# 2020-12 unless a format checker is asked for, and none is)
_ANNOTATIONS = frozenset({"description", "format", "title", "default", "examples", "$schema",
                          "$id", "$defs", "$comment", "deprecated", "readOnly", "writeOnly"})


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not know."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": _is_integer,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


def _json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON Schema's `enum` and `const` mean it: booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    return bool(a == b)


class Compiler:
    """Compiles schemas whose `$ref`s point into `documents` (URI -> schema document)."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self.documents = documents
        self._refs: dict[str, Check] = {}

    def compile(self, schema: Mapping[str, Any]) -> Check | None:
        """The schema's validity check, or None when it leaves the subset."""
        try:
            return self._schema(schema, str(schema.get("$id") or ""), root=True)
        except Unsupported:
            return None

    def _ref(self, ref: str, base: str) -> Check:
        ref = urljoin(base, ref)
        known = self._refs.get(ref)
        if known is not None:
            return known
        uri, target = self._resolve(ref)
        compiled: list[Check] = []

        def later(value: Any) -> bool:  # a recursive schema refers to itself
            return compiled[0](value)

        self._refs[ref] = later
        compiled.append(self._schema(target, uri))
        self._refs[ref] = compiled[0]
        return compiled[0]

    def _resolve(self, ref: str) -> tuple[str, Mapping[str, Any]]:
        uri, _, fragment = ref.partition("#")
        document = self.documents.get(uri)
        if document is None or not fragment.startswith("/"):
            raise Unsupported(ref)
        node: Any = document
        for escaped in fragment[1:].split("/"):
            part = escaped.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, Mapping) or part not in node:
                raise Unsupported(ref)
            node = node[part]
        if not isinstance(node, Mapping) or "$id" in node:
            raise Unsupported(ref)
        return uri, node

    def _schema(self, schema: Any, base: str, *, root: bool = False) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, Mapping):
            raise Unsupported(repr(schema))
        checks: list[Check] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS or key.startswith("x-"):
                continue
            checks.append(self._keyword(key, value, schema, base))
        if "$id" in schema and not root:
            raise Unsupported("$id")  # a nested resource with a base of its own
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    def _keyword(self, key: str, value: Any, schema: Mapping[str, Any], base: str) -> Check:
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or any(n not in _TYPES for n in names):
                raise Unsupported(f"type {value!r}")
            tests = [_TYPES[n] for n in names]
            return lambda v: any(t(v) for t in tests)
        if key == "$ref":
            return self._ref(str(value), base)
        if key == "enum":
            options = list(value)
            return lambda v: any(_json_equal(v, o) for o in options)
        if key == "const":
            return lambda v: _json_equal(v, value)
        if key == "required":
            names = list(value)
            return lambda v: not isinstance(v, dict) or all(n in v for n in names)
        if key == "properties":
            props = {name: self._schema(sub, base) for name, sub in value.items()}

            def properties(v: Any) -> bool:
                if not isinstance(v, dict):
                    return True
                for name, item in v.items():
                    check = props.get(name)
                    if check is not None and not check(item):
                        return False
                return True
            return properties
        if key == "additionalProperties":
            if "patternProperties" in schema:
                raise Unsupported("patternProperties")
            known = frozenset(schema.get("properties") or ())
            if value is False:
                return lambda v: not isinstance(v, dict) or all(k in known for k in v)
            extra = self._schema(value, base)
            return lambda v: not isinstance(v, dict) or all(
                extra(item) for k, item in v.items() if k not in known)
        if key == "items":
            each = self._schema(value, base)
            return lambda v: not isinstance(v, list) or all(each(item) for item in v)
        if key in ("oneOf", "anyOf", "allOf"):
            parts = [self._schema(sub, base) for sub in value]
            if key == "allOf":
                return lambda v: all(p(v) for p in parts)
            if key == "anyOf":
                return lambda v: any(p(v) for p in parts)
            return lambda v: sum(1 for p in parts if p(v)) == 1
        raise Unsupported(key)
