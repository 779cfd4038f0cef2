"""The platform inventory, `platform.yaml`: what the repository deploys, where, and how.

Everything but the names has a default (docs/platform.md). `parse` validates the whole file
and names the line of the first mistake; the model it returns is frozen and fully resolved:
every environment x region is a `Target` with its project, cluster and namespace suffix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.error import YAMLError as RuamelYAMLError

from argoplane.argocd.objects import IN_CLUSTER_NAME, IN_CLUSTER_SERVER
from argoplane.core.errors import InputError, YAMLError
from argoplane.layout.roundtrip import plain
from argoplane.release.imagetag import check_tag

PLATFORM_FILE = "platform.yaml"
THIRD_PARTY_DIR = "applications/thirdparties"
DEFAULT_TAG = "0.1.0"
DEFAULT_PORT = 8080

# Kubernetes names: namespaces and Helm release names are DNS-1123 labels, and Helm refuses
# release names over 53 characters (`<svc>-<region>-<env>` is one).
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_CLUSTER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@-]*$")
_AGE_RECIPIENT = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")
MAX_RELEASE_NAME = 53
MAX_NAMESPACE = 63


@dataclass(frozen=True)
class Cluster:
    name: str
    server: str


@dataclass(frozen=True)
class Environment:
    name: str
    short: str
    production: bool
    regions: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """One environment x region: where each service's Application for it goes."""

    env: str
    short: str
    region: str
    production: bool
    project: str
    cluster: str  # `in-cluster` unless a named cluster is set
    server: str

    @property
    def namespace_suffix(self) -> str:
        return f"{self.region}-{self.short}"

    @property
    def in_cluster(self) -> bool:
        return self.cluster == IN_CLUSTER_NAME


@dataclass(frozen=True)
class Service:
    name: str
    group: str
    image: str
    port: int
    tag: str
    ingress: bool
    autoscaling: bool

    @property
    def path(self) -> str:
        """The service's folder (its Helm chart), relative to the repository root."""
        return f"applications/{self.group}/{self.name}"


@dataclass(frozen=True)
class Group:
    name: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class ThirdParty:
    name: str
    repo_url: str
    chart: str
    version: str
    namespace: str
    release_name: str
    target: Target
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def path(self) -> str:
        return f"{THIRD_PARTY_DIR}/{self.name}.yaml"


@dataclass(frozen=True)
class Platform:
    name: str
    repo_url: str
    target_revision: str
    argocd_namespace: str
    domain: str
    environments: tuple[Environment, ...]
    regions: tuple[str, ...]
    clusters: tuple[Cluster, ...]
    groups: tuple[Group, ...]
    third_party: tuple[ThirdParty, ...]
    targets: tuple[Target, ...]  # environments in order, each with its regions in order
    # age recipients of each environment's <env>/<region>.secrets.yaml (none: placeholders)
    sops_age: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    age_key_file: str | None = None  # where argoplane finds the age identities to decrypt

    @cached_property
    def services(self) -> tuple[Service, ...]:
        return tuple(s for g in self.groups for s in g.services)

    @cached_property
    def _services_by_name(self) -> dict[str, Service]:
        return {s.name: s for s in self.services}

    def service(self, name: str) -> Service:
        found = self._services_by_name.get(name)
        if found is None:
            raise InputError(
                f"unknown service {name!r} (services: {_list(self._services_by_name)})")
        return found

    def environment(self, name: str) -> Environment:
        for env in self.environments:
            if env.name == name:
                return env
        raise InputError(f"unknown environment {name!r} (environments: "
                         f"{_list(e.name for e in self.environments)})")

    def group(self, name: str) -> Group:
        for group in self.groups:
            if group.name == name:
                return group
        raise InputError(f"unknown group {name!r} (groups: {_list(g.name for g in self.groups)})")

    def targets_of(self, env: str) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.env == env)

    def target(self, env: str, region: str) -> Target:
        environment = self.environment(env)
        for t in self.targets_of(env):
            if t.region == region:
                return t
        raise InputError(f"environment {env} has no region {region!r} (its regions: "
                         f"{_list(environment.regions)})")

    @property
    def named_clusters(self) -> bool:
        """True when Applications address clusters by name (some target is not in-cluster)."""
        return any(not t.in_cluster for t in self.targets)

    @property
    def projects(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.project for t in self.targets))


class UnknownClusterError(InputError):
    """A target names a cluster that `clusters` does not list."""

    def __init__(self, message: str, cluster: str, env: str, *, file: str, line: int | None):
        super().__init__(message, file=file, line=line)
        self.cluster = cluster
        self.env = env


