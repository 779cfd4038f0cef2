"""Parser for Go's text/template (a port of text/template/parse/parse.go)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from argoplane.argocd.templating.gotemplate.errors import GoTemplateParseError
from argoplane.argocd.templating.gotemplate.lexer import Item, T, lex
from argoplane.argocd.templating.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
    is_empty_tree,
)

MAX_STACK_DEPTH = 10000


@dataclass
class Template:
    """A parsed template: its name, its text and every tree it defines (by name)."""

    name: str
    text: str
    trees: dict[str, ListNode]


class _ParseError(Exception):
    pass


# ----------------------------------------------------------------------------- literals

_SIMPLE_ESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\",
}


def _unquote_char(s: str, i: int, quote_char: str) -> tuple[str, int]:
    """Go's `strconv.UnquoteChar` on s[i:]; returns the char and the next index."""
    ch = s[i]
    if ch == quote_char and quote_char in "'\"":
        raise ValueError("invalid syntax")
    if ch != "\\":
        return ch, i + 1
    if i + 1 >= len(s):
        raise ValueError("invalid syntax")
    c = s[i + 1]
    i += 2
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], i
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        hexdigits = s[i : i + n]
        if len(hexdigits) != n or any(h not in "0123456789abcdefABCDEF" for h in hexdigits):
            raise ValueError("invalid syntax")
        cp = int(hexdigits, 16)
        if c != "x" and (cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF):
            raise ValueError("invalid syntax")
        return chr(cp), i + n
    if c in "01234567":
        octal = s[i - 1 : i + 2]
        if len(octal) != 3 or any(o not in "01234567" for o in octal):
            raise ValueError("invalid syntax")
        cp = int(octal, 8)
        if cp > 255:
            raise ValueError("invalid syntax")
        return chr(cp), i + 2
    if c == quote_char and c in "'\"":
        return c, i
    raise ValueError("invalid syntax")


def go_unquote(s: str) -> str:
    """Go's `strconv.Unquote` for double-quoted and back-quoted strings."""
    if len(s) < 2 or s[0] != s[-1]:
        raise ValueError("invalid syntax")
    q = s[0]
    body = s[1:-1]
    if q == "`":
        if "`" in body:
            raise ValueError("invalid syntax")
        return body.replace("\r", "")
    if q != '"':
        raise ValueError("invalid syntax")
    if "\\" not in body and '"' not in body and "\n" not in body:
        return body
    out = []
    i = 0
    while i < len(body):
        if body[i] == "\n":
            raise ValueError("invalid syntax")
        ch, i = _unquote_char(body, i, q)
        out.append(ch)
    return "".join(out)


def _strip_underscores(digits: str, prefixed: bool) -> str | None:
    """Go's `underscoreOK`: `_` only between digits (a base prefix counts as a digit)."""
    if "_" not in digits:
        return digits
    saw = "0" if prefixed else "^"
    for c in digits:
        if c == "_":
            if saw != "0":
                return None
            saw = "_"
        else:
            saw = "0"
    if saw == "_":
        return None
    return digits.replace("_", "")


def _parse_integer(text: str, signed: bool) -> int | None:
    """`strconv.ParseInt(text, 0, 64)` (signed) or `ParseUint(text, 0, 64)`."""
    s = text
    neg = False
    if s[:1] in ("+", "-"):
        if not signed:
            return None
        neg = s[0] == "-"
        s = s[1:]
    if not s:
        return None
    base = 10
    prefix = False
    low = s[:2].lower()
    if low in ("0x", "0o", "0b"):
        base = {"0x": 16, "0o": 8, "0b": 2}[low]
        s = s[2:]
        prefix = True
    elif len(s) > 1 and s[0] == "0":
        base = 8
        s = s[1:]
        prefix = True
    cleaned = _strip_underscores(s, prefix)
    if not cleaned:
        return None
    try:
        value = int(cleaned, base)
    except ValueError:
        return None
    if neg:
        value = -value
    if signed and not -(1 << 63) <= value < (1 << 63):
        return None
    if not signed and value >= (1 << 64):
        return None
    return value


def _parse_float(text: str) -> float | None:
    try:
        value = float.fromhex(text.replace("_", "")) if "0x" in text.lower() else float(text)
    except ValueError:
        return None
    if value in (float("inf"), float("-inf")):
        return None
    return value


