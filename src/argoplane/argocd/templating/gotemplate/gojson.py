"""Go's `encoding/json` Marshal / Unmarshal over the value model."""

from __future__ import annotations

import json
import math
from typing import Any

from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.gofmt import format_float
from argoplane.argocd.templating.gotemplate.values import MISSING, GoObject, go_type, sort_keys


def json_float(f: float) -> str:
    """How encoding/json writes a float64."""
    if math.isnan(f) or math.isinf(f):
        raise GoFuncError(f"json: unsupported value: {format_float(f)}")
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        text = format_float(f, "e", -1)
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return format_float(f, "f", -1)


def json_string(s: str, escape_html: bool = True) -> str:
    out = ['"']
    for c in s:
        cp = ord(c)
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif cp < 0x20:
            out.append(
                {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
                    c, f"\\u{cp:04x}"
                )
            )
        elif (escape_html and c in "<>&") or cp in (0x2028, 0x2029):
            out.append(f"\\u{cp:04x}")
        elif 0xD800 <= cp <= 0xDFFF:
            out.append("\\ufffd")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def marshal(value: Any, *, escape_html: bool = True, indent: str | None = None) -> str:
    """`json.Marshal` (or `MarshalIndent(v, "", indent)`); raises GoFuncError like Go."""
    return _enc(value, escape_html, indent, 0)


def _enc(v: Any, html: bool, indent: str | None, depth: int) -> str:
    if v is None or v is MISSING:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(int(v))
    if isinstance(v, float):
        return json_float(v)
    if isinstance(v, str):
        return json_string(v, html)
    if isinstance(v, GoObject):
        text = v.go_json()
        if text is None:
            raise GoFuncError(f"json: unsupported type: {go_type(v)}")
        return str(text)
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = []
        for k in sort_keys(v):
            key = k if isinstance(k, str) else str(k)
            sep = ":" if indent is None else ": "
            items.append(json_string(key, html) + sep + _enc(v[k], html, indent, depth + 1))
        return _wrap("{", "}", items, indent, depth)
    if isinstance(v, list | tuple):
        if not v:
            return "[]"
        items = [_enc(x, html, indent, depth + 1) for x in v]
        return _wrap("[", "]", items, indent, depth)
    raise GoFuncError(f"json: unsupported type: {type(v).__name__}")


def _wrap(open_: str, close: str, items: list[str], indent: str | None, depth: int) -> str:
    if indent is None:
        return open_ + ",".join(items) + close
    inner = "\n" + indent * (depth + 1)
    return open_ + inner + ("," + inner).join(items) + "\n" + indent * depth + close


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


def unmarshal(text: str) -> Any:
    """`json.Unmarshal` into an `interface{}`: every number becomes a float64."""
    try:
        return json.loads(text, parse_int=float, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise GoFuncError("unexpected end of JSON input") from None
        ch = text[exc.pos]
        if exc.msg.startswith("Extra data"):
            raise GoFuncError(
                f"invalid character {_quote_char(ch)} after top-level value"
            ) from None
        raise GoFuncError(f"invalid character {_quote_char(ch)} looking for beginning of value")\
            from None
    except ValueError as exc:
        raise GoFuncError(str(exc)) from None


def _quote_char(ch: str) -> str:
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    if ch.isprintable():
        return f"'{ch}'"
    return "'" + json.dumps(ch)[1:-1] + "'"


def json_kind(value: Any) -> str:
    """The JSON kind name Go's decoder uses in "cannot unmarshal X" errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    return "object"
