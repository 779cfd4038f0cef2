"""Sprig's numeric functions, with spf13/cast conversions."""

from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.gofmt import format_value
from argoplane.argocd.templating.gotemplate.parser import _parse_integer
from argoplane.argocd.templating.gotemplate.registry import register
from argoplane.argocd.templating.gotemplate.values import (
    ANY,
    FLOAT64,
    INT,
    STRING,
    Int64,
    IntSlice,
    is_int,
)

_I64_MIN = -(1 << 63)
_I64_MAX = (1 << 63) - 1


def _wrap64(n: int) -> int:
    """Two's complement wrap-around of Go's int64 arithmetic."""
    n &= (1 << 64) - 1
    return n - (1 << 64) if n > _I64_MAX else n


def _trim_zero_decimal(s: str) -> str:
    found_zero = False
    for i in range(len(s), 0, -1):
        c = s[i - 1]
        if c == ".":
            if found_zero:
                return s[: i - 1]
        elif c == "0":
            found_zero = True
        else:
            return s
    return s


def _float_to_int(f: float) -> int:
    if math.isnan(f) or math.isinf(f):
        return _I64_MIN
    return _wrap64(int(f))


def to_int64(v: Any) -> int:
    """`cast.ToInt64` (errors give 0)."""
    if isinstance(v, bool):
        return 1 if v else 0
    if is_int(v):
        return _wrap64(int(v))
    if isinstance(v, float):
        return _float_to_int(v)
    if isinstance(v, str):
        n = _parse_integer(_trim_zero_decimal(v), signed=True)
        return 0 if n is None else n
    return 0


def to_int(v: Any) -> int:
    """`cast.ToInt`."""
    return to_int64(v)


def to_float64(v: Any) -> float:
    """`cast.ToFloat64` (errors give 0)."""
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if is_int(v):
        return float(int(v))
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        if v != v.strip() or not v:
            return 0.0
        try:
            return float(v)
        except ValueError:
            return 0.0
    return 0.0


@register("int64", [ANY])
def _int64(v: Any) -> Int64:
    return Int64(to_int64(v))


@register("int", [ANY])
def _int(v: Any) -> int:
    return to_int(v)


@register("float64", [ANY])
def _float64(v: Any) -> float:
    return to_float64(v)


@register("atoi", [STRING])
def _atoi(a: str) -> int:
    s = a[1:] if a[:1] in "+-" else a
    if not s or not s.isascii() or not s.isdigit():
        return 0
    n = int(a)
    return n if _I64_MIN <= n <= _I64_MAX else 0


@register("toDecimal", [ANY])
def _to_decimal(v: Any) -> Int64:
    text = format_value(v)
    s = text[1:] if text[:1] in "+-" else text
    if not s or any(c not in "01234567" for c in s):
        return Int64(0)
    n = int(s, 8)
    if text.startswith("-"):
        n = -n
    return Int64(n if _I64_MIN <= n <= _I64_MAX else 0)


@register("add1", [ANY])
def _add1(i: Any) -> Int64:
    return Int64(_wrap64(to_int64(i) + 1))


@register("add", [], ANY)
def _add(*i: Any) -> Int64:
    return Int64(_wrap64(sum(to_int64(x) for x in i)))


@register("sub", [ANY, ANY])
def _sub(a: Any, b: Any) -> Int64:
    return Int64(_wrap64(to_int64(a) - to_int64(b)))


def _go_div(a: int, b: int) -> int:
    if b == 0:
        raise GoFuncError("runtime error: integer divide by zero")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


@register("div", [ANY, ANY])
def _div(a: Any, b: Any) -> Int64:
    return Int64(_wrap64(_go_div(to_int64(a), to_int64(b))))


@register("mod", [ANY, ANY])
def _mod(a: Any, b: Any) -> Int64:
    x, y = to_int64(a), to_int64(b)
    return Int64(x - y * _go_div(x, y))


@register("mul", [ANY], ANY)
def _mul(a: Any, *v: Any) -> Int64:
    val = to_int64(a)
    for b in v:
        val = _wrap64(val * to_int64(b))
    return Int64(val)


@register("randInt", [INT, INT])
def _rand_int(lo: int, hi: int) -> int:
    if hi - lo <= 0:
        raise GoFuncError("invalid argument to Intn")
    return random.randrange(lo, hi)


def _dec(v: Any) -> Decimal:
    f = to_float64(v)
    if math.isnan(f) or math.isinf(f):
        raise GoFuncError(f"Cannot create a Decimal from {format_value(f)}")
    return Decimal(repr(f))


