"""Go `text/template` with Sprig, as Argo CD's ApplicationSet controller runs it.

`render(text, data)` parses `text` as a template named "base" (Argo's name), with
Sprig's `GenericFuncMap` minus `env`, `expandenv` and `getHostByName`, plus Argo's
`normalize`, `slugify`, `toYaml`, `fromYaml` and `fromYamlArray`, and executes it on
`data`. Errors carry Go's messages (`template: base:1:3: executing "base" at <...>: ...`);
callers add Argo's `failed to parse template ...` / `failed to execute go template ...`.

Values: `dict` is `map[string]interface {}`, `list` is `[]interface {}`, `int` is
`int`, `float` is `float64`, `None` is a nil interface. Parsed templates are cached by
text, so rendering one template for many param sets parses it once.
"""

from __future__ import annotations

import functools
from typing import Any

from argoplane.argocd.templating.gotemplate import (
    argo_funcs,
    funcs_builtin,
    sprig_data,
    sprig_misc,
    sprig_numeric,
    sprig_semver,
    sprig_strings,
    sprig_time,
)
from argoplane.argocd.templating.gotemplate.errors import (
    GoTemplateError,
    GoTemplateExecError,
    GoTemplateParseError,
)
from argoplane.argocd.templating.gotemplate.executor import MISSINGKEY_MODES, execute
from argoplane.argocd.templating.gotemplate.parser import Template, parse
from argoplane.argocd.templating.gotemplate.registry import FUNCS

_FUNCTION_MODULES = (
    argo_funcs,
    funcs_builtin,
    sprig_data,
    sprig_misc,
    sprig_numeric,
    sprig_semver,
    sprig_strings,
    sprig_time,
)

__all__ = [
    "GoTemplateError",
    "GoTemplateExecError",
    "GoTemplateParseError",
    "function_names",
    "parse_template",
    "render",
]


def _has_function(name: str) -> bool:
    return name in FUNCS


@functools.lru_cache(maxsize=4096)
def parse_template(text: str, name: str = "base") -> Template:
    """Parses (and caches) a template; raises GoTemplateParseError."""
    return parse(text, name, _has_function)


def render(text: str, data: Any, *, missingkey: str = "default", name: str = "base") -> str:
    """Parses `text` as template `name` and executes it with `data` as `.`.

    `missingkey` is Go's option: "default"/"invalid" (a missing key prints
    `<no value>`), "zero" or "error".
    """
    if missingkey not in MISSINGKEY_MODES:
        raise GoTemplateError(f"unrecognized option: missingkey={missingkey}")
    return execute(parse_template(text, name), data, missingkey)


def function_names() -> list[str]:
    """Every function a template can call, sorted."""
    return sorted(FUNCS)
