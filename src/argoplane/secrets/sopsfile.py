"""SOPS files as data: what is encrypted, for whom, and placeholders for unreadable values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# A value sops encrypted: ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]
ENC_VALUE = re.compile(
    r"^ENC\[AES256_GCM,data:(?P<data>[^,\]]*),iv:[^,\]]*,tag:[^,\]]*,type:(?P<type>[a-z]+)\]$")
ENC_PREFIX = "ENC["
PLACEHOLDER_PREFIX = "sops-placeholder:"
METADATA_KEY = "sops"
# metadata keys that tell which values sops left in clear text, with a command-line flag
SELECTION_KEYS = ("encrypted_regex", "unencrypted_regex", "encrypted_suffix",
                  "unencrypted_suffix")


def is_encrypted(data: Any) -> bool:
    """True for a SOPS document: a top-level `sops` metadata mapping."""
    return isinstance(data, dict) and isinstance(data.get(METADATA_KEY), dict)


def is_enc_value(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(ENC_PREFIX) and value.endswith("]")


def leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar with its path; the `sops` metadata of a top-level mapping is left out."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not path and key == METADATA_KEY and isinstance(value, dict):
                continue
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, (*path, i))
    else:
        yield path, data


def has_enc_values(data: Any) -> bool:
    return any(is_enc_value(v) for _p, v in leaves(data))


def age_recipients(data: Any) -> list[str]:
    """The age recipients a SOPS document is encrypted for."""
    if not is_encrypted(data):
        return []
    entries = data[METADATA_KEY].get("age") or []
    return [str(e["recipient"]) for e in entries if isinstance(e, dict) and e.get("recipient")]


def other_key_types(data: Any) -> list[str]:
    """Key types besides age in a SOPS document's metadata (pgp, kms, ...)."""
    if not is_encrypted(data):
        return []
    meta = data[METADATA_KEY]
    kinds = ("pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "key_groups")
    return [k for k in kinds if meta.get(k)]


def dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _placeholder(kind: str, path: tuple[Any, ...]) -> Any:
    """A value of the encrypted value's type, so templates that convert it still render."""
    if kind == "int":
        return 0
    if kind == "float":
        return 0.0
    if kind == "bool":
        return False
    return PLACEHOLDER_PREFIX + dotted(path)


def placeholders(data: Any, path: tuple[Any, ...] = ()) -> Any:
    """The document with every encrypted value replaced by a placeholder; keys are kept, the
    `sops` metadata is dropped (as decryption drops it) and clear-text values stay as they are."""
    if isinstance(data, dict):
        return {k: placeholders(v, (*path, k)) for k, v in data.items()
                if path or k != METADATA_KEY or not isinstance(v, dict)}
    if isinstance(data, list):
        return [placeholders(v, (*path, i)) for i, v in enumerate(data)]
    if isinstance(data, str) and (m := ENC_VALUE.match(data)) is not None:
        return _placeholder(m.group("type"), path)
    return data


def selection_flags(data: Any) -> list[str]:
    """sops flags that reproduce which values a document keeps in clear text."""
    if not is_encrypted(data):
        return []
    meta = data[METADATA_KEY]
    flags: list[str] = []
    for key in SELECTION_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value:
            flags += ["--" + key.replace("_", "-"), value]
    return flags
