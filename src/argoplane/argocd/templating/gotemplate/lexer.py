"""Lexer for Go's text/template (a port of the state machine in text/template/parse/lex.go)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from argoplane.argocd.templating.gotemplate.gofmt import quote, quote_rune_hash_u


class T(enum.IntEnum):
    """Item types; keywords come after KEYWORD (their string form is `<word>`)."""

    ERROR = 0
    BOOL = enum.auto()
    CHAR = enum.auto()
    CHAR_CONSTANT = enum.auto()
    COMMENT = enum.auto()
    COMPLEX = enum.auto()
    ASSIGN = enum.auto()
    DECLARE = enum.auto()
    EOF = enum.auto()
    FIELD = enum.auto()
    IDENTIFIER = enum.auto()
    LEFT_DELIM = enum.auto()
    LEFT_PAREN = enum.auto()
    NUMBER = enum.auto()
    PIPE = enum.auto()
    RAW_STRING = enum.auto()
    RIGHT_DELIM = enum.auto()
    RIGHT_PAREN = enum.auto()
    SPACE = enum.auto()
    STRING = enum.auto()
    TEXT = enum.auto()
    VARIABLE = enum.auto()
    KEYWORD = enum.auto()
    BLOCK = enum.auto()
    BREAK = enum.auto()
    CONTINUE = enum.auto()
    DOT = enum.auto()
    DEFINE = enum.auto()
    ELSE = enum.auto()
    END = enum.auto()
    IF = enum.auto()
    NIL = enum.auto()
    RANGE = enum.auto()
    TEMPLATE = enum.auto()
    WITH = enum.auto()


KEYWORDS = {
    ".": T.DOT,
    "block": T.BLOCK,
    "break": T.BREAK,
    "continue": T.CONTINUE,
    "define": T.DEFINE,
    "else": T.ELSE,
    "end": T.END,
    "if": T.IF,
    "range": T.RANGE,
    "nil": T.NIL,
    "template": T.TEMPLATE,
    "with": T.WITH,
}

LEFT_DELIM = "{{"
RIGHT_DELIM = "}}"
LEFT_COMMENT = "/*"
RIGHT_COMMENT = "*/"
SPACE_CHARS = " \t\r\n"
TRIM_MARKER_LEN = 2


@dataclass(frozen=True, slots=True)
class Item:
    typ: T
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        if self.typ == T.EOF:
            return "EOF"
        if self.typ == T.ERROR:
            return self.val
        if self.typ > T.KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return quote(self.val[:10]) + "..."
        return quote(self.val)


def _is_space(ch: str) -> bool:
    return ch in SPACE_CHARS and ch != ""


def _is_alnum(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or ch.isdigit()


def _has_left_trim(s: str, pos: int) -> bool:
    return len(s) >= pos + 2 and s[pos] == "-" and _is_space(s[pos + 1])


def _has_right_trim(s: str, pos: int) -> bool:
    return len(s) >= pos + 2 and _is_space(s[pos]) and s[pos + 1] == "-"


class LexError(Exception):
    pass


class Lexer:
    """Produces the whole item list up front; an ERROR item ends it."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.paren_depth = 0
        self.items: list[Item] = []

    # -- helpers -------------------------------------------------------------------------
    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.pos = len(self.input) + 1  # past the end: eof
            return ""
        ch = self.input[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
        return ch

    def _backup(self) -> None:
        if self.pos > len(self.input):
            self.pos = len(self.input)
            return
        if self.pos > 0:
            self.pos -= 1
            if self.input[self.pos] == "\n":
                self.line -= 1

    def _peek(self) -> str:
        ch = self._next()
        self._backup()
        return ch

    def _emit(self, typ: T) -> None:
        self.items.append(Item(typ, self.start, self.input[self.start : self.pos], self.start_line))
        self.start = self.pos
        self.start_line = self.line

    def _ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def _error(self, message: str) -> None:
        self.items.append(Item(T.ERROR, self.start, message, self.start_line))
        raise LexError(message)

    def _accept(self, valid: str) -> bool:
        ch = self._next()
        if ch and ch in valid:
            return True
        self._backup()
        return False

    def _accept_run(self, valid: str) -> None:
        while True:
            ch = self._next()
            if not ch or ch not in valid:
                break
        self._backup()

    def _at_right_delim(self) -> tuple[bool, bool]:
        s = self.input
        if _has_right_trim(s, self.pos) and s.startswith(RIGHT_DELIM, self.pos + TRIM_MARKER_LEN):
            return True, True
        if s.startswith(RIGHT_DELIM, self.pos):
            return True, False
        return False, False

    def _at_terminator(self) -> bool:
        ch = self._peek()
        if _is_space(ch) or ch == "" or ch in ".,|:)(":
            return True
        return self.input.startswith(RIGHT_DELIM, self.pos)

    # -- states ----------------------------------------------------------------------------
    def run(self) -> list[Item]:
        try:
            inside = False
            while True:
                if not inside:
                    if not self._lex_text():
                        break
                    inside = self._lex_left_delim()
                else:
                    inside = self._lex_inside_action()
        except LexError:
            pass
        return self.items

    def _lex_text(self) -> bool:
        """Emits text up to the next `{{`; returns False at EOF."""
        x = self.input.find(LEFT_DELIM, self.pos)
        if x >= 0:
            if x > self.pos:
                self.pos = x
                trim = 0
                if _has_left_trim(self.input, x + len(LEFT_DELIM)):
                    text = self.input[self.start : self.pos]
                    trim = len(text) - len(text.rstrip(SPACE_CHARS))
                self.pos -= trim
                self.line += self.input.count("\n", self.start, self.pos)
                if self.pos > self.start:
                    self._emit(T.TEXT)
                self.pos += trim
                self._ignore()
            return True
        self.pos = len(self.input)
        if self.pos > self.start:
            self.line += self.input.count("\n", self.start, self.pos)
            self._emit(T.TEXT)
        self._emit(T.EOF)
        return False

    def _lex_left_delim(self) -> bool:
        """Returns True when an action starts, False after a comment."""
        self.pos += len(LEFT_DELIM)
        trim = _has_left_trim(self.input, self.pos)
        after = TRIM_MARKER_LEN if trim else 0
        if self.input.startswith(LEFT_COMMENT, self.pos + after):
            self.pos += after
            self._ignore()
            self._lex_comment()
            return False
        self._emit(T.LEFT_DELIM)
        self.pos += after
        self._ignore()
        self.paren_depth = 0
        return True

    def _lex_comment(self) -> None:
        self.pos += len(LEFT_COMMENT)
        x = self.input.find(RIGHT_COMMENT, self.pos)
        if x < 0:
            self._error("unclosed comment")
        self.pos = x + len(RIGHT_COMMENT)
        delim, trim = self._at_right_delim()
        if not delim:
            self._error("comment ends before closing delimiter")
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line
        if trim:
            self.pos += TRIM_MARKER_LEN
        self.pos += len(RIGHT_DELIM)
        if trim:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(SPACE_CHARS))
        self._ignore()

    def _lex_right_delim(self) -> None:
        _, trim = self._at_right_delim()
        if trim:
            self.pos += TRIM_MARKER_LEN
            self._ignore()
        self.pos += len(RIGHT_DELIM)
        self._emit(T.RIGHT_DELIM)
        if trim:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(SPACE_CHARS))
            self._ignore()

    def _lex_inside_action(self) -> bool:
        """Lexes one item inside an action; returns False once the action is closed."""
        delim, _ = self._at_right_delim()
        if delim:
            if self.paren_depth == 0:
                self._lex_right_delim()
                return False
            self._error("unclosed left paren")
        ch = self._next()
        if ch == "":
            self._error("unclosed action")
        elif _is_space(ch):
            self._backup()
            return self._lex_space()
        elif ch == "=":
            self._emit(T.ASSIGN)
        elif ch == ":":
            if self._next() != "=":
                self._error("expected :=")
            self._emit(T.DECLARE)
        elif ch == "|":
            self._emit(T.PIPE)
        elif ch == '"':
            self._lex_quote()
        elif ch == "`":
            self._lex_raw_quote()
        elif ch == "$":
            self._lex_variable()
        elif ch == "'":
            self._lex_char()
        elif (
            ch == "."
            and self.pos < len(self.input)
            and not "0" <= self.input[self.pos] <= "9"
        ):
            self._lex_field_or_variable(T.FIELD)
        elif ch in "+-." or "0" <= ch <= "9":
            self._backup()
            self._lex_number()
        elif _is_alnum(ch):
            self._backup()
            self._lex_identifier()
        elif ch == "(":
            self.paren_depth += 1
            self._emit(T.LEFT_PAREN)
        elif ch == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self._error("unexpected right paren")
            self._emit(T.RIGHT_PAREN)
        elif ord(ch) <= 0x7F and ch.isprintable():
            self._emit(T.CHAR)
        else:
            self._error(f"unrecognized character in action: {quote_rune_hash_u(ord(ch))}")
        return True

    def _lex_space(self) -> bool:
        num = 0
        while True:
            ch = self._peek()
            if not _is_space(ch):
                break
            self._next()
            num += 1
        if _has_right_trim(self.input, self.pos - 1) and self.input.startswith(
            RIGHT_DELIM, self.pos - 1 + TRIM_MARKER_LEN
        ):
            self._backup()
            if num == 1:
                self._lex_right_delim()
                return False
        self._emit(T.SPACE)
        return True

    def _lex_identifier(self) -> None:
        while True:
            ch = self._next()
            if not _is_alnum(ch):
                self._backup()
                break
        word = self.input[self.start : self.pos]
        if not self._at_terminator():
            self._bad_character()
        if word in KEYWORDS and KEYWORDS[word] > T.KEYWORD:
            self._emit(KEYWORDS[word])
        elif word in ("true", "false"):
            self._emit(T.BOOL)
        else:
            self._emit(T.IDENTIFIER)

    def _bad_character(self) -> None:
        ch = self._peek()
        cp = ord(ch) if ch else 0xFFFD
        self._error(f"bad character {quote_rune_hash_u(cp)}")

    def _lex_variable(self) -> None:
        if self._at_terminator():
            self._emit(T.VARIABLE)
            return
        self._lex_field_or_variable(T.VARIABLE)

    def _lex_field_or_variable(self, typ: T) -> None:
        if self._at_terminator():
            self._emit(T.VARIABLE if typ == T.VARIABLE else T.DOT)
            return
        while True:
            ch = self._next()
            if not _is_alnum(ch):
                self._backup()
                break
        if not self._at_terminator():
            self._bad_character()
        self._emit(typ)

    def _lex_char(self) -> None:
        while True:
            ch = self._next()
            if ch == "\\":
                nxt = self._next()
                if nxt not in ("", "\n"):
                    continue
                self._error("unterminated character constant")
            if ch in ("", "\n"):
                self._error("unterminated character constant")
            if ch == "'":
                break
        self._emit(T.CHAR_CONSTANT)

    def _lex_number(self) -> None:
        if not self._scan_number():
            self._error(f"bad number syntax: {quote(self.input[self.start : self.pos])}")
        sign = self._peek()
        if sign in ("+", "-") and sign:
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                self._error(f"bad number syntax: {quote(self.input[self.start : self.pos])}")
            self._emit(T.COMPLEX)
            return
        self._emit(T.NUMBER)

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 23 and self._accept("pP"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        if _is_alnum(self._peek()):
            self._next()
            return False
        return True

    def _lex_quote(self) -> None:
        while True:
            ch = self._next()
            if ch == "\\":
                nxt = self._next()
                if nxt not in ("", "\n"):
                    continue
                self._error("unterminated quoted string")
            if ch in ("", "\n"):
                self._error("unterminated quoted string")
            if ch == '"':
                break
        self._emit(T.STRING)

    def _lex_raw_quote(self) -> None:
        while True:
            ch = self._next()
            if ch == "":
                self._error("unterminated raw quoted string")
            if ch == "`":
                break
        self._emit(T.RAW_STRING)


def lex(text: str) -> list[Item]:
    return Lexer(text).run()
