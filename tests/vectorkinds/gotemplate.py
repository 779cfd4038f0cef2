"""Vector kinds for Argo CD's Go template functions (`template_function`).

`render_string` vectors are wired through the ApplicationSet template walker elsewhere;
`go_replace` below is the raw Go-template branch of Argo's `Render.Replace`, for reuse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from argoplane.argocd.templating import gotemplate
from argoplane.argocd.templating.gotemplate.argo_funcs import normalize, slugify

Input = dict[str, Any]


def go_replace(template: str, params: dict[str, Any], options: Sequence[str] = ()) -> str:
    """Argo's `Render.Replace` with `useGoTemplate: true`, errors worded as Argo's."""
    missingkey = "default"
    for option in options:
        key, _, value = option.partition("=")
        if key != "missingkey":
            raise ValueError(f"unrecognized option: {option}")
        missingkey = value
    try:
        return gotemplate.render(template, params, missingkey=missingkey)
    except gotemplate.GoTemplateParseError as exc:
        raise ValueError(f"failed to parse template {template}: {exc}") from None
    except gotemplate.GoTemplateExecError as exc:
        raise ValueError(f"failed to execute go template {template}: {exc}") from None


def _template_function(inp: Input) -> dict[str, Any]:
    function = inp["function"]
    args = list(inp.get("args", []))
    if function == "slugify":
        return {"result": slugify(*args)}
    if function == "normalize":
        if len(args) != 1 or not isinstance(args[0], str):
            raise ValueError("normalize takes one string argument")
        return {"result": normalize(args[0])}
    raise ValueError(f"unsupported template function {function!r}")


KINDS: dict[str, Callable[[Input], Any]] = {
    "template_function": _template_function,
}
