"""`add service|env|region`: edit `platform.yaml` (comments kept), then plan every file the
grown platform needs, exactly as `init` would."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from argoplane.core.errors import InputError
from argoplane.layout.inventory import (
    DEFAULT_PORT,
    PLATFORM_FILE,
    UnknownClusterError,
    check_name,
    parse,
)
from argoplane.layout.plan import Plan
from argoplane.layout.repo import PlatformRepo
from argoplane.layout.roundtrip import Document
from argoplane.layout.scaffold import plan_layout
from argoplane.release.imagetag import check_tag


@dataclass(frozen=True)
class Grown:
    plan: Plan
    text: str  # the new platform.yaml


def _finish(repo: PlatformRepo, doc: Document, summary: str) -> Grown:
    text = doc.text()
    try:
        platform = parse(text, PLATFORM_FILE)
    except UnknownClusterError as exc:
        raise InputError(f"environment {exc.env} would deploy to cluster {exc.cluster!r}, which "
                         f"{PLATFORM_FILE} does not list: pass --server {exc.cluster}=URL "
                         "to add it") from None
    except InputError as exc:  # the edit broke a rule the arguments did not show
        raise InputError(f"{PLATFORM_FILE} would not be valid after this change: {exc}") from None
    return Grown(plan_layout(repo.root, platform, text, summary=summary), text)


def _existing(repo: PlatformRepo, note: str) -> Grown:
    """Asked to add what is there already: nothing to add, only missing files to restore."""
    plan = plan_layout(repo.root, repo.platform, repo.text)
    plan.notes.append(note)
    return Grown(plan, repo.text)


def _flow_like(seq: CommentedSeq, value: object) -> object:
    """A mapping for `seq`, in flow style (`{a: b}`) when the sequence or its items are."""
    if not isinstance(value, dict):
        return value
    node = CommentedMap(value)
    siblings = [item for item in seq if isinstance(item, CommentedMap)]
    if seq.fa.flow_style() or (siblings and siblings[-1].fa.flow_style()):
        node.fa.set_flow_style()
    return node


def add_service(repo: PlatformRepo, name: str, *, group: str | None = None,
                image: str | None = None, port: int | None = None, tag: str | None = None) -> Grown:
    platform = repo.platform
    check_name(name, "service")
    if name in (s.name for s in platform.services):
        svc = platform.service(name)
        asked = {"group": (group, svc.group), "image": (image, svc.image),
                 "port": (port, svc.port), "tag": (tag, svc.tag)}
        for option, (wanted, actual) in asked.items():
            if wanted is not None and wanted != actual:
                raise InputError(f"service {name!r} already exists with {option} {actual}; "
                                 f"change it in {PLATFORM_FILE}")
        return _existing(repo, f"service {name} is already in group {svc.group}")
    if group is None:
        if len(platform.groups) != 1:
            raise InputError("the platform has several groups ("
                             + ", ".join(g.name for g in platform.groups) + "): pass --group")
        group = platform.groups[0].name
    platform.group(group)
    if port is not None and not 1 <= port <= 65535:
        raise InputError(f"--port {port}: must be from 1 to 65535")
    if tag is not None:
        check_tag(tag)
    doc = Document(repo.text, PLATFORM_FILE)
    node = doc.data["groups"][group]
    if node is None:
        doc.data["groups"][group] = node = CommentedMap()
    services = node.get("services")
    if services is None:
        node["services"] = services = CommentedSeq()
    extra = {k: v for k, v in (("image", image), ("port", port), ("tag", tag)) if v is not None}
    if extra.get("port") == DEFAULT_PORT:
        extra.pop("port")
    services.append(_flow_like(services, {"name": name, **extra}) if extra else name)
    return _finish(repo, doc, f"+service {name} (group {group})")


def add_environment(repo: PlatformRepo, name: str, *, short: str | None = None,
                    production: bool = False, before: str | None = None,
                    regions: Sequence[str] = ()) -> Grown:
    platform = repo.platform
    check_name(name, "environment")
    for env in platform.environments:
        if env.name == name:
            if (short and short != env.short) or (production and not env.production) or (
                    regions and set(regions) != set(env.regions)):
                raise InputError(f"environment {name!r} already exists (short {env.short}"
                                 f"{', production' if env.production else ''}, regions "
                                 f"{', '.join(env.regions)}); change it in {PLATFORM_FILE}")
            return _existing(repo, f"environment {name} already exists")
    short = short or name
    check_name(short, "environment short")
    for env in platform.environments:
        if env.short == short:
            raise InputError(f"short name {short!r} is already used by environment {env.name}"
                             " (pass --short)")
    for region in regions:
        if region not in platform.regions:
            raise InputError(f"unknown region {region!r} (regions: {', '.join(platform.regions)})")
    names = [e.name for e in platform.environments]
    if before is not None:
        platform.environment(before)
        index = names.index(before)
    elif production:
        index = len(names)
    else:  # a non-production environment goes before the first production one
        index = next((i for i, e in enumerate(platform.environments) if e.production),
                     len(names))
    entry: dict[str, object] = {"name": name, "short": short}
    if production:
        entry["production"] = True
    if regions:
        entry["regions"] = list(dict.fromkeys(regions))
    doc = Document(repo.text, PLATFORM_FILE)
    envs = doc.data["environments"]
    envs.insert(index, _flow_like(envs, entry))
    return _finish(repo, doc, f"+environment {name}")


def add_region(repo: PlatformRepo, name: str, *, envs: Sequence[str] = (),
               servers: Mapping[str, str] | None = None) -> Grown:
    """Add region `name` to the platform, in every environment or only in `envs`."""
    platform = repo.platform
    check_name(name, "region")
    for env in envs:
        platform.environment(env)
    if name in platform.regions:
        wanted = envs or [e.name for e in platform.environments]
        lacking = [e for e in wanted if name not in platform.environment(e).regions]
        if lacking:
            raise InputError(f"region {name!r} already exists but not in {', '.join(lacking)}; "
                             f"list it in those environments' regions in {PLATFORM_FILE}")
        return _existing(repo, f"region {name} already exists")
    doc = Document(repo.text, PLATFORM_FILE)
    doc.data["regions"].append(name)
    chosen = set(envs) if envs else {e.name for e in platform.environments}
    for node, environment in zip(doc.data["environments"], platform.environments, strict=True):
        listed = node.get("regions")
        if environment.name in chosen:
            if isinstance(listed, list):
                listed.append(name)
            elif isinstance(listed, CommentedMap):
                listed[name] = None
        elif listed is None:  # "every region" would now include the new one
            node["regions"] = CommentedSeq(environment.regions)
            node["regions"].fa.set_flow_style()
    for cluster, server in (servers or {}).items():
        clusters = doc.data.get("clusters")
        if clusters is None:
            doc.data["clusters"] = clusters = CommentedSeq()
        if any(str(c.get("name")) == cluster for c in clusters):
            raise InputError(f"cluster {cluster!r} is already listed in {PLATFORM_FILE}")
        clusters.append(_flow_like(clusters, {"name": cluster, "server": server}))
    return _finish(repo, doc, f"+region {name}")
