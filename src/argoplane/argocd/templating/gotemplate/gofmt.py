"""Go's `fmt` and `strconv` formatting over the value model (`%v`, `Sprintf`, `Quote`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from argoplane.argocd.templating.gotemplate.values import (
    MISSING,
    GoInt,
    GoObject,
    go_type,
    is_int,
    sort_keys,
)

# ----------------------------------------------------------------------------- strconv


def _shortest_digits(f: float) -> tuple[str, int]:
    """Shortest decimal digits of abs(f) and the decimal point position (Go's `decimal`)."""
    sign_digits_exp = Decimal(repr(abs(f))).as_tuple()
    digits = "".join(str(d) for d in sign_digits_exp.digits).lstrip("0")
    exp = int(sign_digits_exp.exponent)
    if not digits:
        return "", 0
    stripped = digits.rstrip("0")
    exp += len(digits) - len(stripped)
    return stripped, len(stripped) + exp


def _fmt_e(neg: bool, digits: str, prec: int, letter: str) -> str:
    out = "-" if neg else ""
    first = digits[0] if digits else "0"
    out += first
    if prec > 0:
        frac = digits[1 : 1 + prec]
        out += "." + frac + "0" * (prec - len(frac))
    return out


def _exp_suffix(exp: int, letter: str) -> str:
    sign = "-" if exp < 0 else "+"
    e = abs(exp)
    return f"{letter}{sign}{e:02d}"


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    out = "-" if neg else ""
    nd = len(digits)
    intpart = digits[:dp] + "0" * max(dp - nd, 0) if dp > 0 else "0"
    out += intpart
    if prec > 0:
        frac = []
        for i in range(1, prec + 1):
            j = dp + i - 1
            frac.append(digits[j] if 0 <= j < nd else "0")
        out += "." + "".join(frac)
    return out


def format_float(f: float, fmt: str = "g", prec: int = -1) -> str:
    """`strconv.FormatFloat(f, fmt, prec, 64)` for fmt in e, E, f, g, G."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    neg = math.copysign(1.0, f) < 0
    if prec >= 0:
        if fmt in "gG":
            text = format(abs(f), f".{prec}{fmt}")
            if "e" in text or "E" in text:
                mant, _, exp = text.replace("E", "e").partition("e")
                text = mant + _exp_suffix(int(exp), "e" if fmt == "g" else "E")
            return ("-" if neg else "") + text
        if fmt in "eE":
            text = format(abs(f), f".{prec}e")
            mant, _, exp = text.partition("e")
            return ("-" if neg else "") + mant + _exp_suffix(int(exp), fmt)
        return ("-" if neg else "") + format(abs(f), f".{prec}f")
    digits, dp = _shortest_digits(f)
    if not digits:  # zero
        digits, dp = "0", 1
    nd = len(digits)
    if fmt in "eE":
        return _fmt_e(neg, digits, nd - 1, fmt) + _exp_suffix(dp - 1, fmt)
    if fmt == "f":
        return _fmt_f(neg, digits, dp, max(nd - dp, 0))
    exponent = dp - 1
    if exponent < -4 or exponent >= 6:
        letter = "E" if fmt == "G" else "e"
        return _fmt_e(neg, digits, nd - 1, letter) + _exp_suffix(exponent, letter)
    return _fmt_f(neg, digits, dp, max(nd - dp, 0))


def _is_print(ch: str) -> bool:
    return ch == " " or (ch.isprintable() and not ch.isspace())


def quote(s: str, quote_char: str = '"', ascii_only: bool = False) -> str:
    """`strconv.Quote` (and `QuoteToASCII` / `QuoteRune` via the arguments)."""
    out = [quote_char]
    for ch in s:
        cp = ord(ch)
        if ch in (quote_char, "\\"):
            out.append("\\" + ch)
        elif _is_print(ch) and not (ascii_only and cp >= 0x80):
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif cp < 0x20 or cp == 0x7F:
            out.append(f"\\x{cp:02x}")
        elif 0xD800 <= cp <= 0xDFFF:
            out.append("\\ufffd")
        elif cp < 0x10000:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    out.append(quote_char)
    return "".join(out)


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\v": "\\v"}


def can_backquote(s: str) -> bool:
    return all(ch == "\t" or (ch not in {"`", "\ufeff"} and _is_print(ch)) for ch in s)


def format_unicode(cp: int) -> str:
    return f"U+{cp:04X}"


def quote_rune_hash_u(cp: int) -> str:
    """`%#U`: `U+0041 'A'` (the character is shown only when printable)."""
    ch = chr(cp) if 0 <= cp <= 0x10FFFF else "\ufffd"
    text = format_unicode(cp)
    if _is_print(ch):
        text += " '" + ch + "'"
    return text


# ----------------------------------------------------------------------------- fmt


@dataclass
class _Flags:
    plus: bool = False
    minus: bool = False
    sharp: bool = False
    space: bool = False
    zero: bool = False
    wid: int | None = None
    prec: int | None = None

    def pad(self, text: str) -> str:
        if self.wid is None or len(text) >= self.wid:
            return text
        fill = self.wid - len(text)
        if self.minus:
            return text + " " * fill
        if self.zero:
            return "0" * fill + text
        return " " * fill + text


_PLAIN = _Flags()


def _bad_verb(verb: str, value: Any) -> str:
    if value is None or value is MISSING:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({go_type(value)}={_fmt(value, 'v', _PLAIN)})"


def _fmt_int(n: int, verb: str, fl: _Flags) -> str:
    if verb == "c":
        return fl.pad(chr(n) if 0 <= n <= 0x10FFFF else "\ufffd")
    if verb == "q":
        return fl.pad(quote(chr(n) if 0 <= n <= 0x10FFFF else "\ufffd", "'"))
    if verb == "U":
        return fl.pad(quote_rune_hash_u(n) if fl.sharp else format_unicode(n))
    base = {"d": 10, "v": 10, "b": 2, "o": 8, "O": 8, "x": 16, "X": 16}[verb]
    neg = n < 0
    digits = _to_base(abs(n), base, upper=verb == "X")
    if fl.prec is not None:
        if fl.prec == 0 and n == 0:
            digits = ""
        digits = digits.rjust(fl.prec, "0")
    prefix = ""
    if fl.sharp or verb == "O":
        prefix = {"b": "0b", "o": "0", "O": "0o", "x": "0x", "X": "0X"}.get(verb, "")
        if verb == "o" and digits.startswith("0"):
            prefix = ""
    sign = "-" if neg else ("+" if fl.plus else (" " if fl.space else ""))
    if fl.zero and not fl.minus and fl.wid is not None and fl.prec is None:
        body = digits.rjust(fl.wid - len(sign) - len(prefix), "0")
        return sign + prefix + body
    return fl.pad(sign + prefix + digits)


def _to_base(n: int, base: int, upper: bool = False) -> str:
    if base == 10:
        return str(n)
    if base == 16:
        return format(n, "X" if upper else "x")
    if base == 8:
        return format(n, "o")
    return format(n, "b")


def _fmt_float(f: float, verb: str, fl: _Flags) -> str:
    if verb == "v":
        text = format_float(f, "g", -1 if fl.prec is None else fl.prec)
    elif verb in "eEfFgG":
        default = -1 if verb in "gG" else 6
        prec = default if fl.prec is None else fl.prec
        text = format_float(f, "f" if verb == "F" else verb, prec)
    else:
        text = f.hex()
    if fl.plus and not text.startswith(("-", "+")):
        text = "+" + text
    elif fl.space and not text.startswith(("-", "+")):
        text = " " + text
    if fl.zero and not fl.minus and fl.wid is not None and not math.isinf(f) and not math.isnan(f):
        sign = text[0] if text[0] in "+- " else ""
        body = text[len(sign):]
        return sign + body.rjust(fl.wid - len(sign), "0")
    return fl.pad(text)


def _fmt_str(s: str, verb: str, fl: _Flags) -> str:
    if fl.prec is not None:
        s = s[: fl.prec]
    if verb in ("v", "s"):
        return fl.pad(s)
    if verb == "q":
        if fl.sharp and can_backquote(s):
            return fl.pad("`" + s + "`")
        return fl.pad(quote(s, ascii_only=fl.plus))
    data = s.encode("utf-8", "surrogatepass")
    text = data.hex()
    if verb == "X":
        text = text.upper()
    if fl.space:
        pre = ("0X" if verb == "X" else "0x") if fl.sharp else ""
        text = " ".join(pre + text[i : i + 2] for i in range(0, len(text), 2))
    elif fl.sharp and text:
        text = ("0X" if verb == "X" else "0x") + text
    return fl.pad(text)


def _fmt(value: Any, verb: str, fl: _Flags, depth: int = 0) -> str:
    if value is None or value is MISSING:
        if depth > 0 or verb in "vT":
            return fl.pad("<nil>")
        return _bad_verb(verb, value)
    if verb == "T":
        return fl.pad(go_type(value))
    if isinstance(value, bool):
        if verb in ("t", "v"):
            return fl.pad("true" if value else "false")
        return _bad_verb(verb, value)
    if isinstance(value, GoInt) and verb in "vsxXq":
        text = value.go_string()
        if text is not None:
            return _fmt_str(text, verb, fl)
    if is_int(value):
        if verb in "vdboOxXcqU":
            return _fmt_int(int(value), verb, fl)
        return _bad_verb(verb, value)
    if isinstance(value, float):
        if verb in "vbgGxXfFeE":
            return _fmt_float(value, verb, fl)
        return _bad_verb(verb, value)
    if isinstance(value, str):
        if verb in "vsxXq":
            return _fmt_str(value, verb, fl)
        return _bad_verb(verb, value)
    if isinstance(value, GoObject):
        text = value.go_string()
        if text is not None and verb in "vsxXq":
            return _fmt_str(text, verb, fl)
        if text is not None:
            return _bad_verb(verb, value)
        return fl.pad(value.go_fields())
    if isinstance(value, dict):
        parts = [
            f"{_fmt(k, verb, fl, depth + 1)}:{_fmt(value[k], verb, fl, depth + 1)}"
            for k in sort_keys(value)
        ]
        return "map[" + " ".join(parts) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(_fmt(v, verb, fl, depth + 1) for v in value) + "]"
    return fl.pad(str(value))


def format_value(value: Any) -> str:
    """`fmt.Sprint(value)` for one value (`%v`)."""
    if isinstance(value, str):
        return value
    return _fmt(value, "v", _PLAIN)


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def sprint(args: list[Any]) -> str:
    """`fmt.Sprint`: spaces between operands when neither is a string."""
    out: list[str] = []
    prev_string = False
    for i, arg in enumerate(args):
        is_string = _is_string(arg)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(format_value(arg))
        prev_string = is_string
    return "".join(out)


def sprintln(args: list[Any]) -> str:
    return " ".join(format_value(a) for a in args) + "\n"


def sprintf(fmt: str, args: list[Any]) -> str:
    """`fmt.Sprintf` for the verbs and flags templates use."""
    out: list[str] = []
    argnum = 0
    i = 0
    n = len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i = j + 1
        fl = _Flags()
        while i < n and fmt[i] in "+-# 0":
            c = fmt[i]
            if c == "+":
                fl.plus = True
            elif c == "-":
                fl.minus = True
                fl.zero = False
            elif c == "#":
                fl.sharp = True
            elif c == " ":
                fl.space = True
            elif not fl.minus:
                fl.zero = True
            i += 1
        if i < n and fmt[i] == "*":
            i += 1
            if argnum < len(args) and is_int(args[argnum]):
                fl.wid = int(args[argnum])
                if fl.wid < 0:
                    fl.minus, fl.wid = True, -fl.wid
            else:
                out.append("%!(BADWIDTH)")
            argnum += 1
        else:
            start = i
            while i < n and fmt[i].isdigit():
                i += 1
            if i > start:
                fl.wid = int(fmt[start:i])
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                if argnum < len(args) and is_int(args[argnum]):
                    fl.prec = max(int(args[argnum]), 0)
                else:
                    out.append("%!(BADPREC)")
                argnum += 1
            else:
                start = i
                while i < n and fmt[i].isdigit():
                    i += 1
                fl.prec = int(fmt[start:i]) if i > start else 0
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            out.append("%")
            continue
        if argnum >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[argnum]
        argnum += 1
        if verb == "v" and fl.sharp:
            out.append(_fmt_go_syntax(arg))
            continue
        out.append(_fmt(arg, verb, fl))
    if argnum < len(args):
        extra = ", ".join(
            "<nil>" if a is None or a is MISSING else f"{go_type(a)}={format_value(a)}"
            for a in args[argnum:]
        )
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _fmt_go_syntax(value: Any) -> str:
    """`%#v` (Go-syntax representation), for the common types."""
    if value is None or value is MISSING:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, GoInt) and value.unsigned:
        return f"0x{int(value):x}"
    if is_int(value):
        return str(int(value))
    if isinstance(value, float):
        text = format_float(value, "g", -1)
        if "." not in text and "e" not in text and "Inf" not in text and "NaN" not in text:
            text += ".0" if abs(value) < 1e21 else ""
        return text
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        parts = [f"{_fmt_go_syntax(k)}:{_fmt_go_syntax(value[k])}" for k in sort_keys(value)]
        return go_type(value) + "{" + ", ".join(parts) + "}"
    if isinstance(value, list | tuple):
        return go_type(value) + "{" + ", ".join(_fmt_go_syntax(v) for v in value) + "}"
    return format_value(value)
