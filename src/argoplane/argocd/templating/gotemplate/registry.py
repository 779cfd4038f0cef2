"""The function table: each template function with its Go signature."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class GoFunc:
    """A template function: its implementation and Go parameter types.

    `params` are the fixed parameters, `variadic` the element type of a final
    `...T` parameter. Arguments are checked and converted like Go's `evalArg` /
    `validateType` before `impl` is called.
    """

    name: str
    impl: Callable[..., Any]
    params: tuple[str, ...] = ()
    variadic: str | None = None
    builtin: bool = False


FUNCS: dict[str, GoFunc] = {}


def register(
    name: str,
    params: Iterable[str] = (),
    variadic: str | None = None,
    *,
    aliases: Iterable[str] = (),
    builtin: bool = False,
) -> Callable[[F], F]:
    """Decorator that adds a function (under `name` and `aliases`) to the table."""

    def deco(fn: F) -> F:
        for n in (name, *aliases):
            FUNCS[n] = GoFunc(n, fn, tuple(params), variadic, builtin)
        return fn

    return deco


def unregister(*names: str) -> None:
    for n in names:
        FUNCS.pop(n, None)