def _list(names: Any) -> str:
    items = list(names)
    return ", ".join(items) if items else "none"


# -- parsing ---------------------------------------------------------------------------------


class _Reader:
    """Typed access to the loaded document with the file and line in every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, message: str, node: Any = None, key: Any = None) -> InputError:
        return InputError(f"{where}: {message}" if where else message, file=self.file,
                          line=_line(node, key))

    def at(self, where: str, node: Any = None, key: Any = None) -> Callable[[str], InputError]:
        """A `fail` bound to one place, for checks that only know the message."""
        return lambda message: self.fail(where, message, node, key)

    def mapping(self, node: Any, where: str, parent: Any = None, key: Any = None
                ) -> Mapping[str, Any]:
        if not isinstance(node, Mapping):
            raise self.fail(where, "must be a mapping", parent, key)
        return node

    def keys(self, node: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        for key in node:
            if key not in allowed:
                raise self.fail(where, f"unknown key {key!r} (known: {', '.join(allowed)})",
                                node, key)

    def string(self, node: Mapping[str, Any], key: str, where: str, *, default: str | None = None
               ) -> str:
        value = node.get(key)
        if value is None:
            if default is None:
                raise self.fail(where, f"`{key}` is required", node)
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(where, f"`{key}` must be a string", node, key)
        text = str(value)
        if not text.strip():
            raise self.fail(where, f"`{key}` must not be empty", node, key)
        return text

    def name(self, node: Mapping[str, Any], key: str, where: str, what: str,
             *, default: str | None = None) -> str:
        value = self.string(node, key, where, default=default)
        check_name(value, what, self.at(where, node, key))
        return value

    def boolean(self, node: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, f"`{key}` must be true or false", node, key)
        return value

    def sequence(self, node: Mapping[str, Any], key: str, where: str, *, required: bool = True
                 ) -> list[Any]:
        value = node.get(key)
        if value is None:
            if required:
                raise self.fail(where, f"`{key}` is required", node)
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"`{key}` must be a list", node, key)
        return value


def check_name(value: str, what: str, fail: Callable[[str], InputError] | None = None) -> None:
    """Refuse a name that cannot be a Kubernetes label, folder and Helm chart name."""
    if not _LABEL.match(value) or len(value) > MAX_NAMESPACE:
        message = (f"{what} name {value!r} is not valid: use lowercase letters, digits and "
                   "'-', starting and ending with a letter or digit, at most 63 characters")
        raise fail(message) if fail is not None else InputError(message)


def _line(node: Any, key: Any = None) -> int | None:
    if not isinstance(node, CommentedBase):
        return None
    lc = node.lc
    try:
        if key is not None:
            if isinstance(node, list):
                return int(lc.item(key)[0]) + 1
            return int(lc.key(key)[0]) + 1
        return int(lc.line) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return int(lc.line) + 1 if lc.line is not None else None


def load_document(text: str, file: str) -> Any:
    """The document with positions (ruamel round-trip nodes), for error lines and editing."""
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YAMLError(f"invalid YAML: {exc.problem or exc}", file=file, line=line) from None
    except RuamelYAMLError as exc:
        raise YAMLError(f"invalid YAML: {str(exc).splitlines()[0]}", file=file) from None


def parse(text: str, file: str = PLATFORM_FILE) -> Platform:
    """The validated platform described by the text of a `platform.yaml`."""
    return parse_document(load_document(text, file), file)


_TOP = ("name", "repoURL", "targetRevision", "argocdNamespace", "domain", "registry",
        "environments", "regions", "clusters", "groups", "thirdParty", "secrets")
_ENV = ("name", "short", "production", "regions", "project", "cluster")
_REGION = ("project", "cluster")
_SERVICE = ("name", "image", "port", "tag", "ingress", "autoscaling")
_GROUP = ("services", "registry")
_THIRD = ("name", "repoURL", "chart", "version", "namespace", "releaseName", "env", "region",
          "values")


def parse_document(doc: Any, file: str = PLATFORM_FILE) -> Platform:
    r = _Reader(file)
    if doc is None:
        raise InputError("the file is empty; a platform needs at least `name`, `repoURL`, "
                         "`environments`, `regions` and `groups`", file=file)
    top = r.mapping(doc, "")
    r.keys(top, "", _TOP)
    name = r.name(top, "name", "", "platform")
    repo_url = r.string(top, "repoURL", "")
    domain = r.string(top, "domain", "", default=f"{name}.example")
    registry = r.string(top, "registry", "", default=f"registry.example.com/{name}")

    regions = _regions(r, top)
    clusters = _clusters(r, top)
    environments, targets = _environments(r, top, regions, {c.name: c for c in clusters})
    groups = _groups(r, top, registry, targets)
    third_party = _third_party(r, top, environments, targets)
    sops_age, age_key_file = _secrets(r, top, environments)
    return Platform(
        name=name,
        repo_url=repo_url,
        target_revision=r.string(top, "targetRevision", "", default="HEAD"),
        argocd_namespace=r.name(top, "argocdNamespace", "", "namespace", default="argocd"),
        domain=domain,
        environments=environments,
        regions=regions,
        clusters=clusters,
        groups=groups,
        third_party=third_party,
        targets=targets,
        sops_age=sops_age,
        age_key_file=age_key_file,
    )


def _regions(r: _Reader, top: Mapping[str, Any]) -> tuple[str, ...]:
    items = r.sequence(top, "regions", "")
    if not items:
        raise r.fail("regions", "list at least one region", top, "regions")
    seen: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise r.fail(f"regions[{i}]", "must be a region name", items, i)
        check_name(item, "region", r.at(f"regions[{i}]", items, i))
        if item in seen:
            raise r.fail(f"regions[{i}]", f"duplicate region {item!r}", items, i)
        seen.append(item)
    return tuple(seen)


def _clusters(r: _Reader, top: Mapping[str, Any]) -> tuple[Cluster, ...]:
    out: list[Cluster] = []
    items = r.sequence(top, "clusters", "", required=False)
    for i, item in enumerate(items):
        where = f"clusters[{i}]"
        node = r.mapping(item, where, items, i)
        r.keys(node, where, ("name", "server"))
        name = r.string(node, "name", where)
        if not _CLUSTER.match(name) or name == IN_CLUSTER_NAME:
            raise r.fail(where, f"cluster name {name!r} is not valid"
                         + (" (in-cluster is Argo CD's own)" if name == IN_CLUSTER_NAME else ""),
                         node, "name")
        server = r.string(node, "server", where)
        if not server.startswith(("https://", "http://")):
            raise r.fail(where, f"server {server!r} must be an https:// URL", node, "server")
        if any(c.name == name for c in out):
            raise r.fail(where, f"duplicate cluster {name!r}", node, "name")
        out.append(Cluster(name, server))
    return tuple(out)


def _fill(pattern: str, **values: str) -> str:
    for key, value in values.items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


def _environments(r: _Reader, top: Mapping[str, Any], regions: tuple[str, ...],
                  clusters: Mapping[str, Cluster]
                  ) -> tuple[tuple[Environment, ...], tuple[Target, ...]]:
    items = r.sequence(top, "environments", "")
    if not items:
        raise r.fail("environments", "list at least one environment", top, "environments")
    envs: list[Environment] = []
    targets: list[Target] = []
    for i, item in enumerate(items):
        where = f"environments[{i}]"
        node = r.mapping(item, where, items, i)
        r.keys(node, where, _ENV)
        name = r.name(node, "name", where, "environment")
        where = f"environments[{i}] ({name})"
        short = r.name(node, "short", where, "environment short", default=name)
        production = r.boolean(node, "production", where, False)
        for other in envs:
            if other.name == name:
                raise r.fail(where, f"duplicate environment {name!r}", node, "name")
            if other.short == short:
                raise r.fail(where, f"short name {short!r} is already used by {other.name}",
                             node, "short")
        default_project = "{region}-{short}" if production else "{short}"
        project_pattern = r.string(node, "project", where, default=default_project)
        cluster_pattern = r.string(node, "cluster", where, default=IN_CLUSTER_NAME)
        env_regions, overrides = _env_regions(r, node, where, regions)
        envs.append(Environment(name, short, production, env_regions))
        for region in env_regions:
            override = overrides.get(region, {})
            values = {"env": name, "short": short, "region": region}
            project = _fill(str(override.get("project") or project_pattern), **values)
            cluster = _fill(str(override.get("cluster") or cluster_pattern),
                            **values, project=project)
            spot = f"{where}, region {region}"
            check_name(project, "project", r.at(spot, node, "project"))
            if cluster == IN_CLUSTER_NAME:
                server = IN_CLUSTER_SERVER
            elif cluster in clusters:
                server = clusters[cluster].server
            else:
                raise UnknownClusterError(
                    f"{spot}: cluster {cluster!r} is not listed under `clusters` (give its "
                    "name and server there)", cluster, name, file=r.file,
                    line=_line(node, "cluster" if "cluster" in node else None))
            target = Target(name, short, region, production, project, cluster, server)
            _check_lengths(r, target, node)
            targets.append(target)
    _check_projects(r, targets, top)
    return tuple(envs), tuple(targets)


def _env_regions(r: _Reader, node: Mapping[str, Any], where: str, regions: tuple[str, ...]
                 ) -> tuple[tuple[str, ...], dict[str, Mapping[str, Any]]]:
    value = node.get("regions")
    if value is None:
        return regions, {}
    overrides: dict[str, Mapping[str, Any]] = {}
    if isinstance(value, list):
        names = value
    elif isinstance(value, Mapping):
        names = list(value)
        for region, setting in value.items():
            spot = f"{where}.regions.{region}"
            if setting is None:
                continue
            item = r.mapping(setting, spot, value, region)
            r.keys(item, spot, _REGION)
            overrides[str(region)] = {k: r.string(item, k, spot) for k in item}
    else:
        raise r.fail(where, "`regions` must be a list of region names or a mapping of "
                     "region -> {project, cluster}", node, "regions")
    if not names:
        raise r.fail(where, "`regions` must name at least one region", node, "regions")
    seen: list[str] = []
    for i, region in enumerate(names):
        key = i if isinstance(value, list) else region
        if not isinstance(region, str) or region not in regions:
            raise r.fail(where, f"unknown region {region!r} (regions: {_list(regions)})",
                         value, key)
        if region in seen:
            raise r.fail(where, f"region {region!r} is listed twice", value, key)
        seen.append(region)
    return tuple(seen), overrides


def _check_lengths(r: _Reader, target: Target, node: Any) -> None:
    # the longest service name still has to fit; services are checked against this too
    if len(f"x-{target.region}-{target.env}") > MAX_RELEASE_NAME:
        raise r.fail(f"environment {target.env}", "environment and region names are too "
                     f"long for Helm release names (at most {MAX_RELEASE_NAME} characters)",
                     node)


def _check_projects(r: _Reader, targets: list[Target], top: Any) -> None:
    """A project is one environment's: it may span regions, never environments."""
    owner: dict[str, str] = {}
    for t in targets:
        if owner.setdefault(t.project, t.env) != t.env:
            raise r.fail("environments", f"project {t.project!r} is used by both "
                         f"{owner[t.project]} and {t.env}; give each environment its own",
                         top, "environments")


