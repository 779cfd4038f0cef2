"""Two repositories side by side: the comparison report's content, computed from both."""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass, field
from typing import Literal

from argoplane.argocd.objects import argo_kind
from argoplane.assess.files import DOC_FOLDERS
from argoplane.assess.images import is_tag_file
from argoplane.assess.inventory import AppInfo
from argoplane.assess.layout import Annotator, directory_tree, load_candidates_safe
from argoplane.assess.model import Assessment, Level, Plan, Snippet
from argoplane.assess.practices import names, plural
from argoplane.assess.proposal import propose
from argoplane.assess.repo import Repo
from argoplane.assess.secret_usage import SecretUsage, provided_secrets, usage_of
from argoplane.assess.verify import verify
from argoplane.core.errors import ArgoplaneError
from argoplane.render.tree import RenderOptions

Winner = Literal["a", "b", "tie"]
MAX_EXCERPT = 60  # lines of a manifest shown in the report


@dataclass
class Aspect:
    title: str
    a: str
    b: str
    winner: Winner


@dataclass
class Side:
    """One repository's part of a section."""

    bullets: list[str] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    marks: list[tuple[Level, str]] = field(default_factory=list)  # practice levels shown


@dataclass
class Section:
    id: str
    title: str
    intro: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # label, A, B
    a: Side = field(default_factory=Side)
    b: Side = field(default_factory=Side)
    wide: bool = False  # the two sides need the full width each (directory trees)


@dataclass
class Comparison:
    names: tuple[str, str]
    a: Assessment
    b: Assessment
    aspects: list[Aspect]
    overall: str
    sections: list[Section]
    strengths: tuple[list[str], list[str]]
    weaknesses: tuple[list[str], list[str]]
    weaker: Literal["a", "b"]
    plan: Plan

    def name(self, side: Winner) -> str:
        return {"a": self.names[0], "b": self.names[1], "tie": "tie"}[side]


# -- the executive summary ------------------------------------------------------------------
def _winner(a: tuple[float, ...], b: tuple[float, ...]) -> Winner:
    return "a" if a > b else ("b" if b > a else "tie")


def _architecture(r: Repo) -> str:
    sets = r.assessment.practice("applicationsets").level
    roots = r.assessment.practice("app-of-apps").level
    parts = []
    if sets == "full":
        parts.append("ApplicationSets")
    elif sets == "partial":
        parts.append("ApplicationSets for some services")
    if roots in ("full", "partial"):
        parts.append("App-of-Apps" if roots == "full" else "App-of-Apps for some")
    return " + ".join(parts) if parts else "one Application per service, applied by hand"


def _list_or(values: list[str], empty: str) -> str:
    return ", ".join(values) if values else empty


def _secrets_label(r: Repo) -> str:
    usage = _usage(r)
    kinds = []
    if usage.encrypted_files or usage.sops_manifests:
        kinds.append("SOPS-encrypted in Git")
    if usage.sealed:
        kinds.append("SealedSecrets in Git")
    if usage.external:
        kinds.append("ExternalSecrets")
    if usage.plaintext:
        kinds.append("plain text in Git")
    if usage.by_hand:
        kinds.append("created by hand")
    return ", ".join(kinds) if kinds else "no Secrets used"


def _usage(r: Repo) -> SecretUsage:
    provided = provided_secrets(r.subject.inventory)
    total = SecretUsage()
    for a in r.subject.inventory.service_apps:
        total.merge(usage_of(a, provided))
    return total


def _sync_label(r: Repo) -> str:
    apps = r.subject.inventory.service_apps
    auto = [a for a in apps if a.automated]
    if not apps:
        return "no services"
    if not auto:
        return "manual sync"
    text = "automated sync" if len(auto) == len(apps) else (
        f"automated for {len(auto)} of {len(apps)}")
    manual_infra = [c for c in r.subject.inventory.infrastructure
                    if not any(a.automated for a in c.apps)]
    if manual_infra:
        text += ", infrastructure manual"
    return text


def _docs_label(r: Repo) -> str:
    docs = r.subject.docs
    if not docs:
        return "none"
    pages = [d for d in docs if any(p.lower() in DOC_FOLDERS for p in d.path.split("/")[:-1])]
    readmes = [d for d in docs if d.is_readme]
    parts = [plural(len(readmes), "README")]
    if pages:
        parts.append(plural(len(pages), "docs page"))
    return ", ".join(parts)


