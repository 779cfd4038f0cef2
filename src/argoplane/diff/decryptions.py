"""`secrets://` files decrypted once for both revisions of a diff.

Decrypting runs sops, the costliest step of rendering a repository whose secrets are in Git.
Most encrypted files are the same in BASE and HEAD, so the two renders share what they
decrypted, keyed by the encrypted file's content, in memory, for one run only.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

from argoplane.secrets import sopsfile
from argoplane.secrets.sops import KeySources
from argoplane.secrets.values import SecretValues, Warn

Shared = dict[str, dict[str, Any]]


class SharedDecryptions(SecretValues):
    """A snapshot's `secrets://` loader that shares decrypted values with the other side's."""

    def __init__(self, root: Path, keys: KeySources, shared: Shared) -> None:
        super().__init__(root, keys)
        self._shared = shared

    def _digest(self, path: Path, import_key: Path | None) -> str | None:
        try:
            digest = hashlib.sha256(path.read_bytes())
            if import_key is not None:
                digest.update(b"\0" + import_key.read_bytes())
        except OSError:
            return None
        digest.update(b"\0" + self.keys.describe().encode())
        return digest.hexdigest()

    def load(self, path: Path, label: str, data: dict[str, Any], warn: Warn, *,
             import_key: Path | None = None) -> dict[str, Any]:
        digest = self._digest(path, import_key) if sopsfile.is_encrypted(data) else None
        if digest is not None and digest in self._shared:
            self.decrypted.add(label)
            self._used.setdefault(self.keys.describe())
            return copy.deepcopy(self._shared[digest])
        warnings: list[str] = []

        def note(text: str) -> None:
            warnings.append(text)
            warn(text)

        values = super().load(path, label, data, note, import_key=import_key)
        if digest is not None and not warnings and label in self.decrypted:
            self._shared[digest] = copy.deepcopy(values)
        return values
