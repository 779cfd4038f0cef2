"""How each Application gets its Secrets: encrypted in Git, plaintext in Git, or made by hand."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from argoplane.assess.inventory import AppInfo, Inventory
from argoplane.render.model import Resource

SEALED_SECRET = ("bitnami.com", "SealedSecret")
EXTERNAL_SECRET = ("external-secrets.io", "ExternalSecret")
_POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Rollout",
                       "ReplicationController"}


@dataclass
class SecretUsage:
    encrypted_files: list[str] = field(default_factory=list)  # SOPS value files
    plaintext_files: list[str] = field(default_factory=list)  # secrets:// files not encrypted
    sealed: list[str] = field(default_factory=list)  # SealedSecret names
    external: list[str] = field(default_factory=list)  # ExternalSecret names
    sops_manifests: list[str] = field(default_factory=list)  # SOPS-encrypted manifests
    plaintext_secrets: list[str] = field(default_factory=list)  # Secrets with values in Git
    by_hand: list[tuple[str, str]] = field(default_factory=list)  # (namespace, name) expected
    pull: list[str] = field(default_factory=list)  # image pull Secrets not in the repository
    readers: list[str] = field(default_factory=list)  # files of the workloads that read them

    @property
    def encrypted(self) -> bool:
        return bool(self.encrypted_files or self.sealed or self.external or self.sops_manifests)

    @property
    def plaintext(self) -> bool:
        return bool(self.plaintext_files or self.plaintext_secrets)

    @property
    def used(self) -> bool:
        return self.encrypted or self.plaintext or bool(self.by_hand)

    def merge(self, other: SecretUsage) -> None:
        for name in ("encrypted_files", "plaintext_files", "sealed", "external",
                     "sops_manifests", "plaintext_secrets", "by_hand", "pull", "readers"):
            mine = getattr(self, name)
            mine.extend(x for x in getattr(other, name) if x not in mine)

    @property
    def by_hand_names(self) -> list[str]:
        return sorted({name for _, name in self.by_hand})

    @property
    def status(self) -> str:
        """encrypted | plaintext | by-hand | mixed | none."""
        if not self.used:
            return "none"
        if self.encrypted and not self.plaintext and not self.by_hand:
            return "encrypted"
        if self.encrypted:
            return "mixed"
        return "plaintext" if self.plaintext else "by-hand"


def _key(resource: Resource) -> tuple[str, str]:
    return (resource.group, resource.kind)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _target_name(resource: Resource) -> str:
    spec = _mapping(resource.manifest.get("spec"))
    if _key(resource) == SEALED_SECRET:
        meta = _mapping(_mapping(spec.get("template")).get("metadata"))
        return str(meta.get("name") or resource.name)
    if _key(resource) == EXTERNAL_SECRET:
        return str(_mapping(spec.get("target")).get("name") or resource.name)
    return resource.name


def provided_secrets(inventory: Inventory) -> set[tuple[str, str]]:
    """(namespace, name) of every Secret the repository creates, itself or by a controller."""
    out: set[tuple[str, str]] = set()
    for app in inventory.tree.apps:
        for r in app.resources:
            if (r.group, r.kind) in (("", "Secret"), SEALED_SECRET, EXTERNAL_SECRET):
                out.add((r.namespace, _target_name(r)))
    return out


def _pod_spec(manifest: Mapping[str, Any]) -> Mapping[str, Any] | None:
    kind = manifest.get("kind")
    spec: Any = manifest.get("spec")
    if not isinstance(spec, Mapping):
        return None
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        job = spec.get("jobTemplate")
        spec = job.get("spec") if isinstance(job, Mapping) else None
        if not isinstance(spec, Mapping):
            return None
    elif kind not in _POD_TEMPLATE_KINDS:
        return None
    template = spec.get("template")
    pod = template.get("spec") if isinstance(template, Mapping) else None
    return pod if isinstance(pod, Mapping) else None


def _maps(value: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, Mapping))


def referenced_secrets(manifest: Mapping[str, Any]) -> set[str]:
    """Names of the Secrets a workload's containers read (env, envFrom, volumes)."""
    pod = _pod_spec(manifest)
    if pod is None:
        return set()
    names: set[str] = set()
    containers = [*_maps(pod.get("containers")), *_maps(pod.get("initContainers"))]
    for container in containers:
        for env in _maps(container.get("env")):
            value_from = env.get("valueFrom")
            ref = value_from.get("secretKeyRef") if isinstance(value_from, Mapping) else None
            if isinstance(ref, Mapping) and ref.get("name") and ref.get("optional") is not True:
                names.add(str(ref["name"]))
        for source in _maps(container.get("envFrom")):
            ref = source.get("secretRef")
            if isinstance(ref, Mapping) and ref.get("name") and ref.get("optional") is not True:
                names.add(str(ref["name"]))
    for volume in _maps(pod.get("volumes")):
        secret = volume.get("secret")
        if isinstance(secret, Mapping) and secret.get("secretName") and \
                secret.get("optional") is not True:
            names.add(str(secret["secretName"]))
        projected = volume.get("projected")
        if isinstance(projected, Mapping):
            for source in _maps(projected.get("sources")):
                ref = source.get("secret")
                if isinstance(ref, Mapping) and ref.get("name") and ref.get("optional") is not True:
                    names.add(str(ref["name"]))
    return names


def pull_secrets(manifest: Mapping[str, Any]) -> set[str]:
    """Image pull Secrets: cluster plumbing, usually provisioned with the namespace."""
    pod = _pod_spec(manifest)
    if pod is None:
        return set()
    return {str(p["name"]) for p in _maps(pod.get("imagePullSecrets")) if p.get("name")}


def _has_values(secret: Mapping[str, Any]) -> bool:
    for field_name in ("data", "stringData"):
        values = secret.get(field_name)
        if isinstance(values, Mapping) and any(v not in (None, "") for v in values.values()):
            return True
    return False


def usage_of(info: AppInfo, provided: set[tuple[str, str]]) -> SecretUsage:
    usage = SecretUsage()
    for layer in info.layers:
        if layer.file is None:
            continue
        if layer.encrypted:
            usage.encrypted_files.append(layer.file)
        elif layer.secrets:
            usage.plaintext_files.append(layer.file)
    wanted: set[tuple[str, str]] = set()
    pulls: set[tuple[str, str]] = set()
    for r in info.app.resources:
        key = _key(r)
        if isinstance(r.manifest.get("sops"), Mapping):
            usage.sops_manifests.append(f"{r.kind} {r.name}")
        elif key == SEALED_SECRET:
            usage.sealed.append(_target_name(r))
        elif key == EXTERNAL_SECRET:
            usage.external.append(_target_name(r))
        elif key == ("", "Secret") and _has_values(r.manifest) and not usage.encrypted_files \
                and r.manifest.get("type") != "kubernetes.io/service-account-token":
            usage.plaintext_secrets.append(f"{r.namespace}/{r.name}" if r.namespace else r.name)
        refs = {(r.namespace, name) for name in referenced_secrets(r.manifest)}
        if refs - provided and r.origin not in usage.readers:
            usage.readers.append(r.origin)
        wanted |= refs
        pulls |= {(r.namespace, name) for name in pull_secrets(r.manifest)}
    usage.by_hand = sorted(wanted - provided)
    usage.pull = sorted({name for _, name in pulls - provided})
    return usage