def _leverage(r: Repo) -> float:
    files = r.assessment.facts.argocd_files or 1
    return r.assessment.facts.applications / files


def _layers(r: Repo) -> str:
    apps = r.subject.inventory.service_apps
    if not apps:
        return "no services"
    sample = apps[0]
    files = [la for la in sample.layers if la.kind == "file"]
    if not files:
        base = "one values.yaml per chart" if sample.source_type == "helm" else (
            f"{sample.source_type} manifests")
        return base
    return f"chart values + {plural(len(files), 'value file')} per Application"


def aspects(a: Repo, b: Repo) -> list[Aspect]:
    rows: list[Aspect] = []

    def add(title: str, describe: Callable[[Repo], str],
            rank: Callable[[Repo], tuple[float, ...]]) -> None:
        rows.append(Aspect(title, describe(a), describe(b), _winner(rank(a), rank(b))))

    add("Architecture", _architecture,
        lambda r: (r.credit("applicationsets") + r.credit("app-of-apps"),))
    add("Environments", lambda r: _list_or(r.assessment.facts.environments, "one, not named"),
        lambda r: (r.credit("environments"), len(r.assessment.facts.environments)))
    add("Regions", lambda r: _list_or(r.assessment.facts.regions, "none"),
        lambda r: (r.credit("multi-region"), len(r.assessment.facts.regions)))
    add("Scale", lambda r: (f"{plural(len(r.assessment.facts.services), 'service')}, "
                            f"{plural(r.assessment.facts.applications, 'Application')} from "
                            f"{plural(r.assessment.facts.argocd_files, 'manifest file')} "
                            f"({_leverage(r):.1f} per file)"),
        lambda r: (round(_leverage(r), 2),))
    add("Configuration", _layers,
        lambda r: (r.credit("environments") + r.credit("image-tags"),))
    add("Secrets", _secrets_label, lambda r: (r.credit("secrets-in-git"),))
    add("Sync", _sync_label, lambda r: (r.credit("auto-sync"),))
    add("Access control", lambda r: (
        f"{plural(len(r.assessment.facts.projects), 'AppProject')}" if r.assessment.facts.projects
        else "default project only"), lambda r: (r.credit("appprojects"),))
    add("Documentation", _docs_label,
        lambda r: (r.credit("documentation"), sum(d.lines for d in r.subject.docs)))
    add("Maturity", lambda r: f"{r.assessment.score:g}/10, {r.assessment.grade}",
        lambda r: (r.assessment.score,))
    return rows


def _overall(names_: tuple[str, str], rows: list[Aspect], a: Assessment,
             b: Assessment) -> str:
    wins = {side: [r.title.lower() for r in rows if r.winner == side] for side in ("a", "b")}
    lead = "a" if a.score >= b.score else "b"
    other = "b" if lead == "a" else "a"
    name = {"a": names_[0], "b": names_[1]}
    scores = {"a": a.score, "b": b.score}
    text = (f"{name[lead]} scores {scores[lead]:g}/10 against {scores[other]:g}/10 for "
            f"{name[other]} and is ahead on {len(wins[lead])} of {len(rows)} aspects.")
    if wins[other]:
        text += f" {name[other]} is ahead on {', '.join(wins[other])}."
    return text


# -- the detailed sections ------------------------------------------------------------------
def _sample(r: Repo) -> AppInfo | None:
    services = r.subject.inventory.services
    return services[0].apps[0] if services else None


def _excerpt(r: Repo, file: str | None) -> Snippet | None:
    if not file:
        return None
    try:
        text = r.subject.inventory.snapshot.read_text(file)
    except ArgoplaneError:
        return None
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    if len(lines) > MAX_EXCERPT:
        lines = [*lines[:MAX_EXCERPT], "# ..."]
    return Snippet(file, "\n".join(lines) + "\n")


def _structure(a: Repo, b: Repo, names_: tuple[str, str]) -> Section:
    section = Section("structure", "Directory structure",
                      "Each tree is trimmed to what matters: folders with the same layout "
                      "are shown once, and each file says what it is.", wide=True)
    for side, r, name in (("a", a, names_[0]), ("b", b, names_[1])):
        inv = r.subject.inventory
        lines = directory_tree(inv.snapshot.root.name, r.subject.files,
                               Annotator(inv, load_candidates_safe(inv)))
        target = section.a if side == "a" else section.b
        target.snippets.append(Snippet(name, "\n".join(lines) + "\n", "text"))
        for pid in ("helm-charts", "environments", "multi-region", "applicationsets",
                    "app-of-apps", "appprojects"):
            p = r.assessment.practice(pid)
            target.marks.append((p.level, f"{p.title}: {p.summary}"))
    return section


