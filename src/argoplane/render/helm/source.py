"""An Application's Helm source -> a HelmRequest, with Argo CD's rules for every field."""

from __future__ import annotations

import hashlib
import re
import shutil
import tarfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from argoplane.core import yamlio
from argoplane.core.config import Config
from argoplane.core.errors import InputError, PathEscapeError, RenderError
from argoplane.core.yamlio import ParsedFiles
from argoplane.render.helm.request import HelmRequest, SetParam
from argoplane.render.helm.values import (
    ValueFile,
    envsubst,
    escape_set_value,
    resolve_value_files,
)
from argoplane.secrets import sopsfile

Warn = Callable[[str], None]


class SecretsLoader(Protocol):
    """Gives the values of a `secrets://` file (decrypted in memory, or placeholders)."""

    def load(self, path: Path, label: str, data: dict[str, Any], warn: Warn, *,
             import_key: Path | None = None) -> dict[str, Any]: ...


# URL schemes helm itself can fetch value files from (its built-in getters)
HELM_GETTER_SCHEMES = frozenset({"http", "https", "oci"})
_REF_NAME = re.compile(r"[a-zA-Z0-9_-]+")


def ref_sources(
    sources: Sequence[Mapping[str, Any]], checkout: Callable[[str], Path | None]
) -> dict[str, Path]:
    """`{"$<ref>": checkout}` for the `ref` sources of a multi-source Application.

    Argo CD rejects ref names with other characters than `[a-zA-Z0-9_-]` and duplicate refs.
    Sources whose repository is not available (`checkout` returns None) are left out.
    """
    refs: dict[str, Path] = {}
    if len(sources) < 2:
        return refs
    seen: set[str] = set()
    for source in sources:
        ref = str(source.get("ref") or "")
        if not ref:
            continue
        if not _REF_NAME.fullmatch(ref):
            raise RenderError(f"sources.ref {ref} cannot contain any special characters "
                              "except '_' and '-'")
        if ref in seen:
            raise RenderError("invalid sources: multiple sources had the same `ref` key")
        seen.add(ref)
        folder = checkout(str(source.get("repoURL") or ""))
        if folder is not None:
            refs[f"${ref}"] = folder
    return refs


def argocd_env(app: Mapping[str, Any], source: Mapping[str, Any]) -> dict[str, str]:
    """The build environment Argo CD exposes to valueFiles, parameters and plugins."""
    meta = app.get("metadata") or {}
    spec = app.get("spec") or {}
    dest = spec.get("destination") or {}
    revision = str(source.get("targetRevision") or "")
    return {
        "ARGOCD_APP_NAME": str(meta.get("name") or ""),
        "ARGOCD_APP_NAMESPACE": str(dest.get("namespace") or ""),
        "ARGOCD_APP_PROJECT_NAME": str(spec.get("project") or "default"),
        "ARGOCD_APP_REVISION": revision,
        "ARGOCD_APP_REVISION_SHORT": revision[:7],
        "ARGOCD_APP_REVISION_SHORT_8": revision[:8],
        "ARGOCD_APP_SOURCE_REPO_URL": str(source.get("repoURL") or ""),
        "ARGOCD_APP_SOURCE_PATH": str(source.get("path") or ""),
        "ARGOCD_APP_SOURCE_TARGET_REVISION": revision,
    }


def is_sops_encrypted(data: Any) -> bool:
    return sopsfile.is_encrypted(data)


def age_import_key(entry: str, chart_dir: Path, repo_root: Path) -> Path | None:
    """The key file of a `secrets+age-import://KEY?FILE` entry, when it is a file inside the
    repository (relative to the chart, as helm-secrets reads it); None otherwise."""
    m = re.match(r"^secrets\+age-import://([^?]+)\?", entry)
    if m is None or m.group(1).startswith("/"):
        return None
    path = (chart_dir / m.group(1)).resolve()
    inside = path == repo_root or repo_root in path.parents
    return path if inside and path.is_file() else None


def _load_values(text: str, label: str) -> dict[str, Any]:
    data = yamlio.load(text, label)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("a values file must hold a YAML mapping", file=label)
    return data


def _read_value_file(path: Path, label: str, parsed: ParsedFiles | None
                     ) -> tuple[dict[str, Any], str]:
    """A value file's values and the sha256 of its bytes (read once)."""
    raw = path.read_bytes()
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
    digest = hashlib.sha256(raw).hexdigest()
    if parsed is None:
        return _load_values(text, label), digest
    return parsed.get(("values", text), lambda: _load_values(text, label)), digest


