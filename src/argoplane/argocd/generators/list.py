"""The list generator: literal `elements` and an `elementsYaml` string."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoplane.argocd.generators.base import GeneratorContext, ParamSet
from argoplane.core import yamlio
from argoplane.core.errors import GeneratorError


def generate(spec: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]:
    elements = spec.get("elements") or []
    if not isinstance(elements, list):
        raise GeneratorError("list generator: `elements` must be a list", file=ctx.file)
    out: list[ParamSet] = []
    for i, element in enumerate(elements):
        if element is None:  # `null` decodes to an empty param set
            out.append({})
            continue
        if not isinstance(element, dict):
            raise GeneratorError(f"list generator: element {i} is not an object", file=ctx.file)
        if ctx.go_template:
            out.append(_as_json_numbers(element))
            continue
        params: ParamSet = {}
        for key, value in element.items():
            if key == "values":
                if not isinstance(value, dict):
                    raise GeneratorError(
                        f"list generator: element {i}: error parsing values map: "
                        "`values` must be an object of strings",
                        file=ctx.file,
                    )
                if not all(isinstance(v, str) for v in value.values()):
                    raise GeneratorError(
                        f"list generator: element {i}: error parsing value as string: "
                        "`values` must be an object of strings",
                        file=ctx.file,
                    )
                params.update({f"values.{k}": v for k, v in value.items()})
            elif isinstance(value, str):
                params[key] = value
            else:
                raise GeneratorError(
                    f"list generator: element {i}: error parsing value as string for key "
                    f"{key!r} (goTemplate is false, so every value must be a string; quote it)",
                    file=ctx.file,
                )
        out.append(params)
    elements_yaml = spec.get("elementsYaml")
    if elements_yaml:
        parsed = yamlio.load_json_or_yaml(str(elements_yaml), ctx.file or "elementsYaml")
        if parsed is None:
            parsed = []
        if isinstance(parsed, list):
            parsed = [{} if e is None else e for e in parsed]
        if not isinstance(parsed, list) or not all(isinstance(e, dict) for e in parsed):
            raise GeneratorError(
                "list generator: error unmarshling decoded ElementsYaml: "
                "`elementsYaml` must be a YAML list of objects",
                file=ctx.file,
            )
        out.extend(dict(e) for e in parsed)
    return out


def _as_json_numbers(value: Any) -> Any:
    """Elements reach Argo CD as JSON, so every number is a float64 in its templates."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: _as_json_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json_numbers(v) for v in value]
    return value
