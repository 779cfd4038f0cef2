"""`sigs.k8s.io/yaml` Marshal / Unmarshal (JSON in the middle, go-yaml v2 style)."""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from argoplane.argocd.templating.gotemplate.errors import GoFuncError
from argoplane.argocd.templating.gotemplate.gofmt import format_float
from argoplane.argocd.templating.gotemplate.gojson import json_float, json_kind
from argoplane.argocd.templating.gotemplate.values import MISSING, GoObject, go_type, sort_keys

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}
_FALSE = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
_SPECIAL_FLOATS = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?"
    r"(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$"
)


def _go_int(text: str) -> int | None:
    from argoplane.argocd.templating.gotemplate.parser import _parse_integer

    value = _parse_integer(text, signed=True)
    if value is None:
        value = _parse_integer(text, signed=False)
    if value is None:
        for prefix, sign in (("0b", 1), ("-0b", -1), ("+0b", 1)):
            if text.startswith(prefix):
                digits = text[len(prefix) :]
                if digits and all(c in "01" for c in digits):
                    return sign * int(digits, 2)
    return value


def go_resolve(text: str) -> str:
    """The tag go-yaml v2 gives a plain scalar."""
    if text in _NULLS:
        return NULL_TAG
    if text in _TRUE or text in _FALSE:
        return BOOL_TAG
    if text in _SPECIAL_FLOATS:
        return FLOAT_TAG
    if text == "<<":
        return MERGE_TAG
    if text[0] in "+-.0123456789":
        if _go_int(text) is not None:
            return INT_TAG
        if _YAML_FLOAT.match(text):
            return FLOAT_TAG
        if _TIMESTAMP.match(text):
            return TIMESTAMP_TAG
    return STR_TAG


class _Num(str):
    """The text of a number, emitted plain with the tag go-yaml would resolve."""


class _Dumper(yaml.SafeDumper):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            return go_resolve(value) if implicit[0] else STR_TAG
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


def _represent_str(dumper: yaml.SafeDumper, s: str) -> yaml.ScalarNode:
    style: str | None = None
    if "\n" in s:
        style = "|"
    elif go_resolve(s) != STR_TAG or _BASE60.match(s):
        style = '"'
    return dumper.represent_scalar(STR_TAG, s, style=style)


def _represent_num(dumper: yaml.SafeDumper, s: _Num) -> yaml.ScalarNode:
    return dumper.represent_scalar(go_resolve(s), str(s))


def _represent_bool(dumper: yaml.SafeDumper, b: bool) -> yaml.ScalarNode:
    return dumper.represent_scalar(BOOL_TAG, "true" if b else "false")


def _represent_none(dumper: yaml.SafeDumper, _: None) -> yaml.ScalarNode:
    return dumper.represent_scalar(NULL_TAG, "null")


def _represent_dict(dumper: yaml.SafeDumper, d: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", list(d.items()))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Num, _represent_num)
_Dumper.add_representer(bool, _represent_bool)
_Dumper.add_representer(type(None), _represent_none)
_Dumper.add_representer(dict, _represent_dict)


def _number_text(value: Any) -> _Num:
    """A number as it reads after a round trip through JSON and go-yaml."""
    if isinstance(value, int):
        return _Num(str(int(value)))
    text = json_float(value)
    if any(c in text for c in ".eE"):
        return _Num(format_float(float(text)))
    n = int(text)
    if -(1 << 63) <= n < (1 << 64):
        return _Num(text)
    return _Num(format_float(float(text)))


def _to_json_tree(v: Any) -> Any:
    """The value as json.Marshal sees it (raises GoFuncError like Go)."""
    if v is None or v is MISSING:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float):
        return _number_text(v)
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return {str(k): _to_json_tree(v[k]) for k in sort_keys(v)}
    if isinstance(v, list | tuple):
        return [_to_json_tree(x) for x in v]
    if isinstance(v, GoObject):
        text = v.go_json()
        if text is None:
            raise GoFuncError(f"json: unsupported type: {go_type(v)}")
        import json

        return _to_json_tree(json.loads(text))
    raise GoFuncError(f"json: unsupported type: {type(v).__name__}")


def to_yaml(v: Any) -> str:
    """Argo's `toYaml`: sigs.k8s.io/yaml Marshal, without the trailing newline."""
    try:
        tree = _to_json_tree(v)
    except GoFuncError as exc:
        raise GoFuncError(f"error marshaling into JSON: {exc}") from None
    text = yaml.dump(tree, Dumper=_Dumper, default_flow_style=False, allow_unicode=True,
                     sort_keys=False, width=80, indent=2)
    if text.endswith("\n...\n"):
        text = text[: -len("...\n")]
    return text.removesuffix("\n")


# ----------------------------------------------------------------------------- decoding


class _Loader(yaml.SafeLoader):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return go_resolve(value)
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


def _construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    return str(node.value) in _TRUE


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    value = _go_int(str(node.value))
    if value is None:
        return float(str(node.value).replace("_", ""))
    return value


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(node.value)
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    return float(text.replace("_", ""))


def _construct_str(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)


_Loader.add_constructor(BOOL_TAG, _construct_bool)
_Loader.add_constructor(INT_TAG, _construct_int)
_Loader.add_constructor(FLOAT_TAG, _construct_float)
_Loader.add_constructor(TIMESTAMP_TAG, _construct_str)


def _key_string(k: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        text = format_float(k)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    raise GoFuncError(f"error converting YAML to JSON: unsupported map key of type: {k!r}")


def _to_json_value(v: Any) -> Any:
    if isinstance(v, dict):
        return {_key_string(k): _to_json_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_to_json_value(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int | float):
        f = float(v)
        if math.isnan(f) or math.isinf(f):
            raise GoFuncError(
                f"error converting YAML to JSON: json: unsupported value: {format_float(f)}"
            )
        return f
    return str(v)


def yaml_to_json_value(text: str) -> Any:
    """YAML text decoded the way sigs.k8s.io/yaml hands it to encoding/json."""
    try:
        docs = yaml.load_all(text, Loader=_Loader)
        doc = next(iter(docs), None)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise GoFuncError(
            f"error converting YAML to JSON: yaml: {line}{exc.problem or exc.context}"
        ) from None
    except yaml.YAMLError as exc:
        raise GoFuncError(f"error converting YAML to JSON: yaml: {exc}") from None
    return _to_json_value(doc)


def _unmarshal_error(value: Any, target: str) -> GoFuncError:
    return GoFuncError(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        f"{json_kind(value)} into Go value of type {target}"
    )


def from_yaml(text: str) -> dict[str, Any]:
    value = yaml_to_json_value(text)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _unmarshal_error(value, "map[string]interface {}")
    return value


def from_yaml_array(text: str) -> list[Any]:
    value = yaml_to_json_value(text)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _unmarshal_error(value, "[]interface {}")
    return value
