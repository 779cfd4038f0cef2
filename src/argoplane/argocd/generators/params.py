"""Helpers shared by the generators: Go value formatting, flattening, the post-selector,
`values:` interpolation, mergo-style deep merges and the `*Normalized` sanitizer.

Nothing here imports the generator registry, so every generator module may use it.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from argoplane.argocd.generators.base import ParamSet
from argoplane.argocd.templating.render import render_string
from argoplane.core.errors import GeneratorError, TemplateError

# Generator types whose Go struct has a `Values map[string]string` field (Argo CD's
# `getFilteredGeneratorTypes`): their `values:` entries get the §4.9 treatment.
VALUES_KINDS = frozenset({"clusters", "git", "scmProvider", "pullRequest",
                          "clusterDecisionResource", "plugin"})


# -- Go formatting -------------------------------------------------------------------------
def _shortest(value: float) -> tuple[bool, str, int]:
    """(negative, shortest decimal digits, decimal point position) of a finite non-zero float:
    value = 0.<digits> * 10**point, the digits Go's strconv picks with precision -1."""
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    return bool(sign), text, len(text) + exponent


def _exp_form(text: str, point: int) -> str:
    exp = point - 1
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _fixed_form(text: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + text
    if point >= len(text):
        return text + "0" * (point - len(text))
    return text[:point] + "." + text[point:]


def go_float(value: float) -> str:
    """Go's `%v` of a float64 (`strconv.FormatFloat(x, 'g', -1, 64)`): shortest digits,
    exponent form when the decimal exponent is below -4 or at least 6."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    negative, text, point = _shortest(value)
    exp = point - 1
    out = _exp_form(text, point) if exp < -4 or exp >= 6 else _fixed_form(text, point)
    return ("-" if negative else "") + out


def go_sprint(value: Any) -> str:
    """`fmt.Sprintf("%v", v)` for a value decoded from JSON/YAML (numbers are float64):
    maps print as `map[k:v ...]` with sorted keys, lists as `[a b]`."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, int | float):
        try:
            return go_float(float(value))
        except OverflowError:  # an integer beyond float64: Go's decoder saturates
            return "+Inf" if value > 0 else "-Inf"
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: str(kv[0]))
        return "map[" + " ".join(f"{k}:{go_sprint(v)}" for k, v in items) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def _go_json_float(value: float) -> str:
    """encoding/json's float64 encoding: 'f' form, 'e' form below 1e-6 and from 1e21."""
    if math.isnan(value) or math.isinf(value):
        raise GeneratorError(f"json: unsupported value: {go_float(value)}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    negative, text, point = _shortest(value)
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        out = _exp_form(text, point)
        if len(out) >= 4 and out[-4] == "e" and out[-3] == "-" and out[-2] == "0":
            out = out[:-2] + out[-1]  # e-07 -> e-7
    else:
        out = _fixed_form(text, point)
    return ("-" if negative else "") + out


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                 "\b": "\\b", "\f": "\\f", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _go_json_string(text: str) -> str:
    out = []
    for ch in text:
        escaped = _JSON_ESCAPES.get(ch)
        if escaped is not None:
            out.append(escaped)
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def go_json(value: Any) -> str:
    """Go's `json.Marshal` of a decoded JSON value: sorted keys, no spaces, HTML-safe."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_json_float(value)
    if isinstance(value, str):
        return _go_json_string(value)
    if isinstance(value, Mapping):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(f"{_go_json_string(k)}:{go_json(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    return _go_json_string(str(value))


def json_value(value: Any, *, numbers_as_float: bool = False) -> Any:
    """A YAML document as Go sees it after sigs.k8s.io/yaml (YAML -> JSON -> any): keys are
    strings, dates are strings, and with `numbers_as_float` every number is a float64."""
    if isinstance(value, Mapping):
        return {_json_key(k): json_value(v, numbers_as_float=numbers_as_float)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v, numbers_as_float=numbers_as_float) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        if numbers_as_float:
            try:
                return float(value)
            except OverflowError:
                return value
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    return go_sprint(key)


# -- flattening ----------------------------------------------------------------------------
def flatten_params(params: Mapping[str, Any]) -> dict[str, str]:
    """jeremywohl/flatten with dots, leaves printed with `%v`: nested maps `a.b`, lists
    `a.0`; empty maps and lists produce no key. Used for the post-selector's label set and
    for git file contents in fasttemplate mode."""
    out: dict[str, str] = {}

    def walk(key: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{key}.{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{key}.{i}", v)
        else:
            out[key] = go_sprint(value)

    for k, v in params.items():
        walk(str(k), v)
    return out


# -- post-selector (Argo CD's generator_spec_processor.go) ---------------------------------
_LABEL_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def _check_label_key(key: Any) -> str:
    """Kubernetes qualified-name rules for a selector key (values are not validated)."""
    text = key if isinstance(key, str) else ""
    parts = text.split("/")
    problem = ""
    if len(parts) > 2:
        problem = "a qualified name must have at most one '/'"
    else:
        name = parts[-1]
        if len(parts) == 2 and (
            not parts[0] or len(parts[0]) > 253 or not _DNS_SUBDOMAIN.fullmatch(parts[0])
        ):
            problem = "prefix part must be a lowercase RFC 1123 subdomain"
        elif not name:
            problem = "name part must be non-empty"
        elif len(name) > 63:
            problem = "name part must be no more than 63 characters"
        elif not _LABEL_NAME.fullmatch(name):
            problem = ("name part must consist of alphanumeric characters, '-', '_' or '.', "
                       "and must start and end with an alphanumeric character")
    if problem:
        raise GeneratorError(
            f'error parsing label selector: key: Invalid value: "{key}": {problem}')
    return text


def compile_selector(
    selector: Any, file: str | None = None
) -> Callable[[Mapping[str, str]], bool]:
    """A standard label selector (matchLabels, matchExpressions) as a predicate on labels."""
    if not isinstance(selector, Mapping):
        raise GeneratorError("error parsing label selector: the selector must be an object",
                             file=file)
    requirements: list[tuple[str, str, frozenset[str]]] = []
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, Mapping):
        raise GeneratorError("error parsing label selector: matchLabels must be an object",
                             file=file)
    for key, value in match_labels.items():
        requirements.append(("In", _check_label_key(key), frozenset({go_sprint(value)})))
    expressions = selector.get("matchExpressions") or []
    if not isinstance(expressions, list):
        raise GeneratorError("error parsing label selector: matchExpressions must be a list",
                             file=file)
    for expr in expressions:
        if not isinstance(expr, Mapping):
            raise GeneratorError("error parsing label selector: a matchExpressions entry "
                                 "must be an object", file=file)
        key = _check_label_key(expr.get("key"))
        op = expr.get("operator")
        values = expr.get("values") or []
        if op not in _OPERATORS:
            raise GeneratorError(
                f'error parsing label selector: "{op}" is not a valid label selector operator',
                file=file)
        if op in ("In", "NotIn") and not values:
            raise GeneratorError("error parsing label selector: values: Invalid value: []: "
                                 "for 'in', 'notin' operators, values set can't be empty",
                                 file=file)
        if op in ("Exists", "DoesNotExist") and values:
            raise GeneratorError("error parsing label selector: values: Invalid value: "
                                 f"{values!r}: values set must be empty for exists and does "
                                 "not exist", file=file)
        requirements.append((str(op), key, frozenset(go_sprint(v) for v in values)))

    def matches(labels: Mapping[str, str]) -> bool:
        for op, key, values in requirements:
            present = key in labels
            if op == "In" and not (present and labels[key] in values):
                return False
            if op == "NotIn" and present and labels[key] in values:
                return False
            if op == "Exists" and not present:
                return False
            if op == "DoesNotExist" and present:
                return False
        return True

    return matches


def select_params(
    params: list[ParamSet], selector: Any, *, file: str | None = None
) -> list[ParamSet]:
    """The param sets whose flattened form matches a generator's `selector`."""
    matches = compile_selector(selector, file)
    return [p for p in params if matches(flatten_params(p))]


# -- names and paths -----------------------------------------------------------------------
_INVALID_DNS_CHARS = re.compile(r"[^-a-z0-9.]")


def sanitize_name(name: str) -> str:
    """Argo CD's `SanitizeName` (the `normalize` function and every `*Normalized` param)."""
    name = _INVALID_DNS_CHARS.sub("-", name.lower())[:253]
    return name.strip("-.")


def go_path_clean(path: str) -> str:
    """Go's `path.Clean`."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(seg)
    out = "/".join(parts)
    if rooted:
        return "/" + out
    return out or "."


def go_path_dir(path: str) -> str:
    """Go's `path.Dir`: everything but the last element, cleaned (`.` for a bare name)."""
    return go_path_clean(path[: path.rfind("/") + 1])


def go_path_base(path: str) -> str:
    """Go's `path.Base`."""
    if not path:
        return "."
    path = path.rstrip("/")
    if not path:
        return "/"
    return path[path.rfind("/") + 1:]


# -- merging -------------------------------------------------------------------------------
def deep_merge(dst: Mapping[str, Any], src: Mapping[str, Any]) -> dict[str, Any]:
    """`mergo.Merge(&dst, src, mergo.WithOverride)` on param maps: nested maps are merged
    recursively, every other value of `src` replaces the one in `dst`. Returns a new map."""
    out = dict(dst)
    for key, value in src.items():
        current = out.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            out[key] = deep_merge(current, value)
        else:
            out[key] = value
    return out


# -- values (§4.9) -------------------------------------------------------------------------
def string_map(value: Any, what: str) -> dict[str, str]:
    """A `map[string]string` field of a generator (`values`), checked like the CRD schema."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise GeneratorError(f"{what} must be a map of strings")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str):
            raise GeneratorError(f"{what}.{key} must be a string, not {go_sprint(item)!r} "
                                 "(quote it)")
        out[str(key)] = item
    return out


def append_values(
    values: Mapping[str, str], params: ParamSet, go_template: bool,
    options: Sequence[str] = (),
) -> ParamSet:
    """Argo CD's `appendTemplatedValues`: each `values` entry is rendered against the params
    produced so far (not against the other entries), then added as `values.<k>` (fasttemplate)
    or under `values: {...}` (goTemplate, replacing any `values` key already there)."""
    if not values:
        return params
    rendered: dict[str, str] = {}
    for key, text in values.items():
        try:
            rendered[key] = render_string(text, params, go_template, options)
        except TemplateError as exc:
            raise GeneratorError(
                "failed to append templated values: failed to replace templated string: "
                f"failed to replace templated string with rendered values: {exc.message}"
            ) from None
    out = dict(params)
    if go_template:
        out["values"] = rendered
    else:
        out.update({f"values.{k}": v for k, v in rendered.items()})
    return out


def path_params(directory: str, prefix: str, go_template: bool,
                filename: str | None = None) -> ParamSet:
    """The git generator's path params for a directory (and a file in it)."""
    base = go_path_base(directory)
    if go_template:
        inner: dict[str, Any] = {"path": directory, "basename": base}
        if filename is not None:
            inner["filename"] = filename
        inner["basenameNormalized"] = sanitize_name(base)
        if filename is not None:
            inner["filenameNormalized"] = sanitize_name(filename)
        inner["segments"] = directory.split("/")
        return {prefix: {"path": inner}} if prefix else {"path": inner}
    name = f"{prefix}.path" if prefix else "path"
    out: ParamSet = {name: directory, f"{name}.basename": base}
    if filename is not None:
        out[f"{name}.filename"] = filename
    out[f"{name}.basenameNormalized"] = sanitize_name(base)
    if filename is not None:
        out[f"{name}.filenameNormalized"] = sanitize_name(filename)
    for i, segment in enumerate(directory.split("/")):
        if segment:
            out[f"{name}[{i}]"] = segment
    return out