def _groups(r: _Reader, top: Mapping[str, Any], registry: str, targets: tuple[Target, ...]
            ) -> tuple[Group, ...]:
    value = top.get("groups")
    node = r.mapping(value, "groups", top, "groups")
    if not node:
        raise r.fail("groups", "define at least one group of services", top, "groups")
    seen: dict[str, str] = {}
    groups: list[Group] = []
    for key, gvalue in node.items():
        gname = str(key)
        where = f"groups.{gname}"
        check_name(gname, "group", r.at(where, node, gname))
        if gname == "thirdparties":
            raise r.fail(where, "the name `thirdparties` is kept for third-party "
                         "Applications", node, gname)
        group = r.mapping(gvalue if gvalue is not None else {}, where, node, gname)
        r.keys(group, where, _GROUP)
        group_registry = r.string(group, "registry", where, default=registry).rstrip("/")
        services: list[Service] = []
        items = r.sequence(group, "services", where, required=False)
        for i, item in enumerate(items):
            spot = f"{where}.services[{i}]"
            svc = _service(r, item, items, i, spot, gname, group_registry)
            if svc.name in seen:
                raise r.fail(spot, f"duplicate service {svc.name!r} (already in group "
                             f"{seen[svc.name]})", items, i)
            longest = max((len(f"{svc.name}-{t.region}-{t.env}") for t in targets), default=0)
            if longest > MAX_RELEASE_NAME:
                raise r.fail(spot, f"service name {svc.name!r} is too long: its Application "
                             f"names would exceed Helm's {MAX_RELEASE_NAME}-character "
                             "release names", items, i)
            seen[svc.name] = gname
            services.append(svc)
        groups.append(Group(gname, tuple(services)))
    return tuple(groups)


