"""Render an ApplicationSet template for one param set, field by field, as Argo CD does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from argoplane.argocd.templating import fasttemplate
from argoplane.core.errors import TemplateError


def render_string(
    text: str, params: Mapping[str, Any], go_template: bool, options: Sequence[str] = ()
) -> str:
    """One string rendered as its own template (fasttemplate or Go text/template)."""
    if not go_template:
        return fasttemplate.replace(text, params)
    if "{{" not in text:
        return text  # Go's text/template prints a template without actions verbatim
    from argoplane.argocd.templating import gotemplate

    missingkey = "default"
    for option in options:
        if option.startswith("missingkey="):
            missingkey = option.split("=", 1)[1]
    try:
        return gotemplate.render(text, params, missingkey=missingkey)
    except gotemplate.GoTemplateParseError as exc:
        raise TemplateError(f"failed to parse template {text}: {exc}") from None
    except gotemplate.GoTemplateError as exc:
        raise TemplateError(f"failed to execute go template {text}: {exc}") from None


def render_value(
    value: Any, params: Mapping[str, Any], go_template: bool, options: Sequence[str] = ()
) -> Any:
    """Walk a template structurally: every string (map keys too) is rendered on its own.

    Map entries whose value is null are dropped, as Argo CD's walker does.
    """
    if isinstance(value, str):
        return render_string(value, params, go_template, options)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if item is None:
                continue
            new_key = render_string(key, params, go_template, options) if isinstance(
                key, str) else key
            out[new_key] = render_value(item, params, go_template, options)
        return out
    if isinstance(value, list):
        return [render_value(item, params, go_template, options) for item in value]
    return value
