"""Evaluators for the rendering vectors: directory sources, app paths, Helm, tracking and
templating (app_path.json, directory_include.json, helm_args.json, tracking.json,
fasttemplate.json, template.json, gotemplate.json). ApplicationSet generation is in
generators.py.

Every evaluator sets up what the case describes (files in a temporary folder, a small chart)
and then calls argoplane's own code; nothing here re-implements Argo CD's behaviour.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from argoplane.argocd.appset import (
    merge_template,
    render_application,
)
from argoplane.argocd.templating import fasttemplate
from argoplane.argocd.templating.render import render_string
from argoplane.argocd.tracking import set_app_instance, truncate_label
from argoplane.core.config import Config
from argoplane.core.snapshot import Snapshot
from argoplane.render.directory import (
    DirectoryOptions,
    expand_lists,
    find_manifests,
)
from argoplane.render.helm.backends import SdkBackend, template_args
from argoplane.render.helm.source import argocd_env, helm_request, ref_sources
from argoplane.render.helm.values import envsubst, escape_set_value, resolve_value_files
from argoplane.render.sources import check_app_path

Input = dict[str, Any]

PROBE = "argoplane-vector-values-probe"
PROBE_TEMPLATE = f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {PROBE}
data:
  release: {{{{ .Release.Name | quote }}}}
  values: {{{{ .Values | toJson | quote }}}}
"""


# -- helpers -------------------------------------------------------------------------------
@contextmanager
def _tempdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="argoplane-vector-") as tmp:
        yield Path(tmp).resolve()


