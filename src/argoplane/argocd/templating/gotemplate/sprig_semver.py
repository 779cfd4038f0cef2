"""Sprig's `semver` and `semverCompare` (Masterminds/semver v3 semantics)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.gofmt import quote
from argoplane.argocd.templating.gotemplate.registry import register
from argoplane.argocd.templating.gotemplate.values import (
    SEMVER,
    STRING,
    GoObject,
    Method,
    Uint64,
)

_VERSION_RX = re.compile(
    r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
)


class Version(GoObject):
    """A `*semver.Version`."""

    gotype: ClassVar[str] = SEMVER
    gokind: ClassVar[str] = "ptr"

    def __init__(self, major: int, minor: int, patch: int, pre: str, metadata: str,
                 original: str) -> None:
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
        self.metadata = metadata
        self.original = original

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.compare(other) == 0 and (
            self.metadata == other.metadata
        )

    def __hash__(self) -> int:
        return hash((self.major, self.minor, self.patch, self.pre))

    def go_string(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += "-" + self.pre
        if self.metadata:
            text += "+" + self.metadata
        return text

    def go_json(self) -> str:
        return quote(self.go_string())

    def compare(self, other: Version) -> int:
        for a, b in ((self.major, other.major), (self.minor, other.minor),
                     (self.patch, other.patch)):
            if a != b:
                return -1 if a < b else 1
        return _compare_prerelease(self.pre, other.pre)

    def go_method(self, name: str) -> Method | None:
        simple: dict[str, Callable[[], Any]] = {
            "Major": lambda: Uint64(self.major),
            "Minor": lambda: Uint64(self.minor),
            "Patch": lambda: Uint64(self.patch),
            "Prerelease": lambda: self.pre,
            "Metadata": lambda: self.metadata,
            "Original": lambda: self.original,
            "String": self.go_string,
            "IncMajor": lambda: Version(self.major + 1, 0, 0, "", "", ""),
            "IncMinor": lambda: Version(self.major, self.minor + 1, 0, "", "", ""),
            "IncPatch": self._inc_patch,
        }
        if name in simple:
            return Method(name, simple[name])
        comparisons: dict[str, Callable[[Version], Any]] = {
            "Compare": self.compare,
            "LessThan": lambda o: self.compare(o) < 0,
            "GreaterThan": lambda o: self.compare(o) > 0,
            "Equal": lambda o: self.compare(o) == 0,
        }
        if name in comparisons:
            fn = comparisons[name]

            def call(other: Version | None) -> Any:
                if other is None:
                    raise GoFuncError(
                        "runtime error: invalid memory address or nil pointer dereference"
                    )
                return fn(other)

            return Method(name, call, (SEMVER,))
        return None

    def _inc_patch(self) -> Version:
        if self.pre or self.metadata:
            return Version(self.major, self.minor, self.patch, "", "", "")
        return Version(self.major, self.minor, self.patch + 1, "", "", "")


def _compare_prerelease(a: str, b: str) -> int:
    if a == b:
        return 0
    if not a:
        return 1
    if not b:
        return -1
    pa, pb = a.split("."), b.split(".")
    for x, y in zip(pa, pb, strict=False):
        if x == y:
            continue
        xd, yd = x.isdigit(), y.isdigit()
        if xd and yd:
            return -1 if int(x) < int(y) else 1
        if xd:
            return -1
        if yd:
            return 1
        return -1 if x < y else 1
    if len(pa) == len(pb):
        return 0
    return -1 if len(pa) < len(pb) else 1


def _valid_prerelease(pre: str) -> bool:
    return all(not (p.isdigit() and len(p) > 1 and p[0] == "0") for p in pre.split("."))


@functools.lru_cache(maxsize=1024)
def parse_version(text: str) -> Version:
    m = _VERSION_RX.match(text)
    if m is None:
        raise GoFuncError("Invalid Semantic Version")
    pre = m.group(5) or ""
    if pre and not _valid_prerelease(pre):
        raise GoFuncError("Invalid Prerelease string")
    return Version(
        int(m.group(1)),
        int(m.group(2)[1:]) if m.group(2) else 0,
        int(m.group(3)[1:]) if m.group(3) else 0,
        pre,
        m.group(8) or "",
        text,
    )


# ----------------------------------------------------------------------------- constraints

_CV = (r"v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?"
       r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
       r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?")
_OPS = r"(==|!=|>=|=>|<=|=<|>|<|~>|~|\^|=)?"
_ONE = re.compile(r"^\s*" + _OPS + r"\s*(" + _CV + r")\s*$")
_RANGE = re.compile(r"\s*(" + _CV + r")\s+-\s+(" + _CV + r")\s*")
_WILD = ("x", "X", "*")


@dataclass
class _Constraint:
    op: str
    con: Version
    minor_dirty: bool
    patch_dirty: bool
    dirty: bool

    def check(self, v: Version) -> bool:
        c = self.con
        op = self.op
        if op == "!=":
            return _not_equal(v, self)
        if v.pre and not c.pre:
            return False  # prereleases only match constraints that ask for them
        if op in ("", "="):
            return _tilde(v, self) if self.dirty else v.compare(c) == 0
        if op == ">":
            if not self.dirty:
                return v.compare(c) > 0
            if v.major != c.major:
                return v.major > c.major
            if self.minor_dirty:
                return False
            if self.patch_dirty:
                return v.minor > c.minor
            return v.compare(c) > 0
        if op == "<":
            return v.compare(c) < 0
        if op == ">=":
            return v.compare(c) >= 0
        if op == "<=":
            if not self.dirty:
                return v.compare(c) <= 0
            if v.major > c.major:
                return False
            return not (v.major == c.major and v.minor > c.minor and not self.minor_dirty)
        if op in ("~", "~>"):
            return _tilde(v, self)
        return _caret(v, self)


def _not_equal(v: Version, c: _Constraint) -> bool:
    con = c.con
    if c.dirty:
        if v.pre and not con.pre:
            return False
        if con.major != v.major:
            return True
        if con.minor != v.minor and not c.minor_dirty:
            return True
        if c.minor_dirty:
            return False
        if con.patch != v.patch and not c.patch_dirty:
            return True
        if c.patch_dirty:
            if v.pre or con.pre:
                return _compare_prerelease(v.pre, con.pre) != 0
            return False
    return v.compare(con) != 0


def _tilde(v: Version, c: _Constraint) -> bool:
    con = c.con
    if v.compare(con) < 0:
        return False
    if con.major == 0 and con.minor == 0 and con.patch == 0 and not c.minor_dirty and (
        not c.patch_dirty
    ):
        return True
    if v.major != con.major:
        return False
    return not (v.minor != con.minor and not c.minor_dirty)


def _caret(v: Version, c: _Constraint) -> bool:
    con = c.con
    if v.compare(con) < 0:
        return False
    if con.major > 0 or c.minor_dirty:
        return v.major == con.major
    if v.major > 0:
        return False
    if con.minor > 0 or c.patch_dirty:
        return v.minor == con.minor
    if v.minor > 0:
        return False
    return v.patch == con.patch


def _parse_one(text: str) -> _Constraint:
    m = _ONE.match(text)
    if m is None:
        raise GoFuncError(f"improper constraint: {text}")
    op = m.group(1) or ""
    op = {"==": "=", "=>": ">=", "=<": "<="}.get(op, op)
    major, minor, patch = m.group(3), m.group(4), m.group(5)
    pre = m.group(7) or ""
    meta = m.group(10) or ""
    minor_dirty = patch_dirty = dirty = False
    if major in _WILD:
        con = Version(0, 0, 0, pre, meta, m.group(2))
        dirty = True
    elif minor is None or minor[1:] in _WILD:
        con = Version(int(major), 0, 0, pre, meta, m.group(2))
        minor_dirty = dirty = True
    elif patch is None or patch[1:] in _WILD:
        con = Version(int(major), int(minor[1:]), 0, pre, meta, m.group(2))
        patch_dirty = dirty = True
    else:
        con = Version(int(major), int(minor[1:]), int(patch[1:]), pre, meta, m.group(2))
    return _Constraint(op, con, minor_dirty, patch_dirty, dirty)


@functools.lru_cache(maxsize=512)
def parse_constraints(text: str) -> list[list[_Constraint]]:
    groups: list[list[_Constraint]] = []
    for raw in text.split("||"):
        group = _RANGE.sub(lambda m: f" >= {m.group(1)}, <= {m.group(11)} ", raw)
        items = [p for p in re.split(r"[,\s]+", _join_ops(group.strip())) if p]
        if not items:
            raise GoFuncError(f"improper constraint: {text}")
        groups.append([_parse_one(p) for p in items])
    return groups


def _join_ops(group: str) -> str:
    """Removes spaces between an operator and its version (`>= 1.2` becomes `>=1.2`)."""
    return re.sub(r"(==|!=|>=|=>|<=|=<|~>|>|<|~|\^|=)\s+", r"\1", group)


def check_constraint(constraint: str, version: Version) -> bool:
    return any(all(c.check(version) for c in group) for group in parse_constraints(constraint))


@register("semverCompare", [STRING, STRING])
def _semver_compare(constraint: str, version: str) -> bool:
    parse_constraints(constraint)
    return check_constraint(constraint, parse_version(version))


@register("semver", [STRING])
def _semver(version: str) -> Version:
    return parse_version(version)
