"""Argo CD manifests of the layout: ApplicationSets, AppProjects, the App-of-Apps roots and
third-party Applications; plus `.argoplane.yaml`, `.sops.yaml` and the repository README."""

from __future__ import annotations

from typing import Any

from argoplane.argocd.objects import IN_CLUSTER_SERVER
from argoplane.layout.inventory import Platform, Service, Target, ThirdParty
from argoplane.layout.yamltext import block, scalar

API_VERSION = "argoproj.io/v1alpha1"
THIRD_PARTY_ROOT = "central-releases-3rd-svc"
SYNC_OPTIONS = ["CreateNamespace=true", "ApplyOutOfSyncOnly=true", "Prune=true"]
MANUAL_SYNC_OPTIONS = ["CreateNamespace=true", "ApplyOutOfSyncOnly=true"]


def root_name(group: str) -> str:
    return f"central-releases-{group}"


def root_file(group: str) -> str:
    return f"{root_name(group)}.yaml"


def project_file(project: str) -> str:
    return f"argocd-projects/{project}.yaml"


def appset_file(svc: Service) -> str:
    return f"{svc.path}/{svc.name}-appSet.yaml"


# -- ApplicationSet ----------------------------------------------------------------------------


def element(platform: Platform, target: Target) -> dict[str, str]:
    """One list-generator element: the parameters of one environment x region."""
    item = {"env": target.env, "region": target.region, "project": target.project}
    if platform.named_clusters:
        item["cluster"] = target.cluster
    item["namespace_suffix"] = target.namespace_suffix
    return item


def elements(platform: Platform) -> list[dict[str, str]]:
    return [element(platform, t) for t in platform.targets]


def elements_block(platform: Platform) -> str:
    """The list elements as written in every ApplicationSet (the same for each service)."""
    return block(elements(platform), 10)


def appset(platform: Platform, svc: Service, items: str) -> str:
    destination = ("        name: '{{cluster}}'\n" if platform.named_clusters
                   else f"        server: {IN_CLUSTER_SERVER}\n")
    return f"""\
# {svc.name}: one Application per environment x region, named {svc.name}-<region>-<env>.
# argoplane keeps the list elements in step with platform.yaml (`argoplane add env`,
# `argoplane add region`); the rest of this file is yours to change.
apiVersion: {API_VERSION}
kind: ApplicationSet
metadata:
  name: {svc.name}
  namespace: {platform.argocd_namespace}
spec:
  generators:
    - list:
        elements:
{items}  template:
    metadata:
      name: '{svc.name}-{{{{region}}}}-{{{{env}}}}'
    spec:
      project: '{{{{project}}}}'
      destination:
{destination}        namespace: '{svc.name}-{{{{namespace_suffix}}}}'
      source:
        repoURL: {scalar(platform.repo_url)}
        targetRevision: {scalar(platform.target_revision)}
        path: {svc.path}
        helm:
          valueFiles:
            - '{{{{env}}}}/tag.yaml'
            - '{{{{env}}}}/{{{{region}}}}.values.yaml'
            - 'secrets://{{{{env}}}}/{{{{region}}}}.secrets.yaml'
      syncPolicy:
        automated:
          prune: true
          # selfHeal: true  # turn on once drift alerts are in place
        syncOptions:
{block(SYNC_OPTIONS, 10)}      revisionHistoryLimit: 3
"""


# -- AppProjects -------------------------------------------------------------------------------


def _destination(platform: Platform, target: Target, namespace: str) -> dict[str, str]:
    """A project destination, addressing the cluster the way the Applications do."""
    if platform.named_clusters:
        return {"name": target.cluster, "namespace": namespace}
    return {"server": target.server, "namespace": namespace}


def project_spec(platform: Platform, project: str) -> dict[str, Any]:
    targets = [t for t in platform.targets if t.project == project]
    third = [tp for tp in platform.third_party if tp.target.project == project]
    repos = [platform.repo_url, *dict.fromkeys(tp.repo_url for tp in third)]
    destinations = [_destination(platform, t, f"*-{t.namespace_suffix}") for t in targets]
    destinations += [_destination(platform, tp.target, tp.namespace) for tp in third]
    unique = list({tuple(sorted(d.items())): d for d in destinations}.values())
    whitelist = ([{"group": "*", "kind": "*"}] if third
                 else [{"group": "", "kind": "Namespace"}])
    env = targets[0].env
    regions = ", ".join(t.region for t in targets)
    return {
        "description": f"{env} ({regions})" + (" and third-party infrastructure" if third else ""),
        "sourceRepos": repos,
        "destinations": unique,
        "clusterResourceWhitelist": whitelist,
    }


