"""Go's predefined template functions (text/template/funcs.go)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.gofmt import format_value, sprint, sprintf, sprintln
from argoplane.argocd.templating.gotemplate.registry import register
from argoplane.argocd.templating.gotemplate.values import (
    ANY,
    MISSING,
    STRING,
    VALUE,
    GoInt,
    GoObject,
    Uint8,
    elem_zero,
    go_kind,
    go_type,
    is_int,
    truth,
)


def _valid(v: Any) -> bool:
    """`indirectInterface(v).IsValid()`: None (a nil interface) counts as invalid."""
    return v is not None and v is not MISSING


@register("and", [VALUE], VALUE, builtin=True)
def _and(*args: Any) -> Any:  # pragma: no cover - short-circuited in the executor
    raise AssertionError("and is evaluated by the executor")


@register("or", [VALUE], VALUE, builtin=True)
def _or(*args: Any) -> Any:  # pragma: no cover - short-circuited in the executor
    raise AssertionError("or is evaluated by the executor")


@register("call", [VALUE], VALUE, builtin=True)
def _call(*args: Any) -> Any:  # pragma: no cover - special-cased in the executor
    raise AssertionError("call is evaluated by the executor")


@register("not", [VALUE], builtin=True)
def _not(arg: Any) -> bool:
    return not truth(arg)


@register("len", [VALUE], builtin=True)
def _len(item: Any) -> int:
    if item is None:
        raise GoFuncError("len of nil pointer")
    if item is MISSING:
        raise GoFuncError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(item.encode("utf-8", "surrogatepass"))
    if isinstance(item, list | tuple | dict):
        return len(item)
    raise GoFuncError(f"len of type {go_type(item)}")


def _index_arg(index: Any, cap: int) -> int:
    if not _valid(index):
        raise GoFuncError("cannot index slice/array with nil")
    if not is_int(index):
        raise GoFuncError(f"cannot index slice/array with type {go_type(index)}")
    x = int(index)
    if x < 0 or x > cap:
        raise GoFuncError(f"index out of range: {x}")
    return x


def _map_key(index: Any, mapping: dict[Any, Any]) -> Any:
    if not _valid(index):
        return ""
    if isinstance(index, str):
        return index
    raise GoFuncError(f"value has type {go_type(index)}; should be string")


@register("index", [VALUE], VALUE, builtin=True)
def _index(item: Any, *indexes: Any) -> Any:
    if not _valid(item):
        raise GoFuncError("index of untyped nil")
    for index in indexes:
        if item is None:
            raise GoFuncError("index of nil pointer")
        if isinstance(item, str):
            data = item.encode("utf-8", "surrogatepass")
            x = _index_arg(index, len(data))
            if x == len(data):
                raise GoFuncError("reflect: string index out of range")
            item = Uint8(data[x])
        elif isinstance(item, list | tuple):
            x = _index_arg(index, len(item))
            if x == len(item):
                raise GoFuncError("reflect: slice index out of range")
            item = item[x]
        elif isinstance(item, dict):
            key = _map_key(index, item)
            item = item[key] if key in item else elem_zero(item)
        else:
            raise GoFuncError(f"can't index item of type {go_type(item)}")
    return item


def _print_args(args: tuple[Any, ...]) -> list[Any]:
    return [None if a is MISSING else a for a in args]


@register("print", [], ANY, builtin=True)
def _print(*args: Any) -> str:
    return sprint(_print_args(args))


@register("printf", [STRING], ANY, builtin=True)
def _printf(fmt: str, *args: Any) -> str:
    return sprintf(fmt, _print_args(args))


@register("println", [], ANY, builtin=True)
def _println(*args: Any) -> str:
    return sprintln(_print_args(args))


def eval_args(args: tuple[Any, ...]) -> str:
    """Go's `evalArgs`: like Sprint, but a nil argument prints as `<no value>`."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    printable = ["<no value>" if a is None or a is MISSING else a for a in args]
    return sprint(printable)


_HTML = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def html_escape(s: str) -> str:
    return "".join(_HTML.get(c, c) for c in s)


@register("html", [], ANY, builtin=True)
def _html(*args: Any) -> str:
    return html_escape(eval_args(args))


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026",
       "=": "\\u003D"}


