"""`secrets://` value files for render: decrypted in memory when an age key is available,
placeholder values (same keys) with a warning when not. Plaintext is never written or printed.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from argoplane.core import yamlio
from argoplane.core.config import Config
from argoplane.core.errors import InputError, RenderError
from argoplane.secrets import sopsfile
from argoplane.secrets.sops import KeySources, Sops, SopsKeyError, key_sources

Warn = Callable[[str], None]


class SecretValues:
    """Loads the values of `secrets://` files for one render; remembers what it decrypted."""

    def __init__(self, root: Path, keys: KeySources, sops: Sops | None = None) -> None:
        self.root = root
        self.keys = keys
        self._sops = sops
        self._cache: dict[tuple[Path, int, int, tuple[Path, ...]], dict[str, Any]] = {}
        self.decrypted: set[str] = set()  # labels of files decrypted in memory
        self.placeholders: set[str] = set()  # labels of files rendered with placeholders
        self._used: dict[str, None] = {}  # the key sources that decrypted them, in order

    def _tool(self, keys: KeySources) -> Sops:
        if self._sops is None:
            self._sops = Sops(self.root, self.keys)
        return self._sops if keys is self.keys else replace(self._sops, keys=keys)

    def load(self, path: Path, label: str, data: dict[str, Any], warn: Warn, *,
             import_key: Path | None = None) -> dict[str, Any]:
        """The values Helm gets for a `secrets://` file whose YAML is `data`."""
        if not sopsfile.is_encrypted(data):
            if sopsfile.has_enc_values(data):
                raise RenderError(f"{label} holds ENC[...] values but no sops metadata: "
                                  "it cannot be decrypted")
            warn(f"{label} is referenced as secrets:// but is not encrypted: plaintext "
                 "secrets in Git")
            return data
        keys = self.keys.with_file(import_key) if import_key is not None else self.keys
        recipients = sopsfile.age_recipients(data)
        if not keys.available():
            warn(f"{label} is SOPS-encrypted and no age key is available ({keys.hint()}); "
                 "rendered with placeholder values")
            self.placeholders.add(label)
            return dict(sopsfile.placeholders(data))
        stat = path.stat()
        cache_key = (path, stat.st_mtime_ns, stat.st_size, keys.extra_files)
        if cache_key not in self._cache:
            try:
                text = self._tool(keys).decrypt(path, recipients=recipients)
            except SopsKeyError:
                whom = ", ".join(recipients) or "no age recipient"
                warn(f"{label}: no available age key can decrypt it (encrypted for {whom}; "
                     f"keys tried: {keys.describe()}); rendered with placeholder values")
                self.placeholders.add(label)
                return dict(sopsfile.placeholders(data))
            values = yamlio.load_json_or_yaml(text, label)
            if values is None:
                values = {}
            if not isinstance(values, dict):
                raise InputError("a values file must hold a YAML mapping", file=label)
            self._cache[cache_key] = values
        self.decrypted.add(label)
        self._used.setdefault(keys.describe())
        return copy.deepcopy(self._cache[cache_key])

    def summary(self) -> list[str]:
        """Info lines that sum up the render's secrets, for the tree's messages."""
        if not self.decrypted:
            return []
        n = len(self.decrypted)
        return [f"{n} secrets:// value file{'s' if n != 1 else ''} decrypted in memory with "
                f"{'; '.join(self._used)}; Secret values are masked unless --show-secrets"]


def secret_values(root: Path, config: Config,
                  environ: Mapping[str, str] | None = None) -> SecretValues:
    """The loader for a repository: keys from the environment and `.argoplane.yaml`."""
    env = dict(os.environ if environ is None else environ)
    return SecretValues(root, key_sources(root, config.age_key_file, env))
