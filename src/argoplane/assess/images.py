"""Where an Application's image tag is set: its own file, the values, the Application, a chart."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from argoplane.assess.inventory import AppInfo, ValueLayer
from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError

Place = Literal["tag-file", "parameters", "kustomization", "values", "application", "manifests",
                "chart", "unset"]
OWN_PLACES: frozenset[Place] = frozenset({"tag-file", "parameters", "kustomization"})
_IMAGE_KEY = re.compile(r"image", re.IGNORECASE)
_TAG_KEYS = frozenset({"tag", "imagetag", "image_tag", "version"})


@dataclass(frozen=True)
class TagPlace:
    place: Place
    file: str | None
    tag: str | None


def _leaves(data: Mapping[str, Any], path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], Any]]:
    for key, value in data.items():
        here = (*path, str(key))
        if isinstance(value, Mapping) and value:
            yield from _leaves(value, here)
        else:
            yield here, value


def _is_tag_path(path: tuple[str, ...]) -> bool:
    leaf = path[-1].lower()
    if leaf in ("imagetag", "image_tag"):
        return True
    return leaf in _TAG_KEYS and any(_IMAGE_KEY.search(p) for p in path[:-1])


def _tags(data: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for path, value in _leaves(data):
        if _is_tag_path(path) and value not in (None, ""):
            out.append(str(value))
        elif path[-1].lower() == "image" and isinstance(value, str) and ":" in value.rsplit(
                "/", 1)[-1]:
            out.append(value.rsplit(":", 1)[1])
    return out


def is_tag_file(data: Mapping[str, Any]) -> bool:
    """A value file that holds image settings only (the reference layout's `tag.yaml`)."""
    leaves = list(_leaves(data))
    return bool(leaves) and bool(_tags(data)) and all(
        any(_IMAGE_KEY.search(p) for p in path) or _is_tag_path(path) for path, _ in leaves)


def _param_tags(layer: ValueLayer) -> list[str]:
    data = layer.data or {}
    return [str(v) for k, v in data.items()
            if _IMAGE_KEY.search(k) and (k.lower().endswith("tag") or k.lower() == "image")
            and v not in (None, "")]


def tag_place(info: AppInfo, read_text: Callable[[str], str] | None = None) -> TagPlace:
    """Where the image tag that wins for this Application is written."""
    if info.source_type == "kustomize" and info.source_path is not None and read_text is not None:
        for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
            try:
                data = yamlio.load(read_text(f"{info.source_path}/{name}".lstrip("/")), name)
            except ArgoplaneError:
                continue
            if isinstance(data, Mapping) and data.get("images"):
                return TagPlace("kustomization", f"{info.source_path}/{name}", None)
    found: TagPlace | None = None
    for layer in info.layers:
        if layer.data is None:
            continue
        if layer.kind == "parameters":
            tags = _param_tags(layer)
            if tags:
                found = TagPlace("parameters", None, tags[-1])
            continue
        tags = _tags(layer.data)
        if not tags:
            continue
        if layer.kind == "inline":
            found = TagPlace("application", None, tags[-1])
        elif layer.kind == "file" and is_tag_file(layer.data):
            found = TagPlace("tag-file", layer.file, tags[-1])
        else:
            found = TagPlace("values", layer.file, tags[-1])
    if found is not None:
        return found
    images = _rendered_tags(info)
    if images:
        place: Place = "chart" if info.source_type in ("helm", "chart") else "manifests"
        return TagPlace(place, info.source_path, images[0])
    return TagPlace("unset", None, None)


def _rendered_tags(info: AppInfo) -> list[str]:
    tags: list[str] = []
    for r in info.app.resources:
        spec = r.manifest.get("spec")
        template = spec.get("template") if isinstance(spec, Mapping) else None
        pod = template.get("spec") if isinstance(template, Mapping) else None
        if not isinstance(pod, Mapping):
            continue
        for container in pod.get("containers") or []:
            image = str(container.get("image") or "") if isinstance(container, Mapping) else ""
            last = image.rsplit("/", 1)[-1]
            if ":" in last:
                tags.append(last.rsplit(":", 1)[1])
    return tags
