"""Sprig's string functions (strings.go, goutils, xstrings) and regex functions."""

from __future__ import annotations

import random
import string
import unicodedata
from typing import Any

from argoplane.argocd.templating.gotemplate import goregex
from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.gofmt import format_value, quote, sprintf
from argoplane.argocd.templating.gotemplate.registry import register
from argoplane.argocd.templating.gotemplate.values import (
    ANY,
    INT,
    MISSING,
    STRING,
    GoObject,
    StrMap,
    StrSlice,
)

GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


def is_space(ch: str) -> bool:
    return ch in GO_SPACE


def to_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def from_bytes(b: bytes) -> str:
    return b.decode("utf-8", "replace")


def go_upper(s: str) -> str:
    """`strings.ToUpper` (simple case mapping, one rune for one rune)."""
    out = []
    for c in s:
        u = c.upper()
        out.append(u if len(u) == 1 else c)
    return "".join(out)


def go_lower(s: str) -> str:
    """`strings.ToLower` (simple case mapping)."""
    out = []
    for c in s:
        low = c.lower()
        if len(low) != 1:
            low = "i" if c == "\u0130" else c
        out.append(low)
    return "".join(out)


def go_title_rune(c: str) -> str:
    t = c.title()
    if len(t) == 1:
        return t
    u = c.upper()
    return u if len(u) == 1 else c


def strval(v: Any) -> str:
    """Sprig's `strval`: strings as they are, Stringers via String(), else `%v`."""
    if isinstance(v, str):
        return v
    if isinstance(v, GoObject):
        text = v.go_string()
        if text is not None:
            return text
    return format_value(None if v is MISSING else v)


def strslice(v: Any) -> StrSlice:
    """Sprig's `strslice`: a []string from a slice (nils dropped) or a single value."""
    if isinstance(v, StrSlice):
        return v
    if isinstance(v, list | tuple):
        return StrSlice(strval(x) for x in v if x is not None and x is not MISSING)
    if v is None or v is MISSING:
        return StrSlice()
    return StrSlice([strval(v)])


def _slice_bounds(low: int | None, high: int | None, length: int) -> None:
    lo = 0 if low is None else low
    hi = length if high is None else high
    if hi < 0 or hi > length:
        raise GoFuncError(f"runtime error: slice bounds out of range [:{hi}] with length {length}")
    if lo < 0 or lo > hi:
        raise GoFuncError(f"runtime error: slice bounds out of range [{lo}:{hi}]")


# ----------------------------------------------------------------------------- basics


@register("hello")
def _hello() -> str:
    return "Hello!"


@register("trim", [STRING])
def _trim(s: str) -> str:
    return s.strip(GO_SPACE)


@register("upper", [STRING])
def _upper(s: str) -> str:
    return go_upper(s)


@register("lower", [STRING])
def _lower(s: str) -> str:
    return go_lower(s)


def _is_separator(c: str) -> bool:
    if ord(c) <= 0x7F:
        return not (c.isascii() and (c.isalnum() or c == "_"))
    if c.isalpha() or unicodedata.category(c) == "Nd":
        return False
    return is_space(c)


@register("title", [STRING])
def _title(s: str) -> str:
    out = []
    prev = " "
    for c in s:
        out.append(go_title_rune(c) if _is_separator(prev) else c)
        prev = c
    return "".join(out)


@register("untitle", [STRING])
def _untitle(s: str) -> str:
    out = []
    nxt = True
    for c in s:
        if is_space(c):
            nxt = True
            out.append(c)
        elif nxt:
            low = c.lower()
            out.append(low if len(low) == 1 else c)
            nxt = False
        else:
            out.append(c)
    return "".join(out)


@register("substr", [INT, INT, STRING])
def _substr(start: int, end: int, s: str) -> str:
    b = to_bytes(s)
    if start < 0:
        _slice_bounds(None, end, len(b))
        return from_bytes(b[:end])
    if end < 0 or end > len(b):
        _slice_bounds(start, None, len(b))
        return from_bytes(b[start:])
    _slice_bounds(start, end, len(b))
    return from_bytes(b[start:end])


