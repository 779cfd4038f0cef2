"""AP017: rendered manifests checked against the Kubernetes schemas of `kubernetes-validate`."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from argoplane.argocd.objects import argo_kind
from argoplane.checks.context import LintContext
from argoplane.checks.model import Hit, Rule
from argoplane.checks.schema.valid import Check, Compiler
from argoplane.core.errors import InputError

if TYPE_CHECKING:
    from referencing import Resource

# jsonschema, kubernetes-validate and referencing are imported when AP017 runs: importing
# them costs every argoplane command a fifth of a second at start


def _kv() -> Any:
    from kubernetes_validate import utils  # type: ignore[import-untyped]

    return utils

_BUILTIN_LEGACY_GROUPS = frozenset({"", "apps", "batch", "autoscaling", "policy", "extensions"})
API_VERSION = re.compile(r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$")
KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def is_builtin_group(group: str) -> bool:
    return group in _BUILTIN_LEGACY_GROUPS or group.endswith(".k8s.io")


def _minor(version: str) -> tuple[int, int]:
    m = re.match(r"^v?(\d+)\.(\d+)", version)
    if m is None:
        raise InputError(f"kubernetes version {version!r} is not a version like 1.31")
    return int(m.group(1)), int(m.group(2))


def schema_version(wanted: str) -> str:
    """The bundled schema version for `wanted` (its major.minor)."""
    versions: list[str] = _kv().all_versions()
    target = _minor(wanted)
    fitting = [v for v in versions if _minor(v) == target]
    if not fitting:
        first, last = (".".join(map(str, _minor(v))) for v in (versions[0], versions[-1]))
        raise InputError(f"kubernetes version {wanted} is not supported by the bundled "
                         f"schemas ({first} to {last}); set lint.kubernetesVersion")
    return fitting[-1]


def json_value(value: Any) -> Any:
    """The manifest as the API server receives it (JSON): string keys, timestamps as strings."""
    try:
        blob = orjson.dumps(value)  # string keys and ISO dates: the usual case
    except (TypeError, orjson.JSONEncodeError):
        return _json_value(value)
    if b"null" in blob:  # orjson also writes NaN and infinities as null
        return _json_value(value)
    return orjson.loads(blob)


def _json_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass
class KubeSchemas:
    """Validators per (apiVersion, kind) for one Kubernetes version, built once each."""

    version: str  # as bundled, e.g. 1.31.0
    strict: bool = True
    _defs: Resource | None = None
    _validators: dict[tuple[str, str], Validator | None] = field(default_factory=dict)
    _compiler: Compiler | None = None

    @property
    def folder(self) -> str:
        return f"kubernetes-json-schema/v{self.version}-local" + ("-strict" if self.strict else "")

    def validator(self, api_version: str, kind: str) -> Validator | None:
        """The kind's validator; None when the version has no such kind."""
        key = (api_version, kind)
        if key not in self._validators:
            self._validators[key] = self._build(api_version, kind)
        return self._validators[key]

    def _build(self, api_version: str, kind: str) -> Validator | None:
        import jsonschema  # type: ignore[import-untyped]
        from referencing import Registry, Resource

        kv = _kv()
        name = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
        try:
            schema = kv.schema_contents(f"{self.folder}/{kind.lower()}-{name}.json", self.version)
        except FileNotFoundError:
            return None
        if self._defs is None:
            definitions = kv.schema_contents(f"{self.folder}/_definitions.json", self.version)
            self._defs = Resource.from_contents(definitions)
            self._compiler = Compiler({str(definitions.get("$id") or ""): definitions})
        registry: Registry[Any] = Resource.from_contents(schema) @ (self._defs @ Registry())
        assert self._compiler is not None
        return Validator(jsonschema.Draft202012Validator(schema, registry=registry),
                         self._compiler.compile(schema))


@dataclass(frozen=True)
class Validator:
    """One kind's schema: a quick validity check (when the schema allows one) and jsonschema
    for the errors of an invalid object."""

    full: Any  # jsonschema.Draft202012Validator
    valid: Check | None

    def errors(self, instance: Any) -> list[Any]:
        if self.valid is not None and self.valid(instance):
            return []
        return list(self.full.iter_errors(instance))


def _bad_identity(manifest: Mapping[str, Any]) -> str:
    if isinstance(manifest.get("sops"), Mapping):
        return ("is SOPS-encrypted, apiVersion and kind included; Argo CD applies files as "
                "they are in Git, so it cannot deploy it without a decrypting plugin")
    if not manifest.get("apiVersion") or not manifest.get("kind"):
        return "has no apiVersion or kind"
    return (f"has an invalid apiVersion {manifest.get('apiVersion')!r} or kind "
            f"{manifest.get('kind')!r}")


def _path(error: Any) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(object)"


def _check(ctx: LintContext) -> Iterator[Hit]:
    schemas = KubeSchemas(schema_version(ctx.settings.kubernetes_version))
    shown = ".".join(schemas.version.split(".")[:2])
    for app in ctx.tree.apps:
        unknown: set[tuple[str, str]] = set()
        for res in app.resources:
            if argo_kind(res.manifest) is not None:
                continue  # AP001 checks Argo CD's own kinds
            api_version, kind = res.api_version, res.kind
            if not API_VERSION.match(api_version) or not KIND.match(kind):
                site = ctx.resource_site(res)
                yield Hit(f"Application {app.name}: an object in {res.origin} "
                          f"{_bad_identity(res.manifest)}", app, site.file, site.line,
                          manifest=res.manifest)
                continue
            if not is_builtin_group(res.group):
                if (api_version, kind) not in unknown:
                    unknown.add((api_version, kind))
                    site = ctx.resource_site(res)
                    yield Hit(f"Application {app.name}: {kind} ({api_version}) is a custom "
                              "resource without a bundled schema; not validated", app,
                              site.file, site.line, level="info", manifest=res.manifest)
                continue
            validator = schemas.validator(api_version, kind)
            if validator is None:
                site = ctx.resource_site(res, ("apiVersion",))
                yield Hit(f"Application {app.name}: {kind} {res.name}: Kubernetes {shown} has no "
                          f"{kind} in {api_version} (removed, or misspelled)", app, site.file,
                          site.line, manifest=res.manifest)
                continue
            errors = validator.errors(json_value(res.manifest))
            if not errors:
                continue
            from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

            error = best_match(errors)
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            site = ctx.resource_site(res, tuple(error.absolute_path))
            yield Hit(f"Application {app.name}: {kind} {res.name}: {_path(error)}: "
                      f"{error.message}{more}", app, site.file, site.line, manifest=res.manifest)


RULES = [
    Rule(
        "AP017", "kubernetes-schema", "Rendered manifest invalid for its Kubernetes kind", "error",
        """A rendered object does not match the Kubernetes schema of its apiVersion and kind (from
the `kubernetes-validate` package, strict: unknown fields are errors): a misspelled field, a
string where a number is expected (`replicas: "3"`), a missing required field, or an apiVersion
that the target Kubernetes version no longer serves (`extensions/v1beta1` Ingress). The API
server refuses it and the sync fails. Custom resources without a bundled schema are reported at
info level and not validated.

Fix: correct the field named in the message (in the chart template, values or manifest), or
move to the current apiVersion. The Kubernetes version is `lint.kubernetesVersion` in
`.argoplane.yaml`, `--kube-version`, or `helm.kubeVersion` (default 1.31).""",
        _check,
    ),
]
