"""Run the rules over a rendered tree; apply levels, ignores and annotations; build a report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from argoplane.argocd.objects import metadata
from argoplane.checks.context import LintContext
from argoplane.checks.model import Finding, Hit, Level, LintReport, Rule, rank
from argoplane.checks.registry import RULES
from argoplane.checks.settings import IGNORE_ANNOTATION, LintSettings, parse_ignore_annotation
from argoplane.core.config import ClusterConfig
from argoplane.core.snapshot import Snapshot
from argoplane.render.model import RenderedTree


def _silenced(ctx: LintContext, rule: str, hit: Hit) -> bool:
    manifests = [*ctx.owners(hit.app)]
    if hit.manifest is not None:
        manifests.append(hit.manifest)
    for manifest in manifests:
        annotations = metadata(manifest).get("annotations")
        if isinstance(annotations, dict) and rule in parse_ignore_annotation(
                annotations.get(IGNORE_ANNOTATION)):
            return True
    return False


def run_rules(ctx: LintContext, rules: Iterable[Rule]) -> list[Finding]:
    """Every finding of the enabled rules, after levels, per-path ignores and annotations."""
    settings = ctx.settings
    findings: list[Finding] = []
    seen: set[Finding] = set()
    for rule in rules:
        if rule.id in settings.disabled:
            continue
        for hit in rule.check(ctx):
            if _silenced(ctx, rule.id, hit) or settings.ignored_at(rule.id, hit.file):
                continue
            level: Level = settings.levels.get(rule.id) or hit.level or rule.level
            finding = Finding(rule.id, level, hit.message, hit.app.name if hit.app else None,
                              hit.file, hit.line)
            if finding not in seen:
                seen.add(finding)
                findings.append(finding)
    order: dict[str, int] = {}
    for i, app in enumerate(ctx.tree.apps):
        order.setdefault(app.name, i)
    findings.sort(key=lambda f: (order.get(f.app, -1) if f.app else -1, f.file or "",
                                 f.line or 0, f.rule, f.message))
    return findings


def report(repo: str, ctx: LintContext, findings: Sequence[Finding], rules: Sequence[Rule],
           severity: Level = "info") -> LintReport:
    shown = tuple(f for f in findings if rank(f.level) >= rank(severity))
    names: list[str] = []
    for app in ctx.tree.apps:
        if app.name not in names:
            names.append(app.name)
    return LintReport(repo=repo, findings=shown, rules=tuple(sorted(rules, key=lambda r: r.id)),
                      applications=len(ctx.tree.apps), app_order=tuple(names),
                      hidden=len(findings) - len(shown))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def lint(tree: RenderedTree, snapshot: Snapshot, settings: LintSettings, *,
         clusters: tuple[ClusterConfig, ...], repo: str, severity: Level = "info",
         rules: Sequence[Rule] | None = None) -> tuple[LintReport, bool]:
    """Lint a rendered repository: the report to show, and whether any finding is an error
    (whatever the severity shown)."""
    chosen = list(rules if rules is not None else RULES.values())
    ctx = LintContext(tree, snapshot, settings, clusters)
    findings = run_rules(ctx, chosen)
    return report(repo, ctx, findings, list(RULES.values()), severity), has_errors(findings)
