"""Concrete recommendations for a repository: the manifests it should have, written for it.

The ApplicationSet lists the repository's actual services with their current paths and
namespaces, the roots pick up what it already has, the AppProjects allow exactly the
sources, destinations and cluster-scoped kinds its Applications use. `verify.py` proves the
result renders to the same resources.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Mapping, Set
from typing import Any

from argoplane.argocd.kinds import is_namespaced
from argoplane.argocd.objects import IN_CLUSTER_SERVER, argo_kind
from argoplane.assess.hints import NEXT_STEPS, available
from argoplane.assess.images import tag_place
from argoplane.assess.inventory import AppInfo, Inventory
from argoplane.assess.model import Assessment, Plan, ProposedFile, Recommendation, Snippet
from argoplane.assess.practices import Subject, names, plural
from argoplane.assess.secret_usage import referenced_secrets
from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError

PHASES: dict[int, str] = {
    0: "Before anything else",
    1: "Foundation: ApplicationSet, root Application, AppProjects, automated sync",
    2: "Environments and releases",
    3: "Secrets in Git",
    4: "Access, isolation and scale",
}
APPSET_NAME = "services"
# fields of a service Application that may differ from one service to the next, and the
# generator parameter that carries each
_VARYING: tuple[tuple[str, str, str], ...] = (
    ("source", "repoURL", "repoURL"),
    ("source", "targetRevision", "revision"),
    ("source", "path", "path"),
    ("destination", "server", "server"),
    ("destination", "name", "cluster"),
    ("destination", "namespace", "namespace"),
)
AUTOMATED: dict[str, Any] = {"automated": {"prune": True, "selfHeal": True},
                             "syncOptions": ["CreateNamespace=true"]}
HISTORY = 3
HEADER = "# Proposed by `argoplane compare`; rendered by argoplane to check it.\n"


def _dns(name: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "services"


class Proposer:
    def __init__(self, subject: Subject, assessment: Assessment, commands: Set[str]) -> None:
        self.inv: Inventory = subject.inventory
        self.levels = {p.id: p.level for p in assessment.practices}
        self.commands = commands
        self.namespace = self.inv.snapshot.config.argocd_namespace
        self.plan = Plan(repo=assessment.name)

    def missing(self, practice: str) -> bool:
        return self.levels.get(practice) in ("partial", "none")

    def command(self, practice: str) -> str | None:
        return available(NEXT_STEPS[practice][1], self.commands)

    # -- building blocks ---------------------------------------------------------------------
    def _replaceable(self) -> tuple[list[AppInfo], list[str]]:
        """Individual service Applications an ApplicationSet can replace, and why not others."""
        individual = [a for a in self.inv.service_apps if not a.app.generated_by]
        by_file: dict[str, list[AppInfo]] = defaultdict(list)
        for a in individual:
            if a.file:
                by_file[a.file].append(a)
        ok: list[AppInfo] = []
        reasons: list[str] = []
        for a in individual:
            spec = a.spec
            if not a.file:
                reasons.append(f"{a.name}: deployed by another Application's rendered output")
            elif not isinstance(spec.get("source"), Mapping) or spec.get("sources"):
                reasons.append(f"{a.name}: has several sources")
            elif not self._file_only_holds(a.file, by_file[a.file]):
                reasons.append(f"{a.name}: {a.file} also holds other manifests")
            else:
                ok.append(a)
        return ok, reasons

    def _file_only_holds(self, file: str, apps: list[AppInfo]) -> bool:
        try:
            docs = yamlio.load_all(self.inv.snapshot.read_text(file), file)
        except ArgoplaneError:
            return False
        wanted = {a.name for a in apps}
        return all(argo_kind(d) == "Application" and (d.get("metadata") or {}).get("name")
                   in wanted for d in docs)

    def _projects_for(self, apps: list[AppInfo]) -> dict[str, str]:
        """Application name -> the AppProject it should use."""
        if not self.missing("appprojects"):
            return {a.name: a.project for a in self.inv.workloads}
        namespaces = sorted({a.destination.namespace for a in apps})
        per_namespace = 0 < len(namespaces) <= 5 and all(namespaces)
        out = {a.name: (_dns(a.destination.namespace) if per_namespace else "services")
               for a in apps}
        for c in self.inv.infrastructure:
            for a in c.apps:
                out[a.name] = a.project if a.project != "default" else "infrastructure"
        return out

    def _appset(self, apps: list[AppInfo], projects: Mapping[str, str]) -> dict[str, Any]:
        first = apps[0].spec
        params = [p for section, key, p in _VARYING
                  if len({str((a.spec.get(section) or {}).get(key) or "") for a in apps}) > 1
                  or p in ("path", "namespace")]
        elements = []
        for a in sorted(apps, key=lambda x: x.name):
            element = {"name": a.name}
            for section, key, param in _VARYING:
                if param in params:
                    element[param] = str((a.spec.get(section) or {}).get(key) or "")
            element["project"] = projects.get(a.name, a.project)
            elements.append(element)
        spec: dict[str, Any] = {"project": "{{project}}"}
        for section in ("source", "destination"):
            block = copy.deepcopy(dict(first.get(section) or {}))
            for sec, key, param in _VARYING:
                if sec == section and param in params:
                    block[key] = "{{" + param + "}}"
                elif sec == section and not block.get(key):
                    block.pop(key, None)
            spec[section] = block
        for key, value in first.items():
            if key not in ("project", "source", "destination", "syncPolicy",
                           "revisionHistoryLimit"):
                spec[key] = copy.deepcopy(value)
        spec["syncPolicy"] = (copy.deepcopy(AUTOMATED) if self.missing("auto-sync")
                              else copy.deepcopy(first.get("syncPolicy")))
        if not spec["syncPolicy"]:
            del spec["syncPolicy"]
        history = HISTORY if self.missing("revision-history") else first.get(
            "revisionHistoryLimit")
        if history is not None:
            spec["revisionHistoryLimit"] = history
        meta = apps[0].app.manifest.get("metadata") or {}
        template_meta: dict[str, Any] = {"name": "{{name}}"}
        for key in ("labels", "annotations"):
            if meta.get(key):
                template_meta[key] = copy.deepcopy(meta[key])
        return {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "ApplicationSet",
            "metadata": {"name": APPSET_NAME, "namespace": self.namespace},
            "spec": {"generators": [{"list": {"elements": elements}}],
                     "template": {"metadata": template_meta, "spec": spec}},
        }

    @staticmethod
    def _shape(a: AppInfo) -> str:
        """The parts of an Application that one template must reproduce as they are."""
        spec = copy.deepcopy(dict(a.spec))
        for section, key, _ in _VARYING:
            block = spec.get(section)
            if isinstance(block, dict):
                block.pop(key, None)
        for key in ("project", "syncPolicy", "revisionHistoryLimit"):
            spec.pop(key, None)
        meta = a.app.manifest.get("metadata") or {}
        extra = {k: meta.get(k) for k in ("labels", "annotations", "finalizers")}
        return json.dumps([spec, extra], sort_keys=True, default=str)

    def _root(self, name: str, folder: str, include: list[str], like: AppInfo) -> dict[str, Any]:
        source = like.spec.get("source") or {}
        pattern = include[0] if len(include) == 1 else "{" + ",".join(include) + "}"
        spec: dict[str, Any] = {
            "project": "default",
            "source": {"repoURL": source.get("repoURL"),
                       "targetRevision": source.get("targetRevision") or "HEAD",
                       "path": folder or ".", "directory": {"include": pattern}},
            "destination": {"server": IN_CLUSTER_SERVER, "namespace": self.namespace},
            "syncPolicy": {"automated": {"prune": True}},
        }
        if not spec["source"]["repoURL"]:
            del spec["source"]["repoURL"]
        return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                "metadata": {"name": name, "namespace": self.namespace}, "spec": spec}

    def _include(self, folder: str, files: list[str]) -> list[str]:
        """Globs for the files a root picks up: `*-appset.yaml`, or `*.yaml` for a whole folder."""
        appsets = [f for f in files if f.endswith("-appset.yaml")]
        rest = [f for f in files if f not in appsets]
        try:
            here = sorted(p.name for p in self.inv.snapshot.resolve(folder).iterdir()
                          if p.is_file() and p.suffix in (".yaml", ".yml"))
        except (ArgoplaneError, OSError):
            here = []
        out = ["*-appset.yaml"] if appsets else []
        if rest and set(rest) == set(here) - set(appsets) and not appsets:
            out.append("*.yaml")
        else:
            out += rest
        return out

    def _project(self, name: str, members: list[AppInfo], create_namespace: bool,
                 description: str) -> dict[str, Any]:
        repos = sorted({str(s.get("repoURL")) for a in members for s in _sources(a)
                        if s.get("repoURL")})
        destinations: list[dict[str, str]] = []
        for a in sorted(members, key=lambda x: (x.cluster, x.destination.namespace)):
            entry = ({"name": a.destination.name} if a.destination.name
                     else {"server": a.destination.server or IN_CLUSTER_SERVER})
            entry["namespace"] = a.destination.namespace or "*"
            if entry not in destinations:
                destinations.append(entry)
        kinds: set[tuple[str, str]] = set()
        for a in members:
            for r in a.app.resources:
                if not is_namespaced(r.group, r.kind):
                    kinds.add((r.group, r.kind))
        if create_namespace:
            kinds.add(("", "Namespace"))
        spec: dict[str, Any] = {"description": description, "sourceRepos": repos,
                                "destinations": destinations}
        if kinds:
            spec["clusterResourceWhitelist"] = [{"group": g, "kind": k}
                                                for g, k in sorted(kinds)]
        return {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
                "metadata": {"name": name, "namespace": self.namespace}, "spec": spec}

    # -- the plan ----------------------------------------------------------------------------
    def build(self) -> Plan:
        self._renders()
        self._helm()
        self._foundation()
        self._environments()
        self._image_tags()
        self._secrets()
        self._namespaces()
        self._regions()
        self._documentation()
        self.plan.recommendations.sort(key=lambda r: r.phase)
        return self.plan

    def add(self, recommendation: Recommendation) -> None:
        self.plan.recommendations.append(recommendation)

    def _renders(self) -> None:
        if not self.missing("renders"):
            return
        failed = [a for a in self.inv.tree.apps if a.status == "error"]
        self.add(Recommendation(
            "renders", "Fix what does not render", 0,
            f"{plural(len(failed), 'Application')} fail to render; Argo CD would show them as "
            "failing too. `argoplane render` shows each error with its file.",
            bullets=[f"{a.name}: {next(m.text for m in a.messages if m.level == 'error')}"
                     for a in failed[:10]]))

    def _helm(self) -> None:
        if not self.missing("helm-charts"):
            return
        plain = [c.name for c in self.inv.services
                 if {a.source_type for a in c.apps} != {"helm"}]
        self.add(Recommendation(
            "helm-charts", "Package the remaining services as Helm charts", 1,
            f"{plural(len(plain), 'service')} deploy plain manifests or Kustomize: "
            f"{names(plain)}. A chart per service gives every environment the same templates "
            "with its own values."))

    def _foundation(self) -> None:
        want_appset = self.missing("applicationsets")
        want_root = self.missing("app-of-apps")
        want_projects = self.missing("appprojects")
        apps, reasons = self._replaceable() if want_appset else ([], [])
        shapes: dict[str, list[AppInfo]] = defaultdict(list)
        for a in apps:
            shapes[self._shape(a)].append(a)
        group = max(shapes.values(), key=len) if shapes else []
        for other in shapes.values():
            if other is not group:
                reasons += [f"{a.name}: its source or destination is set up differently "
                            "from the others" for a in other]
        projects = self._projects_for(group or self.inv.service_apps)
        files_appset: list[ProposedFile] = []
        folder = ""
        appset_file = ""
        if group:
            folder = posixpath.commonpath([posixpath.dirname(a.file or "") for a in group])
            appset_file = posixpath.join(folder, f"{APPSET_NAME}-appset.yaml")
            appset = self._appset(group, projects)
            files_appset.append(ProposedFile(appset_file, "create", HEADER + yamlio.dump(appset)))
            for file in sorted({a.file for a in group if a.file}):
                files_appset.append(ProposedFile(file, "delete",
                                                 note="replaced by the ApplicationSet"))
            namespaces = sorted({a.destination.namespace for a in group})
            self.add(Recommendation(
                "applicationsets", "Generate the service Applications from one ApplicationSet",
                1, f"{plural(len(group), 'service Application')} are written out one by one. "
                f"One ApplicationSet with a list generator creates the same "
                f"{plural(len(group), 'Application')}, with the same names, charts and "
                f"namespaces ({names(namespaces, 4)}); adding a service becomes one element."
                + (" The template also turns on automated sync." if self.missing("auto-sync")
                   else ""),
                bullets=[f"left as they are: {r}" for r in reasons],
                files=files_appset, command=self.command("applicationsets"), verified=True))
        if want_root:
            self._roots(folder, appset_file, group)
        if want_projects:
            self._projects(group, projects)
        if self.missing("auto-sync"):
            services = [a for a in self.inv.service_apps if not a.automated]
            infra = [c.name for c in self.inv.infrastructure]
            text = (f"{plural(len(services), 'service Application')} sync only when someone "
                    "presses Sync, so Git and the cluster drift apart between syncs. "
                    "Automated sync with prune and selfHeal makes Git the source of truth; "
                    "CreateNamespace lets Argo CD create the namespaces.")
            if infra:
                text += (f" Keep the infrastructure ({names(infra, 4)}) on manual sync: a "
                         "database upgrade deserves a person looking at the diff.")
            where = ("the ApplicationSet template above" if group
                     else "each service Application (or ApplicationSet template)")
            self.add(Recommendation(
                "auto-sync", "Sync the services automatically", 1, text,
                snippets=[Snippet(f"in {where}", yamlio.dump({"syncPolicy": AUTOMATED}))],
                verified=bool(group)))
        if self.missing("revision-history"):
            self.add(Recommendation(
                "revision-history", "Limit the revision history", 1,
                "Argo CD keeps 10 past syncs per Application by default; "
                f"`revisionHistoryLimit: {HISTORY}` keeps enough to roll back and less to "
                "store." + (" It is set in the ApplicationSet template above." if group else ""),
                verified=bool(group)))

    def _roots(self, folder: str, appset_file: str, group: list[AppInfo]) -> None:
        loose = [a for a in self.inv.workloads if not a.app.parent and a.file
                 and a not in group and not a.app.generated_by]
        by_folder: dict[str, list[str]] = defaultdict(list)
        for a in loose:
            by_folder[posixpath.dirname(a.file or "")].append(posixpath.basename(a.file or ""))
        appsets_loose = [s for s in self.inv.tree.appsets if not s.parent and s.file]
        for s in appsets_loose:
            by_folder[posixpath.dirname(s.file or "")].append(posixpath.basename(s.file or ""))
        if appset_file:
            by_folder[folder].append(posixpath.basename(appset_file))
        like = (group or self.inv.workloads)[0] if (group or self.inv.workloads) else None
        if like is None:
            return
        files: list[ProposedFile] = []
        roots: list[str] = []
        infra_files = {a.file for c in self.inv.infrastructure for a in c.apps}
        for where, found in sorted(by_folder.items()):
            paths = {posixpath.join(where, f) for f in found}
            kind = "infrastructure" if paths <= infra_files else "services"
            included = self._include(where, sorted(set(found)))
            name = f"root-{kind}" if f"root-{kind}" not in roots else f"root-{_dns(where)}"
            roots.append(name)
            manifest = self._root(name, where, included, like)
            files.append(ProposedFile(f"{name}.yaml", "create", HEADER + yamlio.dump(manifest)))
        self.add(Recommendation(
            "app-of-apps", "Add root Applications (App-of-Apps)", 1,
            f"Each of the {plural(len(loose) + len(group), 'Application')} is applied by hand "
            f"today. {plural(len(roots), 'root Application')} ({', '.join(roots)}) pick up "
            "the ApplicationSet and the Applications from their folders, so applying the "
            "roots once brings up everything and a new file in Git is deployed without "
            "kubectl.", files=files, command=self.command("app-of-apps"), verified=True))

    def _projects(self, group: list[AppInfo], projects: Mapping[str, str]) -> None:
        members: dict[str, list[AppInfo]] = defaultdict(list)
        for a in self.inv.workloads:
            target = projects.get(a.name, a.project)
            if target != "default":
                members[target].append(a)
        files: list[ProposedFile] = []
        create_ns = self.missing("auto-sync")
        infra_edit: list[str] = []
        for name, apps in sorted(members.items()):
            if name in self.inv.tree.projects:
                continue
            is_infra = all(a.role == "infrastructure" for a in apps)
            description = (f"Infrastructure: {names(sorted({a.component for a in apps}), 4)}"
                           if is_infra else
                           f"Services in {names(sorted({a.destination.namespace for a in apps}))}")
            manifest = self._project(name, apps, create_ns and not is_infra, description)
            files.append(ProposedFile(f"argocd-projects/{name}.yaml", "create",
                                      HEADER + yamlio.dump(manifest)))
            for a in apps:
                if a not in group and a.file and a.project != name:
                    infra_edit.append(a.file)
        skipped: list[str] = []
        for file in sorted(set(infra_edit)):
            apps_here = [a for a in self.inv.workloads if a.file == file]
            targets = {projects.get(a.name, a.project) for a in apps_here}
            if len(targets) != 1:
                skipped.append(file)
                continue
            target = targets.pop()
            if any(a.app.generated_by for a in apps_here):
                change: dict[str, Any] = {"spec": {"template": {"spec": {"project": target}}}}
                note = "set the project in the ApplicationSet template"
            else:
                change = {"spec": {"project": target}}
                note = "move the Application into its project"
            files.append(ProposedFile(file, "edit", yamlio.dump(change), note=note))
        if not files:
            return
        used = sorted(members)
        in_default = [a for a in self.inv.workloads if a.project == "default"]
        where = ("Every Application is" if len(in_default) == len(self.inv.workloads)
                 else f"{plural(len(in_default), 'Application')} are")
        self.add(Recommendation(
            "appprojects", "Create AppProjects and leave the default project", 1,
            f"{where} in the default project, which may deploy anything anywhere. "
            f"{plural(len(used), 'AppProject')} ({', '.join(used)}) "
            f"{'allows' if len(used) == 1 else 'allow'} exactly the repositories, "
            "destinations and cluster-scoped kinds these Applications use, so a mistake in "
            "one group cannot touch another's namespaces.",
            bullets=[f"left as it is: {f} generates Applications for several projects"
                     for f in skipped],
            files=files, command=self.command("appprojects"), verified=True))

    def _environments(self) -> None:
        if not self.missing("environments"):
            return
        services = self.inv.services
        sample = services[0] if services else None
        if sample is None:
            return
        chart = sample.path or sample.name
        envs = ["dev", "staging", "production"]
        tree = [f"{chart}/", "├── Chart.yaml", "├── values.yaml          # what every environment "
                "shares"]
        for i, env in enumerate(envs):
            last = i == len(envs) - 1
            tree.append(f"{'└──' if last else '├──'} {env}/")
            pad = "    " if last else "│   "
            tree.append(f"{pad}├── tag.yaml         # image tag of {env}")
            tree.append(f"{pad}└── values.yaml      # {env} overrides (replicas, hosts, sizing)")
        generator = {"matrix": {"generators": [
            {"list": {"elements": [{"name": "<service>", "path": "<chart folder>"}]}},
            {"list": {"elements": [{"env": e} for e in envs]}}]}}
        self.add(Recommendation(
            "environments", "Separate environments", 2,
            f"All {plural(len(services), 'service')} run in one environment, so every change "
            "is first tried where it serves users. Keep the shared values in `values.yaml`, "
            "put what differs in `<env>/values.yaml`, and let the ApplicationSet fan out over the "
            "environments with a matrix generator (one Application per service and "
            "environment, each with its own AppProject and namespace).",
            snippets=[Snippet(f"the layout of {sample.name} with three environments",
                              "\n".join(tree) + "\n", "text"),
                      Snippet("the ApplicationSet's generators: services x environments",
                              yamlio.dump({"generators": [generator]}))],
            command=self.command("environments")))

    def _image_tags(self) -> None:
        if not self.missing("image-tags"):
            return
        read = self.inv.snapshot.read_text
        rows = []
        for c in self.inv.services:
            place = tag_place(c.apps[0], read)
            if place.place not in ("tag-file", "parameters", "kustomization"):
                rows.append(f"{c.name}: `{place.tag or 'unset'}` in "
                            f"{place.file or place.place}")
        sample = self.inv.services[0] if self.inv.services else None
        files: list[Snippet] = []
        if sample is not None:
            place = tag_place(sample.apps[0], read)
            path = posixpath.join(sample.path or "", "dev", "tag.yaml")
            files.append(Snippet(f"{path} (one per service and environment)",
                                 yamlio.dump({"image": {"tag": place.tag or ""}})))
        self.add(Recommendation(
            "image-tags", "Give image tags a file of their own", 2,
            "The image tag sits among the other values, so a release edits the same file as "
            "a configuration change and promotion cannot be automated safely. A "
            "`<env>/tag.yaml` per service holds only the tag, listed first in valueFiles"
            + (" (for Kustomize, the `images:` list of each overlay)."
               if any(a.source_type != "helm" for a in self.inv.service_apps) else "."),
            bullets=rows[:8] + ([f"and {len(rows) - 8} more"] if len(rows) > 8 else []),
            snippets=files, command=self.command("image-tags")))

    def _secrets(self) -> None:
        if not self.missing("secrets-in-git"):
            return
        needed: dict[tuple[str, str], set[str]] = defaultdict(set)
        provided = {(r.namespace, r.name) for a in self.inv.tree.apps for r in a.resources
                    if r.kind in ("Secret", "SealedSecret", "ExternalSecret")}
        for a in self.inv.workloads:
            for r in a.app.resources:
                for name in referenced_secrets(r.manifest):
                    if (r.namespace, name) not in provided:
                        needed[(r.namespace, name)] |= _secret_keys(r.manifest, name)
        bullets = [f"`{ns}/{name}`: {', '.join(sorted(keys)) or 'all keys'}"
                   for (ns, name), keys in sorted(needed.items())]
        sample = self.inv.services[0] if self.inv.services else None
        files: list[Snippet] = []
        if sample is not None:
            keys = sorted(next((k for (_, n), k in needed.items()
                                if n.startswith(sample.name)), set()))
            skeleton = {"secrets": dict.fromkeys(keys or ["EXAMPLE_KEY"], "<value>")}
            path = posixpath.join(sample.path or "", "dev", "secrets.yaml")
            files.append(Snippet(
                f"{path} (referenced as secrets://dev/secrets.yaml; encrypt it before "
                "committing)", yamlio.dump(skeleton)))
        self.add(Recommendation(
            "secrets-in-git", "Keep secrets in Git, encrypted", 3,
            f"{plural(len(needed), 'Secret')} must exist before the pods start, and nothing "
            "in Git says what they hold or who changed them. Encrypt them with SOPS as "
            "`secrets://` value files next to the values (the chart renders the Secret), or "
            "seal them as SealedSecrets; either way Argo CD creates them with the rest.",
            bullets=bullets[:20] + ([f"and {len(bullets) - 20} more"] if len(bullets) > 20
                                    else []),
            snippets=files, command=self.command("secrets-in-git")))

    def _namespaces(self) -> None:
        if not self.missing("namespace-per-service"):
            return
        shared = defaultdict(list)
        for c in self.inv.services:
            for ns in sorted({a.destination.namespace for a in c.apps}):
                shared[ns].append(c.name)
        bullets = [f"`{ns}` holds {plural(len(members), 'service')}: {names(members, 8)}"
                   for ns, members in sorted(shared.items()) if len(members) > 1]
        self.add(Recommendation(
            "namespace-per-service", "A namespace per service", 4,
            "Services that share a namespace share its quotas, network policies and RBAC. "
            "With one namespace per service and environment (`<service>-<env>`), each gets "
            "its own limits and a mistake stays inside it.", bullets=bullets))

    def _regions(self) -> None:
        if not self.missing("multi-region"):
            return
        self.add(Recommendation(
            "multi-region", "Regions, when the business needs them", 4,
            "Add a region axis to the generators (`<env>/<region>.values.yaml`, an AppProject "
            "and a cluster per production region) only when there is a second region to "
            "serve; until then it is complexity without benefit.",
            command=self.command("multi-region")))

    def _documentation(self) -> None:
        if not self.missing("documentation"):
            return
        self.add(Recommendation(
            "documentation", "Write down how the repository works", 4,
            "Explain the layout, the environments and regions, how a release moves from "
            "staging to production and how secrets are handled, in the README or a docs/ "
            "folder, so a newcomer does not have to reverse-engineer the ApplicationSets."))


def _sources(a: AppInfo) -> list[Mapping[str, Any]]:
    from argoplane.argocd.objects import sources_of

    return sources_of(a.app.manifest)


def _secret_keys(manifest: Mapping[str, Any], name: str) -> set[str]:
    keys: set[str] = set()
    text = json.dumps(manifest)
    if name not in text:
        return keys
    spec = manifest.get("spec") or {}
    template = spec.get("template") or {}
    pod = template.get("spec") or {}
    for container in pod.get("containers") or []:
        for env in container.get("env") or []:
            ref = ((env.get("valueFrom") or {}).get("secretKeyRef") or {})
            if ref.get("name") == name and ref.get("key"):
                keys.add(str(ref["key"]))
    return keys


def propose(subject: Subject, assessment: Assessment, commands: Set[str]) -> Plan:
    return Proposer(subject, assessment, commands).build()
