"""The ApplicationSets the phases grow: one list of services, and after the environments
phase a second list (environment, and later region) that a matrix generator multiplies with
it. Recognised by their shape, so that an ApplicationSet written by hand in the same shape is
grown the same way; edited in place, so that comments and layout stay.

```yaml
spec:
  generators:
    - matrix:
        generators:
          - list: {elements: [{name, path, namespace, ...}]}   # the services
          - list: {elements: [{env, region, ns_suffix, project}]}   # the axis
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from argoplane.argocd.templating.fasttemplate import replace as fill
from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError
from argoplane.render.helm.values import SECRETS_SCHEME
from argoplane.render.model import RenderedAppSet

PATH_PARAM = "{{path}}"


@dataclass
class ServiceSet:
    name: str
    file: str
    manifest: dict[str, Any]
    services: list[dict[str, Any]]
    axis: list[dict[str, Any]] | None  # None before the environments phase

    @property
    def template(self) -> dict[str, Any]:
        return dict(self.manifest["spec"]["template"])

    @property
    def spec(self) -> dict[str, Any]:
        return dict(self.template.get("spec") or {})

    @property
    def source(self) -> dict[str, Any]:
        return dict(self.spec.get("source") or {})

    @property
    def value_files(self) -> list[str]:
        helm = self.source.get("helm") or {}
        return [str(v) for v in helm.get("valueFiles") or []]

    @property
    def name_pattern(self) -> str:
        return str((self.template.get("metadata") or {}).get("name") or "")

    @property
    def envs(self) -> list[str]:
        return list(dict.fromkeys(str(a.get("env")) for a in self.axis or []))

    @property
    def regions(self) -> list[str]:
        return list(dict.fromkeys(str(a["region"]) for a in self.axis or [] if "region" in a))

    def params(self, service: Mapping[str, Any], point: Mapping[str, Any] | None = None
               ) -> dict[str, str]:
        return {str(k): str(v) for k, v in {**service, **(point or {})}.items()}

    def app_name(self, service: Mapping[str, Any], point: Mapping[str, Any] | None = None,
                 pattern: str | None = None) -> str:
        """The Application the template makes for one service (and axis point)."""
        return fill(self.name_pattern if pattern is None else pattern,
                    self.params(service, point))

    def current(self) -> Mapping[str, Any] | None:
        """The axis point of today's deployments: the first one (None before the axis)."""
        return self.axis[0] if self.axis else None


def _elements(generator: Any) -> list[Any] | None:
    if not isinstance(generator, Mapping) or set(generator) != {"list"}:
        return None
    body = generator["list"]
    if not isinstance(body, Mapping) or set(body) != {"elements"}:
        return None
    elements = body["elements"]
    return elements if isinstance(elements, list) else None


