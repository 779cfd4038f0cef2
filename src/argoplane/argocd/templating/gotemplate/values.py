"""The Go value model used by the executor and the template functions.

Python values stand for Go values:

* `None` is a nil `interface{}` (for example a JSON `null` inside a map), while
  `MISSING` is Go's invalid `reflect.Value` (a missing map key, or the result of a
  pipeline that produced a nil interface).
* `bool` is `bool`, `int` is `int`, `float` is `float64`, `str` is `string`,
  `list` is `[]interface {}` and `dict` is `map[string]interface {}`.
* Functions that return other Go types return the subclasses below (`Int64`,
  `StrSlice`, `StrMap`, ...) so that type errors, `typeOf` and `kindOf` behave as in Go.
* `GoObject` is the base of struct and pointer values that have methods
  (`time.Time`, `*semver.Version`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Final


class _Missing:
    """Go's zero `reflect.Value` (an invalid value)."""

    _instance: ClassVar[_Missing | None] = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()

# Go type names used in function signatures and error messages.
STRING: Final = "string"
INT: Final = "int"
INT64: Final = "int64"
UINT32: Final = "uint32"
FLOAT64: Final = "float64"
BOOL: Final = "bool"
ANY: Final = "interface {}"
VALUE: Final = "reflect.Value"
MAP: Final = "map[string]interface {}"
LIST: Final = "[]interface {}"
TIME: Final = "time.Time"
SEMVER: Final = "*semver.Version"

NILLABLE_TYPES: Final = frozenset({ANY, VALUE, MAP, LIST, SEMVER})


class GoInt(int):
    """An integer of a sized Go type (`int` itself is a plain Python `int`)."""

    gotype: ClassVar[str] = "int"
    unsigned: ClassVar[bool] = False

    def __repr__(self) -> str:
        return f"{self.gotype}({int(self)})"

    def go_string(self) -> str | None:
        """`String()` of integer types that are Stringers (time.Month, ...)."""
        return None


class Int64(GoInt):
    gotype = "int64"


class Int32(GoInt):
    gotype = "int32"


class Uint8(GoInt):
    gotype = "uint8"
    unsigned = True


class Uint64(GoInt):
    gotype = "uint64"
    unsigned = True


class TypedList(list[Any]):
    """A Go slice whose element type is not `interface{}`."""

    gotype: ClassVar[str] = "[]interface {}"
    elem_iface: ClassVar[bool] = False


class StrSlice(TypedList):
    gotype = "[]string"


class IntSlice(TypedList):
    gotype = "[]int"


class ListSlice(TypedList):
    gotype = "[][]interface {}"


class StrMap(dict[str, Any]):
    """A Go `map[string]string`."""

    gotype: ClassVar[str] = "map[string]string"


@dataclass(frozen=True)
class Method:
    """A Go method bound to its receiver, as the executor calls it."""

    name: str
    impl: Callable[..., Any]
    params: tuple[str, ...] = ()
    variadic: str | None = None


class GoObject:
    """Base of Go struct / pointer values that carry methods."""

    gotype: ClassVar[str] = "struct {}"
    gokind: ClassVar[str] = "struct"

    def go_method(self, name: str) -> Method | None:
        return None

    def go_string(self) -> str | None:
        """The result of the value's `String()` method, if it is a `fmt.Stringer`."""
        return None

    def go_fields(self) -> str:
        """How `%v` prints the value when it is not a Stringer."""
        return "{}"

    def go_json(self) -> str | None:
        """The value's JSON encoding (None: `json: unsupported type`)."""
        return None


def go_type(value: Any) -> str:
    """The dynamic Go type of a value, as `%T` prints it."""
    if value is None or value is MISSING:
        return "<nil>"
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, GoInt):
        return value.gotype
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT64
    if isinstance(value, str):
        return STRING
    if isinstance(value, TypedList):
        return value.gotype
    if isinstance(value, list | tuple):
        return LIST
    if isinstance(value, StrMap):
        return value.gotype
    if isinstance(value, dict):
        return MAP
    if isinstance(value, GoObject):
        return value.gotype
    return type(value).__name__


def static_type(value: Any, iface: bool) -> str:
    """The static type of a value that may sit in an `interface{}`."""
    if iface or value is None:
        return ANY
    return go_type(value)


def go_kind(value: Any) -> str:
    """`reflect.Value.Kind().String()` of a value."""
    if value is None or value is MISSING:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoInt):
        return value.gotype
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "slice"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, GoObject):
        return value.gokind
    return "struct"


def elem_is_iface(container: Any) -> bool:
    """Whether the elements of a Go map or slice are `interface{}` values."""
    if isinstance(container, StrMap | TypedList):
        return False
    return isinstance(container, dict | list | tuple)


def elem_zero(container: Any) -> Any:
    """The zero value of a map's element type (`missingkey=zero`, `index`)."""
    if isinstance(container, StrMap):
        return ""
    return None


def is_int(value: Any) -> bool:
    """Whether a value is of a Go integer kind (any size)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_float(value: Any) -> bool:
    return isinstance(value, float)


def truth(value: Any) -> bool:
    """Go's `template.IsTrue` (for a valid value it always has a meaning here)."""
    if value is None or value is MISSING:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | tuple | dict):
        return len(value) > 0
    return True


def is_empty(value: Any) -> bool:
    """Sprig's `empty`: the zero value of its type."""
    return not truth(value)


def assignable(value: Any, typ: str) -> bool:
    """Whether a (non-nil, concrete) value is assignable to a Go parameter type."""
    if typ in (ANY, VALUE):
        return True
    if typ == STRING:
        return isinstance(value, str)
    if typ == INT:
        return is_int(value) and not isinstance(value, GoInt)
    if typ == INT64:
        return isinstance(value, Int64)
    if typ == FLOAT64:
        return isinstance(value, float)
    if typ == BOOL:
        return isinstance(value, bool)
    if typ == MAP:
        return isinstance(value, dict) and not isinstance(value, StrMap)
    if typ == LIST:
        return isinstance(value, list | tuple) and not isinstance(value, TypedList)
    return go_type(value) == typ


def zero_of(typ: str) -> Any:
    """The zero value of a nillable Go type (for a nil argument)."""
    if typ == MAP:
        return {}
    if typ == LIST:
        return []
    if typ == VALUE:
        return MISSING
    return None


def deep_equal(a: Any, b: Any) -> bool:
    """`reflect.DeepEqual` over the value model (types must match exactly)."""
    if a is MISSING:
        a = None
    if b is MISSING:
        b = None
    if a is None or b is None:
        return a is None and b is None
    if go_type(a) != go_type(b):
        return False
    if isinstance(a, dict):
        if len(a) != len(b):
            return False
        return all(k in b and deep_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, list | tuple):
        if len(a) != len(b):
            return False
        return all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, GoObject):
        return bool(a == b)
    return bool(a == b)


def sort_keys(mapping: dict[Any, Any]) -> list[Any]:
    """Map keys in the order Go's `fmtsort` (and `range`) uses."""
    keys = list(mapping)
    try:
        if all(isinstance(k, str) for k in keys):
            return sorted(keys, key=lambda k: k.encode("utf-8", "surrogatepass"))
        if all(is_int(k) or isinstance(k, float) for k in keys):
            return sorted(keys)
    except TypeError:  # pragma: no cover - mixed incomparable keys
        pass
    return sorted(keys, key=lambda k: (go_type(k), str(k)))