def _write(root: Path, rel: str, content: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _go_json(obj: Any) -> str:
    """Compact JSON with sorted keys, escaped the way Go's encoding/json escapes HTML."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _not_supported(what: str) -> NotImplementedError:
    return NotImplementedError(f"{what} is not supported yet")


# -- app_path ------------------------------------------------------------------------------
def _app_path(inp: Input) -> dict[str, Any]:
    tree = inp.get("repo_tree") or {}
    with _tempdir() as root:
        for d in tree.get("dirs") or []:
            (root / d).mkdir(parents=True, exist_ok=True)
        for f in tree.get("files") or []:
            _write(root, f, "")
        check_app_path(Snapshot(root=root), inp["path"])
    return {"ok": True}


# -- directory sources ---------------------------------------------------------------------
def _directory_manifests(inp: Input) -> dict[str, Any]:
    app_path = "app"
    with _tempdir() as root:
        (root / app_path).mkdir()
        for rel, content in (inp.get("files") or {}).items():
            _write(root / app_path, rel, content)
        snapshot = Snapshot(root=root)
        found, unsupported = find_manifests(
            snapshot, app_path, DirectoryOptions.of(inp.get("directory")))
    if unsupported:
        raise _not_supported(f"jsonnet ({', '.join(unsupported)})")
    objects = [copy.deepcopy(f.manifest) for f in found]
    if inp.get("stage", "find_manifests") == "generate_manifests":
        objects = expand_lists(objects)
        app_name = inp.get("app_name") or ""
        label_key = inp.get("app_label_key", "app.kubernetes.io/instance")
        if app_name and label_key:
            for obj in objects:
                set_app_instance(obj, app_name, method=inp.get("tracking_method") or "annotation",
                                 label_key=label_key,
                                 namespace=inp.get("destination_namespace") or "")
    names = [str((o.get("metadata") or {}).get("name") or "") for o in objects]
    return {
        "count": len(objects),
        "object_names": names,
        "objects": [{"kind": o.get("kind"), "name": n} for o, n in zip(objects, names,
                                                                        strict=True)],
        "manifests_json": [_go_json(o) for o in objects],
    }


# -- tracking ------------------------------------------------------------------------------
def _set_app_instance(inp: Input) -> dict[str, Any]:
    obj = copy.deepcopy(inp["object"])
    set_app_instance(obj, inp["app_name"], method=inp.get("tracking_method") or "annotation",
                     label_key=inp.get("label_key") or "app.kubernetes.io/instance",
                     namespace=inp.get("namespace") or "")
    meta = obj.get("metadata") or {}
    return {"labels": meta.get("labels") or {}, "annotations": meta.get("annotations") or {}}


def _truncate_label(inp: Input) -> dict[str, Any]:
    return {"result": truncate_label(inp["value"])}


# -- helm ----------------------------------------------------------------------------------
def _helm_set_value_escape(inp: Input) -> dict[str, Any]:
    return {"escaped": escape_set_value(inp["value"])}


def _envsubst(inp: Input) -> dict[str, Any]:
    return {"result": envsubst(inp["text"], inp.get("env") or {})}


def _schemes(inp: Input) -> tuple[str, ...]:
    schemes = inp.get("allowed_schemes")
    return ("https", "http") if schemes is None else tuple(schemes)


def _write_chart(chart_dir: Path, values: Any = None, probe: bool = False) -> None:
    _write(chart_dir, "Chart.yaml", "apiVersion: v2\nname: vector-chart\nversion: 0.1.0\n")
    _write(chart_dir, "values.yaml", yaml.safe_dump(values or {}))
    if probe:
        _write(chart_dir, f"templates/{PROBE}.yaml", PROBE_TEMPLATE)


def _helm_value_files(inp: Input) -> dict[str, Any]:
    with _tempdir() as root:
        for rel in inp.get("existing_files") or []:
            _write(root, rel, "{}\n")
        repo_root = root / inp["repo_root"]
        app_dir = root / inp["app_path"]
        checkouts = {url: root / d for url, d in (inp.get("checked_out_refs") or {}).items()}
        for folder in (repo_root, app_dir, *checkouts.values()):
            folder.mkdir(parents=True, exist_ok=True)
        refs = {name: checkouts[url] for name, url in (inp.get("ref_sources") or {}).items()}
        files = resolve_value_files(
            inp.get("value_files") or [], app_dir=app_dir, repo_root=repo_root,
            env=inp.get("env") or {}, allowed_schemes=_schemes(inp),
            ignore_missing=bool(inp.get("ignore_missing")), refs=refs,
        )
        resolved = [vf.url if vf.url is not None or vf.path is None else _rel(vf.path, root)
                    for vf in files]
    return {"resolved": resolved}


def _helm_generate(inp: Input) -> dict[str, Any]:
    """Render a small chart at `app_path` with the case's valueFiles / helm options."""
    with _tempdir() as root:
        for rel in inp.get("existing_files") or []:
            _write(root, rel, "{}\n")
        repo_root = root / str(inp.get("repo_root") or "repo")
        app_dir = root / str(inp.get("app_path") or inp.get("repo_root") or "repo")
        _write_chart(app_dir, inp.get("chart_values"))
        for rel, content in (inp.get("files") or {}).items():
            _write(app_dir, rel, content)
        helm = dict(inp.get("helm") or {})
        if "value_files" in inp:
            helm["valueFiles"] = inp["value_files"]
        if inp.get("ignore_missing"):
            helm["ignoreMissingValueFiles"] = True
        app = {"metadata": {"name": inp.get("app_name") or "app"},
               "spec": {"destination": {"namespace": inp.get("namespace") or ""}}}
        source = {"repoURL": "https://git.example.com/repo.git",
                  "path": _rel(app_dir, repo_root), "helm": helm}
        warnings: list[str] = []
        request = helm_request(app, source, chart_dir=app_dir, repo_root=repo_root,
                               config=Config(values_file_schemes=_schemes(inp)),
                               warn=warnings.append)
        objects = SdkBackend().render(request)
    return {"count": len(objects), "warnings": warnings}


def _flatten(values: Any, prefix: str = "") -> dict[str, Any]:
    """Every key path of a values tree (inner maps too): `{"a": {...}, "a.b": 1}`."""
    out: dict[str, Any] = {}
    if isinstance(values, Mapping):
        for key, value in values.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out[path] = value
            out.update(_flatten(value, path))
    return out


def _helm_effective_values(inp: Input) -> dict[str, Any]:
    """The values helm finally sees, read back from a probe template in the chart."""
    with _tempdir() as root:
        app_dir = root / "chart"
        _write_chart(app_dir, inp.get("chart_values"), probe=True)
        for rel, content in (inp.get("files") or {}).items():
            _write(app_dir, rel, content)
        app = {"metadata": {"name": inp.get("app_name") or ""},
               "spec": {"destination": {"namespace": inp.get("namespace") or ""}}}
        source = {"repoURL": "https://git.example.com/repo.git", "path": "chart",
                  "helm": inp.get("helm") or {}}
        request = helm_request(app, source, chart_dir=app_dir, repo_root=root,
                               config=Config(values_file_schemes=_schemes(inp)),
                               warn=lambda _text: None)
        objects = SdkBackend().render(request)
    probe = next(o for _src, o in objects if (o.get("metadata") or {}).get("name") == PROBE)
    names = [str((o.get("metadata") or {}).get("name") or "") for _src, o in objects]
    return {
        "values": _flatten(json.loads(probe["data"]["values"])),
        "release_name": probe["data"]["release"],
        "object_names_include": [n for n in names if n != PROBE],
    }


def _is_glob(entry: str) -> bool:
    return any(c in entry for c in "*?[")


def _checkouts(root: Path, sources: list[Mapping[str, Any]]) -> dict[str, Path]:
    """A checkout folder per ref source's repository (`<checkout of URL>`)."""
    out: dict[str, Path] = {}
    for i, source in enumerate(sources):
        url = str(source.get("repoURL") or "")
        if source.get("ref") and url not in out:
            out[url] = root / f"checkout-{i}"
            out[url].mkdir(parents=True)
    return out


def _render_source(
    inp: Input, root: Path, *, create_value_files: bool
) -> tuple[Any, Path, dict[str, Path]]:
    """Build the HelmRequest for the case's source (a chart, or a path in a git repository)."""
    sources = inp.get("sources") or [inp["source"]]
    source = sources[int(inp.get("render_source_index", 0))]
    checkouts = _checkouts(root, sources)
    refs = ref_sources(sources, checkouts.get)
    if source.get("chart"):
        chart_dir = repo_root = root / "chart"
    else:
        repo_root = root / "repo"
        chart_dir = repo_root / str(source.get("path") or "")
    _write_chart(chart_dir)
    helm = source.get("helm") or {}
    app = {"metadata": {"name": inp.get("app_name") or ""},
           "spec": {"project": "default", "destination": {"namespace": inp.get("namespace") or ""},
                    "sources" if "sources" in inp else "source":
                        sources if "sources" in inp else source}}
    config = Config(kube_version=inp.get("kube_version") or None,
                    api_versions=tuple(inp.get("api_versions") or ()))
    if create_value_files:  # the chart holds the local value files the case refers to
        files = resolve_value_files(
            [str(e) for e in helm.get("valueFiles") or [] if not _is_glob(str(e))],
            app_dir=chart_dir, repo_root=repo_root, env=argocd_env(app, source),
            allowed_schemes=config.values_file_schemes, refs=refs)
        for vf in files:
            if vf.path is not None and vf.missing:
                _write(vf.path.parent, vf.path.name, "{}\n")
    request = helm_request(app, source, chart_dir=chart_dir, repo_root=repo_root,
                           config=config, warn=lambda _text: None, refs=refs)
    return request, chart_dir, checkouts


def _helm_template_args(inp: Input) -> dict[str, Any]:
    with _tempdir() as root:
        request, chart_dir, checkouts = _render_source(inp, root, create_value_files=True)
        inline = Path("<values-file>") if request.inline_values else None
        args = template_args(request, inline)
        replacements = [(str(chart_dir), "<chart-dir>")]
        replacements += [(str(path), f"<checkout of {url}>") for url, path in checkouts.items()]
        replacements.sort(key=lambda r: -len(r[0]))
        out: list[str] = []
        for arg in args:
            text = arg
            for real, placeholder in replacements:
                text = text.replace(real, placeholder)
            out.append(text)
    command = " ".join(["helm", *(a if a else '""' for a in out)])
    return {"args": out, "command": command}


def _helm_ref_sources(inp: Input) -> dict[str, Any]:
    with _tempdir() as root:
        request, _chart_dir, _checkouts = _render_source(inp, root, create_value_files=False)
        objects = SdkBackend().render(request)
    return {"count": len(objects)}


# -- templating ----------------------------------------------------------------------------
def _options(inp: Input) -> tuple[str, ...]:
    return tuple(str(o) for o in inp.get("goTemplateOptions") or ())


def _render_string(inp: Input) -> dict[str, Any]:
    params = inp.get("params") or {}
    go_template = bool(inp.get("goTemplate"))
    via = inp.get("via", "application_field")
    if via == "application_field":
        if not params:  # the empty-params shortcut: the template is returned unrendered
            return {"result": inp["template"]}
        return {"result": render_string(inp["template"], params, go_template, _options(inp))}
    if via != "replace":
        raise ValueError(f"unknown via {via!r}")
    if not go_template:
        return {"result": fasttemplate.replace(inp["template"], params)}
    return {"result": render_string(inp["template"], params, True, _options(inp))}


def _render_application(inp: Input) -> dict[str, Any]:
    app = render_application(
        inp["application_template"], inp.get("params") or {},
        go_template=bool(inp.get("goTemplate")), options=_options(inp),
        sync_policy=inp.get("syncPolicy"),
    )
    return {"application": app}


def _merge_template(inp: Input) -> dict[str, Any]:
    return {"template": merge_template(inp["generator_template"], inp["applicationset_template"])}


KINDS: dict[str, Callable[[Input], Any]] = {
    "app_path": _app_path,
    "directory_manifests": _directory_manifests,
    "set_app_instance": _set_app_instance,
    "truncate_label": _truncate_label,
    "helm_set_value_escape": _helm_set_value_escape,
    "envsubst": _envsubst,
    "helm_value_files": _helm_value_files,
    "helm_template_args": _helm_template_args,
    "helm_ref_sources": _helm_ref_sources,
    "helm_effective_values": _helm_effective_values,
    "helm_generate": _helm_generate,
    "render_string": _render_string,
    "render_application": _render_application,
    "merge_template": _merge_template,
}
