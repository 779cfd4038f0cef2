"""Two Helm backends behind one interface: in process (helm-python-sdk) and the helm binary.

Both return the manifests `helm template` prints, in its order, as (source, text) pairs:
CRDs first (Argo CD passes --include-crds), then templates sorted by kind, then hooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Protocol

from argoplane.core import command, yamlio
from argoplane.core.errors import InputError, RenderError
from argoplane.render.helm.order import is_hook, is_test_hook, kind_sort_key
from argoplane.render.helm.request import HelmRequest
from argoplane.render.helm.values import escape_set_value, merge_values

Rendered = list[tuple[str, dict[str, Any]]]  # (template source, object)


class HelmBackend(Protocol):
    name: str

    def render(self, request: HelmRequest) -> Rendered: ...


def _objects(source: str, text: str) -> list[dict[str, Any]]:
    try:
        docs = yamlio.load_all(text, source)
    except Exception as exc:
        raise RenderError(f"helm produced invalid YAML in {source}: {exc}") from None
    return [d for d in docs if isinstance(d, dict)]


def _order(crds: Rendered, rendered: dict[str, str], skip_tests: bool) -> Rendered:
    manifests: Rendered = []
    hooks: Rendered = []
    for source in sorted(rendered):
        if source.endswith("NOTES.txt"):
            continue
        for obj in _objects(source, rendered[source]):
            (hooks if is_hook(obj) else manifests).append((source, obj))
    manifests.sort(key=lambda m: kind_sort_key(str(m[1].get("kind", ""))))
    hooks.sort(key=lambda m: kind_sort_key(str(m[1].get("kind", ""))))
    if skip_tests:
        hooks = [h for h in hooks if not is_test_hook(h[1])]
    return crds + manifests + hooks


class SdkBackend:
    """Helm's own Go engine in process, through helm-python-sdk. Charts are loaded once."""

    name = "sdk"

    def __init__(self) -> None:
        self._engine: Any = None  # helm_python, loaded on first use
        self._charts: dict[Path, Any] = {}

    @property
    def _helm(self) -> Any:
        if self._engine is None:
            import helm_python

            self._engine = helm_python
        return self._engine

    def _chart(self, chart_dir: Path) -> Any:
        chart = self._charts.get(chart_dir)
        if chart is None:
            try:
                chart = self._helm.Chart.load(str(chart_dir))
            except self._helm.HelmError as exc:
                raise RenderError(f"helm could not load the chart: {_clean(str(exc))}") from None
            self._charts[chart_dir] = chart
        return chart

    def values(self, request: HelmRequest) -> dict[str, Any]:
        """The user-supplied values, merged as helm's CLI merges -f, then --set flags."""
        values: dict[str, Any] = {}
        for layer in request.value_layers:
            values = merge_values(values, layer)
        if request.inline_values:
            values = merge_values(values, request.inline_values)
        helm = self._helm
        try:
            # helm applies every --set before any --set-string
            for param in sorted(request.set_params, key=lambda p: p.force_string):
                parse = (helm.parse_set_string_values if param.force_string
                         else helm.parse_set_string)
                values = merge_values(values, parse(param.expression()))
            for name, path in request.set_files:
                values = merge_values(values, helm.parse_set_literal(
                    f"{name}={path.read_text(encoding='utf-8')}"))
        except helm.HelmError as exc:
            raise RenderError(f"invalid helm parameter: {_clean(str(exc))}") from None
        return values

    def render(self, request: HelmRequest) -> Rendered:
        chart = self._chart(request.chart_dir)
        values = self.values(request)
        try:
            rendered = chart.render(values, name=request.release_name,
                                    namespace=request.namespace or "default", is_install=True)
            crds = chart.crds if request.include_crds else []
        except self._helm.HelmError as exc:
            raise RenderError(f"helm template failed: {_clean(str(exc))}") from None
        crd_objects: Rendered = []
        for crd in crds:
            crd_objects.extend((crd["filename"], o) for o in _objects(crd["filename"], crd["data"]))
        return _order(crd_objects, rendered, request.skip_tests)


def template_args(request: HelmRequest, inline_file: Path | None = None,
                  values_stdin: bool = False) -> list[str]:
    """`helm template` arguments in the order Argo CD's repo-server passes them.

    `--set`, then `--set-string`, then `--set-file` (helm applies them in that order whatever
    the order on the command line), the valueFiles, the inline values file last. With
    `values_stdin`, the valueFiles are one `--values -` (their merge, given on stdin).
    """
    args = ["template", ".", "--name-template", request.release_name]
    if request.namespace:
        args += ["--namespace", request.namespace]
    if request.kube_version:
        args += ["--kube-version", request.kube_version]
    for param in request.set_params:
        if not param.force_string:
            args += ["--set", param.expression()]
    for param in request.set_params:
        if param.force_string:
            args += ["--set-string", param.expression()]
    for name, path in request.set_files:
        args += ["--set-file", f"{name}={escape_set_value(str(path))}"]
    if values_stdin:
        args += ["--values", "-"]
    else:
        for path in request.value_files:
            args += ["--values", str(path)]
    if inline_file is not None:
        args += ["--values", str(inline_file)]
    for api in request.api_versions:
        args += ["--api-versions", api]
    if request.include_crds:
        args.append("--include-crds")
    if request.skip_tests:
        args.append("--skip-tests")
    return args


class BinaryBackend:
    """The `helm` v3 binary, called exactly as Argo CD's repo-server calls it."""

    name = "binary"

    def __init__(self, binary: str) -> None:
        found = shutil.which(binary)
        if found is None:
            raise InputError(f"helm binary {binary!r} not found or not executable")
        self.binary = str(Path(found).resolve())

    def command(self, request: HelmRequest, inline_file: Path | None,
                values_stdin: bool = False) -> list[str]:
        return [self.binary, *template_args(request, inline_file, values_stdin)]

    def render(self, request: HelmRequest) -> Rendered:
        inline_file: Path | None = None
        stdin: str | None = None
        if request.sensitive_files:
            # decrypted secrets:// values never touch the disk: helm merges its --values files
            # in order with the same rule, so their merge goes to `--values -` on stdin
            merged: dict[str, Any] = {}
            for layer in request.value_layers:
                merged = merge_values(merged, layer)
            stdin = json.dumps(merged, default=str)
        try:
            if request.inline_values:
                fd, name = tempfile.mkstemp(prefix="argoplane-values-", suffix=".yaml")
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(request.inline_values, fh)
                inline_file = Path(name)
            result = command.run(self.command(request, inline_file, stdin is not None),
                                 cwd=request.chart_dir, stdin=stdin)
        finally:
            if inline_file is not None:
                inline_file.unlink(missing_ok=True)
        out: Rendered = []
        for block in re.split(r"^---\s*$", result.stdout, flags=re.M):
            m = re.search(r"^# Source: (.+)$", block, flags=re.M)
            if not block.strip() or m is None:
                continue
            source = m.group(1).strip()
            out.extend((source, o) for o in _objects(source, block))
        return out


def _clean(message: str) -> str:
    return " ".join(message.split())