def _configuration(a: Repo, b: Repo) -> Section:
    section = Section("configuration", "Configuration management",
                      "How each repository turns a service into Argo CD Applications, and "
                      "which files configure one Application, in the order Helm merges them.")
    for side, r in (("a", a), ("b", b)):
        target = section.a if side == "a" else section.b
        inv = r.subject.inventory
        sample = _sample(r)
        appsets = r.tree.appsets
        individual = [x for x in inv.service_apps if not x.app.generated_by]
        if appsets:
            target.bullets.append(
                f"{plural(len(appsets), 'ApplicationSet')} generate "
                f"{plural(sum(len(s.applications) for s in appsets), 'Application')}")
        if individual:
            target.bullets.append(f"{plural(len(individual), 'service Application')} "
                                  "written one by one")
        if sample is None:
            continue
        layers = []
        for layer in sample.layers:
            if layer.kind == "chart":
                layers.append(f"`{layer.file}` (chart defaults)")
            elif layer.kind == "file":
                what = ("SOPS-encrypted secrets" if layer.encrypted else
                        "secrets in plain text" if layer.secrets else
                        "image tag" if layer.data is not None and is_tag_file(layer.data)
                        else "values")
                layers.append(f"`{layer.file}` ({what})")
            else:
                layers.append(f"{layer.kind} in the Application")
        if layers:
            target.bullets.append(f"{sample.name} is configured by: " + ", then ".join(layers))
        file = (next((s.file for s in appsets if s.name == sample.app.generated_by), None)
                if sample.app.generated_by else sample.file)
        excerpt = _excerpt(r, file)
        if excerpt is not None:
            target.snippets.append(excerpt)
    return section


def _environments(a: Repo, b: Repo) -> Section:
    section = Section("environments", "Environments and regions",
                      "Where each service runs: environments, regions, clusters, AppProjects "
                      "and namespaces.")
    fa, fb = a.assessment.facts, b.assessment.facts
    section.rows = [
        ("Environments", _list_or(fa.environments, "one, not named"),
         _list_or(fb.environments, "one, not named")),
        ("Regions", _list_or(fa.regions, "none"), _list_or(fb.regions, "none")),
        ("Clusters", _list_or(fa.clusters, "none"), _list_or(fb.clusters, "none")),
        ("AppProjects", _list_or(fa.projects, "none (default)"),
         _list_or(fb.projects, "none (default)")),
        ("Namespaces", f"{len(fa.namespaces)}: {names(fa.namespaces, 4)}",
         f"{len(fb.namespaces)}: {names(fb.namespaces, 4)}"),
    ]
    for side, r in (("a", a), ("b", b)):
        target = section.a if side == "a" else section.b
        services = r.subject.inventory.services
        if not services:
            continue
        first = services[0]
        target.bullets.append(f"{first.name} runs as {plural(len(first.apps), 'Application')}:")
        for app in first.apps[:8]:
            where = "/".join(x for x in (", ".join(sorted(app.envs)),
                                         ", ".join(sorted(app.regions))) if x)
            target.bullets.append(
                f"`{app.name}`" + (f" ({where})" if where else "")
                + f" → cluster {app.cluster}, namespace {app.destination.namespace or '-'}, "
                f"project {app.project}")
    return section


def _secrets(a: Repo, b: Repo) -> Section:
    section = Section("secrets", "Secrets", "How the services get their Secrets.")
    for side, r in (("a", a), ("b", b)):
        target = section.a if side == "a" else section.b
        p = r.assessment.practice("secrets-in-git")
        target.marks.append((p.level, p.summary))
        target.bullets += [e.text + (f" (`{e.file}`)" if e.file else "") for e in p.evidence[:5]]
        if len(p.evidence) > 5:
            target.bullets.append(f"and {len(p.evidence) - 5} more services alike")
        target.bullets += p.notes
    return section


