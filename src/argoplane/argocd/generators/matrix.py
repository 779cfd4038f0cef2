"""The matrix generator: the combinations of two child generators' param sets, the second
child interpolated with each param set of the first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoplane.argocd.generators.base import GeneratorContext, ParamSet
from argoplane.argocd.generators.params import deep_merge, go_sprint
from argoplane.argocd.generators.transform import child_params
from argoplane.core.errors import ArgoplaneError, GeneratorError


def combine_string_maps(a: Mapping[str, Any], b: Mapping[str, Any]) -> ParamSet:
    """Argo CD's `CombineStringMaps`: both sides printed with `%v`; a key present in both
    with different values is an error."""
    out: ParamSet = {k: go_sprint(v) for k, v in a.items()}
    for key, value in b.items():
        text = go_sprint(value)
        current = out.get(key)
        if current is not None and current != text:
            raise GeneratorError(
                f"failed to combine string maps with merging params for the matrix generator: "
                f"found duplicate key {key} with different value, a: {current} ,b: {text}")
        out[key] = text
    return out


def generate(spec: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]:
    children = spec.get("generators") or []
    if not isinstance(children, list):
        raise GeneratorError("matrix generator: `generators` must be a list", file=ctx.file)
    if len(children) < 2:
        raise GeneratorError("found less than two generators, Matrix support only two",
                             file=ctx.file)
    if len(children) > 2:
        raise GeneratorError("found more than two generators, Matrix support only two",
                             file=ctx.file)
    try:
        first = child_params(children[0], ctx)
    except ArgoplaneError as exc:
        raise GeneratorError("error failed to get params for first generator in matrix "
                             f"generator: {exc.message}", file=ctx.file) from None
    out: list[ParamSet] = []
    for a in first:
        try:
            second = child_params(children[1], ctx, a)
        except ArgoplaneError as exc:
            raise GeneratorError("failed to get params for second generator in the matrix "
                                 f"generator: {exc.message}", file=ctx.file) from None
        for b in second:
            if ctx.go_template:  # deep merge; on conflicts the FIRST child wins
                out.append(deep_merge(deep_merge({}, b), a))
            else:
                try:
                    out.append(combine_string_maps(a, b))
                except GeneratorError as exc:
                    raise GeneratorError(exc.message, file=ctx.file) from None
    return out
