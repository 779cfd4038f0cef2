"""The practice detectors: one small function each, over the inventory of a repository."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from argoplane.argocd.objects import argo_kind
from argoplane.assess.files import DOC_FOLDERS, DocFile
from argoplane.assess.images import OWN_PLACES, TagPlace, tag_place
from argoplane.assess.inventory import Component, Inventory
from argoplane.assess.model import Evidence, Level
from argoplane.assess.secret_usage import SecretUsage, provided_secrets, usage_of
from argoplane.render.model import Message


@dataclass
class Subject:
    """What the detectors look at: the inventory plus the repository's files."""

    inventory: Inventory
    files: list[str]
    docs: list[DocFile]


@dataclass
class Finding:
    level: Level
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


Detector = Callable[[Subject], Finding]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def names(items: Iterable[str], limit: int = 6) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def level_of(count: int, total: int) -> Level:
    if total == 0:
        return "n/a"
    if count == total:
        return "full"
    return "partial" if count else "none"


def _no_services() -> Finding:
    return Finding("n/a", "no in-house service found (only infrastructure and roots)")


def _where(component: Component) -> str | None:
    return next((a.file for a in component.apps if a.file), None)


def _first_error(messages: list[Message]) -> str:
    return next((m.text for m in messages if m.level == "error"), "error")


# -- foundations -----------------------------------------------------------------------------
def renders(s: Subject) -> Finding:
    tree = s.inventory.tree
    apps = tree.apps
    if not apps:
        return Finding("none", "no Argo CD Application or ApplicationSet found")
    failed = [a for a in apps if a.status == "error"]
    skipped = [a for a in apps if a.status == "skipped"]
    problems = [m.text for m in tree.messages if m.level == "error"]
    problems += [f"ApplicationSet {x.name}: {m.text}" for x in tree.appsets for m in x.messages
                 if m.level == "error"]
    summary = (f"{plural(len(apps), 'Application')}: "
               f"{len(apps) - len(failed) - len(skipped)} rendered, {len(skipped)} skipped "
               f"offline, {len(failed)} failed")
    evidence = [Evidence(f"root Application {name}", next((a.file for a in s.inventory.apps
                                               if a.name == name and a.file), None))
                for name in tree.roots]
    evidence += [Evidence(f"{a.name} fails: {_first_error(a.messages)}", a.file)
                 for a in failed]
    notes = [f"{a.name} is skipped: {next((m.text for m in a.messages), 'not rendered')}"
             for a in skipped]
    if failed or problems:
        evidence += [Evidence(p) for p in problems]
        level: Level = "none" if len(failed) == len(apps) else "partial"
    else:
        level = "full"
    return Finding(level, summary, evidence, notes)


