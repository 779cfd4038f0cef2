"""A Helm render described as data; backends only execute it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SetParam:
    name: str
    value: str  # already escaped the way Argo CD escapes it for --set
    force_string: bool = False

    def expression(self) -> str:
        return f"{self.name}={self.value}"


@dataclass(frozen=True)
class HelmRequest:
    """Equivalent to `helm template . --name-template R --namespace N --values ... --set ...`."""

    chart_dir: Path
    release_name: str
    namespace: str
    value_files: tuple[Path, ...] = ()  # local plaintext files, in order
    inline_values: dict[str, Any] | None = None  # helm.values / valuesObject, passed last
    set_params: tuple[SetParam, ...] = ()
    set_files: tuple[tuple[str, Path], ...] = ()
    include_crds: bool = True
    skip_tests: bool = False
    kube_version: str | None = None
    api_versions: tuple[str, ...] = ()
    value_layers: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    # value files whose values exist in memory only (decrypted secrets://): never written,
    # a backend that needs files gets every value file merged on stdin instead
    sensitive_files: tuple[Path, ...] = ()
    # whether values came from a SOPS-encrypted file (decrypted, or placeholders): such a
    # render never reaches the disk cache. A plaintext secrets:// file is in the repository
    # as it is and does not count. None (not known): any `sensitive_files` count.
    encrypted_values: bool | None = None
    # sha256 of each of `value_files` as read for the request (the render cache's key uses
    # them instead of reading the files again); empty when not known
    value_digests: tuple[str, ...] = field(default=(), compare=False)

    @property
    def keep_off_disk(self) -> bool:
        if self.encrypted_values is None:
            return bool(self.sensitive_files)
        return self.encrypted_values
