"""The glob dialects Argo CD uses, each reproduced exactly (semantics §11).

Five different matchers, deliberately not sharing an implementation:

* `gobwas_match` — github.com/gobwas/glob v0.2.3 (directory include/exclude, project
  destinations, sourceRepos with `/` as separator, `util/glob.Match`), including the
  matching bugs of that version (see the section below).
* `go_path_match` — Go's `path.Match` (git generator `directories[].path`).
* `go_filepath_match` — Go's `path/filepath.Match` on Linux (AppProject resource kinds).
* `doublestar_match` — github.com/bmatcuk/doublestar/v4 `Match` (new git file globbing,
  helm valueFile globs).
* `git_pathspec_match` — `git ls-files -- <pattern>` without pathspec magic (old git
  file globbing).

Every function returns False for a malformed pattern (Argo logs the error and treats it as
"no match").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = [
    "doublestar_match",
    "doublestar_valid",
    "git_pathspec_match",
    "go_filepath_match",
    "go_path_match",
    "gobwas_compile",
    "gobwas_match",
]


class _BadPattern(Exception):
    """A malformed pattern (the matching library reports an error)."""


# --------------------------------------------------------------------------------------
# Go UTF-8 helpers (the Go libraries work on UTF-8 bytes, decoding runes as they go)

_RUNE_ERROR = 0xFFFD


def _decode_rune(data: bytes, i: int) -> tuple[int, int]:
    """Go's utf8.DecodeRune on data[i:]: (rune, width); (RuneError, 1) when invalid."""
    if i >= len(data):
        return _RUNE_ERROR, 0
    lead = data[i]
    if lead < 0x80:
        return lead, 1
    if 0xC2 <= lead <= 0xDF:
        size = 2
    elif 0xE0 <= lead <= 0xEF:
        size = 3
    elif 0xF0 <= lead <= 0xF4:
        size = 4
    else:
        return _RUNE_ERROR, 1
    try:
        decoded = data[i : i + size].decode("utf-8")
    except UnicodeDecodeError:
        return _RUNE_ERROR, 1
    return ord(decoded), size


def _runes(data: bytes) -> Iterator[tuple[int, int]]:
    """Go's `for i, r := range s`: (byte offset, rune)."""
    i = 0
    while i < len(data):
        rune, width = _decode_rune(data, i)
        yield i, rune
        i += width


def _rune_len(rune: int) -> int:
    """Go's utf8.RuneLen (3 for RuneError, which is how an invalid byte decodes)."""
    if rune < 0x80:
        return 1
    if rune < 0x800:
        return 2
    if rune < 0x10000:
        return 3
    return 4


def _rune_count(data: bytes) -> int:
    return sum(1 for _ in _runes(data))


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")


# --------------------------------------------------------------------------------------
# gobwas/glob v0.2.3
# --------------------------------------------------------------------------------------
#
# Syntax (lexer + parser of v0.2.3):
#   *      any sequence of non-separator runes      **   any sequence
#   ?      one non-separator rune
#   [abc] [!abc]   one rune from / not from a list (separators are NOT excluded)
#   [a-z] [!a-z]   one rune in / not in a single range (only one range per class)
#   {a,b}  alternatives (nestable; `,` and `}` are literal outside braces)
#   \x     literal x (a trailing `\` is dropped)
# Errors: an unterminated or malformed class (`[`, `[]`, `[!]`, `[a-z0]`, `[z-a]`).
# An unclosed `{` is NOT an error in v0.2.3: `{a,b` behaves like `{a,b}`.
# A NUL rune reads as end of input, and U+FFFD is a lexer error (Go's utf8.RuneError).
#
# Matching is NOT textbook glob matching. v0.2.3 compiles the syntax tree into a tree of
# specialised matchers (prefix/suffix/contains/row/b-tree...), several of which have
# bugs that Argo CD inherits, for instance:
#   `start*art` matches "start" (prefix and suffix may overlap, gobwas#61),
#   `{a,}{a,}a` does not match "a" (gobwas#62),
#   `{*.,}google*` does not match "google.com" (gobwas#43),
#   `?é` never matches (a row compares only the first byte of a multi-byte rune).
# To agree with Argo in those cases too, the compiler and the matchers below follow
# v0.2.3's construction and matching procedure step by step, on UTF-8 bytes.

_EOF = ""  # what _GobwasLexer.read returns at the end of input (and for NUL)

# syntax tree node kinds
_K_NOTHING, _K_PATTERN, _K_LIST, _K_RANGE, _K_TEXT = "nothing", "pattern", "list", "range", "text"
_K_ANY, _K_SUPER, _K_SINGLE, _K_ANY_OF = "any", "super", "single", "any_of"


@dataclass(eq=False)
class _Node:
    kind: str
    children: list[_Node] = field(default_factory=list)
    text: str = ""  # text
    chars: tuple[int, ...] = ()  # list
    lo: int = 0  # range
    hi: int = 0  # range
    negated: bool = False  # list, range


def _node_equal(a: _Node, b: _Node) -> bool:
    return (
        (a.kind, a.text, a.chars, a.lo, a.hi, a.negated)
        == (b.kind, b.text, b.chars, b.lo, b.hi, b.negated)
        and len(a.children) == len(b.children)
        and all(_node_equal(x, y) for x, y in zip(a.children, b.children, strict=True))
    )


# token kinds
_T_EOF, _T_TEXT, _T_ANY, _T_SUPER, _T_SINGLE = "eof", "text", "any", "super", "single"
_T_RANGE_OPEN, _T_RANGE_CLOSE, _T_NOT = "[", "]", "!"
_T_LO, _T_BETWEEN, _T_HI = "lo", "-", "hi"
_T_TERMS_OPEN, _T_TERMS_CLOSE, _T_SEPARATOR = "{", "}", ","


