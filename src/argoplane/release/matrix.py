"""The image-tag matrix: which tag every service runs in every environment x region.

An environment's `tag.yaml` sets `image.tag` for all its regions; a region's
`<region>.values.yaml` may pin its own (it comes later in the value files, so it wins).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argoplane.core import yamlio
from argoplane.core.errors import InputError
from argoplane.layout.inventory import Platform, Service


def tag_file(svc: Service, env: str) -> str:
    return f"{svc.path}/{env}/tag.yaml"


def values_file(svc: Service, env: str, region: str) -> str:
    return f"{svc.path}/{env}/{region}.values.yaml"


@dataclass(frozen=True)
class Cell:
    env: str
    region: str
    tag: str | None  # what the Application deploys (None: no tag set)
    source: str | None  # the file that sets it
    pinned: bool  # set by the region's values file rather than the environment's tag.yaml


@dataclass(frozen=True)
class Row:
    service: Service
    env_tags: Mapping[str, str | None]  # tag.yaml per environment
    cells: tuple[Cell, ...]  # in the platform's environment x region order
    missing: tuple[str, ...]  # layout files that are not there

    def cell(self, env: str, region: str) -> Cell | None:
        return next((c for c in self.cells if c.env == env and c.region == region), None)

    def of_env(self, env: str) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.env == env)


def image_tag(data: Any) -> str | None:
    """`image.tag` of a values document, as Helm would read it; None when unset or empty."""
    if not isinstance(data, Mapping):
        return None
    image = data.get("image")
    if not isinstance(image, Mapping) or "tag" not in image:
        return None
    tag = image["tag"]
    if tag is None or tag == "":
        return None
    if isinstance(tag, bool):
        return "true" if tag else "false"
    return str(tag)


def has_tag_key(data: Any) -> bool:
    return (isinstance(data, Mapping) and isinstance(data.get("image"), Mapping)
            and "tag" in data["image"])


def _read(root: Path, rel: str) -> tuple[Any, bool]:
    path = root / rel
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, False
    except (UnicodeDecodeError, IsADirectoryError):
        raise InputError("not a YAML text file", file=rel) from None
    return yamlio.load(text, rel), True


def read_row(root: Path, platform: Platform, svc: Service) -> Row:
    env_tags: dict[str, str | None] = {}
    cells: list[Cell] = []
    missing: list[str] = []
    for env in platform.environments:
        rel = tag_file(svc, env.name)
        data, found = _read(root, rel)
        if not found:
            missing.append(rel)
        env_tag = env_tags[env.name] = image_tag(data)
        for target in platform.targets_of(env.name):
            vrel = values_file(svc, env.name, target.region)
            vdata, vfound = _read(root, vrel)
            if not vfound:
                missing.append(vrel)
            if has_tag_key(vdata):
                cells.append(Cell(env.name, target.region, image_tag(vdata), vrel, True))
            else:
                cells.append(Cell(env.name, target.region, env_tag,
                                  rel if env_tag is not None else None, False))
    return Row(svc, env_tags, tuple(cells), tuple(missing))


def read_matrix(root: Path, platform: Platform, services: Iterable[Service] | None = None
                ) -> list[Row]:
    chosen = platform.services if services is None else tuple(services)
    return [read_row(root, platform, svc) for svc in chosen]
