"""Plans for `set-image` and `promote`: which tag files change, and what each move is.

An environment-wide tag lives in `<env>/tag.yaml`; a tag for one region is pinned in
`<env>/<region>.values.yaml`. Setting an environment's tag drops its regions' pins, so
every region then runs it; pinning a region to the environment's own tag drops the pin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from argoplane.core.errors import InputError
from argoplane.layout.inventory import Platform, Service
from argoplane.layout.plan import Change, Plan
from argoplane.layout.templates.service import tag_yaml
from argoplane.release import edit
from argoplane.release.imagetag import check_tag
from argoplane.release.matrix import Row, read_row, tag_file


@dataclass(frozen=True)
class Move:
    service: str
    env: str
    regions: tuple[str, ...]
    old: str | None
    new: str

    def text(self) -> str:
        regions = ", ".join(self.regions)
        return f"{self.service} {self.env} ({regions}): {self.old or 'none'} -> {self.new}"


@dataclass
class ReleasePlan:
    plan: Plan
    moves: list[Move] = field(default_factory=list)
    title: str = ""

    def commit_message(self) -> str:
        body = "\n".join(f"- {m.text()}" for m in self.moves)
        files = "\n".join(f"  {p}" for p in self.plan.paths)
        return f"{self.title}\n\n{body}\n\nFiles:\n{files}\n"


class _Edits:
    """File contents as they will be after every edit so far (one change per file)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.texts: dict[str, str | None] = {}
        self.original: dict[str, str | None] = {}
        self.notes: dict[str, list[str]] = {}

    def text(self, rel: str) -> str | None:
        if rel not in self.texts:
            try:
                content: str | None = (self.root / rel).read_text(encoding="utf-8")
            except FileNotFoundError:
                content = None
            self.texts[rel] = self.original[rel] = content
        return self.texts[rel]

    def put(self, rel: str, text: str, note: str) -> None:
        self.text(rel)
        self.texts[rel] = text
        self.notes.setdefault(rel, []).append(note)

    def plan(self, plan: Plan) -> None:
        for rel, text in self.texts.items():
            before = self.original[rel]
            if text is None or text == before:
                continue
            plan.add(Change(rel, "create" if before is None else "update", text,
                            "; ".join(self.notes.get(rel, []))))


def _set_env(edits: _Edits, row: Row, env: str, tag: str) -> None:
    svc = row.service
    rel = tag_file(svc, env)
    current = edits.text(rel)
    if current is None:
        edits.put(rel, tag_yaml(svc, env, tag), f"image.tag {tag}")
    elif row.env_tags.get(env) != tag:
        edits.put(rel, edit.set_tag(current, rel, tag),
                  f"image.tag {row.env_tags.get(env) or 'none'} -> {tag}")
    for cell in row.of_env(env):
        if cell.pinned and cell.source is not None:
            _drop_pin(edits, cell.source, cell.tag)


def _drop_pin(edits: _Edits, rel: str, old: str | None) -> None:
    text = edits.text(rel)
    if text is not None:
        edits.put(rel, edit.drop_tag(text, rel), f"drop region pin image.tag {old or 'none'}")


def _set_region(edits: _Edits, row: Row, env: str, region: str, tag: str) -> None:
    cell = row.cell(env, region)
    assert cell is not None
    if row.env_tags.get(env) == tag:
        if cell.pinned and cell.source is not None:
            _drop_pin(edits, cell.source, cell.tag)
        return
    if cell.pinned and cell.tag == tag:
        return
    rel = f"{row.service.path}/{env}/{region}.values.yaml"
    text = edits.text(rel)
    if text is None:
        raise InputError("no such file (run `argoplane init` to restore the layout)", file=rel)
    edits.put(rel, edit.set_tag(text, rel, tag),
              f"pin image.tag {cell.tag or 'none'} -> {tag} for {region}")