def project(platform: Platform, name: str) -> str:
    spec = project_spec(platform, name)
    whitelist_note = (
        "  # Third-party charts install cluster-scoped objects (CRDs, ClusterRoles, webhooks).\n"
        if spec["clusterResourceWhitelist"][0]["kind"] == "*"
        else "  # Services are namespaced: the one cluster-scoped object is the Namespace that\n"
             "  # CreateNamespace=true creates.\n")
    head = {"apiVersion": API_VERSION, "kind": "AppProject",
            "metadata": {"name": name, "namespace": platform.argocd_namespace}}
    body = {k: v for k, v in spec.items() if k != "clusterResourceWhitelist"}
    return (
        f"# AppProject {name}: what its Applications may deploy, from where, to where.\n"
        + block(head) + "spec:\n" + block(body, 2) + whitelist_note
        + block({"clusterResourceWhitelist": spec["clusterResourceWhitelist"]}, 2)
    )


# -- Applications ------------------------------------------------------------------------------


def _root(platform: Platform, name: str, path: str, directory: dict[str, Any],
          comment: str) -> str:
    manifest = {
        "apiVersion": API_VERSION,
        "kind": "Application",
        "metadata": {"name": name, "namespace": platform.argocd_namespace},
        "spec": {
            "project": "default",
            "destination": {"server": IN_CLUSTER_SERVER,
                            "namespace": platform.argocd_namespace},
            "source": {"repoURL": platform.repo_url,
                       "targetRevision": platform.target_revision,
                       "path": path, "directory": directory},
            "syncPolicy": {"automated": {}},
        },
    }
    return comment + block(manifest)


def group_root(platform: Platform, group: str) -> str:
    return _root(
        platform, root_name(group), f"applications/{group}",
        {"recurse": True, "include": "{*-appSet.yaml,*-app.yaml}"},
        f"# Root Application (App of Apps) of the {group} services: deploys every\n"
        f"# ApplicationSet (and stand-alone *-app.yaml Application) under applications/{group}.\n",
    )


def third_party_root(platform: Platform) -> str:
    return _root(
        platform, THIRD_PARTY_ROOT, "applications/thirdparties", {"include": "*.yaml"},
        "# Root Application (App of Apps) of the third-party infrastructure. Only the\n"
        "# Application definitions sync automatically; the charts are synced by hand.\n",
    )


def third_party_app(platform: Platform, tp: ThirdParty) -> str:
    destination: dict[str, str] = (
        {"name": tp.target.cluster} if platform.named_clusters
        else {"server": tp.target.server})
    destination["namespace"] = tp.namespace
    helm: dict[str, Any] = {"releaseName": tp.release_name}
    if tp.values:
        helm["valuesObject"] = dict(tp.values)
    head = {
        "apiVersion": API_VERSION,
        "kind": "Application",
        "metadata": {"name": tp.name, "namespace": platform.argocd_namespace},
    }
    spec = {
        "project": tp.target.project,
        "destination": destination,
        "source": {"repoURL": tp.repo_url, "chart": tp.chart, "targetRevision": tp.version,
                   "helm": helm},
    }
    return (
        f"# {tp.name}: the {tp.chart} chart {tp.version} ({tp.target.env}, {tp.target.region}),"
        " third-party infrastructure.\n"
        + block(head) + "spec:\n" + block(spec, 2)
        + "  syncPolicy:\n"
        "    # Automated sync is off on purpose: infrastructure changes are reviewed in the\n"
        "    # Argo CD diff and synced by hand.\n"
        "    # automated: {}\n"
        "    syncOptions:\n" + block(MANUAL_SYNC_OPTIONS, 6)
    )


# -- repository files --------------------------------------------------------------------------