class _GobwasLexer:
    """Token stream with the same reading rules as gobwas' lexer (errors are raised)."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.last_width = 0
        self.pending: list[tuple[str, str]] = []
        self.terms_level = 0

    def _peek(self) -> tuple[str, int]:
        if self.pos >= len(self.src):
            return _EOF, 0
        ch = self.src[self.pos]
        if ch == "\ufffd":
            raise _BadPattern("could not read rune")
        if ch == "\x00":
            return _EOF, 1  # Go's eof sentinel is rune 0, so NUL looks like the end
        return ch, 1

    def read(self) -> str:
        ch, width = self._peek()
        self.pos += width
        self.last_width = width
        return ch

    def unread(self) -> None:
        self.pos -= self.last_width

    def next(self) -> tuple[str, str]:
        while not self.pending:
            self._fetch_item()
        return self.pending.pop(0)

    def _fetch_item(self) -> None:
        ch = self.read()
        if ch == _EOF:
            self.pending.append((_T_EOF, ""))
        elif ch == "{":
            self.terms_level += 1
            self.pending.append((_T_TERMS_OPEN, ch))
        elif ch == "," and self.terms_level > 0:
            self.pending.append((_T_SEPARATOR, ch))
        elif ch == "}" and self.terms_level > 0:
            self.pending.append((_T_TERMS_CLOSE, ch))
            self.terms_level -= 1
        elif ch == "[":
            self.pending.append((_T_RANGE_OPEN, ch))
            self._fetch_range()
        elif ch == "?":
            self.pending.append((_T_SINGLE, ch))
        elif ch == "*":
            if self.read() == "*":
                self.pending.append((_T_SUPER, "**"))
            else:
                self.unread()
                self.pending.append((_T_ANY, ch))
        else:
            self.unread()
            self._fetch_text("?*[{}," if self.terms_level > 0 else "?*[{")

    def _fetch_range(self) -> None:
        want_hi = want_close = seen_not = False
        while True:
            ch = self.read()
            if ch == _EOF:
                raise _BadPattern("unexpected end of input")
            if want_close:
                if ch != "]":
                    raise _BadPattern("expected close range character")
                self.pending.append((_T_RANGE_CLOSE, ch))
                return
            if want_hi:
                self.pending.append((_T_HI, ch))
                want_close = True
                continue
            if not seen_not and ch == "!":
                self.pending.append((_T_NOT, ch))
                seen_not = True
                continue
            nxt, width = self._peek()
            if nxt == "-":
                self.pos += width
                self.pending.append((_T_LO, ch))
                self.pending.append((_T_BETWEEN, nxt))
                want_hi = True
                continue
            self.unread()
            self._fetch_text("]")
            want_close = True

    def _fetch_text(self, breakers: str) -> None:
        data: list[str] = []
        escaped = False
        while True:
            ch = self.read()
            if ch == _EOF:
                break
            if not escaped:
                if ch == "\\":
                    escaped = True
                    continue
                if ch in breakers:
                    self.unread()
                    break
            escaped = False
            data.append(ch)
        if data:
            self.pending.append((_T_TEXT, "".join(data)))


def _gobwas_parse(pattern: str) -> _Node:
    lexer = _GobwasLexer(pattern)
    root = _Node(_K_PATTERN)
    current = root
    # for each open `{`: the pattern holding it and its any-of node
    open_terms: list[tuple[_Node, _Node]] = []
    simple = {_T_ANY: _K_ANY, _T_SUPER: _K_SUPER, _T_SINGLE: _K_SINGLE}
    while True:
        kind, raw = lexer.next()
        if kind == _T_EOF:
            return root  # unclosed braces are accepted, as in v0.2.3
        if kind == _T_TEXT:
            current.children.append(_Node(_K_TEXT, text=raw))
        elif kind in simple:
            current.children.append(_Node(simple[kind]))
        elif kind == _T_RANGE_OPEN:
            current.children.append(_gobwas_parse_class(lexer))
        elif kind == _T_TERMS_OPEN:
            any_of = _Node(_K_ANY_OF)
            current.children.append(any_of)
            open_terms.append((current, any_of))
            current = _Node(_K_PATTERN)
            any_of.children.append(current)
        elif kind == _T_SEPARATOR:
            current = _Node(_K_PATTERN)
            open_terms[-1][1].children.append(current)
        elif kind == _T_TERMS_CLOSE:
            current = open_terms.pop()[0]
        else:  # pragma: no cover - the lexer emits nothing else here
            raise _BadPattern(f"unexpected token: {kind}")


def _gobwas_parse_class(lexer: _GobwasLexer) -> _Node:
    negated = False
    lo = hi = chars = ""
    while True:
        kind, raw = lexer.next()
        if kind == _T_EOF:
            raise _BadPattern("unexpected end")
        if kind == _T_NOT:
            negated = True
        elif kind == _T_LO:
            lo = raw
        elif kind == _T_HI:
            hi = raw
            if hi < lo:
                raise _BadPattern(f"hi character '{hi}' should be greater than lo '{lo}'")
        elif kind == _T_TEXT:
            chars = raw
        elif kind == _T_RANGE_CLOSE:
            is_range = lo != "" and hi != ""
            if (chars != "") == is_range:
                raise _BadPattern("could not parse range")
            if is_range:
                return _Node(_K_RANGE, lo=ord(lo), hi=ord(hi), negated=negated)
            return _Node(_K_LIST, chars=tuple(ord(c) for c in chars), negated=negated)


# ---- matchers (gobwas/glob/match), on UTF-8 bytes; -1 as length means "not fixed"

_Segments = list[int]


def _index_any_runes(s: bytes, runes: tuple[int, ...]) -> int:
    """gobwas IndexAnyRunes: index of the first listed rune found (not the leftmost)."""
    for rune in runes:
        i = s.find(_encode(chr(rune)))
        if i != -1:
            return i
    return -1


def _last_index_any_runes(s: bytes, runes: tuple[int, ...]) -> int:
    for rune in runes:
        # (for a non-ASCII rune gobwas' loop keeps finding the first occurrence)
        i = s.rfind(bytes([rune])) if rune < 0x80 else s.find(_encode(chr(rune)))
        if i != -1:
            return i
    return -1


def _rune_offsets(s: bytes) -> _Segments:
    return [i for i, _ in _runes(s)]


class _Matcher:
    def match(self, s: bytes) -> bool:
        raise NotImplementedError

    def index(self, s: bytes) -> tuple[int, _Segments]:
        raise NotImplementedError

    def length(self) -> int:
        return -1


class _Nothing(_Matcher):
    def match(self, s: bytes) -> bool:
        return not s

    def index(self, s: bytes) -> tuple[int, _Segments]:
        return 0, [0]

    def length(self) -> int:
        return 0


class _Super(_Matcher):
    def match(self, s: bytes) -> bool:
        return True

    def index(self, s: bytes) -> tuple[int, _Segments]:
        return 0, [*_rune_offsets(s), len(s)]


class _Any(_Matcher):
    def __init__(self, separators: tuple[int, ...]) -> None:
        self.separators = separators

    def match(self, s: bytes) -> bool:
        return _index_any_runes(s, self.separators) == -1

    def index(self, s: bytes) -> tuple[int, _Segments]:
        found = _index_any_runes(s, self.separators)
        if found == 0:
            return 0, [0]
        if found > 0:
            s = s[:found]
        return 0, [*_rune_offsets(s), len(s)]


class _Text(_Matcher):
    def __init__(self, text: bytes) -> None:
        self.text = text
        self.runes = _rune_count(text)

    def match(self, s: bytes) -> bool:
        return s == self.text

    def index(self, s: bytes) -> tuple[int, _Segments]:
        return s.find(self.text), [len(self.text)]

    def length(self) -> int:
        return self.runes


class _OneRune(_Matcher):
    """Single (`?`), List (`[...]`) and Range (`[a-z]`)."""

    def __init__(self, accepts: Callable[[int], bool]) -> None:
        self.accepts = accepts

    def match(self, s: bytes) -> bool:
        rune, width = _decode_rune(s, 0)
        return len(s) <= width and self.accepts(rune)

    def index(self, s: bytes) -> tuple[int, _Segments]:
        for i, rune in _runes(s):
            if self.accepts(rune):
                return i, [_rune_len(rune)]
        return -1, []

    def length(self) -> int:
        return 1


class _Single(_OneRune):
    def __init__(self, separators: tuple[int, ...]) -> None:
        super().__init__(lambda r: r not in separators)
        self.separators = separators


class _List(_OneRune):
    def __init__(self, chars: tuple[int, ...], negated: bool) -> None:
        super().__init__(lambda r: (r in chars) != negated)
        self.chars = chars
        self.negated = negated


class _Range(_OneRune):
    def __init__(self, lo: int, hi: int, negated: bool) -> None:
        super().__init__(lambda r: (lo <= r <= hi) != negated)


class _Prefix(_Matcher):
    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix

    def match(self, s: bytes) -> bool:
        return s.startswith(self.prefix)

    def index(self, s: bytes) -> tuple[int, _Segments]:
        idx = s.find(self.prefix)
        if idx == -1:
            return -1, []
        n = len(self.prefix)
        rest = s[idx + n :]
        return idx, [n, *(n + i + _rune_len(r) for i, r in _runes(rest))]


class _PrefixAny(_Matcher):
    def __init__(self, prefix: bytes, separators: tuple[int, ...]) -> None:
        self.prefix = prefix
        self.separators = separators

    def match(self, s: bytes) -> bool:
        return (
            s.startswith(self.prefix)
            and _index_any_runes(s[len(self.prefix) :], self.separators) == -1
        )

    def index(self, s: bytes) -> tuple[int, _Segments]:
        idx = s.find(self.prefix)
        if idx == -1:
            return -1, []
        n = len(self.prefix)
        rest = s[idx + n :]
        cut = _index_any_runes(rest, self.separators)
        if cut > -1:
            rest = rest[:cut]
        return idx, [n, *(n + i + _rune_len(r) for i, r in _runes(rest))]


class _Suffix(_Matcher):
    def __init__(self, suffix: bytes) -> None:
        self.suffix = suffix

    def match(self, s: bytes) -> bool:
        return s.endswith(self.suffix)

    def index(self, s: bytes) -> tuple[int, _Segments]:
        idx = s.find(self.suffix)
        if idx == -1:
            return -1, []
        return 0, [idx + len(self.suffix)]


class _SuffixAny(_Matcher):
    def __init__(self, suffix: bytes, separators: tuple[int, ...]) -> None:
        self.suffix = suffix
        self.separators = separators

    def match(self, s: bytes) -> bool:
        return (
            s.endswith(self.suffix)
            and _index_any_runes(s[: len(s) - len(self.suffix)], self.separators) == -1
        )

    def index(self, s: bytes) -> tuple[int, _Segments]:
        idx = s.find(self.suffix)
        if idx == -1:
            return -1, []
        start = _last_index_any_runes(s[:idx], self.separators) + 1
        return start, [idx + len(self.suffix) - start]


class _PrefixSuffix(_Matcher):
    def __init__(self, prefix: bytes, suffix: bytes) -> None:
        self.prefix = prefix
        self.suffix = suffix

    def match(self, s: bytes) -> bool:
        # (prefix and suffix may overlap: gobwas#61)
        return s.startswith(self.prefix) and s.endswith(self.suffix)

    def index(self, s: bytes) -> tuple[int, _Segments]:
        start = s.find(self.prefix)
        if start == -1:
            return -1, []
        if not self.suffix:
            return start, [len(s) - start]
        if len(s) - start <= 0:
            return -1, []
        segments: _Segments = []
        rest = s[start:]
        while (found := rest.rfind(self.suffix)) != -1:
            segments.append(found + len(self.suffix))
            rest = rest[:found]
        if not segments:
            return -1, []
        segments.reverse()
        return start, segments


class _Contains(_Matcher):
    def __init__(self, needle: bytes, negated: bool) -> None:
        self.needle = needle
        self.negated = negated

    def match(self, s: bytes) -> bool:
        return (self.needle in s) != self.negated

    def index(self, s: bytes) -> tuple[int, _Segments]:
        offset = 0
        idx = s.find(self.needle)
        if not self.negated:
            if idx == -1:
                return -1, []
            offset = idx + len(self.needle)
            if len(s) <= offset:
                return 0, [offset]
            s = s[offset:]
        elif idx != -1:
            s = s[:idx]
        return 0, [*(offset + i for i in _rune_offsets(s)), offset + len(s)]


class _Min(_Matcher):
    def __init__(self, limit: int) -> None:
        self.limit = limit

    def match(self, s: bytes) -> bool:
        return any(n >= self.limit for n, _ in enumerate(_runes(s), start=1))

    def index(self, s: bytes) -> tuple[int, _Segments]:
        if len(s) - self.limit + 1 <= 0:
            return -1, []
        segments = [
            i + _rune_len(r)
            for count, (i, r) in enumerate(_runes(s), start=1)
            if count >= self.limit
        ]
        return (0, segments) if segments else (-1, [])


class _Max(_Matcher):
    def __init__(self, limit: int) -> None:
        self.limit = limit

    def match(self, s: bytes) -> bool:
        return _rune_count(s) <= self.limit

    def index(self, s: bytes) -> tuple[int, _Segments]:
        segments = [0]
        for count, (i, r) in enumerate(_runes(s), start=1):
            if count > self.limit:
                break
            segments.append(i + _rune_len(r))
        return 0, segments


class _EveryOf(_Matcher):
    def __init__(self, matchers: list[_Matcher]) -> None:
        self.matchers = matchers

    def match(self, s: bytes) -> bool:
        return all(m.match(s) for m in self.matchers)

    def length(self) -> int:
        return -1 if self.matchers else 0  # (v0.2.3's Len never gets past the first one)

    def index(self, s: bytes) -> tuple[int, _Segments]:
        index = offset = 0
        current: _Segments = []
        sub = s
        for n, matcher in enumerate(self.matchers):
            idx, segments = matcher.index(sub)
            if idx == -1:
                return -1, []
            if n == 0:
                current = list(segments)
            else:
                delta = index - (idx + offset)
                current = [seg for ex in current for seg in segments if ex + delta == seg]
                if not current:
                    return -1, []
            index = idx + offset
            sub = s[index:]
            offset += idx
        return index, current


def _append_merge(target: _Segments, sub: _Segments) -> _Segments:
    out: _Segments = []
    x = y = 0
    while x < len(target) or y < len(sub):
        if x >= len(target):
            out.extend(sub[y:])
            break
        if y >= len(sub):
            out.extend(target[x:])
            break
        if target[x] == sub[y]:
            out.append(target[x])
            x += 1
            y += 1
        elif target[x] < sub[y]:
            out.append(target[x])
            x += 1
        else:
            out.append(sub[y])
            y += 1
    return out


class _AnyOf(_Matcher):
    def __init__(self, matchers: list[_Matcher]) -> None:
        self.matchers = matchers

    def match(self, s: bytes) -> bool:
        return any(m.match(s) for m in self.matchers)

    def index(self, s: bytes) -> tuple[int, _Segments]:
        index = -1
        segments: _Segments = []
        for matcher in self.matchers:
            idx, seg = matcher.index(s)
            if idx == -1:
                continue
            if index == -1 or idx < index:
                index = idx
                segments = list(seg)
            elif idx == index:
                segments = _append_merge(segments, seg)
        return (index, segments) if index != -1 else (-1, [])

    def length(self) -> int:
        result = -1
        for matcher in self.matchers:
            ml = matcher.length()
            if result == -1:
                result = ml
            elif ml == -1 or result != ml:
                return -1
        return result


class _Row(_Matcher):
    def __init__(self, runes_length: int, matchers: list[_Matcher]) -> None:
        self.matchers = matchers
        self.runes_length = runes_length

    def _match_all(self, s: bytes) -> bool:
        idx = 0
        for matcher in self.matchers:
            want = matcher.length()
            last = count = 0
            for last, _ in _runes(s[idx:]):  # noqa: B007 - the last offset is used below
                count += 1
                if count == want:
                    break
            # (only the first byte of the last rune is handed over: v0.2.3 behaviour)
            if count < want or not matcher.match(s[idx : idx + last + 1]):
                return False
            idx += last + 1
        return True

    def match(self, s: bytes) -> bool:
        return _rune_count(s) == self.runes_length and self._match_all(s)

    def index(self, s: bytes) -> tuple[int, _Segments]:
        for i in _rune_offsets(s):
            if len(s) - i < self.runes_length:
                break
            if self._match_all(s[i:]):
                return i, [self.runes_length]
        return -1, []

    def length(self) -> int:
        return self.runes_length


class _BTree(_Matcher):
    def __init__(self, value: _Matcher, left: _Matcher | None, right: _Matcher | None) -> None:
        self.value = value
        self.left = left
        self.right = right
        self.value_len = value.length()
        self.left_len = left.length() if left is not None else 0
        self.right_len = right.length() if right is not None else 0
        fixed = self.value_len != -1 and self.left_len != -1 and self.right_len != -1
        self.total_len = self.left_len + self.value_len + self.right_len if fixed else -1

    def length(self) -> int:
        return self.total_len

    def index(self, s: bytes) -> tuple[int, _Segments]:
        return -1, []

    def match(self, s: bytes) -> bool:
        n = len(s)
        # (lengths in runes are compared with, and used as, byte offsets, as in v0.2.3)
        if self.total_len != -1 and self.total_len > n:
            return False
        offset = max(self.left_len, 0)
        limit = n - self.right_len if self.right_len >= 0 else n
        while offset < limit:
            index, segments = self.value.index(s[offset:limit])
            if index == -1:
                return False
            head = s[: offset + index]
            left_ok = self.left.match(head) if self.left is not None else head == b""
            if left_ok:
                for seg in reversed(segments):
                    end = offset + index + seg
                    tail = b"" if n <= end else s[end:]
                    if self.right.match(tail) if self.right is not None else tail == b"":
                        return True
            _, step = _decode_rune(s, offset + index)
            offset += index + step
        return False


# ---- the compiler (gobwas/glob/compiler)


def _optimize(matcher: _Matcher | None) -> _Matcher | None:
    if isinstance(matcher, _Any) and not matcher.separators:
        return _Super()
    if isinstance(matcher, _AnyOf) and len(matcher.matchers) == 1:
        return matcher.matchers[0]
    if isinstance(matcher, _List) and not matcher.negated and len(matcher.chars) == 1:
        return _Text(_encode(chr(matcher.chars[0])))
    if not isinstance(matcher, _BTree):
        return matcher
    matcher.left = _optimize(matcher.left)
    matcher.right = _optimize(matcher.right)
    value = matcher.value
    if not isinstance(value, _Text):
        return matcher
    left, right, text = matcher.left, matcher.right, value.text
    if left is None and right is None:
        return _Text(text)
    if isinstance(left, _Super) and isinstance(right, _Super):
        return _Contains(text, False)
    if isinstance(left, _Super) and right is None:
        return _Suffix(text)
    if isinstance(right, _Super) and left is None:
        return _Prefix(text)
    if left is None and isinstance(right, _Suffix):
        return _PrefixSuffix(text, right.suffix)
    if right is None and isinstance(left, _Prefix):
        return _PrefixSuffix(left.prefix, text)
    if right is None and isinstance(left, _Any):
        return _SuffixAny(text, left.separators)
    if left is None and isinstance(right, _Any):
        return _PrefixAny(text, right.separators)
    return matcher


def _glue_as_every(matchers: list[_Matcher]) -> _Matcher | None:
    if len(matchers) <= 1:
        return None
    has_any = has_super = has_single = False
    minimum = 0
    separator: tuple[int, ...] = ()
    for n, matcher in enumerate(matchers):
        if isinstance(matcher, _Super):
            sep: tuple[int, ...] = ()
            has_super = True
        elif isinstance(matcher, _Any):
            sep = matcher.separators
            has_any = True
        elif isinstance(matcher, _Single):
            sep = matcher.separators
            has_single = True
            minimum += 1
        elif isinstance(matcher, _List):
            if not matcher.negated:
                return None
            sep = matcher.chars  # `[!abc]` counts as `?` with separators a, b, c
            has_single = True
            minimum += 1
        else:
            return None
        if n == 0:
            separator = sep
        if sep != separator:
            return None
    if has_super and not has_any and not has_single:
        return _Super()
    if has_any and not has_super and not has_single:
        return _Any(separator)
    if (has_any or has_super) and minimum > 0 and not separator:
        return _Min(minimum)
    every: list[_Matcher] = []
    if minimum > 0:
        every.append(_Min(minimum))
        if not has_any and not has_super:
            every.append(_Max(minimum))
    if separator:
        # (the separators are joined into one needle: v0.2.3 behaviour)
        every.append(_Contains(_encode("".join(chr(r) for r in separator)), True))
    return _EveryOf(every)


def _glue_as_row(matchers: list[_Matcher]) -> _Matcher | None:
    if len(matchers) <= 1:
        return None
    lengths = [m.length() for m in matchers]
    if -1 in lengths:
        return None
    return _Row(sum(lengths), matchers)


def _glue(matchers: list[_Matcher]) -> _Matcher | None:
    return _glue_as_every(matchers) or _glue_as_row(matchers)


def _minimize_matchers(matchers: list[_Matcher]) -> list[_Matcher]:
    done: _Matcher | None = None
    left = right = count = 0
    for lo in range(len(matchers)):
        for hi in range(len(matchers), lo, -1):
            glued = _glue(matchers[lo:hi])
            if glued is None:
                continue
            if done is None:
                swap = True
            else:
                cl, gl = done.length(), glued.length()
                swap = (cl > -1 and gl > -1 and gl > cl) or count < hi - lo
            if swap:
                done, left, right, count = glued, lo, hi, hi - lo
    if done is None:
        return matchers
    result = [*matchers[:left], done, *matchers[right:]]
    if len(result) == len(matchers):
        return result
    return _minimize_matchers(result)


def _compile_matchers(matchers: list[_Matcher]) -> _Matcher:
    if not matchers:
        raise _BadPattern("compile error: need at least one matcher")
    if len(matchers) == 1:
        return matchers[0]
    glued = _glue(matchers)
    if glued is not None:
        return glued
    idx = -1
    max_len = -1
    for i, matcher in enumerate(matchers):
        ml = matcher.length()
        if ml != -1 and ml >= max_len:
            max_len, idx = ml, i
    if idx == -1:  # no matcher of fixed length
        return _BTree(matchers[0], None, _compile_matchers(matchers[1:]))
    left = _compile_matchers(matchers[:idx]) if idx > 0 else None
    right = _compile_matchers(matchers[idx + 1 :]) if idx + 1 < len(matchers) else None
    return _BTree(matchers[idx], left, right)


def _common_children(nodes: list[_Node]) -> tuple[list[_Node], list[_Node]]:
    if len(nodes) <= 1:
        return [], []
    least = min(range(len(nodes)), key=lambda n: len(nodes[n].children))
    tree = nodes[least]
    size = len(tree.children)
    common_left: list[_Node] = []
    common_right: list[_Node | None] = [None] * size
    last_right = size
    break_left = break_right = False
    total = 0
    i, j = 0, size - 1
    while total < size and j >= 0 and not (break_left and break_right):
        tree_left, tree_right = tree.children[i], tree.children[j]
        for k, other in enumerate(nodes):
            if break_left and break_right:
                break
            if k == least:
                continue
            rest_left = other.children[i]
            rest_right = other.children[j + len(other.children) - size]
            break_left = break_left or not _node_equal(tree_left, rest_left)
            # no right-hand search once it would overlap the left part
            break_right = break_right or (not break_left and j <= i)
            break_right = break_right or not _node_equal(tree_right, rest_right)
        if not break_left:
            total += 1
            common_left.append(tree_left)
        if not break_right:
            total += 1
            last_right = j
            common_right[j] = tree_right
        i += 1
        j -= 1
    return common_left, [n for n in common_right[last_right:] if n is not None]


def _minimize_any_of(tree: _Node) -> _Node | None:
    """Factor the common leading / trailing parts out of `{...}` alternatives."""
    if any(child.kind != _K_PATTERN for child in tree.children):
        return None
    common_left, common_right = _common_children(tree.children)
    if not common_left and not common_right:
        return None
    result: list[_Node] = []
    if common_left:
        result.append(_Node(_K_PATTERN, common_left))
    alternatives: list[_Node] = []
    for child in tree.children:
        reuse = child.children[len(common_left) : len(child.children) - len(common_right)]
        node = _Node(_K_PATTERN, reuse) if reuse else _Node(_K_NOTHING)
        if not any(_node_equal(node, seen) for seen in alternatives):
            alternatives.append(node)
    if len(alternatives) == 1 and alternatives[0].kind != _K_NOTHING:
        result.append(alternatives[0])
    elif len(alternatives) > 1:
        result.append(_Node(_K_ANY_OF, alternatives))
    if common_right:
        result.append(_Node(_K_PATTERN, common_right))
    return _Node(_K_PATTERN, result)


def _compile_children(tree: _Node, seps: tuple[int, ...]) -> list[_Matcher]:
    out: list[_Matcher] = []
    for child in tree.children:
        matcher = _optimize(_compile_node(child, seps))
        assert matcher is not None
        out.append(matcher)
    return out


def _compile_node(tree: _Node, seps: tuple[int, ...]) -> _Matcher:
    kind = tree.kind
    matcher: _Matcher
    if kind == _K_ANY_OF:
        minimized = _minimize_any_of(tree)
        if minimized is not None:
            return _compile_node(minimized, seps)
        return _AnyOf(_compile_children(tree, seps))
    if kind == _K_PATTERN:
        if not tree.children:
            return _Nothing()
        matcher = _compile_matchers(_minimize_matchers(_compile_children(tree, seps)))
    elif kind == _K_ANY:
        matcher = _Any(seps)
    elif kind == _K_SUPER:
        matcher = _Super()
    elif kind == _K_SINGLE:
        matcher = _Single(seps)
    elif kind == _K_NOTHING:
        matcher = _Nothing()
    elif kind == _K_LIST:
        matcher = _List(tree.chars, tree.negated)
    elif kind == _K_RANGE:
        matcher = _Range(tree.lo, tree.hi, tree.negated)
    else:
        matcher = _Text(_encode(tree.text))
    optimized = _optimize(matcher)
    assert optimized is not None
    return optimized


@lru_cache(maxsize=4096)
def _gobwas_compiled(pattern: str, separators: str) -> _Matcher | None:
    try:
        return _compile_node(_gobwas_parse(pattern), tuple(ord(c) for c in separators))
    except _BadPattern:
        return None


def gobwas_compile(pattern: str, separators: str = "") -> Callable[[str], bool] | None:
    """Compile a gobwas/glob pattern (each rune of `separators` is a separator).

    Returns None when gobwas would return a compile error.
    """
    compiled = _gobwas_compiled(pattern, separators)
    if compiled is None:
        return None
    return lambda text: compiled.match(_encode(text))


def gobwas_match(pattern: str, text: str, separators: str = "") -> bool:
    """Argo's `util/glob.Match(pattern, text, separators...)`: False for an invalid pattern."""
    compiled = _gobwas_compiled(pattern, separators)
    return compiled is not None and compiled.match(_encode(text))