@register("trunc", [INT, STRING])
def _trunc(c: int, s: str) -> str:
    b = to_bytes(s)
    if c < 0 and len(b) + c > 0:
        return from_bytes(b[len(b) + c :])
    if c >= 0 and len(b) > c:
        return from_bytes(b[:c])
    return s


@register("repeat", [INT, STRING])
def _repeat(count: int, s: str) -> str:
    if count < 0:
        raise GoFuncError("strings: negative Repeat count")
    return s * count


@register("trimAll", [STRING, STRING], aliases=["trimall"])
def _trim_all(cutset: str, s: str) -> str:
    return s.strip(cutset) if cutset else s


@register("trimSuffix", [STRING, STRING])
def _trim_suffix(suffix: str, s: str) -> str:
    return s.removesuffix(suffix)


@register("trimPrefix", [STRING, STRING])
def _trim_prefix(prefix: str, s: str) -> str:
    return s.removeprefix(prefix)


@register("nospace", [STRING])
def _nospace(s: str) -> str:
    return "".join(c for c in s if not is_space(c))


@register("initials", [STRING])
def _initials(s: str) -> str:
    out = []
    gap = True
    for c in s:
        if is_space(c):
            gap = True
        elif gap:
            out.append(c)
            gap = False
    return "".join(out)


def abbreviate_full(s: str, offset: int, max_width: int) -> str:
    """goutils.AbbreviateFull (byte based, as in Go)."""
    b = to_bytes(s)
    if not b:
        return ""
    if max_width < 4:
        raise GoFuncError("stringutils illegal argument: Minimum abbreviation width is 4")
    if len(b) <= max_width:
        return s
    offset = min(offset, len(b))
    if len(b) - offset < max_width - 3:
        offset = len(b) - (max_width - 3)
    marker = b"..."
    if offset <= 4:
        return from_bytes(b[: max_width - 3] + marker)
    if max_width < 7:
        raise GoFuncError(
            "stringutils illegal argument: Minimum abbreviation width with offset is 7"
        )
    if offset + max_width - 3 < len(b):
        return "..." + abbreviate_full(from_bytes(b[offset:]), 0, max_width - 3)
    return from_bytes(marker + b[len(b) - (max_width - 3) :])


@register("abbrev", [INT, STRING])
def _abbrev(width: int, s: str) -> str:
    if width < 4:
        return s
    return abbreviate_full(s, 0, width)


@register("abbrevboth", [INT, INT, STRING])
def _abbrevboth(left: int, right: int, s: str) -> str:
    if right < 4 or (left > 0 and right < 7):
        return s
    return abbreviate_full(s, left, right)


_RAND = random.SystemRandom()


def _rand_string(count: int, alphabet: str) -> str:
    if count < 0:
        raise GoFuncError(f"Requested random string length {count} is less than 0.")
    return "".join(_RAND.choice(alphabet) for _ in range(count))


@register("randAlphaNum", [INT])
def _rand_alnum(count: int) -> str:
    return _rand_string(count, string.ascii_letters + string.digits)


@register("randAlpha", [INT])
def _rand_alpha(count: int) -> str:
    return _rand_string(count, string.ascii_letters)


@register("randAscii", [INT])
def _rand_ascii(count: int) -> str:
    return _rand_string(count, "".join(chr(c) for c in range(32, 127)))


@register("randNumeric", [INT])
def _rand_numeric(count: int) -> str:
    return _rand_string(count, string.digits)


@register("swapcase", [STRING])
def _swapcase(s: str) -> str:
    out = []
    whitespace = True
    for c in s:
        if c.isupper() or unicodedata.category(c) == "Lt":
            low = c.lower()
            out.append(low if len(low) == 1 else c)
            whitespace = False
        elif c.islower():
            out.append(go_title_rune(c) if whitespace else go_upper(c))
            whitespace = False
        else:
            out.append(c)
            whitespace = is_space(c)
    return "".join(out)


@register("shuffle", [STRING])
def _shuffle(s: str) -> str:
    chars = list(s)
    _RAND.shuffle(chars)
    return "".join(chars)


# --------------------------------------------------------------------- xstrings case conversion

_INVALID, _NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(7)


def _is_connector(c: str) -> bool:
    return c in "-_" or is_space(c)


def _is_alphabet(c: str) -> bool:
    if not c.isalpha():
        return False
    cp = ord(c)
    return not (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000)


