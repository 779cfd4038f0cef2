"""ApplicationSet -> Applications, as Argo CD's ApplicationSet controller does it."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from argoplane.argocd.generators import ONLINE_GENERATORS, PENDING_GENERATORS
from argoplane.argocd.generators.base import Cluster, GeneratorContext, ParamSet
from argoplane.argocd.generators.clusters import IN_CLUSTER_NAME, IN_CLUSTER_SERVER
from argoplane.argocd.generators.params import (
    compile_selector,
    flatten_params,
    go_sprint,
    select_params,
)
from argoplane.argocd.generators.transform import registry, run_generator
from argoplane.argocd.objects import RESOURCES_FINALIZER, metadata, name_of, spec_of
from argoplane.argocd.templating.render import render_string, render_value
from argoplane.core import yamlio
from argoplane.core.errors import (
    ArgoplaneError,
    GeneratorError,
    ManifestError,
    TemplateError,
    YAMLError,
)

_GENERATOR_FIELDS = frozenset({"selector", "template"})

__all__ = [
    "Expansion",
    "apply_template_patch",
    "appset_namespace",
    "compile_selector",
    "expand",
    "flatten_params",
    "generator_kind",
    "generator_params",
    "go_sprint",
    "merge_template",
    "qualified_name",
    "render_application",
    "select_params",
    "validate_applications",
]


@dataclass
class Expansion:
    """What one ApplicationSet generates: Applications, the param sets behind them, messages."""

    applications: list[dict[str, Any]] = field(default_factory=list)
    params: list[list[ParamSet]] = field(default_factory=list)  # per generator, in order
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # a generator or a render failed: like Argo CD, nothing is generated in that reconcile
    failed: bool = False


def generator_kind(entry: Mapping[str, Any], file: str | None = None,
                   ctx: GeneratorContext | None = None) -> str:
    kinds = [k for k in entry if k not in _GENERATOR_FIELDS]
    if len(kinds) != 1:
        found = ", ".join(kinds) or "none"
        raise GeneratorError(
            f"a generator entry must set exactly one generator type (found: {found})", file=file
        )
    kind = kinds[0]
    generators = registry(ctx or GeneratorContext(appset_name=""))
    if kind in generators:
        return kind
    if kind in ONLINE_GENERATORS:
        raise GeneratorError(
            f"the {kind} generator cannot be evaluated offline: {ONLINE_GENERATORS[kind]}",
            file=file,
        )
    if kind in PENDING_GENERATORS:
        raise GeneratorError(f"the {kind} generator is not supported yet", file=file)
    known = ", ".join(sorted([*generators, *ONLINE_GENERATORS, *PENDING_GENERATORS]))
    raise GeneratorError(f"unknown generator {kind!r} (Argo CD knows: {known})", file=file)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value is False or value == 0 or value in ([], {})


def merge_template(generator_template: Any, base: Any) -> Any:
    """Fill what is empty in the generator-level template from `spec.template` (mergo)."""
    if isinstance(generator_template, Mapping) and isinstance(base, Mapping):
        out = dict(generator_template)
        for key, value in base.items():
            if key in out and isinstance(out[key], Mapping) and isinstance(value, Mapping):
                out[key] = merge_template(out[key], value)
            elif key not in out or _is_empty(out[key]):
                out[key] = copy.deepcopy(value)
        return out
    return generator_template if not _is_empty(generator_template) else copy.deepcopy(base)


def generator_params(entry: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]:
    """The param sets of one `spec.generators[]` entry, filtered by its `selector`."""
    kind = generator_kind(entry, ctx.file, ctx)
    selector = entry.get("selector")
    matches = compile_selector(selector, ctx.file) if selector is not None else None
    params = run_generator(kind, entry[kind], ctx)
    if matches is not None:
        params = [p for p in params if matches(flatten_params(p))]
    return params


def render_application(
    template: Mapping[str, Any],
    params: ParamSet,
    *,
    go_template: bool,
    options: tuple[str, ...] = (),
    sync_policy: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The Application for one param set (before the namespace is forced)."""
    meta_in = template.get("metadata") or {}
    carried = {k: meta_in[k] for k in ("name", "namespace", "labels", "annotations", "finalizers")
               if k in meta_in}
    tmpl = {"metadata": carried, "spec": template.get("spec") or {}}
    if not params:  # Argo CD returns the template unrendered, with no default finalizer
        rendered = copy.deepcopy(tmpl)
    else:
        rendered = render_value(tmpl, params, go_template, options)
        meta = rendered.setdefault("metadata", {})
        preserve = bool((sync_policy or {}).get("preserveResourcesOnDeletion"))
        if not meta.get("finalizers") and not preserve:
            meta["finalizers"] = [RESOURCES_FINALIZER]
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", **rendered}