# --------------------------------------------------------------------------------------
# Go path.Match / filepath.Match (Linux)
# --------------------------------------------------------------------------------------
#
# Go's matcher works on UTF-8 bytes and is not a full backtracking matcher: after a `*`
# each chunk is matched at the first position that works (only the last chunk must
# exhaust the name). We follow the same procedure, on bytes, so the odd cases agree.


def _go_scan_chunk(pattern: bytes) -> tuple[bool, bytes, bytes]:
    star = False
    while pattern[:1] == b"*":
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == 0x5C:  # backslash: skip the escaped byte (errors are found when matching)
            if i + 1 < len(pattern):
                i += 1
        elif c == 0x5B:  # [
            in_range = True
        elif c == 0x5D:  # ]
            in_range = False
        elif c == 0x2A and not in_range:  # *
            return star, pattern[:i], pattern[i:]
        i += 1
    return star, pattern, b""


def _go_get_esc(chunk: bytes) -> tuple[int, bytes]:
    if not chunk or chunk[0] in b"-]":
        raise _BadPattern
    if chunk[0] == 0x5C:
        chunk = chunk[1:]
        if not chunk:
            raise _BadPattern
    rune, width = _decode_rune(chunk, 0)
    if rune == _RUNE_ERROR and width == 1:
        raise _BadPattern
    rest = chunk[width:]
    if not rest:
        raise _BadPattern
    return rune, rest


