"""Argo CD's own template functions: normalize, slugify, toYaml, fromYaml, fromYamlArray.

See applicationset/utils/utils.go and template_functions.go; `slugify` follows
gosimple/slug v1.15.0 on an already normalized name.
"""

from __future__ import annotations

import re
from typing import Any

from argoplane.argocd.templating.gotemplate import goyaml
from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.registry import register, unregister
from argoplane.argocd.templating.gotemplate.sprig_strings import go_lower
from argoplane.argocd.templating.gotemplate.values import ANY, MISSING, STRING, go_type

_INVALID_DNS_CHARS = re.compile(r"[^-a-z0-9.]")
_MAX_DNS_NAME_LENGTH = 253
_SLUG_NON_AUTHORIZED = re.compile(r"[^a-zA-Z0-9\-_]")
_SLUG_MULTIPLE_DASHES = re.compile(r"-+")


def normalize(name: str) -> str:
    """Argo's `SanitizeName`: a DNS-1123 subdomain-ish name."""
    name = _INVALID_DNS_CHARS.sub("-", go_lower(name))
    if len(name) > _MAX_DNS_NAME_LENGTH:
        name = name[:_MAX_DNS_NAME_LENGTH]
    return name.strip("-.")


def _slug_make(text: str, max_length: int, smart_truncate: bool) -> str:
    """gosimple/slug `Make` on ASCII input (Argo normalizes first)."""
    slug = text.strip()
    slug = slug.replace("&", "and").replace("@", "at")
    slug = slug.lower()
    if not smart_truncate and len(slug) >= max_length:
        if max_length < 0:
            raise GoFuncError(
                f"runtime error: slice bounds out of range [:{max_length}]"
            )
        slug = slug[:max_length]
    slug = _SLUG_NON_AUTHORIZED.sub("-", slug)
    slug = _SLUG_MULTIPLE_DASHES.sub("-", slug)
    slug = slug.strip("-_")
    if max_length > 0 and smart_truncate and len(slug) > max_length:
        for i in range(max_length, -1, -1):
            if slug[i] == "-":
                return slug[:i]
        return slug[:max_length]
    return slug


def _conversion_panic(value: Any, target: str) -> GoFuncError:
    got = "nil" if value is None or value is MISSING else go_type(value)
    return GoFuncError(f"interface conversion: interface {{}} is {got}, not {target}")


def slugify(*args: Any) -> str:
    """Argo's `SlugifyName(args ...any)`: `[maxLen=50] [smartTruncate=true] text`."""
    max_size = 50
    smart = True
    name = ""
    for idx, arg in enumerate(args):
        if idx == len(args) - 1:
            if not isinstance(arg, str):
                raise _conversion_panic(arg, "string")
            name = arg
        elif idx == 0:
            if not (isinstance(arg, int) and go_type(arg) == "int"):
                raise _conversion_panic(arg, "int")
            max_size = int(arg)
        elif idx == 1:
            if not isinstance(arg, bool):
                raise _conversion_panic(arg, "bool")
            smart = arg
    return _slug_make(normalize(name), max_size, smart)


register("normalize", [STRING])(normalize)
register("slugify", [], ANY)(slugify)


@register("toYaml", [ANY])
def _to_yaml(v: Any) -> str:
    return goyaml.to_yaml(v)


@register("fromYaml", [STRING])
def _from_yaml(s: str) -> dict[str, Any]:
    return goyaml.from_yaml(s)


@register("fromYamlArray", [STRING])
def _from_yaml_array(s: str) -> list[Any]:
    return goyaml.from_yaml_array(s)


# Argo CD removes these from Sprig's function map.
unregister("env", "expandenv", "getHostByName")
