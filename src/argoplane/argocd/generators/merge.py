"""The merge generator: the first child's param sets, overridden key by key by the param
sets of the later children that agree on the merge keys (a left join)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from argoplane.argocd.generators.base import GeneratorContext, ParamSet
from argoplane.argocd.generators.params import deep_merge, go_json
from argoplane.argocd.generators.transform import child_params
from argoplane.core.errors import ArgoplaneError, GeneratorError

ERR_NON_UNIQUE = ("the parameters from a generator were not unique by the given mergeKeys, "
                  "Merge requires all param sets to be unique")


def merge_key_index(merge_keys: Sequence[Any], param_sets: Sequence[ParamSet]
                    ) -> dict[str, ParamSet]:
    """Argo CD's `getParamSetsByMergeKey`: param sets by the JSON of `{key: value}` over the
    (deduplicated) merge keys, keys sorted. A missing key counts as null. Keys are top-level
    param names only (in goTemplate mode `path.basename` is not looked up inside `path`)."""
    if len(merge_keys) < 1:
        raise GeneratorError("no merge keys were specified, Merge requires at least one")
    keys = sorted({str(k) for k in merge_keys})
    index: dict[str, ParamSet] = {}
    for param_set in param_sets:
        key = go_json({k: param_set.get(k) for k in keys})
        if key in index:
            raise GeneratorError(f"{ERR_NON_UNIQUE}. Duplicate key was {key}")
        index[key] = param_set
    return index


def generate(spec: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]:
    children = spec.get("generators") or []
    if not isinstance(children, list):
        raise GeneratorError("merge generator: `generators` must be a list", file=ctx.file)
    if len(children) < 2:
        raise GeneratorError("found less than two generators, Merge requires two or more",
                             file=ctx.file)
    merge_keys = spec.get("mergeKeys") or []
    if not isinstance(merge_keys, list):
        raise GeneratorError("merge generator: `mergeKeys` must be a list of strings",
                             file=ctx.file)
    produced: list[list[ParamSet]] = []
    for i, child in enumerate(children):
        try:
            produced.append(child_params(child, ctx))  # children are not interpolated
        except ArgoplaneError as exc:
            raise GeneratorError(
                f"error getting param sets from generators: error getting params from "
                f"generator {i + 1} of {len(children)}: {exc.message}", file=ctx.file
            ) from None
    try:
        base = merge_key_index(merge_keys, produced[0])
        for param_sets in produced[1:]:
            overrides = merge_key_index(merge_keys, param_sets)
            for key, param_set in base.items():
                override = overrides.get(key)
                if override is None:
                    continue
                if ctx.go_template:
                    base[key] = deep_merge(param_set, override)
                else:
                    base[key] = {**param_set, **override}
    except GeneratorError as exc:
        raise GeneratorError(f"error getting param sets by merge key: {exc.message}",
                             file=ctx.file) from None
    # Argo returns them in Go map order (random); argoplane keeps the first child's order.
    return list(base.values())