def _service(r: _Reader, item: Any, items: list[Any], i: int, where: str, group: str,
             registry: str) -> Service:
    if isinstance(item, str):
        check_name(item, "service", r.at(where, items, i))
        return Service(item, group, f"{registry}/{item}", DEFAULT_PORT, DEFAULT_TAG, False,
                       False)
    node = r.mapping(item, where, items, i)
    r.keys(node, where, _SERVICE)
    name = r.name(node, "name", where, "service")
    port = node.get("port", DEFAULT_PORT)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise r.fail(where, "`port` must be a number from 1 to 65535", node, "port")
    tag = r.string(node, "tag", where, default=DEFAULT_TAG)
    check_tag(tag, r.at(where, node, "tag"))
    return Service(
        name=name,
        group=group,
        image=r.string(node, "image", where, default=f"{registry}/{name}"),
        port=port,
        tag=tag,
        ingress=r.boolean(node, "ingress", where, False),
        autoscaling=r.boolean(node, "autoscaling", where, False),
    )


def _third_party(r: _Reader, top: Mapping[str, Any], environments: tuple[Environment, ...],
                 targets: tuple[Target, ...]) -> tuple[ThirdParty, ...]:
    items = r.sequence(top, "thirdParty", "", required=False)
    out: list[ThirdParty] = []
    default_env = next((e for e in environments if e.production), environments[-1])
    for i, item in enumerate(items):
        where = f"thirdParty[{i}]"
        node = r.mapping(item, where, items, i)
        r.keys(node, where, _THIRD)
        name = r.name(node, "name", where, "third-party Application")
        where = f"thirdParty[{i}] ({name})"
        if any(t.name == name for t in out):
            raise r.fail(where, f"duplicate third-party Application {name!r}", node, "name")
        env_name = r.string(node, "env", where, default=default_env.name)
        env = next((e for e in environments if e.name == env_name), None)
        if env is None:
            raise r.fail(where, f"unknown environment {env_name!r} (environments: "
                         f"{_list(e.name for e in environments)})", node, "env")
        region = r.string(node, "region", where, default=env.regions[0])
        target = next((t for t in targets if t.env == env.name and t.region == region), None)
        if target is None:
            raise r.fail(where, f"unknown region {region!r} for environment {env.name} "
                         f"(its regions: {_list(env.regions)})", node, "region")
        values = node.get("values") or {}
        if not isinstance(values, Mapping):
            raise r.fail(where, "`values` must be a mapping", node, "values")
        out.append(ThirdParty(
            name=name,
            repo_url=r.string(node, "repoURL", where),
            chart=r.string(node, "chart", where),
            version=r.string(node, "version", where),
            namespace=r.name(node, "namespace", where, "namespace", default=name),
            release_name=r.name(node, "releaseName", where, "release", default=name),
            target=target,
            values=plain(values),
        ))
    return tuple(out)


