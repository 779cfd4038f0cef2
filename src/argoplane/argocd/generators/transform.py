"""Evaluating one generator entry the way Argo CD's `Transform` does, for matrix and merge
children: pick the generator type, interpolate the spec with the params of a previous
generator (matrix), run it, apply the child's `selector`.

The generator registry is imported lazily, so the matrix and merge modules (which the
registry imports) can call back into it without an import cycle.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from argoplane.argocd.generators.base import Generator, GeneratorContext, ParamSet
from argoplane.argocd.generators.params import (
    VALUES_KINDS,
    compile_selector,
    flatten_params,
)
from argoplane.argocd.templating.render import render_string, render_value
from argoplane.core.errors import ArgoplaneError, GeneratorError, TemplateError

# The generator fields of Argo CD's ApplicationSetNestedGenerator, in struct order (the
# order `GetRelevantGenerators` reports them in).
TERMINAL_KINDS = ("list", "clusters", "git", "scmProvider", "clusterDecisionResource",
                  "pullRequest", "plugin")
COMBINING_KINDS = ("matrix", "merge")
MAX_NESTING = 2  # children of a nested matrix/merge can no longer be matrix/merge

ERR_MORE_THAN_ONE_INNER = "found more than one generator in matrix.Generators"
ERR_NO_PARAMETERS = "child generator generated no parameters"


def registry(ctx: GeneratorContext) -> Mapping[str, Generator]:
    """The generator implementations in effect: argoplane's own, plus `ctx.generators`."""
    from argoplane.argocd.generators import GENERATORS

    if not ctx.generators:
        return GENERATORS
    return {**GENERATORS, **ctx.generators}


def run_generator(kind: str, spec: Any, ctx: GeneratorContext) -> list[ParamSet]:
    """Run the generator of one type on its spec (the value under its key)."""
    from argoplane.argocd.generators import ONLINE_GENERATORS, PENDING_GENERATORS

    generators = registry(ctx)
    if kind in generators:
        if spec is not None and not isinstance(spec, Mapping):
            raise GeneratorError(f"the {kind} generator must be an object", file=ctx.file)
        return generators[kind](spec or {}, ctx)
    if kind in ONLINE_GENERATORS:
        raise GeneratorError(
            f"the {kind} generator cannot be evaluated offline: {ONLINE_GENERATORS[kind]}",
            file=ctx.file)
    if kind in PENDING_GENERATORS:
        raise GeneratorError(f"the {kind} generator is not supported yet", file=ctx.file)
    raise GeneratorError(f"unknown generator {kind!r}", file=ctx.file)


def child_kinds(child: Mapping[str, Any], nesting: int) -> list[str]:
    """The generator types a matrix/merge child sets, as Argo CD decodes it: at the second
    level of nesting, `matrix`/`merge` are not fields any more and are silently dropped."""
    kinds = TERMINAL_KINDS + (COMBINING_KINDS if nesting < MAX_NESTING else ())
    return [k for k in kinds if child.get(k) is not None]


def child_params(
    child: Any, ctx: GeneratorContext, params: ParamSet | None = None
) -> list[ParamSet]:
    """Argo CD's `getParams` of a matrix/merge: the param sets of one child generator.

    `ctx.nesting` is the level of the matrix/merge whose child this is; `params` (matrix
    only) are the first child's param set the child is interpolated with.
    """
    if not isinstance(child, Mapping):
        raise GeneratorError("a child generator must be an object", file=ctx.file)
    level = ctx.nesting + 1
    kinds = child_kinds(child, level)
    if not kinds:
        ignored = [k for k in child if k != "selector"]
        hint = ""
        if any(k in COMBINING_KINDS for k in ignored):
            hint = (" (matrix and merge generators can be nested only two levels deep: the "
                    "children of a nested matrix/merge must be plain generators)")
        elif ignored:
            hint = f" (unknown generator type: {', '.join(map(str, ignored))})"
        raise GeneratorError(ERR_NO_PARAMETERS + hint, file=ctx.file)
    if len(kinds) > 1:
        raise GeneratorError(ERR_MORE_THAN_ONE_INNER, file=ctx.file)
    kind = kinds[0]
    child_ctx = dataclasses.replace(ctx, nesting=level)
    try:
        selector = child.get("selector")
        matches = compile_selector(selector) if selector is not None else None
        spec = child[kind]
        if params:
            interpolated = interpolate_generator(
                {kind: spec}, params, ctx.go_template, ctx.go_template_options)
            spec = interpolated[kind]
        produced = run_generator(kind, spec, child_ctx)
    except ArgoplaneError as exc:
        raise GeneratorError(
            f"child generator returned an error on parameter generation: {exc.message}",
            file=ctx.file) from None
    if matches is None:
        return produced
    return [p for p in produced if matches(flatten_params(p))]


# -- interpolation (Argo CD's RenderGeneratorParams) --------------------------------------
def interpolate_generator(
    entry: Mapping[str, Any], params: ParamSet, go_template: bool,
    options: Sequence[str] = (),
) -> dict[str, Any]:
    """A generator entry (`{kind: spec, selector?}`) with every string rendered with the
    params of a previous generator, as the matrix does to its second child.

    `values:` of the generator types that have them are pre-resolved instead: an entry that
    needs a key the params lack stays a template (goTemplate: rendered with
    `missingkey=error`, and a missing-key error keeps the original text), so the generator
    can resolve it later against its own params. With empty params nothing is rendered.
    """
    if not params:
        return copy.deepcopy(dict(entry))
    resolve_options: tuple[str, ...] = tuple(options)
    if go_template:
        resolve_options = (*(o for o in options if not o.startswith("missingkey=")),
                           "missingkey=error")
    walker = _Interpolator(params, go_template, tuple(options), resolve_options)
    try:
        return walker.entry(entry)
    except TemplateError as exc:
        raise GeneratorError(f"failed to replace parameters in generator: {exc.message}"
                             ) from None


class _Interpolator:
    def __init__(self, params: ParamSet, go_template: bool, options: tuple[str, ...],
                 resolve_options: tuple[str, ...]) -> None:
        self.params = params
        self.go_template = go_template
        self.options = options
        self.resolve_options = resolve_options

    def value(self, value: Any) -> Any:
        return render_value(value, self.params, self.go_template, self.options)

    def entry(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, spec in entry.items():
            if spec is None:
                continue
            if key in COMBINING_KINDS and isinstance(spec, Mapping):
                out[key] = self.combining(spec)
            elif key in VALUES_KINDS and isinstance(spec, Mapping):
                out[key] = self.with_values(spec)
            else:
                out[key] = self.value(spec)
        return out

    def combining(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in spec.items():
            if item is None:
                continue
            if key == "generators" and isinstance(item, list):
                out[key] = [self.entry(c) if isinstance(c, Mapping) else self.value(c)
                            for c in item]
            else:
                out[key] = self.value(item)
        return out

    def with_values(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in spec.items():
            if item is None:
                continue
            if key == "values" and isinstance(item, Mapping):
                out[key] = {k: self.pre_resolve(str(k), v) for k, v in item.items()}
            else:
                out[key] = self.value(item)
        return out

    def pre_resolve(self, key: str, text: Any) -> Any:
        if not isinstance(text, str):
            return text
        try:
            return render_string(text, self.params, self.go_template, self.resolve_options)
        except TemplateError as exc:
            if "map has no entry for key" in exc.message or (
                    "can't evaluate field" in exc.message):
                return text
            raise GeneratorError(f'failed to pre-resolve Values key "{key}": {exc.message}'
                                 ) from None
