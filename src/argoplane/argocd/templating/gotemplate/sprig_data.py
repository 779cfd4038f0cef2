"""Sprig's list, dict, default, JSON and reflection functions."""

from __future__ import annotations

import copy
from typing import Any

from argoplane.argocd.templating.gotemplate import gojson
from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.registry import register
from argoplane.argocd.templating.gotemplate.sprig_numeric import to_int, until_step
from argoplane.argocd.templating.gotemplate.sprig_strings import strval
from argoplane.argocd.templating.gotemplate.values import (
    ANY,
    BOOL,
    INT,
    MAP,
    MISSING,
    STRING,
    ListSlice,
    StrSlice,
    TypedList,
    deep_equal,
    go_kind,
    go_type,
    is_empty,
)

NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


def _nil(v: Any) -> bool:
    return v is None or v is MISSING


def _seq(v: Any, message: str) -> list[Any]:
    """The elements of a Go slice argument, or Sprig's error for another kind."""
    if _nil(v):
        raise GoFuncError(NIL_DEREF)
    if isinstance(v, list | tuple):
        return list(v)
    raise GoFuncError(message.format(go_kind(v)))


# ----------------------------------------------------------------------------- lists


@register("list", [], ANY, aliases=["tuple"])
def _list(*v: Any) -> list[Any]:
    return list(v)


def _push(lst: Any, v: Any) -> list[Any]:
    return [*_seq(lst, "Cannot push on type {}"), v]


register("append", [ANY, ANY], aliases=["push", "mustAppend", "mustPush"])(_push)


def _prepend(lst: Any, v: Any) -> list[Any]:
    return [v, *_seq(lst, "Cannot prepend on type {}")]


register("prepend", [ANY, ANY], aliases=["mustPrepend"])(_prepend)


def _chunk(size: int, lst: Any) -> ListSlice:
    items = _seq(lst, "Cannot chunk type {}")
    if size <= 0:
        raise GoFuncError("runtime error: makeslice: len out of range")
    return ListSlice(items[i : i + size] for i in range(0, len(items), size))


register("chunk", [INT, ANY], aliases=["mustChunk"])(_chunk)


def _first(lst: Any) -> Any:
    items = _seq(lst, "Cannot find first on type {}")
    return items[0] if items else None


register("first", [ANY], aliases=["mustFirst"])(_first)


def _last(lst: Any) -> Any:
    items = _seq(lst, "Cannot find last on type {}")
    return items[-1] if items else None


register("last", [ANY], aliases=["mustLast"])(_last)


def _rest(lst: Any) -> list[Any]:
    return _seq(lst, "Cannot find rest on type {}")[1:]


register("rest", [ANY], aliases=["mustRest"])(_rest)


def _initial(lst: Any) -> list[Any]:
    return _seq(lst, "Cannot find initial on type {}")[:-1]


register("initial", [ANY], aliases=["mustInitial"])(_initial)


def _reverse(lst: Any) -> list[Any]:
    return _seq(lst, "Cannot find reverse on type {}")[::-1]


register("reverse", [ANY], aliases=["mustReverse"])(_reverse)


def _compact(lst: Any) -> list[Any]:
    return [x for x in _seq(lst, "Cannot compact on type {}") if not is_empty(x)]


register("compact", [ANY], aliases=["mustCompact"])(_compact)


def _in_list(haystack: list[Any], needle: Any) -> bool:
    return any(deep_equal(needle, h) for h in haystack)


def _uniq(lst: Any) -> list[Any]:
    out: list[Any] = []
    for x in _seq(lst, "Cannot find uniq on type {}"):
        if not _in_list(out, x):
            out.append(x)
    return out


register("uniq", [ANY], aliases=["mustUniq"])(_uniq)


def _without(lst: Any, *omit: Any) -> list[Any]:
    drop = list(omit)
    return [x for x in _seq(lst, "Cannot find without on type {}") if not _in_list(drop, x)]


register("without", [ANY], ANY, aliases=["mustWithout"])(_without)


def _has(needle: Any, haystack: Any) -> bool:
    if _nil(haystack):
        return False
    return _in_list(_seq(haystack, "Cannot find has on type {}"), needle)


register("has", [ANY, ANY], aliases=["mustHas"])(_has)


def _slice(lst: Any, *indices: Any) -> Any:
    items = _seq(lst, "list should be type of slice or array but {}")
    if not items:
        return None
    start = to_int(indices[0]) if indices else 0
    end = to_int(indices[1]) if len(indices) >= 2 else len(items)
    if not 0 <= start <= end <= len(items):
        raise GoFuncError("reflect.Value.Slice: slice index out of bounds")
    part = items[start:end]
    if isinstance(lst, TypedList):
        return type(lst)(part)
    return part


register("slice", [ANY], ANY, aliases=["mustSlice"])(_slice)


@register("concat", [], ANY)
def _concat(*lists: Any) -> Any:
    if not lists:
        return None
    out: list[Any] = []
    for lst in lists:
        out.extend(_seq(lst, "Cannot concat type {} as list"))
    return out


@register("until", [INT])
def _until(count: int) -> TypedList:
    return until_step(0, count, 1 if count >= 0 else -1)


# ----------------------------------------------------------------------------- dicts


@register("dict", [], ANY)
def _dict(*v: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(v), 2):
        key = strval(v[i])
        out[key] = v[i + 1] if i + 1 < len(v) else ""
    return out


@register("get", [MAP, STRING])
def _get(d: dict[str, Any], key: str) -> Any:
    return d.get(key, "")


