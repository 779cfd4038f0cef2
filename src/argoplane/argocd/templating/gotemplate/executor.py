"""Executes a parsed template (a port of text/template/exec.go over the value model)."""

from __future__ import annotations

from typing import Any

from argoplane.argocd.templating.gotemplate.errors import GoFuncError, GoTemplateExecError
from argoplane.argocd.templating.gotemplate.gofmt import format_value, quote
from argoplane.argocd.templating.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
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
)
from argoplane.argocd.templating.gotemplate.parser import Template
from argoplane.argocd.templating.gotemplate.registry import FUNCS, GoFunc
from argoplane.argocd.templating.gotemplate.values import (
    ANY,
    BOOL,
    FLOAT64,
    INT,
    INT64,
    MISSING,
    NILLABLE_TYPES,
    STRING,
    UINT32,
    VALUE,
    GoObject,
    Int64,
    Method,
    assignable,
    elem_is_iface,
    elem_zero,
    go_type,
    is_int,
    sort_keys,
    static_type,
    truth,
    zero_of,
)

MAX_EXEC_DEPTH = 100  # Go allows 100000; Python's stack does not.


class _NoFinal:
    """Go's `missingVal`: no value is piped into the command."""


NO_FINAL = _NoFinal()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


MISSINGKEY_MODES = {"default": "invalid", "invalid": "invalid", "zero": "zero", "error": "error"}


def _is_hex_int(s: str) -> bool:
    return len(s) > 2 and s[0] == "0" and s[1] in "xX" and not any(c in s for c in "pP")


