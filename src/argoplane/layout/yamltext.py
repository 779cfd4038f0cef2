"""YAML text for generated files: scalars that read back as the same string, and blocks in
the indentation the generated repository uses everywhere (two spaces, `- ` indented too)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# Plain scalars that YAML 1.1 (PyYAML, Helm's go-yaml) or 1.2 would not read as a string.
_NOT_A_STRING = re.compile(
    r"""^(?:
        [-+]?(?:0|[1-9][0-9_]*)
      | [-+]?0[0-7_]+ | 0o[0-7_]+ | [-+]?0x[0-9a-fA-F_]+ | [-+]?0b[01_]+
      | [-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?
      | [-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [0-9]+(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
      | y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE
      | on|On|ON|off|Off|OFF|null|Null|NULL|~
    )$""",
    re.VERBOSE,
)
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./+$(][A-Za-z0-9_./+@:=$(){}* -]*$")


def scalar(value: Any) -> str:
    """`value` as a YAML scalar; strings read back as this same string by every YAML reader."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if (text and _PLAIN_SAFE.match(text) and not _NOT_A_STRING.match(text)
            and not text.endswith((" ", ":")) and ": " not in text and " #" not in text
            and "{{" not in text):
        return text
    if "{{" in text and "'" not in text and "\n" not in text:
        return f"'{text}'"  # Argo CD templates read best single-quoted, as in its docs
    return json.dumps(text, ensure_ascii=False)


def _is_block(value: Any) -> bool:
    return isinstance(value, Mapping | list) and len(value) > 0


def _inline(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def lines(data: Any, indent: int = 0) -> list[str]:
    """`data` (mappings, lists, scalars) as YAML lines at `indent` spaces."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            if _is_block(value):
                out.append(f"{pad}{scalar(str(key))}:")
                out += lines(value, indent + 2)
            elif isinstance(value, str) and "\n" in value:
                out.append(f"{pad}{scalar(str(key))}: |")
                out += [f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n")]
            else:
                out.append(f"{pad}{scalar(str(key))}: {_inline(value)}")
    elif isinstance(data, list):
        for item in data:
            if _is_block(item):
                nested = lines(item, indent + 2)
                out.append(f"{pad}- {nested[0].lstrip()}")
                out += nested[1:]
            else:
                out.append(f"{pad}- {_inline(item)}")
    else:
        out.append(pad + _inline(data))
    return out


def block(data: Any, indent: int = 0) -> str:
    """`lines` joined, with a final newline."""
    return "\n".join(lines(data, indent)) + "\n"