@register("set", [MAP, STRING, ANY])
def _set(d: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    d[key] = value
    return d


@register("unset", [MAP, STRING])
def _unset(d: dict[str, Any], key: str) -> dict[str, Any]:
    d.pop(key, None)
    return d


@register("hasKey", [MAP, STRING])
def _has_key(d: dict[str, Any], key: str) -> bool:
    return key in d


@register("pluck", [STRING], MAP)
def _pluck(key: str, *dicts: dict[str, Any]) -> list[Any]:
    return [d[key] for d in dicts if key in d]


@register("keys", [], MAP)
def _keys(*dicts: dict[str, Any]) -> StrSlice:
    return StrSlice(k for d in dicts for k in sorted(d))


@register("values", [MAP])
def _values(d: dict[str, Any]) -> list[Any]:
    return [d[k] for k in sorted(d)]


@register("pick", [MAP], STRING)
def _pick(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: d[k] for k in keys if k in d}


@register("omit", [MAP], STRING)
def _omit(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    drop = set(keys)
    return {k: v for k, v in d.items() if k not in drop}


def merge_into(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> None:
    """mergo.Merge / MergeWithOverwrite for map[string]interface{} values."""
    for key, sval in src.items():
        if key in dst and isinstance(dst[key], dict) and isinstance(sval, dict):
            merge_into(dst[key], sval, overwrite)
            continue
        if sval is None:
            if overwrite:
                dst[key] = None
            continue
        if overwrite or key not in dst or is_empty(dst[key]):
            dst[key] = sval


def _merge(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    for src in srcs:
        merge_into(dst, src, overwrite=False)
    return dst


register("merge", [MAP], MAP, aliases=["mustMerge"])(_merge)


def _merge_overwrite(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    for src in srcs:
        merge_into(dst, src, overwrite=True)
    return dst


register("mergeOverwrite", [MAP], MAP, aliases=["mustMergeOverwrite"])(_merge_overwrite)


def _deep_copy(v: Any) -> Any:
    return copy.deepcopy(v)


register("deepCopy", [ANY], aliases=["mustDeepCopy"])(_deep_copy)


def _conv_error(value: Any, target: str) -> GoFuncError:
    got = "nil" if _nil(value) else go_type(value)
    return GoFuncError(f"interface conversion: interface {{}} is {got}, not {target}")


@register("dig", [], ANY)
def _dig(*ps: Any) -> Any:
    if len(ps) < 3:
        raise GoFuncError("dig needs at least three arguments")
    d = ps[-1]
    if not isinstance(d, dict):
        raise _conv_error(d, "map[string]interface {}")
    default = ps[-2]
    keys = []
    for k in ps[:-2]:
        if not isinstance(k, str):
            raise _conv_error(k, "string")
        keys.append(k)
    for i, k in enumerate(keys):
        if k not in d:
            return default
        step = d[k]
        if i == len(keys) - 1:
            return step
        if not isinstance(step, dict):
            raise _conv_error(step, "map[string]interface {}")
        d = step
    return default  # pragma: no cover


# ----------------------------------------------------------------------------- defaults


@register("default", [ANY], ANY)
def _default(d: Any, *given: Any) -> Any:
    if not given or is_empty(given[0]):
        return d
    return given[0]


@register("empty", [ANY])
def _empty(given: Any) -> bool:
    return is_empty(given)


@register("coalesce", [], ANY)
def _coalesce(*v: Any) -> Any:
    for x in v:
        if not is_empty(x):
            return x
    return None


@register("all", [], ANY)
def _all(*v: Any) -> bool:
    return all(not is_empty(x) for x in v)


@register("any", [], ANY)
def _any(*v: Any) -> bool:
    return any(not is_empty(x) for x in v)


@register("ternary", [ANY, ANY, BOOL])
def _ternary(vt: Any, vf: Any, v: bool) -> Any:
    return vt if v else vf


@register("fromJson", [STRING])
def _from_json(v: str) -> Any:
    try:
        return gojson.unmarshal(v)
    except GoFuncError:
        return None


@register("mustFromJson", [STRING])
def _must_from_json(v: str) -> Any:
    return gojson.unmarshal(v)


@register("toJson", [ANY])
def _to_json(v: Any) -> str:
    try:
        return gojson.marshal(v)
    except GoFuncError:
        return ""


@register("mustToJson", [ANY])
def _must_to_json(v: Any) -> str:
    return gojson.marshal(v)


@register("toPrettyJson", [ANY])
def _to_pretty_json(v: Any) -> str:
    try:
        return gojson.marshal(v, indent="  ")
    except GoFuncError:
        return ""


@register("mustToPrettyJson", [ANY])
def _must_to_pretty_json(v: Any) -> str:
    return gojson.marshal(v, indent="  ")


@register("toRawJson", [ANY], aliases=["mustToRawJson"])
def _to_raw_json(v: Any) -> str:
    return gojson.marshal(v, escape_html=False)


# ----------------------------------------------------------------------------- reflection


@register("typeOf", [ANY])
def _type_of(v: Any) -> str:
    return go_type(v)


@register("typeIs", [STRING, ANY])
def _type_is(target: str, v: Any) -> bool:
    return target == go_type(v)


@register("typeIsLike", [STRING, ANY])
def _type_is_like(target: str, v: Any) -> bool:
    t = go_type(v)
    return t in (target, "*" + target)


@register("kindOf", [ANY])
def _kind_of(v: Any) -> str:
    return go_kind(v)


@register("kindIs", [STRING, ANY])
def _kind_is(target: str, v: Any) -> bool:
    return target == go_kind(v)


@register("deepEqual", [ANY, ANY])
def _deep_equal(a: Any, b: Any) -> bool:
    return deep_equal(a, b)