def _moves(row: Row, env: str, regions: Sequence[str], tag: str) -> list[Move]:
    by_old: dict[str | None, list[str]] = {}
    for region in regions:
        cell = row.cell(env, region)
        if cell is not None and cell.tag != tag:
            by_old.setdefault(cell.tag, []).append(region)
    return [Move(row.service.name, env, tuple(rs), old, tag) for old, rs in by_old.items()]


def _region_check(platform: Platform, env: str, region: str | None) -> None:
    if region is not None:
        if region not in platform.regions:
            raise InputError(f"unknown region {region!r} (regions: {', '.join(platform.regions)})")
        platform.target(env, region)


def _apply(edits: _Edits, row: Row, platform: Platform, env: str, region: str | None,
           tag: str) -> list[Move]:
    if region is None:
        _set_env(edits, row, env, tag)
        return _moves(row, env, platform.environment(env).regions, tag)
    _set_region(edits, row, env, region, tag)
    return _moves(row, env, [region], tag)


def set_image(root: Path, platform: Platform, service: str, tag: str, env: str,
              region: str | None = None) -> ReleasePlan:
    check_tag(tag)
    svc = platform.service(service)
    platform.environment(env)
    _region_check(platform, env, region)
    edits = _Edits(root)
    row = read_row(root, platform, svc)
    moves = _apply(edits, row, platform, env, region, tag)
    plan = Plan(root)
    edits.plan(plan)
    where = f"{env}/{region}" if region else env
    if plan.empty:
        plan.notes.append(f"{service} already runs {tag} in {where}")
    return ReleasePlan(plan, moves, f"set-image {service} {tag} in {where}")


def _source_tag(row: Row, platform: Platform, env: str, region: str | None) -> str:
    svc = row.service.name
    if region is not None:
        cell = row.cell(env, region)
        if cell is None:
            raise InputError(f"environment {env} has no region {region!r}")
        if cell.tag is None:
            raise InputError(f"{svc} has no image tag in {env}/{region} to promote")
        return cell.tag
    tags = {c.region: c.tag for c in row.of_env(env)}
    distinct = {t for t in tags.values() if t is not None}
    if not distinct:
        raise InputError(f"{svc} has no image tag in {env} to promote "
                         f"(set one with `argoplane set-image {svc} TAG --env {env}`)")
    if len(distinct) > 1 or None in tags.values():
        listed = ", ".join(f"{r} {t or 'none'}" for r, t in tags.items())
        raise InputError(f"{svc} runs different tags in the regions of {env} ({listed}); "
                         "promote one region at a time with --region")
    return distinct.pop()


def promote(root: Path, platform: Platform, services: Sequence[str], source: str, target: str,
            region: str | None = None) -> ReleasePlan:
    platform.environment(source)
    platform.environment(target)
    if source == target:
        raise InputError(f"--from and --to are both {source}")
    if region is not None:
        _region_check(platform, source, region)
        _region_check(platform, target, region)
    chosen: list[Service] = [platform.service(s) for s in dict.fromkeys(services)]
    if not chosen:
        raise InputError("name the services to promote, or pass --all")
    edits = _Edits(root)
    moves: list[Move] = []
    unchanged: list[str] = []
    for svc in chosen:
        row = read_row(root, platform, svc)
        tag = _source_tag(row, platform, source, region)
        found = _apply(edits, row, platform, target, region, tag)
        moves += found
        if not found:
            unchanged.append(f"{svc.name} {tag}")
    plan = Plan(root)
    edits.plan(plan)
    where = f"{target}/{region}" if region else target
    if unchanged:
        listed = ", ".join(unchanged) if len(unchanged) <= 5 else f"{len(unchanged)} services"
        plan.notes.append(f"already in {where}: {listed}")
    names = ", ".join(s.name for s in chosen) if len(chosen) <= 3 else f"{len(chosen)} services"
    title = f"promote {source} -> {where}: {names}"
    return ReleasePlan(plan, moves, title)