def _go_match_chunk(chunk: bytes, s: bytes) -> bytes | None:
    """Match `chunk` (no stars) at the start of s: the rest of s, or None.

    Like Go, the whole chunk is checked for syntax even after the match has failed.
    """
    failed = False
    while chunk:
        if not failed and not s:
            failed = True
        c = chunk[0]
        if c == 0x5B:  # [ character class
            rune = 0
            if not failed:
                rune, width = _decode_rune(s, 0)
                s = s[width:]
            chunk = chunk[1:]
            negated = chunk[:1] == b"^"
            if negated:
                chunk = chunk[1:]
            matched = False
            n_ranges = 0
            while True:
                if chunk[:1] == b"]" and n_ranges > 0:
                    chunk = chunk[1:]
                    break
                lo, chunk = _go_get_esc(chunk)
                hi = lo
                if chunk[0] == 0x2D:  # -
                    hi, chunk = _go_get_esc(chunk[1:])
                if lo <= rune <= hi:
                    matched = True
                n_ranges += 1
            if matched == negated:
                failed = True
        elif c == 0x3F:  # ?
            if not failed:
                if s[0] == 0x2F:
                    failed = True
                _, width = _decode_rune(s, 0)
                s = s[width:]
            chunk = chunk[1:]
        else:
            if c == 0x5C:
                chunk = chunk[1:]
                if not chunk:
                    raise _BadPattern
            if not failed:
                if chunk[0] != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
    return None if failed else s