def _strategic_merge(original: Any, patch: Any) -> Any:
    """A strategic merge patch onto an Application: Argo CD's types carry no list merge keys,
    so maps merge recursively, lists and scalars are replaced, and null deletes a key."""
    if not isinstance(patch, Mapping):
        return copy.deepcopy(patch)
    directive = patch.get("$patch")
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    out = dict(original) if isinstance(original, Mapping) else {}
    for key, value in patch.items():
        if isinstance(key, str) and key.startswith("$"):
            continue
        if value is None or (isinstance(value, Mapping) and value.get("$patch") == "delete"):
            out.pop(key, None)
        elif isinstance(value, Mapping):
            out[key] = _strategic_merge(out.get(key), value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def apply_template_patch(
    app: Mapping[str, Any],
    template_patch: str,
    params: ParamSet,
    *,
    go_template: bool,
    options: tuple[str, ...] = (),
) -> dict[str, Any]:
    """`spec.templatePatch`: rendered as ONE template with the same params, then applied as a
    strategic merge patch. `spec.project` cannot be changed by it."""
    try:
        text = render_string(template_patch, params, go_template, options)
    except TemplateError as exc:
        raise TemplateError(f"error replacing values in templatePatch: {exc.message}") from None
    try:
        patch = yamlio.load_json_or_yaml(text, "templatePatch")
    except YAMLError as exc:
        raise TemplateError(f"invalid templatePatch: {exc.message}") from None
    if patch is None:
        return dict(app)
    if not isinstance(patch, Mapping):
        raise TemplateError("invalid templatePatch: it must be an Application object, not "
                            f"{type(patch).__name__}")
    patched: dict[str, Any] = _strategic_merge(app, patch)
    spec = app.get("spec")
    patched_spec = patched.get("spec")
    if isinstance(patched_spec, dict):
        if isinstance(spec, Mapping) and "project" in spec:
            patched_spec["project"] = spec["project"]
        else:
            patched_spec.pop("project", None)
    return patched


def expand(appset: Mapping[str, Any], ctx: GeneratorContext, namespace: str) -> Expansion:
    """Generate the Applications of one ApplicationSet.

    Like Argo CD, a failing generator is reported and the others still run, but then no
    Application is created at all in that reconcile.
    """
    spec = spec_of(appset)
    set_name = name_of(appset)
    generators = spec.get("generators")
    if not isinstance(generators, list) or not generators:
        raise ManifestError(f"ApplicationSet {set_name}: spec.generators must be a non-empty list",
                            file=ctx.file)
    template = spec.get("template")
    if not isinstance(template, Mapping):
        raise ManifestError(f"ApplicationSet {set_name}: spec.template is missing", file=ctx.file)
    go_template = bool(spec.get("goTemplate"))
    options = tuple(str(o) for o in spec.get("goTemplateOptions") or ())
    ctx = dataclasses.replace(ctx, appset_name=set_name, go_template=go_template,
                              go_template_options=options, nesting=0)
    sync_policy = spec.get("syncPolicy") if isinstance(spec.get("syncPolicy"), Mapping) else None
    template_patch = spec.get("templatePatch")
    if template_patch is not None and not isinstance(template_patch, str):
        raise ManifestError(f"ApplicationSet {set_name}: spec.templatePatch must be a string",
                            file=ctx.file)
    result = Expansion()
    generated: list[dict[str, Any]] = []
    for index, entry in enumerate(generators):
        if not isinstance(entry, Mapping):
            result.errors.append(f"generators[{index}] is not an object")
            result.params.append([])
            continue
        try:
            params = generator_params(entry, ctx)
        except ArgoplaneError as exc:
            result.params.append([])
            result.errors.append(f"generators[{index}]: {exc.message}")
            continue
        result.params.append(params)
        kind = generator_kind(entry, ctx.file, ctx)
        effective = template
        gen_template = entry[kind].get("template") if isinstance(entry[kind], Mapping) else None
        if isinstance(gen_template, Mapping):
            effective = merge_template(gen_template, template)
        try:
            for param_set in params:
                app = render_application(
                    effective, param_set, go_template=go_template, options=options,
                    sync_policy=sync_policy,
                )
                if template_patch is not None:
                    app = apply_template_patch(app, template_patch, param_set,
                                               go_template=go_template, options=options)
                generated.append(app)
        except ArgoplaneError as exc:
            result.errors.append(f"generators[{index}]: {exc.message}")
    if result.errors:
        result.failed = True
        result.warnings.append(
            "no Applications are created while a generator fails (Argo CD stops the reconcile)"
        )
        return result
    for app in generated:
        meta = app.setdefault("metadata", {})
        meta["namespace"] = namespace
        app_spec = app.setdefault("spec", {})
        if not app_spec.get("project"):
            app_spec["project"] = "default"
    rejected: set[int] = set()
    for index, _key, message in _validation_errors(set_name, generated, None, None):
        rejected.add(index)
        result.errors.append(message)
    result.applications = [a for i, a in enumerate(generated) if i not in rejected]
    return result


def qualified_name(app: Mapping[str, Any]) -> str:
    """`namespace/name`, or just `name` without a namespace (Argo CD's QualifiedName)."""
    meta = metadata(app)
    name = str(meta.get("name") or "")
    namespace = str(meta.get("namespace") or "")
    return f"{namespace}/{name}" if namespace else name


def _destination_error(destination: Any, clusters: Sequence[Cluster]) -> str | None:
    """Why `GetDestinationCluster` cannot resolve an Application's destination, or None."""
    dest = destination if isinstance(destination, Mapping) else {}
    name = str(dest.get("name") or "")
    server = str(dest.get("server") or "")
    if name and server:
        return f"application destination can't have both name and server defined: {name} {server}"
    if server:
        url = server.rstrip("/")
        if url == IN_CLUSTER_SERVER or any(c.server.rstrip("/") == url for c in clusters):
            return None
        return (f'error getting cluster by server "{server}": rpc error: code = NotFound '
                f'desc = cluster "{url}" not found')
    if name:
        servers = [c.server for c in clusters if c.name == name]
        if not servers and name == IN_CLUSTER_NAME:
            servers = [IN_CLUSTER_SERVER]
        if not servers:
            return f"there are no clusters with this name: {name}"
        if len(servers) > 1:
            return (f"there are {len(servers)} clusters with the same name: "
                    f"[{' '.join(servers)}]")
        return None
    return "Destination server missing from app spec"


def _validation_errors(
    set_name: str, applications: Sequence[Mapping[str, Any]],
    projects: Collection[str] | None, clusters: Sequence[Cluster] | None,
) -> list[tuple[int, str, str]]:
    """(index, qualified name, message) for every generated Application Argo CD rejects."""
    out: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for index, app in enumerate(applications):
        key = qualified_name(app)
        name = str(metadata(app).get("name") or "")
        if not name:
            out.append((index, key,
                        f"ApplicationSet {set_name} contains an application with no name; a "
                        "name must be set in the template's metadata.name or via a "
                        "templatePatch (generateName is not supported)"))
            continue
        if name in seen:
            out.append((index, key, f"ApplicationSet {set_name} contains applications with "
                                    f"duplicate name: {name}"))
            continue
        seen.add(name)
        app_spec = spec_of(app)
        project = str(app_spec.get("project") or "")
        if projects is not None and project not in projects:
            out.append((index, key,
                        f"application references project {project} which does not exist"))
            continue
        if clusters is not None:
            problem = _destination_error(app_spec.get("destination"), clusters)
            if problem is not None:
                out.append((index, key, f"application destination spec is invalid: {problem}"))
    return out


def validate_applications(
    appset_name: str,
    applications: Sequence[Mapping[str, Any]],
    *,
    projects: Collection[str] | None = None,
    clusters: Sequence[Cluster] | None = None,
) -> dict[str, str]:
    """Argo CD's `validateGeneratedApplications` (§5.3): `{qualified app name: message}` for
    the generated Applications the controller rejects (no name, a duplicate name, a missing
    AppProject, a destination that resolves to no cluster). `projects` are the AppProject
    names that exist and `clusters` the known clusters; None skips that check.
    """
    return {key: message
            for _i, key, message in _validation_errors(appset_name, applications, projects,
                                                       clusters)}


def appset_namespace(appset: Mapping[str, Any], default: str) -> str:
    return str(metadata(appset).get("namespace") or default)