def _is_punct(c: str) -> bool:
    return unicodedata.category(c).startswith("P")


def _is_number(c: str) -> bool:
    return unicodedata.category(c).startswith("N")


def _next_word(s: str) -> tuple[int, str, str]:
    if not s:
        return _INVALID, "", ""
    c = s[0]
    i = 1
    if _is_connector(c):
        while i < len(s) and _is_connector(s[i]):
            i += 1
        return _CONNECTOR, s[:i], s[i:]
    if _is_punct(c):
        while i < len(s) and _is_punct(s[i]):
            i += 1
        return _PUNCT, s[:i], s[i:]
    if c.isupper():
        if i >= len(s):
            return _UPPER, s[:i], s[i:]
        r = s[i]
        if r.isupper():
            i += 1
            while i < len(s) and s[i].isupper():
                i += 1
            # "HTTPStatus" splits into "HTTP" and "Status".
            if i < len(s) and _is_alphabet(s[i]):
                i -= 1
        elif _is_alphabet(r):
            i += 1
            while i < len(s) and _is_alphabet(s[i]) and not s[i].isupper():
                i += 1
        return _UPPER, s[:i], s[i:]
    if _is_alphabet(c):
        while i < len(s) and _is_alphabet(s[i]) and not s[i].isupper():
            i += 1
        return _ALPHA, s[:i], s[i:]
    if _is_number(c):
        while i < len(s) and _is_number(s[i]):
            i += 1
        return _NUMBER, s[:i], s[i:]
    while i < len(s) and not (
        _is_connector(s[i]) or _is_alphabet(s[i]) or _is_number(s[i]) or _is_punct(s[i])
    ):
        i += 1
    return _OTHER, s[:i], s[i:]


def _to_lower(buf: list[str], wt: int, word: str, connector: str) -> None:
    if wt not in (_UPPER, _CONNECTOR):
        buf.append(word)
        return
    for c in word:
        if _is_connector(c):
            buf.append(connector)
        elif c.isupper():
            buf.append(go_lower(c))
        else:
            buf.append(c)


def camel_to_lower(s: str, connector: str) -> str:
    """xstrings' `camelCaseToLowerCase` (ToSnakeCase / ToKebabCase)."""
    if not s:
        return ""
    buf: list[str] = []
    wt, word, remaining = _next_word(s)
    while remaining:
        if wt != _CONNECTOR:
            _to_lower(buf, wt, word, connector)
        prev, last = wt, word
        wt, word, remaining = _next_word(remaining)
        if prev == _NUMBER:
            while wt in (_ALPHA, _NUMBER):
                _to_lower(buf, wt, word, connector)
                wt, word, remaining = _next_word(remaining)
            if wt not in (_INVALID, _PUNCT, _CONNECTOR):
                buf.append(connector)
        elif prev == _CONNECTOR:
            _to_lower(buf, prev, last, connector)
        elif prev == _PUNCT:
            pass
        else:
            if wt != _NUMBER:
                if wt not in (_CONNECTOR, _PUNCT):
                    buf.append(connector)
                continue
            if not remaining:
                continue
            last = word
            wt, word, remaining = _next_word(remaining)
            if wt != _ALPHA:
                _to_lower(buf, _NUMBER, last, connector)
                if wt not in (_CONNECTOR, _PUNCT):
                    buf.append(connector)
                continue
            buf.append(connector)
            _to_lower(buf, _NUMBER, last, connector)
            while wt in (_ALPHA, _NUMBER):
                _to_lower(buf, wt, word, connector)
                wt, word, remaining = _next_word(remaining)
            if wt not in (_INVALID, _CONNECTOR, _PUNCT):
                buf.append(connector)
    _to_lower(buf, wt, word, connector)
    return "".join(buf)


def _upper_rune(c: str) -> str:
    u = c.upper()
    return u if len(u) == 1 else c


def _lower_rune(c: str) -> str:
    return go_lower(c)