def _go_match(pattern: bytes, name: bytes) -> bool:
    while pattern:
        star, chunk, pattern = _go_scan_chunk(pattern)
        if star and not chunk:
            return b"/" not in name  # a trailing * matches the rest unless it has a /
        rest = _go_match_chunk(chunk, name)
        if rest is not None and (not rest or pattern):
            name = rest
            continue
        if star:
            found = False
            i = 0
            while i < len(name) and name[i] != 0x2F:
                rest = _go_match_chunk(chunk, name[i + 1 :])
                i += 1
                if rest is not None:
                    if not pattern and rest:
                        continue
                    name = rest
                    found = True
                    break
            if found:
                continue
        while pattern:  # report a syntax error in the rest of the pattern, as Go does
            _, chunk, pattern = _go_scan_chunk(pattern)
            _go_match_chunk(chunk, b"")
        return False
    return not name


def go_path_match(pattern: str, name: str) -> bool:
    """Go's `path.Match(pattern, name)`; a malformed pattern (ErrBadPattern) gives False.

    `*` and `?` never match `/`; `[...]` classes (negated with `^` only) may; `**` is `*`;
    `\\` escapes.
    """
    try:
        return _go_match(pattern.encode("utf-8"), name.encode("utf-8"))
    except _BadPattern:
        return False


