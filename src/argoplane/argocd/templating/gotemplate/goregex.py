"""Go `regexp` (RE2 syntax) on top of Python's `re`: translation and Go's match loops."""

from __future__ import annotations

import functools
import re

from argoplane.argocd.templating.gotemplate.errors import GoFuncError

_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}

_MULTILINE = re.compile(r"\(\?[a-zA-Z]*m[a-zA-Z]*[:)]")


def _translate(pattern: str) -> str:
    multiline = bool(_MULTILINE.search(pattern))
    out: list[str] = []
    i = 0
    n = len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
                out.append(re.escape(literal))
                i = n if end < 0 else end + 2
                continue
            if nxt == "z":
                out.append("\\Z")
            elif nxt in "pP":
                raise re.error("invalid character class range (\\p is not supported)")
            elif nxt == "Z":
                raise re.error(f"invalid escape sequence: `\\{nxt}`")
            else:
                out.append(c + nxt)
            i += 2
            continue
        if in_class:
            if c == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2 : end] if end > 0 else ""
                if name in _POSIX:
                    out.append(_POSIX[name])
                    i = end + 2
                    continue
                out.append("\\[")
                i += 1
                continue
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if (
            c == "("
            and pattern.startswith("(?<", i)
            and not pattern.startswith(("(?<=", "(?<!"), i)
        ):
            out.append("(?P<")
            i += 3
            continue
        if c == "$" and not multiline:
            out.append("\\Z")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


_GO_MESSAGES = (
    ("missing ), unterminated subpattern", "missing closing )"),
    ("unbalanced parenthesis", "unexpected )"),
    ("nothing to repeat", "missing argument to repetition operator"),
    ("multiple repeat", "invalid nested repetition operator"),
    ("unterminated character set", "missing closing ]"),
    ("bad escape", "invalid escape sequence"),
    ("bad character range", "invalid character class range"),
)


def _go_message(msg: str) -> str:
    for py, go in _GO_MESSAGES:
        if msg.startswith(py):
            return go
    return msg


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str] | str:
    try:
        return re.compile(_translate(pattern), re.ASCII)
    except re.error as exc:
        return f"error parsing regexp: {_go_message(exc.msg)}: `{pattern}`"
    except (ValueError, OverflowError, RecursionError) as exc:  # pragma: no cover
        return f"error parsing regexp: {exc}: `{pattern}`"


def compile_go(pattern: str) -> re.Pattern[str]:
    """`regexp.Compile`; the error is a GoFuncError with Go's wording."""
    rx = _compile(pattern)
    if isinstance(rx, str):
        raise GoFuncError(rx)
    return rx


def must_compile(pattern: str) -> re.Pattern[str]:
    """`regexp.MustCompile`: its panic message when the pattern is invalid."""
    rx = _compile(pattern)
    if isinstance(rx, str):
        raise GoFuncError(f"regexp: Compile(`{pattern}`): {rx}")
    return rx


def _all_matches(rx: re.Pattern[str], s: str, n: int) -> list[re.Match[str]]:
    if n < 0:
        n = len(s) + 1
    out: list[re.Match[str]] = []
    pos = 0
    prev_end = -1
    while len(out) < n and pos <= len(s):
        m = rx.search(s, pos)
        if m is None:
            break
        accept = True
        if m.end() == pos:  # an empty match
            if m.start() == prev_end:
                accept = False
            pos += 1
        else:
            pos = m.end()
        prev_end = m.end()
        if accept:
            out.append(m)
    return out


def find_all(rx: re.Pattern[str], s: str, n: int) -> list[str]:
    return [m.group(0) for m in _all_matches(rx, s, n)]


def _extract(template: str) -> tuple[str, int, str] | None:
    if not template:
        return None
    brace = template[0] == "{"
    body = template[1:] if brace else template
    i = 0
    while i < len(body) and (body[i].isalpha() or body[i].isdigit() or body[i] == "_"):
        i += 1
    if i == 0:
        return None
    name = body[:i]
    if brace:
        if i >= len(body) or body[i] != "}":
            return None
        i += 1
    num = int(name) if name.isascii() and name.isdigit() and len(name) < 9 else -1
    if name[0] == "0" and len(name) > 1:
        num = -1
    return name, num, body[i:]


def expand(rx: re.Pattern[str], template: str, m: re.Match[str]) -> str:
    """Go's `Regexp.Expand` ($1, ${1}, $name, ${name}, $$)."""
    out: list[str] = []
    while template:
        before, sep, after = template.partition("$")
        if not sep:
            break
        out.append(before)
        template = after
        if template.startswith("$"):
            out.append("$")
            template = template[1:]
            continue
        parsed = _extract(template)
        if parsed is None:
            out.append("$")
            continue
        name, num, template = parsed
        if num >= 0:
            if num <= rx.groups and m.group(num) is not None:
                out.append(m.group(num))
        elif name in rx.groupindex and m.group(name) is not None:
            out.append(m.group(name))
    out.append(template)
    return "".join(out)


def replace_all(rx: re.Pattern[str], s: str, repl: str, literal: bool) -> str:
    """Go's `ReplaceAllString` / `ReplaceAllLiteralString`."""
    out: list[str] = []
    last_end = 0
    search_pos = 0
    while search_pos <= len(s):
        m = rx.search(s, search_pos)
        if m is None:
            break
        out.append(s[last_end : m.start()])
        if m.end() > last_end or m.start() == 0:
            out.append(repl if literal else expand(rx, repl, m))
        last_end = m.end()
        width = 1 if search_pos < len(s) else 0
        if search_pos + width > m.end():
            search_pos += width
        elif search_pos + 1 > m.end():
            search_pos += 1
        else:
            search_pos = m.end()
    out.append(s[last_end:])
    return "".join(out)


def split(rx: re.Pattern[str], s: str, n: int) -> list[str]:
    """Go's `Regexp.Split`."""
    if n == 0:
        return []
    if rx.pattern and s == "":
        return [""]
    parts: list[str] = []
    beg = 0
    end = 0
    for m in _all_matches(rx, s, n):
        if n > 0 and len(parts) == n - 1:
            break
        end = m.start()
        if m.end() != 0:
            parts.append(s[beg:end])
        beg = m.end()
    if end != len(s):
        parts.append(s[beg:])
    return parts


_META = set("\\.+*?()|[]{}^$")


def quote_meta(s: str) -> str:
    return "".join("\\" + c if c in _META else c for c in s)