def _app_of_apps(a: Repo, b: Repo) -> Section:
    section = Section("app-of-apps", "App-of-Apps",
                      "Which Applications deploy the others, and what is left to apply by "
                      "hand.")
    for side, r in (("a", a), ("b", b)):
        target = section.a if side == "a" else section.b
        inv = r.subject.inventory
        for root in inv.roots:
            kinds: dict[str, int] = {}
            for res in root.app.resources:
                kind = argo_kind(res.manifest)
                if kind:
                    kinds[kind] = kinds.get(kind, 0) + 1
            target.bullets.append(f"`{root.name}` (`{root.file}`) deploys "
                                  + ", ".join(plural(n, k) for k, n in sorted(kinds.items())))
        loose = [x for x in inv.workloads if not x.app.parent]
        if loose:
            target.bullets.append(f"{plural(len(loose), 'Application')} applied by hand: "
                                  f"{names([x.name for x in loose], 5)}")
        elif inv.roots:
            target.bullets.append("every Application is reached from a root")
    return section


def _sync(a: Repo, b: Repo) -> Section:
    section = Section("sync", "Sync policies",
                      "Which Applications Argo CD syncs on its own, and with which options.")

    def describe(r: Repo) -> tuple[str, str, str, str]:
        inv = r.subject.inventory
        apps = inv.service_apps
        auto = [x for x in apps if x.automated]
        prune = [x for x in auto if (x.sync_policy.get("automated") or {}).get("prune")]
        heal = [x for x in auto if x.self_heal]
        options = sorted({str(o) for x in inv.apps for o in x.sync_policy.get("syncOptions")
                          or []})
        infra = inv.infrastructure
        infra_auto = [c for c in infra if any(x.automated for x in c.apps)]
        return (f"{len(auto)} of {len(apps)} automated (prune {len(prune)}, selfHeal "
                f"{len(heal)})",
                f"{len(infra_auto)} of {len(infra)} automated" if infra else "none",
                f"{sum(x.automated for x in inv.roots)} of {len(inv.roots)} automated"
                if inv.roots else "none",
                ", ".join(options) or "none")

    da, db = describe(a), describe(b)
    section.rows = [("Services", da[0], db[0]), ("Infrastructure", da[1], db[1]),
                    ("Roots", da[2], db[2]), ("Sync options", da[3], db[3])]
    for side, r in (("a", a), ("b", b)):
        target = section.a if side == "a" else section.b
        target.bullets += r.assessment.practice("auto-sync").notes
    return section


def _scale(a: Repo, b: Repo) -> Section:
    section = Section("scale", "Scale", "How much each repository deploys, and from how much "
                      "Argo CD YAML.")
    fa, fb = a.assessment.facts, b.assessment.facts
    section.rows = [
        ("Services", str(len(fa.services)), str(len(fb.services))),
        ("Infrastructure", f"{len(fa.infrastructure)}: {names(fa.infrastructure, 4)}",
         f"{len(fb.infrastructure)}: {names(fb.infrastructure, 4)}"),
        ("Applications", str(fa.applications), str(fb.applications)),
        ("ApplicationSets", str(fa.applicationsets), str(fb.applicationsets)),
        ("Argo CD manifest files", str(fa.argocd_files), str(fb.argocd_files)),
        ("Applications per manifest file", f"{_leverage(a):.1f}", f"{_leverage(b):.1f}"),
        ("Helm charts", str(fa.charts), str(fb.charts)),
        ("Kubernetes resources", str(fa.resources), str(fb.resources)),
    ]
    return section


def _strengths(r: Repo) -> tuple[list[str], list[str]]:
    strengths = [f"{p.title}: {p.summary}" for p in r.assessment.practices if p.level == "full"]
    weaknesses = [f"{p.title}: {p.summary}" for p in r.assessment.practices
                  if p.level in ("partial", "none")]
    return strengths, weaknesses


def build_comparison(a: Repo, b: Repo, names_: tuple[str, str], commands: Set[str],
                     options: RenderOptions | None = None) -> Comparison:
    rows = aspects(a, b)
    weaker: Literal["a", "b"] = "b" if a.assessment.score >= b.assessment.score else "a"
    target = b if weaker == "b" else a
    plan = propose(target.subject, target.assessment, commands)
    plan.verification = verify(target.subject.inventory.snapshot, target.tree, plan, options)
    sa, wa = _strengths(a)
    sb, wb = _strengths(b)
    return Comparison(
        names=names_, a=a.assessment, b=b.assessment, aspects=rows,
        overall=_overall(names_, rows, a.assessment, b.assessment),
        sections=[_structure(a, b, names_), _configuration(a, b), _environments(a, b),
                  _secrets(a, b), _app_of_apps(a, b), _sync(a, b), _scale(a, b)],
        strengths=(sa, sb), weaknesses=(wa, wb), weaker=weaker, plan=plan,
    )
