"""AP010: container images in production that are not pinned to a version or digest."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from argoplane.checks.context import LintContext
from argoplane.checks.model import Hit, Rule

# where the pod spec sits in each workload kind
POD_SPECS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "Rollout": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
MOVING_TAGS = frozenset({"latest", "stable", "edge", "nightly", "main", "master", "dev",
                         "develop", "head", "snapshot", "canary"})
PARTIAL_VERSION = re.compile(r"^v?\d+(\.\d+)?$")


@dataclass(frozen=True)
class ImageRef:
    name: str
    tag: str | None  # None: no tag at all
    digest: str | None


def parse_image(image: str) -> ImageRef:
    """`registry/repo[:tag][@digest]`; a `:` before the last `/` belongs to the registry port."""
    rest, _, digest = image.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        return ImageRef(rest[:colon], rest[colon + 1:], digest or None)
    return ImageRef(rest, None, digest or None)


def unpinned(image: str) -> str | None:
    """Why an image reference is not pinned, or None when it is."""
    ref = parse_image(image.strip())
    if ref.digest:
        return None
    if ref.tag is None:
        return "has no tag, so it runs whatever `latest` is"
    if ref.tag == "":
        return "has an empty tag"
    if ref.tag.lower() in MOVING_TAGS:
        return f"uses the moving tag {ref.tag!r}"
    if PARTIAL_VERSION.match(ref.tag):
        return f"uses {ref.tag!r}, a tag that moves with every patch release"
    return None


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, Mapping) else None
    return obj


def _check(ctx: LintContext) -> Iterator[Hit]:
    for app in ctx.tree.apps:
        if not app.resources or not ctx.is_production(app):
            continue
        for res in app.resources:
            spec_path = POD_SPECS.get(res.kind)
            pod = _get(res.manifest, spec_path) if spec_path else None
            if not isinstance(pod, Mapping):
                continue
            assert spec_path is not None
            for group in CONTAINER_LISTS:
                containers = pod.get(group)
                if not isinstance(containers, list):
                    continue
                for i, container in enumerate(containers):
                    if not isinstance(container, Mapping):
                        continue
                    image = str(container.get("image") or "")
                    why = unpinned(image) if image else "has no image"
                    if why is None:
                        continue
                    site = ctx.resource_site(res, (*spec_path, group, i, "image"))
                    yield Hit(f"Application {app.name} (production): {res.kind} {res.name}, "
                              f"container {container.get('name') or i}: image {image!r} {why}",
                              app, site.file, site.line, manifest=res.manifest)


RULES = [
    Rule(
        "AP010", "unpinned-image", "Image not pinned in production", "warning",
        """A container in an Application whose name, project, destination or cluster marks it as
production uses an image without a tag (which means `latest`), with an empty tag, with a moving
tag (`latest`, `stable`, `main`, ...), or with a partial version such as `1.8` that follows patch
releases. The same Git revision then deploys different code over time, a node restart can
upgrade a pod without a commit, and a rollback in Git does not roll the image back.

Fix: pin the full version (`1.8.2`) or a digest (`@sha256:...`), for example in the
environment's `tag.yaml`, and promote tags from staging to production by commit. Which words
mark production is set by `lint.productionMarkers` in `.argoplane.yaml`.""",
        _check,
    ),
]
