"""Drift in the tag matrix: an environment behind (or ahead of) the one before it in
promotion order, and regions of one environment on different tags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from argoplane.layout.inventory import Platform
from argoplane.release.matrix import Row
from argoplane.release.versions import compare

Kind = Literal["behind", "ahead", "differs", "regions-differ"]


@dataclass(frozen=True)
class Drift:
    kind: Kind
    env: str
    other: str | None  # the environment it is compared with (the one before it)
    regions: tuple[str, ...]
    text: str


def _regions_differ(row: Row, env: str) -> Drift | None:
    cells = [c for c in row.of_env(env) if c.tag is not None]
    if len({c.tag for c in cells}) < 2:
        return None
    listed = ", ".join(f"{c.region} {c.tag}" for c in cells)
    return Drift("regions-differ", env, None, tuple(c.region for c in cells),
                 f"{env} regions differ: {listed}")


def _against(row: Row, platform: Platform, before: str, env: str) -> list[Drift]:
    common = [c for c in row.of_env(env)
              if (prev := row.cell(before, c.region)) is not None]
    found: dict[tuple[Kind, str, str], list[str]] = defaultdict(list)
    for cell in common:
        prev = row.cell(before, cell.region)
        assert prev is not None
        if cell.tag is None or prev.tag is None or cell.tag == prev.tag:
            continue
        order = compare(cell.tag, prev.tag)
        kind: Kind = "differs" if order is None else "behind" if order < 0 else "ahead"
        found[(kind, cell.tag, prev.tag)].append(cell.region)
    out: list[Drift] = []
    for (kind, tag, prev_tag), regions in found.items():
        where = "" if len(regions) == len(common) else f" in {', '.join(regions)}"
        relation = {"behind": f"behind {before}", "ahead": f"ahead of {before}",
                    "differs": f"differs from {before}"}[kind]
        sign = {"behind": "<", "ahead": ">", "differs": "vs"}[kind]
        out.append(Drift(kind, env, before, tuple(regions),
                         f"{env} {relation}{where}: {tag} {sign} {prev_tag}"))
    return out


def detect(row: Row, platform: Platform) -> list[Drift]:
    out: list[Drift] = []
    envs = [e.name for e in platform.environments]
    for index, env in enumerate(envs):
        split = _regions_differ(row, env)
        if split is not None:
            out.append(split)
        if index > 0:
            out += _against(row, platform, envs[index - 1], env)
    return out