def new_number(pos: int, text: str, typ: T) -> NumberNode:
    """Go's `newNumber`; raises ValueError with Go's message."""
    n = NumberNode(pos, text)
    if typ == T.CHAR_CONSTANT:
        ch, i = _unquote_char(text, 1, "'")
        if text[i:] != "'":
            raise ValueError(f"malformed character constant: {text}")
        cp = ord(ch)
        n.int64 = n.uint64 = cp
        n.float64 = float(cp)
        n.is_int = n.is_uint = n.is_float = True
        return n
    if typ == T.COMPLEX or text.endswith("i"):
        raise ValueError(f"complex constants are not supported: {text}")
    u = _parse_integer(text, signed=False)
    if u is not None:
        n.is_uint = True
        n.uint64 = u
    signed = _parse_integer(text, signed=True)
    if signed is not None:
        n.is_int = True
        n.int64 = signed
        if signed == 0:
            n.is_uint = True
            n.uint64 = u if u is not None else 0
    if n.is_int:
        n.is_float = True
        n.float64 = float(n.int64)
    elif n.is_uint:
        n.is_float = True
        n.float64 = float(n.uint64)
    else:
        f = _parse_float(text)
        if f is not None:
            if not any(c in text for c in ".eEpP"):
                raise ValueError(f"integer overflow: {_q(text)}")
            n.is_float = True
            n.float64 = f
            if f == int(f):
                as_int = int(f)
                if -(1 << 63) <= as_int < (1 << 63):
                    n.is_int = True
                    n.int64 = as_int
                if 0 <= as_int < (1 << 64):
                    n.is_uint = True
                    n.uint64 = as_int
    if not (n.is_int or n.is_uint or n.is_float):
        raise ValueError(f"illegal number syntax: {_q(text)}")
    return n


def _q(s: str) -> str:
    from argoplane.argocd.templating.gotemplate.gofmt import quote

    return quote(s)


# ----------------------------------------------------------------------------- parser