def cluster_entries(platform: Platform) -> list[dict[str, Any]]:
    """The named clusters as `.argoplane.yaml` lists them, labelled by environment/region."""
    out: list[dict[str, Any]] = []
    for cluster in platform.clusters:
        served = [t for t in platform.targets if t.cluster == cluster.name]
        served += [tp.target for tp in platform.third_party if tp.target.cluster == cluster.name]
        labels: dict[str, str] = {}
        envs = list(dict.fromkeys(t.env for t in served))
        regions = list(dict.fromkeys(t.region for t in served))
        if len(envs) == 1:
            labels["env"] = envs[0]
        if len(regions) == 1:
            labels["region"] = regions[0]
        entry: dict[str, Any] = {"name": cluster.name, "server": cluster.server}
        if labels:
            entry["labels"] = labels
        out.append(entry)
    return out


def argoplane_config(platform: Platform) -> str:
    data: dict[str, Any] = {"repoURLs": [platform.repo_url],
                            "argocdNamespace": platform.argocd_namespace}
    clusters = cluster_entries(platform)
    if clusters:
        data["clusters"] = clusters
    if platform.third_party:
        data["helm"] = {"chartsDir": ".argoplane/charts"}
    if platform.age_key_file:
        data["secrets"] = {"ageKeyFile": platform.age_key_file}
    return "# argoplane settings for this repository (generated from platform.yaml)\n" + block(data)


def sops_config(platform: Platform) -> str:
    groups: dict[tuple[str, ...], list[str]] = {}
    for env, recipients in platform.sops_age.items():
        groups.setdefault(recipients, []).append(env)
    everyone = len(groups) == 1 and len(platform.sops_age) == len(platform.environments)
    rules = []
    for recipients, envs in groups.items():
        pattern = (r"\.secrets\.yaml$" if everyone else
                   rf"^applications/[^/]+/[^/]+/({'|'.join(envs)})/[^/]+\.secrets\.yaml$")
        rules.append({"path_regex": pattern, "age": ",".join(recipients)})
    return ("# SOPS: each <env>/<region>.secrets.yaml is encrypted for its environment's age\n"
            "# recipients (from platform.yaml, secrets.sops.age).\n"
            + block({"creation_rules": rules}))


def readme(platform: Platform) -> str:
    envs = "\n".join(
        f"| {e.name} | {e.short} | {'yes' if e.production else 'no'} | "
        f"{', '.join(e.regions)} | "
        f"{', '.join(dict.fromkeys(t.project for t in platform.targets_of(e.name)))} |"
        for e in platform.environments)
    services = "\n".join(
        f"| {s.name} | {s.group} | `{s.image}` | {s.port} |" for s in platform.services)
    third = "\n".join(
        f"| {tp.name} | {tp.chart} {tp.version} | {tp.target.project} | {tp.namespace} |"
        for tp in platform.third_party) or "| (none) | | | |"
    roots = ", ".join(f"`{root_file(g.name)}`" for g in platform.groups if g.services)
    if platform.third_party:
        roots += f", `{THIRD_PARTY_ROOT}.yaml`"
    return f"""\
# {platform.name}: Argo CD GitOps repository

Generated by `argoplane init` from `platform.yaml`, which stays the inventory of this
repository: grow it with `argoplane add service|env|region`, move image tags with
`argoplane set-image` and `argoplane promote`, and see where every service stands with
`argoplane status`.

## Layout

- One Helm chart per service under `applications/<group>/<service>/`, with an
  ApplicationSet (`<service>-appSet.yaml`) that makes one Application per environment x
  region, named `<service>-<region>-<environment>`, in namespace
  `<service>-<region>-<short>`.
- Per environment, `<env>/tag.yaml` pins the image tag for every region; per region,
  `<env>/<region>.values.yaml` holds sizing and settings, and
  `<env>/<region>.secrets.yaml` the secrets (read as `secrets://`, SOPS-encrypted).
- `argocd-projects/`: one AppProject per non-production environment and one per
  production region.
- Roots (App of Apps): {roots}. Apply them once; everything else follows from Git.
- Third-party infrastructure under `applications/thirdparties/`, synced by hand.

## Environments

| environment | short | production | regions | projects |
|---|---|---|---|---|
{envs}

## Services

| service | group | image | port |
|---|---|---|---|
{services}

## Third-party Applications

| name | chart | project | namespace |
|---|---|---|---|
{third}

## Everyday commands

```sh
argoplane status                                   # image tags: service x environment x region
argoplane set-image SERVICE TAG --env ENV          # pin a tag for one environment
argoplane promote SERVICE --from ENV1 --to ENV2    # move the tag one environment on
argoplane render . && argoplane lint .             # what Argo CD will deploy, and is it right
```
"""