def go_filepath_match(pattern: str, name: str) -> bool:
    """Go's `path/filepath.Match` on Linux (separator `/`, `\\` escapes): as `path.Match`."""
    return go_path_match(pattern, name)


# --------------------------------------------------------------------------------------
# bmatcuk/doublestar v4 Match
# --------------------------------------------------------------------------------------
#
# `**` only acts as "zero or more directories" when it is a whole path segment
# (`/**/`, a leading `**/`, a trailing `/**`); elsewhere it is `*`. `[...]` may be
# negated with `!` or `^`; `{a,b}` alternatives; `\` escapes. The procedure below is the
# one doublestar uses (star / doublestar backtracking, alternatives tried by re-running
# the expanded pattern), so validation errors and edge cases agree.

_MAX_RUNE = 0x10FFFF


def _ds_index_unescaped(s: str, target: str) -> int:
    i = 0
    while i < len(s):
        if s[i] == "\\":
            i += 1
        elif s[i] == target:
            return i
        i += 1
    return -1


def _ds_index_closing_alt(s: str) -> int:
    depth = 1
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _ds_index_next_alt(s: str) -> int:
    depth = 1
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 1:
            return i
        i += 1
    return -1


def doublestar_valid(pattern: str) -> bool:
    """doublestar's `ValidatePattern` (separator `/`)."""
    depth = 0
    n = len(pattern)
    i = 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 1
            if i >= n:
                return False
        elif c == "[":
            i += 1
            if i >= n:
                return False
            if pattern[i] in "^!":
                i += 1
            if i >= n or pattern[i] == "]":
                return False
            while i < n:
                if pattern[i] == "\\":
                    i += 1
                elif pattern[i] == "]":
                    break
                i += 1
            else:
                return False
        elif c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return False
            depth -= 1
        i += 1
    return depth == 0