def to_camel_case(s: str, is_big: bool) -> str:
    """xstrings' `toCamelCase` (v1.5): ToPascalCase when is_big, else ToCamelCase."""
    if not s:
        return ""
    buf: list[str] = []
    first_upper = False
    i = 0
    r0 = ""
    while i < len(s):  # leading connectors appear in the output
        r0 = s[i]
        i += 1
        if not _is_connector(r0):
            first_upper = r0.isupper()
            r0 = _upper_rune(r0) if is_big else _lower_rune(r0)
            break
        buf.append(r0)
    if i >= len(s):
        buf.append(r0)
        return "".join(buf)
    while i < len(s):
        r1 = r0
        r0 = s[i]
        i += 1
        if _is_connector(r0) and _is_connector(r1):
            buf.append(r1)
            continue
        if _is_connector(r1):
            first_upper = r0.isupper()
            r0 = _upper_rune(r0)
        else:
            if first_upper:
                if r0.isupper():
                    r0 = _lower_rune(r0)
                else:
                    first_upper = False
            buf.append(r1)
    if first_upper and not is_big:
        r0 = _lower_rune(r0)
    buf.append(r0)
    return "".join(buf)


@register("snakecase", [STRING])
def _snakecase(s: str) -> str:
    return camel_to_lower(s, "_")


@register("kebabcase", [STRING])
def _kebabcase(s: str) -> str:
    return camel_to_lower(s, "-")


@register("camelcase", [STRING])
def _camelcase(s: str) -> str:
    return to_camel_case(s, True)


def wrap_custom(s: str, wrap_length: int, newline: str, wrap_long_words: bool) -> str:
    """goutils.WrapCustom."""
    if not s:
        return ""
    newline = newline or "\n"
    wrap_length = max(wrap_length, 1)
    length = len(s)
    offset = 0
    out: list[str] = []
    while length - offset > wrap_length:
        if s[offset] == " ":
            offset += 1
            continue
        end = wrap_length + offset + 1
        space_at = s.rfind(" ", offset, end)
        if space_at >= offset:
            out.append(s[offset:space_at] + newline)
            offset = space_at + 1
        elif wrap_long_words:
            out.append(s[offset : wrap_length + offset] + newline)
            offset += wrap_length
        else:
            end = wrap_length + offset
            idx = s.find(" ", end)
            if idx == -1:
                out.append(s[offset:])
                offset = length
            else:
                out.append(s[offset:idx] + newline)
                offset = idx + 1
    out.append(s[offset:])
    return "".join(out)


@register("wrap", [INT, STRING])
def _wrap(width: int, s: str) -> str:
    return wrap_custom(s, width, "", False)


@register("wrapWith", [INT, STRING, STRING])
def _wrap_with(width: int, sep: str, s: str) -> str:
    return wrap_custom(s, width, sep, True)


@register("contains", [STRING, STRING])
def _contains(substr: str, s: str) -> bool:
    return substr in s


@register("hasPrefix", [STRING, STRING])
def _has_prefix(prefix: str, s: str) -> bool:
    return s.startswith(prefix)


@register("hasSuffix", [STRING, STRING])
def _has_suffix(suffix: str, s: str) -> bool:
    return s.endswith(suffix)


def _present(args: tuple[Any, ...]) -> list[Any]:
    return [a for a in args if a is not None and a is not MISSING]


@register("quote", [], ANY)
def _quote(*args: Any) -> str:
    return " ".join(quote(strval(a)) for a in _present(args))


@register("squote", [], ANY)
def _squote(*args: Any) -> str:
    return " ".join(f"'{format_value(a)}'" for a in _present(args))


@register("cat", [], ANY)
def _cat(*args: Any) -> str:
    present = _present(args)
    return sprintf(" ".join(["%v"] * len(present)), present)


def indent_text(spaces: int, v: str) -> str:
    pad = " " * max(spaces, 0)
    return pad + v.replace("\n", "\n" + pad)


@register("indent", [INT, STRING])
def _indent(spaces: int, v: str) -> str:
    if spaces < 0:
        raise GoFuncError("strings: negative Repeat count")
    return indent_text(spaces, v)


@register("nindent", [INT, STRING])
def _nindent(spaces: int, v: str) -> str:
    return "\n" + _indent(spaces, v)


@register("replace", [STRING, STRING, STRING])
def _replace(old: str, new: str, src: str) -> str:
    return src.replace(old, new)


@register("plural", [STRING, STRING, INT])
def _plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