def _decimal_op(a: Any, bs: tuple[Any, ...], op: str) -> float:
    with localcontext() as ctx:
        ctx.prec = 60
        acc = _dec(a)
        for b in bs:
            d = _dec(b)
            if op == "+":
                acc += d
            elif op == "-":
                acc -= d
            elif op == "*":
                acc *= d
            else:
                if d == 0:
                    raise GoFuncError("decimal division by 0")
                try:
                    acc = (acc / d).quantize(Decimal(1).scaleb(-16), rounding=ROUND_HALF_UP)
                except InvalidOperation:  # pragma: no cover - huge quotients
                    acc = acc / d
        return float(acc)


@register("add1f", [ANY])
def _add1f(i: Any) -> float:
    return _decimal_op(i, (1,), "+")


@register("addf", [], ANY)
def _addf(*i: Any) -> float:
    return _decimal_op(0.0, i, "+")


@register("subf", [ANY], ANY)
def _subf(a: Any, *v: Any) -> float:
    return _decimal_op(a, v, "-")


@register("divf", [ANY], ANY)
def _divf(a: Any, *v: Any) -> float:
    return _decimal_op(a, v, "/")


@register("mulf", [ANY], ANY)
def _mulf(a: Any, *v: Any) -> float:
    return _decimal_op(a, v, "*")


@register("max", [ANY], ANY, aliases=["biggest"])
def _max(a: Any, *i: Any) -> Int64:
    return Int64(max([to_int64(a), *(to_int64(b) for b in i)]))


@register("min", [ANY], ANY)
def _min(a: Any, *i: Any) -> Int64:
    return Int64(min([to_int64(a), *(to_int64(b) for b in i)]))


def _go_max(a: float, b: float) -> float:
    if (math.isinf(a) and a > 0) or (math.isinf(b) and b > 0):
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    return max(a, b)


def _go_min(a: float, b: float) -> float:
    if (math.isinf(a) and a < 0) or (math.isinf(b) and b < 0):
        return -math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    return min(a, b)


@register("maxf", [ANY], ANY)
def _maxf(a: Any, *i: Any) -> float:
    acc = to_float64(a)
    for b in i:
        acc = _go_max(acc, to_float64(b))
    return acc


@register("minf", [ANY], ANY)
def _minf(a: Any, *i: Any) -> float:
    acc = to_float64(a)
    for b in i:
        acc = _go_min(acc, to_float64(b))
    return acc


@register("floor", [ANY])
def _floor(a: Any) -> float:
    f = to_float64(a)
    return f if math.isinf(f) or math.isnan(f) else float(math.floor(f))


@register("ceil", [ANY])
def _ceil(a: Any) -> float:
    f = to_float64(a)
    return f if math.isinf(f) or math.isnan(f) else float(math.ceil(f))


@register("round", [ANY, INT], FLOAT64)
def _round(a: Any, p: int, *r_opt: float) -> float:
    round_on = r_opt[0] if r_opt else 0.5
    val = to_float64(a)
    pow_ = math.pow(10, float(p))
    digit = pow_ * val
    frac = math.modf(digit)[0]
    rounded = math.ceil(digit) if frac >= round_on else math.floor(digit)
    return rounded / pow_


def until_step(start: int, stop: int, step: int) -> IntSlice:
    out = IntSlice()
    if stop < start:
        if step >= 0:
            return out
        out.extend(range(start, stop, step))
        return out
    if step <= 0:
        return out
    out.extend(range(start, stop, step))
    return out


@register("untilStep", [INT, INT, INT])
def _until_step(start: int, stop: int, step: int) -> IntSlice:
    return until_step(start, stop, step)


def _int_list_text(items: list[int]) -> str:
    return " ".join(str(i) for i in items)


@register("seq", [], INT)
def _seq(*params: int) -> str:
    if len(params) == 0:
        return ""
    if len(params) == 1:
        start, end = 1, params[0]
        inc = -1 if end < start else 1
        return _int_list_text(until_step(start, end + inc, inc))
    if len(params) == 2:
        start, end = params
        step = -1 if end < start else 1
        return _int_list_text(until_step(start, end + step, step))
    if len(params) == 3:
        start, step, end = params
        inc = 1
        if end < start:
            inc = -1
            if step > 0:
                return ""
        return _int_list_text(until_step(start, end + inc, step))
    return ""


__all__ = ["to_float64", "to_int", "to_int64", "until_step"]