def _ds_alternatives(pattern: str, open_idx: int) -> tuple[list[str], int]:
    """The alternatives of the `{...}` opening at open_idx and the index of its `}`."""
    start = open_idx + 1
    closing = _ds_index_closing_alt(pattern[start:])
    if closing == -1:
        raise _BadPattern
    closing += start
    alternatives: list[str] = []
    while True:
        comma = _ds_index_next_alt(pattern[start:closing])
        if comma == -1:
            break
        alternatives.append(pattern[start : start + comma])
        start += comma + 1
    alternatives.append(pattern[start:closing])
    return alternatives, closing


def _ds_zero_length(pattern: str) -> bool:
    """Can the rest of the pattern match an empty name? (the end-of-name check)."""
    if pattern in ("", "*", "**", "/**", "**/", "/**/"):
        return True
    if pattern[0] == "{":
        alternatives, closing = _ds_alternatives(pattern, 0)
        tail = pattern[closing + 1 :]
        return any(_ds_zero_length(alt + tail) for alt in alternatives)
    if not doublestar_valid(pattern):
        raise _BadPattern
    return False


@dataclass
class _DsState:
    ds_pat: int = -1  # where to resume the pattern after `**/` ...
    ds_name: int = -1  # ... and the name position it currently covers up to
    star_pat: int = -1  # likewise for the last `*`
    star_name: int = -1


def _ds_match(pattern: str, name: str, st: _DsState, pi: int, ni: int) -> bool:
    plen, nlen = len(pattern), len(name)
    seg_start = True
    while ni < nlen:
        if pi < plen:
            c = pattern[pi]
            if c == "*":
                pi += 1
                if pi < plen and pattern[pi] == "*":
                    pi += 1
                    if seg_start:
                        if pi >= plen:
                            return True  # trailing `/**` matches everything left
                        if pattern[pi] == "/":
                            pi += 1
                            st.ds_pat, st.ds_name = pi, ni
                            st.star_pat = st.star_name = -1
                            continue
                seg_start = False
                st.star_pat, st.star_name = pi, ni
                continue
            if c == "?":
                seg_start = False
                if name[ni] != "/":
                    pi += 1
                    ni += 1
                    continue
            elif c == "[":
                seg_start = False
                pi += 1
                if pi >= plen:
                    raise _BadPattern
                target = ord(name[ni])
                negate = pattern[pi] in "!^"
                if negate:
                    pi += 1
                if pi >= plen or pattern[pi] == "]":
                    raise _BadPattern
                matched = False
                last = _MAX_RUNE
                while pi < plen and pattern[pi] != "]":
                    cur = ord(pattern[pi])
                    pi += 1
                    if last < _MAX_RUNE and cur == 0x2D and pi < plen and pattern[pi] != "]":
                        if pattern[pi] == "\\":
                            pi += 1
                        hi = ord(pattern[pi]) if pi < plen else _RUNE_ERROR
                        pi += 1 if pi < plen else 0
                        if last <= target <= hi:
                            matched = True
                            break
                        last = _MAX_RUNE
                        continue
                    if cur == 0x5C:
                        cur = ord(pattern[pi]) if pi < plen else _RUNE_ERROR
                        pi += 1 if pi < plen else 0
                    if cur == target:
                        matched = True
                        break
                    last = cur
                if matched != negate:
                    closing = _ds_index_unescaped(pattern[pi:], "]")
                    if closing == -1:
                        raise _BadPattern
                    pi += closing + 1
                    ni += 1
                    continue
                if pi >= plen:
                    raise _BadPattern
            elif c == "{":
                alternatives, closing = _ds_alternatives(pattern, pi)
                head, tail = pattern[:pi], pattern[closing + 1 :]
                for alt in alternatives:
                    branch = _DsState(st.ds_pat, st.ds_name, st.star_pat, st.star_name)
                    if _ds_match(head + alt + tail, name, branch, pi, ni):
                        return True
                return False
            else:
                if c == "\\":
                    pi += 1
                    if pi >= plen:
                        raise _BadPattern
                lit = pattern[pi]
                if lit == name[ni]:
                    pi += 1
                    ni += 1
                    seg_start = lit == "/"
                    continue
                if pi > 0 and pattern[pi - 1] == "\\":
                    pi -= 1  # back onto the backslash before backtracking / validating
        # mismatch: backtrack to the last `*` (never across `/`), then to the last `**/`
        if st.star_pat >= 0 and name[st.star_name] != "/":
            st.star_name += 1
            pi, ni = st.star_pat, st.star_name
            seg_start = False
            continue
        if st.ds_pat >= 0:
            slash = name.find("/", st.ds_name)
            if slash != -1:
                st.ds_name = ni = slash + 1
                pi = st.ds_pat
                seg_start = True
                continue
        if pi < plen and not doublestar_valid(pattern[pi:]):
            raise _BadPattern
        return False
    return _ds_zero_length(pattern[pi:])