def recognise(appset: RenderedAppSet, text: str) -> ServiceSet | str:
    """The ApplicationSet as a service set, or why it is not one argoplane can grow."""
    manifest = appset.manifest
    if appset.file is None:
        return "it is deployed by another Application's rendered output, not a file"
    try:
        docs = yamlio.load_all(text, appset.file)
    except ArgoplaneError:
        return f"{appset.file} is not valid YAML"
    if len(docs) != 1:
        return f"{appset.file} holds other manifests too"
    spec = manifest.get("spec") if isinstance(manifest.get("spec"), Mapping) else {}
    assert isinstance(spec, Mapping)
    if spec.get("goTemplate"):
        return "it uses Go templates; argoplane grows fasttemplate ApplicationSets"
    if spec.get("templatePatch"):
        return "it has a templatePatch"
    generators = spec.get("generators")
    if not isinstance(generators, list) or len(generators) != 1:
        return "it does not have exactly one generator"
    services = _elements(generators[0])
    axis: list[Any] | None = None
    if services is None:
        matrix = generators[0].get("matrix") if isinstance(generators[0], Mapping) else None
        children = matrix.get("generators") if isinstance(matrix, Mapping) else None
        if not isinstance(children, list) or len(children) != 2:
            return "its generator is neither a list of services nor a matrix of two lists"
        services, axis = _elements(children[0]), _elements(children[1])
        if services is None or axis is None:
            return "its matrix does not combine two list generators"
        if not all(isinstance(a, Mapping) and a.get("env") for a in axis):
            return "the second list of its matrix does not name an environment (env)"
    if not services or not all(isinstance(s, Mapping) and s.get("name") and s.get("path")
                               for s in services):
        return "its list elements do not each give a name and a path"
    template = spec.get("template")
    tspec = template.get("spec") if isinstance(template, Mapping) else None
    source = tspec.get("source") if isinstance(tspec, Mapping) else None
    if not isinstance(source, Mapping) or source.get("chart"):
        return "its template has no single source from this repository"
    if source.get("path") != PATH_PARAM:
        return f"its template's source path is not {PATH_PARAM}"
    name = (template.get("metadata") or {}).get("name") if isinstance(template, Mapping) else ""
    if "{{name}}" not in str(name or ""):
        return "its template does not name the Applications after {{name}}"
    return ServiceSet(appset.name, appset.file, dict(manifest),
                      [dict(s) for s in services], [dict(a) for a in axis] if axis else None)


# -- round-trip edits ------------------------------------------------------------------------
def _map(node: Any, key: str) -> CommentedMap:
    child = node.get(key)
    if isinstance(child, CommentedMap):
        return child
    made = CommentedMap(child.items()) if isinstance(child, dict) else CommentedMap()
    node[key] = made
    return made


def template_spec(data: Any) -> CommentedMap:
    return _map(_map(data["spec"], "template"), "spec")


def template_meta(data: Any) -> CommentedMap:
    return _map(data["spec"]["template"], "metadata")


def helm(data: Any) -> CommentedMap:
    return _map(_map(template_spec(data), "source"), "helm")


def value_files(data: Any) -> CommentedSeq:
    node = helm(data)
    files = node.get("valueFiles")
    if not isinstance(files, CommentedSeq):
        files = CommentedSeq(files if isinstance(files, list) else [])
        node["valueFiles"] = files
    return files


def insert_value_files(data: Any, entries: list[str], after: str | None = None) -> None:
    """Add `entries` after the entry `after`, else after the last entry that is not a
    `secrets://` file (secrets come last: they override everything)."""
    files = value_files(data)
    existing = [str(f) for f in files]
    if after is not None and after in existing:
        at = existing.index(after) + 1
    else:
        at = 0
        for i, entry in enumerate(existing):
            if not SECRETS_SCHEME.match(entry):
                at = i + 1
    for offset, entry in enumerate(e for e in entries if e not in existing):
        files.insert(at + offset, entry)


def services_seq(data: Any) -> CommentedSeq:
    generator = data["spec"]["generators"][0]
    if "list" in generator:
        return generator["list"]["elements"]  # type: ignore[no-any-return]
    return generator["matrix"]["generators"][0]["list"]["elements"]  # type: ignore[no-any-return]


def set_axis(data: Any, axis: list[dict[str, Any]]) -> None:
    """Make the generator a matrix of the services and `axis`, or replace its axis."""
    generators = data["spec"]["generators"]
    first = generators[0]
    elements = CommentedSeq(_commented(a) for a in axis)
    if "matrix" in first:
        first["matrix"]["generators"][1]["list"]["elements"] = elements
        return
    axis_list = CommentedMap([("list", CommentedMap([("elements", elements)]))])
    matrix = CommentedMap([("generators", CommentedSeq([first, axis_list]))])
    generators[0] = CommentedMap([("matrix", matrix)])


def _commented(item: Mapping[str, Any]) -> CommentedMap:
    return CommentedMap((k, v) for k, v in item.items())