@register("toString", [ANY])
def _to_string(v: Any) -> str:
    return strval(v)


def go_split(s: str, sep: str, n: int = -1) -> list[str]:
    """`strings.SplitN` (n < 0: all)."""
    if n == 0:
        return []
    if sep == "":
        chars = list(s)
        if 0 < n < len(chars):
            return [*chars[: n - 1], "".join(chars[n - 1 :])]
        return chars
    if n < 0:
        return s.split(sep)
    return s.split(sep, n - 1)


@register("split", [STRING, STRING])
def _split(sep: str, orig: str) -> StrMap:
    return StrMap({f"_{i}": part for i, part in enumerate(go_split(orig, sep))})


@register("splitn", [STRING, INT, STRING])
def _splitn(sep: str, n: int, orig: str) -> StrMap:
    return StrMap({f"_{i}": part for i, part in enumerate(go_split(orig, sep, n))})


@register("splitList", [STRING, STRING])
def _split_list(sep: str, orig: str) -> StrSlice:
    return StrSlice(go_split(orig, sep))


@register("toStrings", [ANY])
def _to_strings(v: Any) -> StrSlice:
    return strslice(v)


@register("join", [STRING, ANY])
def _join(sep: str, v: Any) -> str:
    return sep.join(strslice(v))


@register("sortAlpha", [ANY])
def _sort_alpha(v: Any) -> StrSlice:
    if isinstance(v, list | tuple):
        return StrSlice(sorted(strslice(v), key=to_bytes))
    return StrSlice([strval(v)])


# ----------------------------------------------------------------------------- regex


@register("regexMatch", [STRING, STRING])
def _regex_match(regex: str, s: str) -> bool:
    try:
        return goregex.compile_go(regex).search(s) is not None
    except GoFuncError:
        return False


@register("mustRegexMatch", [STRING, STRING])
def _must_regex_match(regex: str, s: str) -> bool:
    return goregex.compile_go(regex).search(s) is not None


@register("regexFindAll", [STRING, STRING, INT])
def _regex_find_all(regex: str, s: str, n: int) -> StrSlice:
    return StrSlice(goregex.find_all(goregex.must_compile(regex), s, n))


@register("mustRegexFindAll", [STRING, STRING, INT])
def _must_regex_find_all(regex: str, s: str, n: int) -> StrSlice:
    return StrSlice(goregex.find_all(goregex.compile_go(regex), s, n))


@register("regexFind", [STRING, STRING])
def _regex_find(regex: str, s: str) -> str:
    m = goregex.must_compile(regex).search(s)
    return m.group(0) if m else ""


@register("mustRegexFind", [STRING, STRING])
def _must_regex_find(regex: str, s: str) -> str:
    m = goregex.compile_go(regex).search(s)
    return m.group(0) if m else ""


@register("regexReplaceAll", [STRING, STRING, STRING])
def _regex_replace_all(regex: str, s: str, repl: str) -> str:
    return goregex.replace_all(goregex.must_compile(regex), s, repl, literal=False)


@register("mustRegexReplaceAll", [STRING, STRING, STRING])
def _must_regex_replace_all(regex: str, s: str, repl: str) -> str:
    return goregex.replace_all(goregex.compile_go(regex), s, repl, literal=False)


@register("regexReplaceAllLiteral", [STRING, STRING, STRING])
def _regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return goregex.replace_all(goregex.must_compile(regex), s, repl, literal=True)


@register("mustRegexReplaceAllLiteral", [STRING, STRING, STRING])
def _must_regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return goregex.replace_all(goregex.compile_go(regex), s, repl, literal=True)


@register("regexSplit", [STRING, STRING, INT])
def _regex_split(regex: str, s: str, n: int) -> StrSlice:
    return StrSlice(goregex.split(goregex.must_compile(regex), s, n))


@register("mustRegexSplit", [STRING, STRING, INT])
def _must_regex_split(regex: str, s: str, n: int) -> StrSlice:
    return StrSlice(goregex.split(goregex.compile_go(regex), s, n))


@register("regexQuoteMeta", [STRING])
def _regex_quote_meta(s: str) -> str:
    return goregex.quote_meta(s)


__all__ = ["go_lower", "go_upper", "indent_text", "strslice", "strval"]
