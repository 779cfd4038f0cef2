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