def js_escape(s: str) -> str:
    out = []
    for c in s:
        cp = ord(c)
        if c in _JS:
            out.append(_JS[c])
        elif cp < 0x20:
            out.append(f"\\u00{cp:02X}")
        elif cp >= 0x80 and not c.isprintable():
            out.append(f"\\u{cp:04X}")
        else:
            out.append(c)
    return "".join(out)


@register("js", [], ANY, builtin=True)
def _js(*args: Any) -> str:
    return js_escape(eval_args(args))


@register("urlquery", [], ANY, builtin=True)
def _urlquery(*args: Any) -> str:
    return urllib.parse.quote_plus(eval_args(args), safe="-_.~")


# --------------------------------------------------------------------------- comparisons

_BOOL, _INT, _UINT, _FLOAT, _STRING, _OTHER = range(6)


def _basic_kind(v: Any) -> int:
    if isinstance(v, bool):
        return _BOOL
    if isinstance(v, GoInt) and v.unsigned:
        return _UINT
    if is_int(v):
        return _INT
    if isinstance(v, float):
        return _FLOAT
    if isinstance(v, str):
        return _STRING
    return _OTHER


def _unwrap(v: Any) -> Any:
    return MISSING if v is None else v


def _comparable(v: Any) -> bool:
    return not isinstance(v, list | tuple | dict)


def _eq_one(a: Any, b: Any) -> bool:
    k1, k2 = _basic_kind(a), _basic_kind(b)
    if k1 != k2:
        if {k1, k2} == {_INT, _UINT}:
            return int(a) == int(b)
        if a is not MISSING and b is not MISSING:
            raise GoFuncError(
                f"incompatible types for comparison: {go_type(a)} and {go_type(b)}"
            )
        return False
    if k1 != _OTHER:
        return bool(a == b)
    # Non-basic kinds: nil, slices, maps, structs.
    if a is MISSING or b is MISSING:
        return a is MISSING and b is MISSING
    if go_kind(a) != go_kind(b):
        raise GoFuncError(
            f"non-comparable types {format_value(a)}: {go_type(a)}, {go_type(b)}: {format_value(b)}"
        )
    if not _comparable(b):
        raise GoFuncError(f"non-comparable type {format_value(b)}: {go_type(b)}")
    if isinstance(a, GoObject):
        return bool(a == b)
    return bool(a == b)


@register("eq", [VALUE], VALUE, builtin=True)
def eq(arg1: Any, *arg2: Any) -> bool:
    a = _unwrap(arg1)
    if not arg2:
        raise GoFuncError("missing argument for comparison")
    return any(_eq_one(a, _unwrap(b)) for b in arg2)


@register("ne", [VALUE, VALUE], builtin=True)
def ne(arg1: Any, arg2: Any) -> bool:
    return not eq(arg1, arg2)


@register("lt", [VALUE, VALUE], builtin=True)
def lt(arg1: Any, arg2: Any) -> bool:
    a, b = _unwrap(arg1), _unwrap(arg2)
    k1, k2 = _basic_kind(a), _basic_kind(b)
    if _OTHER in (k1, k2):
        raise GoFuncError("invalid type for comparison")
    if k1 != k2:
        if {k1, k2} == {_INT, _UINT}:
            return int(a) < int(b)
        raise GoFuncError(f"incompatible types for comparison: {go_type(a)} and {go_type(b)}")
    if k1 == _BOOL:
        raise GoFuncError("invalid type for comparison")
    if k1 == _STRING:
        return bool(a.encode("utf-8", "surrogatepass") < b.encode("utf-8", "surrogatepass"))
    return bool(a < b)


@register("le", [VALUE, VALUE], builtin=True)
def le(arg1: Any, arg2: Any) -> bool:
    return lt(arg1, arg2) or eq(arg1, arg2)


@register("gt", [VALUE, VALUE], builtin=True)
def gt(arg1: Any, arg2: Any) -> bool:
    return not le(arg1, arg2)


@register("ge", [VALUE, VALUE], builtin=True)
def ge(arg1: Any, arg2: Any) -> bool:
    return not lt(arg1, arg2)

