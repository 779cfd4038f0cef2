"""`migrate`: plan the phases one after the other on a scratch copy, render and prove each,
and write the result to the repository only when every proof holds."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from argoplane.core.errors import InputError
from argoplane.core.snapshot import Snapshot
from argoplane.diff.decryptions import Shared, SharedDecryptions
from argoplane.diff.revisions import revision_options, tracking_labels
from argoplane.layout import git
from argoplane.layout.migrate import appsets, environments, projects, regions, roots, secrets
from argoplane.layout.migrate.model import (
    PHASES,
    Migration,
    NeedsPhase,
    Options,
    PhasePlan,
    PhaseResult,
)
from argoplane.layout.migrate.proof import Intents, lint_errors, prove
from argoplane.layout.migrate.state import State, load_state
from argoplane.layout.migrate.workspace import Workspace
from argoplane.layout.plan import Change, Plan
from argoplane.layout.writer import apply as write
from argoplane.render.cache import RenderCache
from argoplane.render.helm.backends import SdkBackend
from argoplane.render.model import RenderedTree
from argoplane.render.tree import RenderOptions, render_repository
from argoplane.secrets.sops import KeySources, key_sources

Planner = Callable[[State], PhasePlan]


def phases_for(phase: str) -> list[str]:
    if phase == "all":
        return list(PHASES)
    if phase not in PHASES:
        raise InputError(f"--phase {phase}: not one of {', '.join(PHASES)}, all")
    return [phase]


def _keys(repo: Snapshot, options: Options) -> KeySources:
    keys = key_sources(repo.root, repo.config.age_key_file, os.environ)
    if options.age_key_file is not None:
        if not options.age_key_file.is_file():
            raise InputError("no such file", file=str(options.age_key_file))
        keys = keys.with_file(options.age_key_file.resolve())
    return keys


class _Run:
    def __init__(self, repo: Path, options: Options, render: RenderOptions) -> None:
        self.repo = repo
        self.options = options
        self.render_options = render
        self.original = Snapshot.open(repo)
        self.keys = _keys(self.original, options)
        self.shared: Shared = {}
        self.labels = tracking_labels(self.original)

    def render(self, snapshot: Snapshot) -> RenderedTree:
        options = replace(self.render_options,
                          secrets=SharedDecryptions(snapshot.root, self.keys, self.shared))
        return render_repository(snapshot, revision_options(snapshot, options))

    def planner(self, phase: str) -> Planner:
        if phase == "secrets":
            inputs = secrets.secrets_for(self.keys, self.options.age, self.options.age_key_file)
            return lambda state: secrets.plan(state, inputs)
        planners: dict[str, Planner] = {
            "appsets": appsets.plan, "app-of-apps": roots.plan,
            "environments": environments.plan, "projects": projects.plan,
            "regions": regions.plan,
        }
        return planners[phase]

    def run(self, phases: list[str], *, everything: bool) -> Migration:
        before = self.render(self.original)
        if not before.apps and not before.appsets:
            raise InputError(f"{self.repo}: no Argo CD Application or ApplicationSet found")
        migration = Migration(self.repo)
        intents = Intents.start(before)
        errors = lint_errors(before, self.original)
        env = self.options.current_env
        with Workspace(self.repo) as ws:
            snapshot, tree = ws.snapshot(), before
            for phase in phases:
                if phase == "regions" and everything and not self.options.regions:
                    plan = PhasePlan("regions", notes=["not run: no --regions given (the first "
                                                       "region is where today's deployments "
                                                       "run)"])
                    migration.phases.append(PhaseResult(plan))
                    continue
                state = load_state(snapshot, tree, self.options)
                try:
                    plan = self.planner(phase)(state)
                except NeedsPhase as exc:
                    if not everything:
                        raise
                    plan = PhasePlan(phase, notes=[f"not run: {exc}"])
                if plan.empty:
                    migration.phases.append(PhaseResult(plan))
                    continue
                ws.apply(plan.changes)
                snapshot = ws.snapshot()
                tree = self.render(snapshot)
                intents.advance(plan)
                proof = prove(before, tree, intents, env, self.labels,
                              (errors, lint_errors(tree, snapshot)))
                migration.phases.append(PhaseResult(plan, proof))
            migration.changes = ws.changes()
        return migration


def migrate(repo: Path, phase: str, options: Options, render: RenderOptions | None = None, *,
            apply: bool = False, allow_dirty: bool = False) -> Migration:
    """Plan (and with `apply`, write) the migration of `repo` through `phase` ("all" for
    every phase in order)."""
    if not repo.is_dir():
        raise InputError(f"{repo}: no such directory")
    chosen = phases_for(phase)
    if apply:
        git.ensure_clean(repo, allow_dirty)
    render = render or RenderOptions()
    if render.helm is None:  # the phases render the same charts again and again
        render = replace(render, helm=RenderCache(SdkBackend()))
    migration = _Run(repo, options, render).run(chosen, everything=phase == "all")
    if apply:
        if not migration.ok:
            migration.aborted = True
        elif migration.changes:
            write_changes(repo, migration)
    return migration


def write_changes(repo: Path, migration: Migration) -> None:
    """Every file through a temporary file and a rename; deletions last, so an interrupted
    run leaves the old Application files next to the new ones, never neither."""
    writes = [Change(c.path, c.action, c.content) for c in migration.changes
              if c.action != "delete"]
    write(Plan(repo, writes))
    for change in migration.changes:
        if change.action == "delete":
            (repo / change.path).unlink(missing_ok=True)
    migration.applied = True