class State:
    """The state of one execution (Go's `state`)."""

    def __init__(
        self, tmpl: Template, name: str, missingkey: str, out: list[str], depth: int = 0
    ) -> None:
        self.tmpl = tmpl
        self.name = name
        self.missingkey = missingkey
        self.out = out
        self.depth = depth
        self.node: Node | None = None
        self.vars: list[tuple[str, Any, bool]] = []

    # -- errors ----------------------------------------------------------------------------
    def errorf(self, message: str) -> None:
        if self.node is None:
            raise GoTemplateExecError(f"template: {self.name}: {message}")
        location, context = self.error_context(self.node)
        raise GoTemplateExecError(
            f"template: {location}: executing {quote(self.name)} at <{context}>: {message}"
        )

    def error_context(self, node: Node) -> tuple[str, str]:
        text = self.tmpl.text[: node.pos]
        nl = text.rfind("\n")
        col_text = text if nl < 0 else text[nl + 1 :]
        col = len(col_text.encode("utf-8", "surrogatepass"))
        line = 1 + text.count("\n")
        return f"{self.tmpl.name}:{line}:{col}", str(node)

    # -- variables -------------------------------------------------------------------------
    def push(self, name: str, value: Any, iface: bool = False) -> None:
        self.vars.append((name, value, iface))

    def mark(self) -> int:
        return len(self.vars)

    def pop(self, mark: int) -> None:
        del self.vars[mark:]

    def set_var(self, name: str, value: Any, iface: bool = False) -> None:
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                self.vars[i] = (name, value, iface)
                return
        self.errorf(f"undefined variable: {name}")

    def set_top_var(self, n: int, value: Any, iface: bool = False) -> None:
        name = self.vars[-n][0]
        self.vars[-n] = (name, value, iface)

    def var_value(self, name: str) -> tuple[Any, bool]:
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                return self.vars[i][1], self.vars[i][2]
        self.errorf(f"undefined variable: {name}")
        raise AssertionError  # pragma: no cover

    # -- walking ---------------------------------------------------------------------------
    def execute(self, root: ListNode, data: Any) -> None:
        value = MISSING if data is None else data
        self.vars = [("$", value, False)]
        self.walk(value, False, root)

    def walk(self, dot: Any, di: bool, node: Node) -> None:
        self.node = node
        if isinstance(node, TextNode):
            self.out.append(node.text)
        elif isinstance(node, ActionNode):
            val = self.eval_pipeline(dot, di, node.pipe)
            if not node.pipe.decl:
                self.print_value(node, val)
        elif isinstance(node, ListNode):
            for n in node.nodes:
                self.walk(dot, di, n)
        elif isinstance(node, IfNode | WithNode):
            self.walk_if_or_with(dot, di, node)
        elif isinstance(node, RangeNode):
            self.walk_range(dot, di, node)
        elif isinstance(node, TemplateNode):
            self.walk_template(dot, di, node)
        elif isinstance(node, BreakNode):
            raise _Break
        elif isinstance(node, ContinueNode):
            raise _Continue
        else:  # pragma: no cover
            self.errorf(f"unknown node: {node}")

    def walk_if_or_with(self, dot: Any, di: bool, node: IfNode | WithNode) -> None:
        mark = self.mark()
        try:
            val = self.eval_pipeline(dot, di, node.pipe)
            if truth(val):
                if isinstance(node, WithNode):
                    self.walk(val, False, node.body)
                else:
                    self.walk(dot, di, node.body)
            elif node.else_list is not None:
                self.walk(dot, di, node.else_list)
        finally:
            self.pop(mark)

    def walk_range(self, dot: Any, di: bool, r: RangeNode) -> None:
        self.node = r
        outer = self.mark()
        try:
            val = self.eval_pipeline(dot, di, r.pipe)
            mark = self.mark()
            decl = r.pipe.decl
            assign = r.pipe.is_assign

            def one(index: Any, elem: Any, elem_iface: bool) -> None:
                if decl:
                    if assign:
                        if len(decl) > 1:
                            self.set_var(decl[0].ident[0], index)
                        else:
                            self.set_var(decl[0].ident[0], elem, elem_iface)
                    else:
                        self.set_top_var(1, elem, elem_iface)
                if len(decl) > 1:
                    if assign:
                        self.set_var(decl[1].ident[0], elem, elem_iface)
                    else:
                        self.set_top_var(2, index)
                try:
                    self.walk(elem, elem_iface, r.body)
                except _Continue:
                    pass
                finally:
                    self.pop(mark)

            try:
                if is_int(val):
                    if len(decl) > 1:
                        self.errorf(
                            f"can't use {format_value(val)} to iterate over more than one variable"
                        )
                    if int(val) > 0:
                        cls = type(val)
                        for v in range(int(val)):
                            one(MISSING, cls(v), False)
                        return
                elif isinstance(val, list | tuple):
                    if val:
                        iface = elem_is_iface(val)
                        for i, elem in enumerate(list(val)):
                            one(i, elem, iface)
                        return
                elif isinstance(val, dict):
                    if val:
                        iface = elem_is_iface(val)
                        for key in sort_keys(val):
                            one(key, val[key], iface)
                        return
                elif val is not MISSING:
                    self.errorf(f"range can't iterate over {format_value(val)}")
            except _Break:
                return
            if r.else_list is not None:
                self.walk(dot, di, r.else_list)
        finally:
            self.pop(outer)

    def walk_template(self, dot: Any, di: bool, t: TemplateNode) -> None:
        self.node = t
        tree = self.tmpl.trees.get(t.name)
        if tree is None:
            self.errorf(f"template {quote(t.name)} not defined")
            return
        if self.depth >= MAX_EXEC_DEPTH:
            self.errorf("exceeded maximum template depth (100000)")
        new_dot = self.eval_pipeline(dot, di, t.pipe)
        child = State(self.tmpl, t.name, self.missingkey, self.out, self.depth + 1)
        child.vars = [("$", new_dot, False)]
        child.walk(new_dot, False, tree)

    # -- evaluation ------------------------------------------------------------------------
    def eval_pipeline(self, dot: Any, di: bool, pipe: PipeNode | None) -> Any:
        if pipe is None:
            return MISSING
        self.node = pipe
        value: Any = NO_FINAL
        for cmd in pipe.cmds:
            value, _ = self.eval_command(dot, di, cmd, value)
            if value is None:  # a nil interface{} digs down to the invalid value
                value = MISSING
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.push(var.ident[0], value)
        return value

    def not_a_function(self, args: list[Node], final: Any) -> None:
        if len(args) > 1 or final is not NO_FINAL:
            self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, di: bool, cmd: CommandNode, final: Any) -> tuple[Any, bool]:
        first = cmd.args[0]
        if isinstance(first, FieldNode):
            return self.eval_field_node(dot, di, first, cmd.args, final)
        if isinstance(first, ChainNode):
            return self.eval_chain_node(dot, di, first, cmd.args, final)
        if isinstance(first, IdentifierNode):
            return self.eval_function(dot, di, first, cmd, cmd.args, final)
        if isinstance(first, PipeNode):
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, di, first), False
        if isinstance(first, VariableNode):
            return self.eval_variable_node(dot, di, first, cmd.args, final)
        self.node = first
        self.not_a_function(cmd.args, final)
        if isinstance(first, BoolNode):
            return first.value, False
        if isinstance(first, DotNode):
            return dot, di
        if isinstance(first, NilNode):
            self.errorf("nil is not a command")
        if isinstance(first, NumberNode):
            return self.ideal_constant(first), False
        if isinstance(first, StringNode):
            return first.text, False
        self.errorf(f"can't evaluate command {quote(str(first))}")
        raise AssertionError  # pragma: no cover

    def ideal_constant(self, n: NumberNode) -> Any:
        self.node = n
        if n.is_complex:  # pragma: no cover - rejected by the parser
            self.errorf("complex constants are not supported")
        if (
            n.is_float
            and not _is_hex_int(n.text)
            and not n.text.startswith("'")
            and any(c in n.text for c in ".eEpP")
        ):
            return n.float64
        if n.is_int:
            return n.int64
        if n.is_uint:
            self.errorf(f"{n.text} overflows int")
        return MISSING

    def eval_field_node(
        self, dot: Any, di: bool, field: FieldNode, args: list[Node] | None, final: Any
    ) -> tuple[Any, bool]:
        self.node = field
        return self.eval_field_chain(dot, di, dot, di, field, field.ident, args, final)

    def eval_chain_node(
        self, dot: Any, di: bool, chain: ChainNode, args: list[Node] | None, final: Any
    ) -> tuple[Any, bool]:
        self.node = chain
        if not chain.fields:  # pragma: no cover - the parser never builds one
            self.errorf("internal error: no fields in evalChainNode")
        if isinstance(chain.node, NilNode):
            self.errorf(f"indirection through explicit nil in {chain}")
        recv, ri = self.eval_receiver(dot, di, chain.node)
        return self.eval_field_chain(dot, di, recv, ri, chain, chain.fields, args, final)

    def eval_receiver(self, dot: Any, di: bool, n: Node) -> tuple[Any, bool]:
        """Go's `evalArg(dot, nil, n)`: the value at the start of a chain."""
        self.node = n
        if isinstance(n, DotNode):
            return dot, di
        if isinstance(n, FieldNode):
            return self.eval_field_node(dot, di, n, [n], NO_FINAL)
        if isinstance(n, VariableNode):
            return self.eval_variable_node(dot, di, n, None, NO_FINAL)
        if isinstance(n, PipeNode):
            return self.eval_pipeline(dot, di, n), False
        if isinstance(n, IdentifierNode):
            return self.eval_function(dot, di, n, n, None, NO_FINAL)
        if isinstance(n, ChainNode):
            return self.eval_chain_node(dot, di, n, None, NO_FINAL)
        self.errorf(f"can't handle {n} for arg of type <nil>")  # pragma: no cover
        raise AssertionError  # pragma: no cover

    def eval_variable_node(
        self, dot: Any, di: bool, variable: VariableNode, args: list[Node] | None, final: Any
    ) -> tuple[Any, bool]:
        self.node = variable
        value, vi = self.var_value(variable.ident[0])
        if len(variable.ident) == 1:
            self.not_a_function(args or [variable], final)
            return value, vi
        return self.eval_field_chain(
            dot, di, value, vi, variable, variable.ident[1:], args, final
        )

    def eval_field_chain(
        self,
        dot: Any,
        di: bool,
        recv: Any,
        ri: bool,
        node: Node,
        ident: list[str],
        args: list[Node] | None,
        final: Any,
    ) -> tuple[Any, bool]:
        for name in ident[:-1]:
            recv, ri = self.eval_field(dot, di, name, node, None, NO_FINAL, recv, ri)
        return self.eval_field(dot, di, ident[-1], node, args, final, recv, ri)

    def eval_function(
        self,
        dot: Any,
        di: bool,
        node: IdentifierNode,
        cmd: Node,
        args: list[Node] | None,
        final: Any,
    ) -> tuple[Any, bool]:
        self.node = node
        fn = FUNCS.get(node.ident)
        if fn is None:
            self.errorf(f"{quote(node.ident)} is not a defined function")
            raise AssertionError  # pragma: no cover
        return self.eval_call(dot, di, fn, cmd, node.ident, args, final), False

    def eval_field(
        self,
        dot: Any,
        di: bool,
        name: str,
        node: Node,
        args: list[Node] | None,
        final: Any,
        recv: Any,
        ri: bool,
    ) -> tuple[Any, bool]:
        if recv is MISSING:
            if self.missingkey == "error":
                self.errorf(f"nil data; no entry for key {quote(name)}")
            return MISSING, False
        typ = static_type(recv, ri)
        if recv is None:
            self.errorf(f"nil pointer evaluating {typ}.{name}")
        if isinstance(recv, GoObject):
            method = recv.go_method(name)
            if method is not None:
                return self.eval_call(dot, di, method, node, name, args, final), False
        has_args = (args is not None and len(args) > 1) or final is not NO_FINAL
        if isinstance(recv, dict):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            if name in recv:
                return recv[name], elem_is_iface(recv)
            if self.missingkey == "zero":
                return elem_zero(recv), elem_is_iface(recv)
            if self.missingkey == "error":
                self.errorf(f"map has no entry for key {quote(name)}")
            return MISSING, False
        self.errorf(f"can't evaluate field {name} in type {typ}")
        raise AssertionError  # pragma: no cover

    def eval_call(
        self,
        dot: Any,
        di: bool,
        fn: GoFunc | Method,
        node: Node,
        name: str,
        args: list[Node] | None,
        final: Any,
    ) -> Any:
        argn: list[Node] = args[1:] if args is not None else []
        has_final = final is not NO_FINAL
        num_in = len(argn) + (1 if has_final else 0)
        params = fn.params
        variadic = fn.variadic
        if variadic is not None:
            num_fixed = len(params)
            if num_in < num_fixed:
                self.errorf(
                    f"wrong number of args for {name}: want at least {len(params)} "
                    f"got {len(argn)}"
                )
        else:
            num_fixed = len(argn)
            if num_in != len(params):
                self.errorf(f"wrong number of args for {name}: want {len(params)} got {num_in}")
        builtin = isinstance(fn, GoFunc) and fn.builtin
        if builtin and name in ("and", "or"):
            v: Any = MISSING
            for arg in argn:
                v = self.eval_arg(dot, di, VALUE, arg)
                if truth(v) == (name == "or"):
                    return v
            if has_final:
                v = self.validate_type(final, VALUE)
            return v
        argv: list[Any] = []
        i = 0
        while i < num_fixed and i < len(argn):
            argv.append(self.eval_arg(dot, di, params[i], argn[i]))
            i += 1
        if variadic is not None:
            while i < len(argn):
                argv.append(self.eval_arg(dot, di, variadic, argn[i]))
                i += 1
        if has_final:
            if variadic is not None:
                t = params[num_in - 1] if num_in - 1 < num_fixed else variadic
            else:
                t = params[-1]
            argv.append(self.validate_type(final, t))
        try:
            if builtin and name == "call":
                callee = str(argn[0]) if argn else format_value(final)
                self._call_builtin(callee, argv)
            return fn.impl(*argv)
        except GoFuncError as exc:
            self.node = node
            self.errorf(f"error calling {name}: {exc}")
        except (_Break, _Continue, GoTemplateExecError, RecursionError):
            raise
        except Exception as exc:  # a Go panic inside the function is reported the same way
            self.node = node
            self.errorf(f"error calling {name}: {exc}")
        raise AssertionError  # pragma: no cover

    def _call_builtin(self, callee: str, argv: list[Any]) -> None:
        fn = argv[0] if argv else MISSING
        if fn is None or fn is MISSING:
            raise GoFuncError("call of nil")
        raise GoFuncError(f"non-function {callee} of type {go_type(fn)}")

    def validate_type(self, value: Any, typ: str | None) -> Any:
        if value is MISSING:
            if typ is None:
                return MISSING
            if typ in NILLABLE_TYPES:
                return zero_of(typ)
            self.errorf(f"invalid value; expected {typ}")
        if typ is None or typ == VALUE:
            return value
        if value is None:
            if typ == ANY:
                return None
            self.errorf(f"wrong type for value; expected {typ}; got interface {{}}")
        if assignable(value, typ):
            return value
        self.errorf(f"wrong type for value; expected {typ}; got {go_type(value)}")
        raise AssertionError  # pragma: no cover

    def eval_arg(self, dot: Any, di: bool, typ: str, n: Node) -> Any:
        self.node = n
        if isinstance(n, DotNode):
            return self.validate_type(dot, typ)
        if isinstance(n, NilNode):
            if typ in NILLABLE_TYPES:
                return zero_of(typ)
            self.errorf(f"cannot assign nil to {typ}")
        if isinstance(n, FieldNode):
            return self.validate_type(self.eval_field_node(dot, di, n, [n], NO_FINAL)[0], typ)
        if isinstance(n, VariableNode):
            return self.validate_type(
                self.eval_variable_node(dot, di, n, None, NO_FINAL)[0], typ
            )
        if isinstance(n, PipeNode):
            return self.validate_type(self.eval_pipeline(dot, di, n), typ)
        if isinstance(n, IdentifierNode):
            return self.validate_type(
                self.eval_function(dot, di, n, n, None, NO_FINAL)[0], typ
            )
        if isinstance(n, ChainNode):
            return self.validate_type(self.eval_chain_node(dot, di, n, None, NO_FINAL)[0], typ)
        if typ == BOOL:
            if isinstance(n, BoolNode):
                return n.value
            self.errorf(f"expected bool; found {n}")
        if typ == FLOAT64:
            if isinstance(n, NumberNode) and n.is_float:
                return n.float64
            self.errorf(f"expected float; found {n}")
        if typ in (INT, INT64):
            if isinstance(n, NumberNode) and n.is_int:
                return Int64(n.int64) if typ == INT64 else n.int64
            self.errorf(f"expected integer; found {n}")
        if typ == UINT32:
            if isinstance(n, NumberNode) and n.is_uint:
                return n.uint64
            self.errorf(f"expected unsigned integer; found {n}")
        if typ in (ANY, VALUE):
            return self.eval_empty_interface(n)
        if typ == STRING:
            if isinstance(n, StringNode):
                return n.text
            self.errorf(f"expected string; found {n}")
        self.errorf(f"can't handle {n} for arg of type {typ}")
        raise AssertionError  # pragma: no cover

    def eval_empty_interface(self, n: Node) -> Any:
        self.node = n
        if isinstance(n, BoolNode):
            return n.value
        if isinstance(n, NumberNode):
            return self.ideal_constant(n)
        if isinstance(n, StringNode):
            return n.text
        self.errorf(f"can't handle assignment of {n} to empty interface argument")
        raise AssertionError  # pragma: no cover

    def print_value(self, node: Node, val: Any) -> None:
        self.node = node
        if val is MISSING or val is None:
            self.out.append("<no value>")
        elif isinstance(val, str):
            self.out.append(val)
        else:
            self.out.append(format_value(val))


def execute(tmpl: Template, data: Any, missingkey: str = "default") -> str:
    """Executes the template's main tree on `data` and returns the output."""
    mode = MISSINGKEY_MODES.get(missingkey)
    if mode is None:
        raise ValueError(f"unrecognized option: missingkey={missingkey}")
    out: list[str] = []
    state = State(tmpl, tmpl.name, mode, out)
    root = tmpl.trees.get(tmpl.name)
    if root is None:  # pragma: no cover - the parser always adds the main tree
        state.errorf(f"{quote(tmpl.name)} is an incomplete or empty template")
        raise AssertionError
    try:
        state.execute(root, data)
    except RecursionError:
        raise GoTemplateExecError(
            f"template: {tmpl.name}: exceeded maximum template depth (100000)"
        ) from None
    return "".join(out)


__all__ = ["NO_FINAL", "State", "execute"]