def load_value_file(vf: ValueFile, label: str, warn: Warn, secrets: SecretsLoader | None = None,
                    import_key: Path | None = None, parsed: ParsedFiles | None = None,
                    read: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The values of one resolved file, or None when it must be left out (with a warning).

    A `secrets://` file goes through `secrets` (decrypted in memory, never written); without
    one, an encrypted file gives placeholder values (its keys, with stand-in leaves).
    """
    if vf.url is not None:
        scheme = vf.url.split(":", 1)[0].lower()
        if scheme not in HELM_GETTER_SCHEMES:
            # Argo CD hands an allowed URL to `helm template --values` verbatim. Helm has no
            # getter for this scheme (unless a plugin in the repo-server adds one), so it
            # reads it as a local path and fails.
            raise RenderError(
                f"open {vf.url}: no such file or directory (helm has no getter for the "
                f"'{scheme}' scheme; Argo CD's repo-server needs a helm plugin for it)")
        warn(f"value file {vf.url} is remote and is not fetched offline; rendered without it")
        return None
    assert vf.path is not None
    data = read if read is not None else _read_value_file(vf.path, label, parsed)[0]
    if vf.secrets:
        if secrets is not None:
            return secrets.load(vf.path, label, data, warn, import_key=import_key)
        if is_sops_encrypted(data):
            warn(f"{label} is SOPS-encrypted and no decryption is configured; rendered with "
                 "placeholder values")
            return dict(sopsfile.placeholders(data))
        warn(f"{label} is referenced as secrets:// but is not encrypted: plaintext secrets in Git")
    return data


def helm_request(
    app: Mapping[str, Any],
    source: Mapping[str, Any],
    *,
    chart_dir: Path,
    repo_root: Path,
    config: Config,
    warn: Warn,
    refs: Mapping[str, Path] | None = None,
    label: Callable[[Path], str] = str,
    secrets: SecretsLoader | None = None,
    parsed: ParsedFiles | None = None,
    realpaths: dict[str, str] | None = None,
) -> HelmRequest:
    """The request for `helm template`; `parsed` shares parsed value files (by content),
    which the request then holds as they are: they must not be changed. `realpaths` keeps
    the real paths of folders for a run."""
    helm = source.get("helm") or {}
    if not isinstance(helm, Mapping):
        raise RenderError("spec.source.helm must be an object")
    env = argocd_env(app, source)
    app_name = env["ARGOCD_APP_NAME"]
    entries = helm.get("valueFiles") or []
    if not isinstance(entries, list):
        raise RenderError("helm.valueFiles must be a list")
    files = resolve_value_files(
        [str(e) for e in entries], app_dir=chart_dir, repo_root=repo_root, env=env,
        allowed_schemes=config.values_file_schemes,
        ignore_missing=bool(helm.get("ignoreMissingValueFiles")), refs=refs,
        realpaths=realpaths,
    )
    layers: list[dict[str, Any]] = []
    paths: list[Path] = []
    digests: list[str] = []
    in_memory: list[Path] = []  # secrets:// files: their values exist in memory only
    encrypted = False
    for vf in files:
        if vf.missing:
            raise RenderError(f"value file {vf.entry!r} not found "
                              f"({label(vf.path) if vf.path else vf.entry})")
        where = label(vf.path) if vf.path else vf.entry
        read, digest = _read_value_file(vf.path, where, parsed) if vf.path else (None, "")
        data = load_value_file(vf, where, warn, secrets,
                               age_import_key(vf.entry, chart_dir, repo_root), parsed, read)
        if data is not None and vf.path is not None:
            layers.append(data)
            paths.append(vf.path)
            digests.append(digest)
            if vf.secrets:
                in_memory.append(vf.path)
                encrypted = encrypted or is_sops_encrypted(read)
    inline: dict[str, Any] | None = None
    if helm.get("valuesObject") is not None:
        if not isinstance(helm["valuesObject"], Mapping):
            raise RenderError("helm.valuesObject must be an object")
        inline = dict(helm["valuesObject"])
    elif helm.get("values"):
        values = helm["values"]
        inline = dict(values) if isinstance(values, Mapping) else _load_values(
            str(values), f"{app_name}: helm.values")
    # Argo CD keeps --set and --set-string parameters in two maps keyed by name: a repeated
    # name keeps its last value within each map.
    params: dict[tuple[bool, str], SetParam] = {}
    for p in helm.get("parameters") or []:
        if not isinstance(p, Mapping) or not p.get("name"):
            raise RenderError("every helm.parameters entry needs a name")
        value = escape_set_value(envsubst(str(p.get("value", "")), env))
        key = (bool(p.get("forceString")), str(p["name"]))
        params.pop(key, None)
        params[key] = SetParam(key[1], value, key[0])
    set_files: list[tuple[str, Path]] = []
    for fp in helm.get("fileParameters") or []:
        if not isinstance(fp, Mapping):
            raise RenderError("every helm.fileParameters entry must be an object")
        entry = str(fp.get("path", ""))
        # the same resolution as valueFiles (ref, env once, repository boundary), no globbing
        resolved = resolve_value_files(
            [entry], app_dir=chart_dir, repo_root=repo_root, env=env,
            allowed_schemes=config.values_file_schemes, refs=refs)
        path = resolved[0].path if len(resolved) == 1 else None
        if path is None or not path.is_file():
            raise RenderError(f"helm.fileParameters {fp.get('name', '')!r}: open {entry}: "
                              "no such file or directory")
        set_files.append((str(fp.get("name", "")), path))
    dest = (app.get("spec") or {}).get("destination") or {}
    return HelmRequest(
        chart_dir=chart_dir,
        release_name=str(helm.get("releaseName") or app_name),
        namespace=str(helm.get("namespace") or dest.get("namespace") or ""),
        value_files=tuple(paths),
        inline_values=inline,
        set_params=tuple(sorted(params.values(), key=lambda p: p.force_string)),
        set_files=tuple(set_files),
        include_crds=not helm.get("skipCrds"),
        skip_tests=bool(helm.get("skipTests")),
        kube_version=str(helm.get("kubeVersion") or config.kube_version or "") or None,
        api_versions=tuple(helm.get("apiVersions") or config.api_versions),
        value_layers=tuple(layers),
        sensitive_files=tuple(in_memory),
        encrypted_values=encrypted,
        value_digests=tuple(digests),
    )


# -- charts -------------------------------------------------------------------------------
def _chart_meta(chart_dir: Path) -> dict[str, Any]:
    path = chart_dir / "Chart.yaml"
    if not path.is_file():
        raise RenderError(f"{chart_dir.name}: Chart.yaml file is missing")
    meta = yamlio.load(path.read_text(encoding="utf-8"), str(path))
    return meta if isinstance(meta, dict) else {}


def _safe_extract(archive: Path, dest: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    charts = [p for p in dest.iterdir() if (p / "Chart.yaml").is_file()]
    if len(charts) != 1:
        raise RenderError(f"{archive.name} is not a Helm chart archive")
    return charts[0]


def prepare_chart(chart_dir: Path, repo_root: Path, workspace: Path) -> Path:
    """The chart folder to render: as is, or a copy with its `file://` dependencies vendored."""
    meta = _chart_meta(chart_dir)
    missing: list[tuple[str, Path]] = []
    for dep in meta.get("dependencies") or []:
        if not isinstance(dep, dict):
            continue
        name, repo = str(dep.get("name", "")), str(dep.get("repository") or "")
        charts = chart_dir / "charts"
        present = (charts / name).is_dir() or any(charts.glob(f"{name}-*.tgz"))
        if present:
            continue
        if repo.startswith("file://"):
            target = (chart_dir / repo[len("file://"):]).resolve()
            if target != repo_root and repo_root not in target.parents:
                raise PathEscapeError(f"dependency {name}: {repo} is outside the repository")
            if not (target / "Chart.yaml").is_file():
                raise RenderError(f"dependency {name}: {repo} is not a chart folder")
            missing.append((name, target))
        else:
            raise RenderError(
                f"dependency {name} from {repo or 'an unknown repository'} is not vendored in "
                "charts/ (run `helm dependency build` and commit the archive)"
            )
    if not missing:
        return chart_dir
    copy = workspace / f"chart-{abs(hash(chart_dir))}" / chart_dir.name
    if not copy.exists():
        shutil.copytree(chart_dir, copy, symlinks=False)
        for name, target in missing:
            shutil.copytree(target, copy / "charts" / name, symlinks=False)
    return copy


def find_cached_chart(
    chart: str, version: str, cache_dirs: list[Path], workspace: Path
) -> Path | None:
    """A chart from a Helm repository, in the offline cache: `<chart>-<version>.tgz`,
    `<chart>/<version>/` or `<chart>/` whose Chart.yaml has that version."""
    for cache in cache_dirs:
        archive = cache / f"{chart}-{version}.tgz"
        if archive.is_file():
            dest = workspace / f"cache-{chart}-{version}"
            if not dest.exists():
                dest.mkdir(parents=True)
                return _safe_extract(archive, dest)
            return next(p for p in dest.iterdir() if (p / "Chart.yaml").is_file())
        versioned = cache / chart / version
        if (versioned / "Chart.yaml").is_file():
            return versioned
        plain = cache / chart
        if (plain / "Chart.yaml").is_file() and str(_chart_meta(plain).get("version")) == version:
            return plain
    return None