def doublestar_match(pattern: str, path: str) -> bool:
    """doublestar v4 `Match(pattern, path)`; False when the pattern is malformed."""
    try:
        return _ds_match(pattern, path, _DsState(), 0, 0)
    except _BadPattern:
        return False


# --------------------------------------------------------------------------------------
# git pathspec (git ls-files -- <pattern>, no magic)
# --------------------------------------------------------------------------------------
#
# git compares pathspecs bytewise. A pathspec matches a path when
#   * the pathspec (taken literally) equals the path, or is a leading directory of it; or
#   * it contains a glob character (`*?[\`), its literal prefix up to that character
#     equals the path's, and wildmatch() without WM_PATHNAME matches the rest: `*` and `?`
#     match `/` too (`**` is just two stars), `[...]` / `[!...]` / `[^...]` classes with
#     ranges and `[:alpha:]`-style classes, `\` escapes.
# Wildmatch aborts on a malformed class, which only ever means "no match".

_GIT_GLOB_SPECIAL = b"*?[\\"

_POSIX_CLASSES: dict[bytes, frozenset[int]] = {
    b"alnum": frozenset(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    b"alpha": frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    b"blank": frozenset(b" \t"),
    b"cntrl": frozenset([*range(0x20), 0x7F]),
    b"digit": frozenset(b"0123456789"),
    b"graph": frozenset(range(0x21, 0x7F)),
    b"lower": frozenset(b"abcdefghijklmnopqrstuvwxyz"),
    b"print": frozenset(range(0x20, 0x7F)),
    b"punct": frozenset(b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    b"space": frozenset(b" \t\n\r\x0b\x0c"),
    b"upper": frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    b"xdigit": frozenset(b"0123456789abcdefABCDEF"),
}


def _byte_class(members: set[int], negated: bool) -> bytes:
    body = b"".join(b"\\x%02x" % m for m in sorted(members))
    if not body:
        return b"[\\s\\S]" if negated else b"(?!)"
    return b"[" + (b"^" if negated else b"") + body + b"]"


def _wildmatch_class(p: bytes, i: int) -> tuple[bytes, int]:
    """Translate the class whose `[` is at p[i]; returns (regex, index after `]`)."""
    i += 1
    negated = p[i : i + 1] in (b"!", b"^")
    if negated:
        i += 1
    members: set[int] = set()
    prev = 0
    first = True
    while first or p[i : i + 1] != b"]":
        first = False
        if i >= len(p):
            raise _BadPattern
        ch = p[i]
        if ch == 0x5C:
            i += 1
            if i >= len(p):
                raise _BadPattern
            ch = p[i]
            members.add(ch)
        elif ch == 0x2D and prev and i + 1 < len(p) and p[i + 1] != 0x5D:
            i += 1
            hi = p[i]
            if hi == 0x5C:
                i += 1
                if i >= len(p):
                    raise _BadPattern
                hi = p[i]
            members.update(range(prev, hi + 1))
            ch = 0
        elif ch == 0x5B and p[i + 1 : i + 2] == b":":
            end = p.find(b"]", i + 2)
            if end == -1:
                raise _BadPattern
            if end - (i + 2) - 1 < 0 or p[end - 1] != 0x3A:
                members.add(ch)  # no ":]": an ordinary `[`
            else:
                cls = _POSIX_CLASSES.get(p[i + 2 : end - 1])
                if cls is None:
                    raise _BadPattern
                members.update(cls)
                i = end
                ch = 0
        else:
            members.add(ch)
        prev = ch
        i += 1
    return _byte_class(members, negated), i + 1


@lru_cache(maxsize=1024)
def _wildmatch_compiled(pattern: bytes) -> re.Pattern[bytes] | None:
    out: list[bytes] = []
    i = 0
    try:
        while i < len(pattern):
            c = pattern[i]
            if c == 0x2A:
                out.append(b".*")
                i += 1
            elif c == 0x3F:
                out.append(b".")
                i += 1
            elif c == 0x5B:
                part, i = _wildmatch_class(pattern, i)
                out.append(part)
            else:
                if c == 0x5C:
                    i += 1
                    if i >= len(pattern):
                        raise _BadPattern  # wildmatch: a trailing backslash never matches
                    c = pattern[i]
                out.append(re.escape(bytes([c])))
                i += 1
    except _BadPattern:
        return None
    return re.compile(b"".join(out), re.DOTALL)


def _git_normalize_pathspec(pattern: str) -> str | None:
    """git's prefix_path() from the repo root: `.`/`..` resolved, `//` collapsed.

    Returns None for a pathspec outside the repository (git fails).
    """
    if pattern.startswith("/"):
        return None
    trailing = pattern.endswith("/")
    parts: list[str] = []
    for seg in pattern.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(seg)
    out = "/".join(parts)
    if out and trailing:
        out += "/"
    return out


def git_pathspec_match(pattern: str, path: str) -> bool:
    """Does `git ls-files -- <pattern>` (from the repo root) list `path`?

    Pathspec magic (`:(glob)...`, `:!...`) is not interpreted: the pattern is taken as a
    plain pathspec, as Argo's files generator patterns normally are.
    """
    normalized = _git_normalize_pathspec(pattern)
    if normalized is None:
        return False
    if normalized == "":
        return True  # `.` means everything
    spec = normalized.encode("utf-8")
    name = path.encode("utf-8")
    if name.startswith(spec) and (
        len(name) == len(spec) or spec.endswith(b"/") or name[len(spec)] == 0x2F
    ):
        return True  # the path itself, or a path under the pathspec as a directory
    literal_len = next((i for i, b in enumerate(spec) if b in _GIT_GLOB_SPECIAL), len(spec))
    if literal_len == len(spec):
        return False
    if name[:literal_len] != spec[:literal_len]:
        return False
    compiled = _wildmatch_compiled(spec[literal_len:])
    return compiled is not None and compiled.fullmatch(name[literal_len:]) is not None