def helm_charts(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    evidence: list[Evidence] = []
    helm = 0
    for c in services:
        kinds = {a.source_type for a in c.apps}
        if kinds == {"helm"}:
            helm += 1
            evidence.append(Evidence(f"{c.name}: Helm chart", posixpath.join(c.path or "",
                                                                             "Chart.yaml")))
        else:
            evidence.append(Evidence(f"{c.name}: {', '.join(sorted(kinds))} source, no chart",
                                     c.path))
    return Finding(level_of(helm, len(services)),
                   f"{helm} of {plural(len(services), 'service')} are Helm charts in the "
                   "repository", evidence)


def documentation(s: Subject) -> Finding:
    docs = s.docs
    readme = next((d for d in docs if "/" not in d.path and d.is_readme), None)
    folder = [d for d in docs if any(p.lower() in DOC_FOLDERS for p in d.path.split("/")[:-1])]
    paths = [c.path for c in s.inventory.services if c.path]
    service_readmes = {p for p in paths for d in docs
                       if d.is_readme and posixpath.dirname(d.path) == p}
    evidence = [Evidence(f"{d.lines} lines", d.path) for d in docs[:12]]
    if len(docs) > 12:
        evidence.append(Evidence(f"and {len(docs) - 12} more documentation files"))
    parts = []
    parts.append("README at the root" if readme else "no README at the root")
    if folder:
        parts.append(f"{plural(len(folder), 'page')} in {posixpath.dirname(folder[0].path)}/")
    if paths:
        parts.append(f"{len(service_readmes)} of {plural(len(paths), 'service')} with a README")
    extensive = bool(folder) or (paths and len(service_readmes) * 2 >= len(paths))
    level: Level = "full" if readme and extensive else ("partial" if docs else "none")
    return Finding(level, "; ".join(parts), evidence)


# -- delivery --------------------------------------------------------------------------------
def environments(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    evidence: list[Evidence] = []
    separated = 0
    seen: set[str] = set()
    for c in services:
        envs = sorted({e for a in c.apps for e in a.envs})
        seen.update(envs)
        if len(envs) >= 2:
            separated += 1
        label = ", ".join(envs) if envs else "one environment, not named"
        evidence.append(Evidence(f"{c.name}: {label} ({plural(len(c.apps), 'Application')})",
                                 _where(c)))
    summary = (f"{separated} of {plural(len(services), 'service')} deploy to two or more "
               "environments")
    if seen:
        summary += f" ({', '.join(sorted(seen))})"
    return Finding(level_of(separated, len(services)), summary, evidence)


def _service_secrets(s: Subject) -> tuple[dict[str, SecretUsage], dict[str, SecretUsage]]:
    provided = provided_secrets(s.inventory)
    out: tuple[dict[str, SecretUsage], dict[str, SecretUsage]] = ({}, {})
    for index, group in enumerate((s.inventory.services, s.inventory.infrastructure)):
        for c in group:
            usage = SecretUsage()
            for a in c.apps:
                usage.merge(usage_of(a, provided))
            out[index][c.name] = usage
    return out


def _describe(usage: SecretUsage) -> tuple[str, str | None]:
    if usage.encrypted_files:
        files = usage.encrypted_files
        text = f"{plural(len(files), 'SOPS-encrypted value file')}"
        first: str | None = files[0]
    elif usage.sealed:
        text, first = f"SealedSecret {names(usage.sealed, 3)}", None
    elif usage.external:
        text, first = f"ExternalSecret {names(usage.external, 3)}", None
    elif usage.sops_manifests:
        text, first = f"SOPS-encrypted {names(usage.sops_manifests, 3)}", None
    else:
        text, first = "", None
    extra = []
    if usage.plaintext_files:
        extra.append(f"{plural(len(usage.plaintext_files), 'plaintext secrets:// file')}")
        first = first or usage.plaintext_files[0]
    if usage.plaintext_secrets and not usage.plaintext_files:
        extra.append(f"Secret {names(usage.plaintext_secrets, 3)} with values in plain text")
    if usage.by_hand:
        extra.append("expects " + names(usage.by_hand_names, 3) + " created by hand")
        first = first or (usage.readers[0] if usage.readers else None)
    return "; ".join(x for x in (text, *extra) if x), first


def secrets_in_git(s: Subject) -> Finding:
    services, infra = _service_secrets(s)
    if not s.inventory.services:
        return _no_services()
    using = {k: v for k, v in services.items() if v.used}
    if not using:
        return Finding("n/a", "no service reads a Secret")
    evidence = []
    for name, usage in using.items():
        text, file = _describe(usage)
        evidence.append(Evidence(f"{name}: {text}", file))
    encrypted = [n for n, u in using.items() if u.status == "encrypted"]
    plaintext = [n for n, u in using.items() if u.plaintext]
    by_hand = [n for n, u in using.items() if u.by_hand]
    if len(encrypted) == len(using):
        level: Level = "full"
        summary = (f"every service's secrets are encrypted in Git "
                   f"({plural(len(using), 'service')})")
    elif encrypted or plaintext:
        level = "partial"
        parts = [f"{len(encrypted)} of {plural(len(using), 'service')} encrypted in Git"]
        if plaintext:
            parts.append(f"{len(plaintext)} kept in Git in plain text")
        if by_hand:
            parts.append(f"{len(by_hand)} created by hand")
        summary = ", ".join(parts)
    else:
        level = "none"
        summary = (f"{len(by_hand)} of {plural(len(using), 'service')} expect Secrets created "
                   "by hand, outside Git")
    notes = []
    for name, usage in infra.items():
        if usage.by_hand:
            notes.append(f"infrastructure {name} expects {names(usage.by_hand_names, 3)} "
                         "created by hand")
        elif usage.plaintext:
            notes.append(f"infrastructure {name} keeps secret values in Git in plain text")
    pulls = sorted({p for u in (*services.values(), *infra.values()) for p in u.pull})
    if pulls:
        notes.append(f"image pull Secret {names(pulls, 3)} is expected to exist in the "
                     "namespaces (not counted)")
    return Finding(level, summary, evidence, notes)


def auto_sync(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    apps = s.inventory.service_apps
    auto = [a for a in apps if a.automated]
    evidence = []
    for c in services:
        on = [a for a in c.apps if a.automated]
        if on:
            flags = [f for f, ok in (("prune", any(a.sync_policy.get("automated", {}).get("prune")
                                                   for a in on)),
                                     ("selfHeal", any(a.self_heal for a in on))) if ok]
            text = f"{c.name}: automated" + (f" ({', '.join(flags)})" if flags else "")
            if len(on) < len(c.apps):
                text += f" for {len(on)} of {plural(len(c.apps), 'Application')}"
        else:
            text = f"{c.name}: synced by hand"
            if any("syncPolicy" in a.spec for a in c.apps):
                text += " (empty syncPolicy)"
        evidence.append(Evidence(text, _where(c)))
    notes = []
    infra = s.inventory.infrastructure
    manual = [c.name for c in infra if not any(a.automated for a in c.apps)]
    automated_infra = [c.name for c in infra if any(a.automated for a in c.apps)]
    if manual:
        notes.append(f"infrastructure synced by hand: {names(manual)}")
    if automated_infra:
        notes.append(f"infrastructure synced automatically: {names(automated_infra)}")
    no_heal = [a for a in auto if not a.self_heal]
    if auto and no_heal:
        notes.append(f"selfHeal is off for {len(no_heal)} of the {len(auto)} automated "
                     "Applications: changes made in the cluster are not reverted")
    services_auto = sum(1 for c in services if all(a.automated for a in c.apps))
    summary = f"{len(auto)} of {plural(len(apps), 'service Application')} sync automatically"
    if manual and auto:
        summary += f"; critical infrastructure kept on manual sync ({names(manual, 3)})"
    level: Level = "full" if services_auto == len(services) else ("partial" if auto else "none")
    return Finding(level, summary, evidence, notes)


def image_tags(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    read = s.inventory.snapshot.read_text
    evidence = []
    own = pinned = 0
    latest = []
    for c in services:
        places: list[TagPlace] = [tag_place(a, read) for a in c.apps]
        kinds = {p.place for p in places}
        if kinds <= OWN_PLACES:
            own += 1
        if any(p.tag and p.tag != "latest" for p in places):
            pinned += 1
        if any(p.tag == "latest" for p in places):
            latest.append(c.name)
        files = sorted({p.file for p in places if p.file})
        tags = sorted({p.tag for p in places if p.tag})
        label = {"tag-file": "own tag file", "parameters": "Application parameters",
                 "kustomization": "kustomization images", "values": "inside the values",
                 "application": "inline in the Application", "manifests": "in the manifests",
                 "chart": "chart default", "unset": "not set"}
        where = ", ".join(label[k] for k in sorted(kinds))
        text = f"{c.name}: {where}" + (f" ({', '.join(tags[:4])})" if tags else "")
        evidence.append(Evidence(text, files[0] if files else None))
    notes = [f"mutable tag `latest`: {names(latest)}"] if latest else []
    if own == len(services):
        level: Level = "full"
    elif own or pinned:
        level = "partial"
    else:
        level = "none"
    summary = f"{own} of {plural(len(services), 'service')} keep the image tag in a file of its own"
    if own < len(services) and pinned:
        summary += f"; {pinned} pin it among their other settings"
    return Finding(level, summary, evidence, notes)


# -- structure -------------------------------------------------------------------------------
def applicationsets(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    evidence = []
    generated = 0
    for appset in s.inventory.tree.appsets:
        evidence.append(Evidence(f"ApplicationSet {appset.name} -> "
                                 f"{plural(len(appset.applications), 'Application')}",
                                 appset.file))
    for c in services:
        if all(a.app.generated_by for a in c.apps):
            generated += 1
        else:
            evidence.append(Evidence(f"{c.name}: individual Application", _where(c)))
    count = len(s.inventory.tree.appsets)
    summary = (f"{generated} of {plural(len(services), 'service')} are generated by "
               f"{plural(count, 'ApplicationSet')}" if count else
               f"no ApplicationSet: {plural(len(services), 'service')}, each an Application "
               "of its own")
    return Finding(level_of(generated, len(services)), summary, evidence)


def app_of_apps(s: Subject) -> Finding:
    workloads = s.inventory.workloads
    if not workloads:
        return Finding("n/a", "no workload Application found")
    managed = [a for a in workloads if a.app.parent]
    evidence = []
    for root in s.inventory.roots:
        kinds: dict[str, int] = defaultdict(int)
        for r in root.app.resources:
            kind = argo_kind(r.manifest)
            if kind:
                kinds[kind] += 1
        what = ", ".join(plural(n, k) for k, n in sorted(kinds.items()))
        evidence.append(Evidence(f"{root.name} deploys {what}", root.file))
    loose = [a for a in workloads if not a.app.parent]
    for a in loose[:12]:
        evidence.append(Evidence(f"{a.name}: applied by hand (no parent Application)", a.file))
    if len(loose) > 12:
        evidence.append(Evidence(f"and {len(loose) - 12} more Applications applied by hand"))
    summary = (f"{len(managed)} of {plural(len(workloads), 'Application')} are deployed by "
               f"{plural(len(s.inventory.roots), 'root Application')}" if s.inventory.roots else
               f"no root Application: all {plural(len(workloads), 'Application')} are applied "
               "by hand")
    return Finding(level_of(len(managed), len(workloads)), summary, evidence)


def appprojects(s: Subject) -> Finding:
    workloads = s.inventory.workloads
    if not workloads:
        return Finding("n/a", "no workload Application found")
    tree = s.inventory.tree
    scoped = [a for a in workloads if a.project != "default"]
    evidence = [Evidence(f"AppProject {name}", tree.project_files.get(name))
                for name in sorted(tree.projects)]
    in_default = sorted({a.component for a in workloads if a.project == "default"})
    if in_default:
        evidence.append(Evidence(f"in project default: {names(in_default)}"))
    used = sorted({a.project for a in scoped})
    notes = [f"project {p} is used but not defined in the repository" for p in used
             if p not in tree.projects]
    if used:
        summary = (f"{len(scoped)} of {plural(len(workloads), 'Application')} use "
                   f"{plural(len(used), 'AppProject')} other than default ({names(used)})")
    else:
        summary = f"all {plural(len(workloads), 'Application')} are in the default project"
    return Finding(level_of(len(scoped), len(workloads)), summary, evidence, notes)


def namespace_per_service(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in s.inventory.workloads:
        owners[a.namespace_key].add(f"{a.role}:{a.component}")
    own = 0
    evidence = []
    shared: dict[str, list[str]] = defaultdict(list)
    for c in services:
        keys = sorted({a.namespace_key for a in c.apps})
        if all(owners[k] == {f"service:{c.name}"} for k in keys):
            own += 1
            evidence.append(Evidence(f"{c.name}: {names(sorted({k[1] for k in keys}), 4)}",
                                     _where(c)))
        else:
            for k in keys:
                shared[k[1] or "(none)"].append(c.name)
    for namespace, members in sorted(shared.items()):
        evidence.append(Evidence(f"{namespace}: shared by {plural(len(members), 'service')} "
                                 f"({names(members, 4)})"))
    namespaces = {a.destination.namespace for a in s.inventory.service_apps}
    if own == len(services):
        level: Level = "full"
    elif own or (len(namespaces) >= 2 and "default" not in namespaces and "" not in namespaces):
        level = "partial"
    else:
        level = "none"
    summary = f"{own} of {plural(len(services), 'service')} have namespaces of their own"
    if shared:
        summary += f"; {plural(len(shared), 'namespace')} shared ({names(sorted(shared), 3)})"
    return Finding(level, summary, evidence)


def multi_region(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    evidence = []
    multi = 0
    regions: set[str] = set()
    for c in services:
        found = sorted({r for a in c.apps for r in a.regions})
        regions.update(found)
        if len(found) >= 2:
            multi += 1
        evidence.append(Evidence(f"{c.name}: {', '.join(found) if found else 'no region'}",
                                 _where(c)))
    summary = f"{multi} of {plural(len(services), 'service')} deploy to two or more regions"
    if regions:
        summary += f" ({', '.join(sorted(regions))})"
    return Finding(level_of(multi, len(services)), summary, evidence)


def revision_history(s: Subject) -> Finding:
    services = s.inventory.services
    if not services:
        return _no_services()
    apps = s.inventory.service_apps
    limited = [a for a in apps if a.revision_history is not None]
    evidence = []
    for c in services:
        limits = sorted({a.revision_history for a in c.apps if a.revision_history is not None})
        text = (f"{c.name}: revisionHistoryLimit {', '.join(map(str, limits))}" if limits
                else f"{c.name}: not set (Argo CD keeps 10)")
        evidence.append(Evidence(text, _where(c)))
    services_limited = sum(1 for c in services
                           if all(a.revision_history is not None for a in c.apps))
    summary = (f"{len(limited)} of {plural(len(apps), 'service Application')} set "
               "revisionHistoryLimit")
    level: Level = ("full" if services_limited == len(services)
                    else ("partial" if limited else "none"))
    return Finding(level, summary, evidence)


# id -> (title, detector), in the order reports show them
DETECTORS: dict[str, tuple[str, Detector]] = {
    "renders": ("Declared in Git, renders cleanly", renders),
    "helm-charts": ("Helm chart per service", helm_charts),
    "documentation": ("Documentation", documentation),
    "environments": ("Environment separation", environments),
    "secrets-in-git": ("Secrets in Git, encrypted", secrets_in_git),
    "auto-sync": ("Automated sync", auto_sync),
    "image-tags": ("Image tags in their own file", image_tags),
    "applicationsets": ("ApplicationSets", applicationsets),
    "app-of-apps": ("App-of-Apps", app_of_apps),
    "appprojects": ("AppProjects beyond default", appprojects),
    "namespace-per-service": ("Namespace per service", namespace_per_service),
    "multi-region": ("Multi-region", multi_region),
    "revision-history": ("Revision history limit", revision_history),
}