def _recipients(r: _Reader, value: Any, where: str, node: Any, key: Any) -> tuple[str, ...]:
    items = [p.strip() for p in value.split(",") if p.strip()] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise r.fail(where, "must be an age recipient or a list of them", node, key)
    for item in items:
        if not isinstance(item, str) or not _AGE_RECIPIENT.match(item):
            raise r.fail(where, f"{item!r} is not an age recipient (age1...)", node, key)
    return tuple(items)


def _secrets(r: _Reader, top: Mapping[str, Any], environments: tuple[Environment, ...]
             ) -> tuple[dict[str, tuple[str, ...]], str | None]:
    """age recipients per environment (`secrets.sops.age`: one list for all, or a mapping
    environment -> recipients) and the age key file `.argoplane.yaml` points at."""
    secrets = top.get("secrets")
    if secrets is None:
        return {}, None
    node = r.mapping(secrets, "secrets", top, "secrets")
    r.keys(node, "secrets", ("sops", "ageKeyFile"))
    key_file = r.string(node, "ageKeyFile", "secrets", default="") or None
    sops = r.mapping(node.get("sops") or {}, "secrets.sops", node, "sops")
    r.keys(sops, "secrets.sops", ("age",))
    age = sops.get("age")
    if age is None:
        return {}, key_file
    names = [e.name for e in environments]
    if isinstance(age, Mapping):
        out: dict[str, tuple[str, ...]] = {}
        for env, value in age.items():
            if env not in names:
                raise r.fail("secrets.sops.age", f"unknown environment {env!r} "
                             f"(environments: {_list(names)})", age, env)
            out[str(env)] = _recipients(r, value, f"secrets.sops.age.{env}", age, env)
        return out, key_file
    everyone = _recipients(r, age, "secrets.sops.age", sops, "age")
    return dict.fromkeys(names, everyone), key_file

