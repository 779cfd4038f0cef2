"""Render, assess, compare: the entry points the commands call."""

from __future__ import annotations

from collections.abc import Set

from argoplane.assess.compare import Comparison, build_comparison
from argoplane.assess.facts import facts_of
from argoplane.assess.files import doc_files, list_files
from argoplane.assess.hints import hints_for
from argoplane.assess.inventory import build_inventory
from argoplane.assess.model import Assessment, Practice
from argoplane.assess.practices import DETECTORS, Subject
from argoplane.assess.repo import Repo
from argoplane.assess.scorecard import apply_weights, grade, score
from argoplane.core.errors import InputError
from argoplane.core.snapshot import Snapshot
from argoplane.render.discover import discover
from argoplane.render.model import RenderedTree
from argoplane.render.tree import RenderOptions, render_repository


def error_lines(tree: RenderedTree) -> list[str]:
    lines = [f"{a.name}: {m.text}" for a in tree.apps for m in a.messages if m.level == "error"]
    lines += [f"{s.name}: {m.text}" for s in tree.appsets for m in s.messages
              if m.level == "error"]
    lines += [m.text for m in tree.messages if m.level == "error"]
    return lines


def assess(snapshot: Snapshot, tree: RenderedTree, *, name: str,
           commands: Set[str] = frozenset()) -> Repo:
    """Assess a rendered repository."""
    files = list_files(snapshot)
    subject = Subject(build_inventory(snapshot, tree), files, doc_files(snapshot, files))
    practices: list[Practice] = []
    for practice_id, (title, detect) in DETECTORS.items():
        found = detect(subject)
        practices.append(Practice(practice_id, title, found.level, found.summary,
                                  found.evidence, found.notes))
    apply_weights(practices)
    value = score(practices)
    candidates, _ = discover(snapshot)
    assessment = Assessment(
        name=name, repo=str(snapshot.root), practices=practices,
        facts=facts_of(subject.inventory, len({c.file for c in candidates})),
        score=value, grade=grade(value), hints=hints_for(practices, commands),
        errors=error_lines(tree),
    )
    return Repo(assessment, subject, tree)


def assess_repository(snapshot: Snapshot, *, name: str, commands: Set[str] = frozenset(),
                      options: RenderOptions | None = None) -> Repo:
    tree = render_repository(snapshot, options or RenderOptions())
    if not tree.apps and not tree.appsets:
        raise InputError(f"{snapshot.root}: no Argo CD Application or ApplicationSet found")
    return assess(snapshot, tree, name=name, commands=commands)


def compare_repositories(a: Snapshot, b: Snapshot, *, names: tuple[str, str],
                         commands: Set[str] = frozenset(),
                         options: RenderOptions | None = None) -> Comparison:
    repo_a = assess_repository(a, name=names[0], commands=commands, options=options)
    repo_b = assess_repository(b, name=names[1], commands=commands, options=options)
    return build_comparison(repo_a, repo_b, names, commands, options)