class _Tree:
    """One template being parsed (Go's `parse.Tree`)."""

    def __init__(
        self,
        name: str,
        parse_name: str,
        items: list[Item],
        cursor: list[int],
        tree_set: dict[str, ListNode],
        has_function: Callable[[str], bool],
    ) -> None:
        self.name = name
        self.parse_name = parse_name
        self.items = items
        self.cursor = cursor  # shared with nested trees (the lexer position)
        self.tree_set = tree_set
        self.has_function = has_function
        self.token: list[Item] = [items[0], items[0], items[0]]
        self.peek_count = 0
        self.vars: list[str] = ["$"]
        self.root: ListNode | None = None
        self.action_line = 0
        self.range_depth = 0
        self.stack_depth = 0

    # -- token stream -------------------------------------------------------------------
    def _lex_next(self) -> Item:
        idx = self.cursor[0]
        if idx >= len(self.items):
            last = self.items[-1]
            return Item(T.EOF, last.pos, "EOF", last.line)
        self.cursor[0] = idx + 1
        return self.items[idx]

    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self._lex_next()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Item, t1: Item) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self._lex_next()
        return self.token[0]

    def next_non_space(self) -> Item:
        while True:
            token = self.next()
            if token.typ != T.SPACE:
                return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    # -- errors --------------------------------------------------------------------------
    def errorf(self, message: str) -> None:
        self.root = None
        raise _ParseError(f"template: {self.parse_name}:{self.token[0].line}: {message}")

    def expect(self, expected: T, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected:
            self.unexpected(token, context)
        return token

    def expect_one_of(self, e1: T, e2: T, context: str) -> Item:
        token = self.next_non_space()
        if token.typ not in (e1, e2):
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> None:
        if token.typ == T.ERROR:
            extra = ""
            if self.action_line not in (0, token.line):
                extra = f" in action started at {self.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # -- structure -----------------------------------------------------------------------
    def add(self) -> None:
        assert self.root is not None
        tree = self.tree_set.get(self.name)
        if tree is None or is_empty_tree(tree):
            self.tree_set[self.name] = self.root
            return
        if not is_empty_tree(self.root):
            self.errorf(f"template: multiple definition of template {_q(self.name)}")

    def parse(self) -> None:
        self.root = ListNode(self.peek().pos)
        while self.peek().typ != T.EOF:
            if self.peek().typ == T.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == T.DEFINE:
                    self._sub_tree("definition").parse_definition()
                    continue
                self.backup2(delim)
            n = self.text_or_action()
            if isinstance(n, EndNode | ElseNode):
                self.errorf(f"unexpected {n}")
            else:
                self.root.nodes.append(n)

    def _sub_tree(self, name: str) -> _Tree:
        sub = _Tree(
            name, self.parse_name, self.items, self.cursor, self.tree_set, self.has_function
        )
        sub.token = self.token
        sub.peek_count = self.peek_count
        return sub

    def _sync_from(self, sub: _Tree) -> None:
        self.token = sub.token
        self.peek_count = sub.peek_count

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(T.STRING, T.RAW_STRING, context)
        try:
            self.name = go_unquote(name.val)
        except ValueError as exc:
            self.errorf(str(exc))
        self.expect(T.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def item_list(self) -> tuple[ListNode, Node]:
        lst = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != T.EOF:
            n = self.text_or_action()
            if isinstance(n, EndNode | ElseNode):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")
        raise AssertionError  # pragma: no cover

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == T.TEXT:
            return TextNode(token.pos, token.val)
        if token.typ == T.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        self.unexpected(token, "input")
        raise AssertionError  # pragma: no cover

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ == T.BLOCK:
            return self.block_control()
        if typ == T.BREAK:
            return self.break_control(token.pos, token.line)
        if typ == T.CONTINUE:
            return self.continue_control(token.pos, token.line)
        if typ == T.ELSE:
            return self.else_control()
        if typ == T.END:
            return self.end_control()
        if typ == T.IF:
            return self.branch_control(IfNode, "if")
        if typ == T.RANGE:
            return self.branch_control(RangeNode, "range")
        if typ == T.TEMPLATE:
            return self.template_control()
        if typ == T.WITH:
            return self.branch_control(WithNode, "with")
        self.backup()
        token = self.peek()
        return ActionNode(token.pos, token.line, self.pipeline("command", T.RIGHT_DELIM))

    def break_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != T.RIGHT_DELIM:
            self.unexpected(token, "{{break}}")
        if self.range_depth == 0:
            self.errorf("{{break}} outside {{range}}")
        return BreakNode(pos, line)

    def continue_control(self, pos: int, line: int) -> Node:
        token = self.next_non_space()
        if token.typ != T.RIGHT_DELIM:
            self.unexpected(token, "{{continue}}")
        if self.range_depth == 0:
            self.errorf("{{continue}} outside {{range}}")
        return ContinueNode(pos, line)

    def pipeline(self, context: str, end: T) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos, token.line)
        while True:  # declarations
            v = self.peek_non_space()
            if v.typ != T.VARIABLE:
                break
            self.next()
            token_after = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (T.ASSIGN, T.DECLARE):
                pipe.is_assign = nxt.typ == T.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val.split(".")))
                self.vars.append(v.val)
            elif nxt.typ == T.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val.split(".")))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (T.VARIABLE, T.RIGHT_DELIM, T.RIGHT_PAREN):
                        continue  # second initialized variable in a range pipeline
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            elif token_after.typ == T.SPACE:
                self.backup3(v, token_after)
            else:
                self.backup2(v)
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in (
                T.BOOL, T.CHAR_CONSTANT, T.COMPLEX, T.DOT, T.FIELD, T.IDENTIFIER, T.NUMBER,
                T.NIL, T.RAW_STRING, T.STRING, T.VARIABLE, T.LEFT_PAREN,
            ):
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], BoolNode | DotNode | NilNode | NumberNode | StringNode):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def parse_control(
        self, context: str
    ) -> tuple[int, int, PipeNode, ListNode, ListNode | None]:
        mark = len(self.vars)
        try:
            pipe = self.pipeline(context, T.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, nxt = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list: ListNode | None = None
            if isinstance(nxt, ElseNode):
                if context == "if" and self.peek().typ == T.IF:
                    self.next()
                    else_list = ListNode(nxt.pos)
                    else_list.nodes.append(self.branch_control(IfNode, "if"))
                elif context == "with" and self.peek().typ == T.WITH:
                    self.next()
                    else_list = ListNode(nxt.pos)
                    else_list.nodes.append(self.branch_control(WithNode, "with"))
                else:
                    else_list, nxt = self.item_list()
                    if not isinstance(nxt, EndNode):
                        self.errorf(f"expected end; found {nxt}")
            return pipe.pos, pipe.line, pipe, body, else_list
        finally:
            del self.vars[mark:]

    def branch_control(self, cls: type[BranchNode], keyword: str) -> Node:
        pos, line, pipe, body, else_list = self.parse_control(keyword)
        return cls(pos, line, pipe, body, else_list, keyword)

    def end_control(self) -> Node:
        return EndNode(self.expect(T.RIGHT_DELIM, "end").pos)

    def else_control(self) -> Node:
        peek = self.peek_non_space()
        if peek.typ in (T.IF, T.WITH):
            return ElseNode(peek.pos, peek.line)
        token = self.expect(T.RIGHT_DELIM, "else")
        return ElseNode(token.pos, token.line)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, T.RIGHT_DELIM)
        block = self._sub_tree(name)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        self._sync_from(block)
        return TemplateNode(token.pos, token.line, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe: PipeNode | None = None
        if self.next_non_space().typ != T.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, T.RIGHT_DELIM)
        return TemplateNode(token.pos, token.line, name, pipe)

    def parse_template_name(self, token: Item, context: str) -> str:
        if token.typ in (T.STRING, T.RAW_STRING):
            try:
                return go_unquote(token.val)
            except ValueError as exc:
                self.errorf(str(exc))
        self.unexpected(token, context)
        raise AssertionError  # pragma: no cover

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                cmd.args.append(operand)
            token = self.next()
            if token.typ == T.SPACE:
                continue
            if token.typ in (T.RIGHT_DELIM, T.RIGHT_PAREN):
                self.backup()
            elif token.typ != T.PIPE:
                self.unexpected(token, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == T.FIELD:
            chain = ChainNode(self.peek().pos, node)
            while self.peek().typ == T.FIELD:
                chain.fields.append(self.next().val[1:])
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, [*node.ident, *chain.fields])
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, [*node.ident, *chain.fields])
            if isinstance(node, BoolNode | StringNode | NumberNode | NilNode | DotNode):
                self.errorf(f"unexpected . after term {_q(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ == T.IDENTIFIER:
            if not self.has_function(token.val):
                self.errorf(f"function {_q(token.val)} not defined")
            return IdentifierNode(token.pos, token.val)
        if typ == T.DOT:
            return DotNode(token.pos)
        if typ == T.NIL:
            return NilNode(token.pos)
        if typ == T.VARIABLE:
            return self.use_var(token.pos, token.val)
        if typ == T.FIELD:
            return FieldNode(token.pos, token.val[1:].split("."))
        if typ == T.BOOL:
            return BoolNode(token.pos, token.val == "true")
        if typ in (T.CHAR_CONSTANT, T.COMPLEX, T.NUMBER):
            try:
                return new_number(token.pos, token.val, typ)
            except ValueError as exc:
                self.errorf(str(exc))
        if typ == T.LEFT_PAREN:
            if self.stack_depth >= MAX_STACK_DEPTH:
                self.errorf("max expression depth exceeded")
            self.stack_depth += 1
            try:
                return self.pipeline("parenthesized pipeline", T.RIGHT_PAREN)
            finally:
                self.stack_depth -= 1
        if typ in (T.STRING, T.RAW_STRING):
            try:
                text = go_unquote(token.val)
            except ValueError as exc:
                self.errorf(str(exc))
            return StringNode(token.pos, token.val, text)
        self.backup()
        return None

    def use_var(self, pos: int, name: str) -> Node:
        v = VariableNode(pos, name.split("."))
        if v.ident[0] in self.vars:
            return v
        self.errorf(f"undefined variable {_q(v.ident[0])}")
        raise AssertionError  # pragma: no cover


def parse(text: str, name: str, has_function: Callable[[str], bool]) -> Template:
    """Parses `text` as template `name` (plus its `define`/`block` templates)."""
    items = lex(text)
    tree_set: dict[str, ListNode] = {}
    tree = _Tree(name, name, items, [0], tree_set, has_function)
    try:
        tree.parse()
        tree.add()
    except _ParseError as exc:
        raise GoTemplateParseError(str(exc)) from None
    return Template(name, text, tree_set)
