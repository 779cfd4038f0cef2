"""Render two revisions of a checkout and compare them: the orchestration behind `diff`."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from argoplane.core.snapshot import (
    Snapshot,
    merge_base,
    resolve_revision,
    revision_label,
    revision_tree,
)
from argoplane.diff.compare import DiffOptions, compare
from argoplane.diff.decryptions import Shared, SharedDecryptions
from argoplane.diff.model import Side, TreeDiff
from argoplane.render.model import RenderedTree
from argoplane.render.tree import RenderOptions, render_repository
from argoplane.secrets.sops import KeySources, key_sources
from argoplane.secrets.values import SecretValues


@dataclass(frozen=True)
class Revisions:
    base: str
    head: str | None  # None: the working tree
    base_label: str | None = None  # how to name BASE when it was computed (merge base)


def parse_revisions(repo: Path, base: str, head: str | None) -> Revisions:
    """`BASE [HEAD]`, or git's range forms as BASE alone: `A..B` (A to B) and `A...B`
    (from where B forked off A to B, what a merge request shows); an empty side is HEAD."""
    if head is None and "..." in base:
        left, right = (part or "HEAD" for part in base.split("...", 1))
        fork = merge_base(repo, left, right)
        return Revisions(fork, right, f"merge-base of {left} and {right} ({fork[:7]})")
    if head is None and ".." in base:
        left, right = (part or "HEAD" for part in base.split("..", 1))
        return Revisions(left, right)
    return Revisions(base, head)


def tracking_labels(*snapshots: Snapshot) -> tuple[str, ...]:
    """The label keys Argo CD sets for tracking (label tracking only): not content."""
    keys = {s.config.instance_label_key for s in snapshots
            if s.config.tracking_method in ("label", "annotation+label")}
    return tuple(sorted(keys))


def _keys(snapshot: Snapshot) -> KeySources:
    """Age keys for a snapshot: a revision's key file is looked for in the folder it was read
    from first (keys are seldom committed), then in the revision itself."""
    folder = snapshot.checkout or snapshot.root
    keys = key_sources(folder, snapshot.config.age_key_file, os.environ)
    if keys.config_file is None and snapshot.config.age_key_file and folder != snapshot.root:
        keys = key_sources(snapshot.root, snapshot.config.age_key_file, os.environ)
    return keys


def revision_options(snapshot: Snapshot, options: RenderOptions) -> RenderOptions:
    """Options to render a revision with what Git seldom holds taken from the folder it was
    read from: the offline chart cache (`helm.chartsDir`) and the age key file
    (`secrets.ageKeyFile`). A working-tree snapshot gets `options` unchanged."""
    if snapshot.checkout is None:
        return options
    extra = [d for d in snapshot.checkout_charts_dirs() if d not in options.charts_dirs]
    secrets = options.secrets or SecretValues(snapshot.root, _keys(snapshot))
    return replace(options, charts_dirs=[*options.charts_dirs, *extra], secrets=secrets)


def render_snapshot(snapshot: Snapshot, options: RenderOptions,
                    shared: Shared | None = None) -> RenderedTree:
    """Render a working tree or a revision; with `shared`, `secrets://` files decrypted by
    another render with the same `shared` are not decrypted again."""
    if shared is not None and options.secrets is None:
        options = replace(options, secrets=SharedDecryptions(snapshot.root, _keys(snapshot),
                                                             shared))
    return render_repository(snapshot, revision_options(snapshot, options))


def diff_revisions(repo: Path, revisions: Revisions, options: RenderOptions,
                   diff_options: DiffOptions) -> TreeDiff:
    """Render BASE and HEAD (the working tree when HEAD is None) and compare them. Pass a
    `RenderCache` as `options.helm` so that an Application whose chart and values did not
    change is rendered once; `secrets://` files that did not change are decrypted once."""
    same = revisions.head is not None and (
        revision_tree(repo, revisions.base) == revision_tree(repo, revisions.head))
    prepare = getattr(options.helm, "prepare_workers", None)
    if prepare is not None:
        prepare()  # before the thread below: forking workers is cheap until then
    with ExitStack() as stack, ThreadPoolExecutor(max_workers=1) as unpack:
        base = stack.enter_context(Snapshot.at_revision(repo, revisions.base))
        # HEAD's files are unpacked (git and tar, in other processes) while BASE renders
        ahead = (unpack.submit(stack.enter_context, Snapshot.at_revision(repo, revisions.head))
                 if revisions.head is not None and not same else None)
        shared: Shared = {}
        base_tree = render_snapshot(base, options, shared)
        if same:  # the same files: the same render
            assert revisions.head is not None
            commit = resolve_revision(repo, revisions.head)
            head = replace(base, label=revision_label(revisions.head, commit), commit=commit)
            head_tree = base_tree
        else:
            head = ahead.result() if ahead is not None else Snapshot.open(repo)
            head.parsed = base.parsed  # files that did not change are not parsed again
            head_tree = render_snapshot(head, options, shared)
        labels = tracking_labels(base, head)
    return compare(
        base_tree, head_tree,
        replace(diff_options, ignore_labels=tuple(sorted({*diff_options.ignore_labels, *labels}))),
        Side(revisions.base_label or base.label, revisions.base, base.commit),
        Side(head.label, revisions.head, head.commit),
    )
