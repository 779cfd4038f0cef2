"""The whole layout a platform needs, and the plan that brings a folder to it.

Every file is either *created once* (charts, value files, tag.yaml, secrets, README, roots,
third-party Applications: yours to edit from then on) or *kept in step* with the inventory
through a merge that touches only what argoplane owns (see merge.py). Running the plan
twice gives an empty plan the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from argoplane.core.errors import InputError
from argoplane.layout import merge
from argoplane.layout.inventory import PLATFORM_FILE, Platform
from argoplane.layout.plan import Change, Plan
from argoplane.layout.templates import argocd, chart, service


@dataclass(frozen=True)
class Desired:
    path: str
    content: str  # the file as written when it does not exist yet
    merge: merge.Merge | None = None  # how an existing file is kept in step (None: left alone)
    recipients: tuple[str, ...] = ()  # SOPS-encrypted for these age recipients when created
    part_of: str | None = None  # created only along with this file (a chart is one whole)


def desired_files(platform: Platform) -> list[Desired]:
    """Every file of the layout, in a stable order; `platform.yaml` itself is not among them."""
    out: list[Desired] = [
        Desired(".argoplane.yaml", argocd.argoplane_config(platform), merge.config_entries(
            platform.repo_url, argocd.cluster_entries(platform),
            ".argoplane/charts" if platform.third_party else None)),
        Desired("README.md", argocd.readme(platform)),
    ]
    if platform.sops_age:
        out.append(Desired(".sops.yaml", argocd.sops_config(platform)))
    for name in platform.projects:
        out.append(Desired(argocd.project_file(name), argocd.project(platform, name),
                           merge.project_entries(argocd.project_spec(platform, name))))
    for group in platform.groups:
        if group.services:
            out.append(Desired(argocd.root_file(group.name),
                               argocd.group_root(platform, group.name)))
    if platform.third_party:
        out.append(Desired(f"{argocd.THIRD_PARTY_ROOT}.yaml", argocd.third_party_root(platform)))
        out += [Desired(tp.path, argocd.third_party_app(platform, tp))
                for tp in platform.third_party]

    elements = argocd.elements_block(platform)
    keep_elements = merge.appset_elements(argocd.elements(platform))
    ignore = service.helmignore_lines(platform)
    helmignore = service.HELMIGNORE_HEADER + "".join(f"{line}\n" for line in ignore)
    keep_ignore = merge.missing_lines(ignore)
    for svc in platform.services:
        base = svc.path
        out.append(Desired(argocd.appset_file(svc), argocd.appset(platform, svc, elements),
                           keep_elements))
        chart_file = f"{base}/Chart.yaml"
        out.append(Desired(chart_file, service.chart_yaml(platform, svc)))
        out.append(Desired(f"{base}/values.yaml", service.values_yaml(svc), part_of=chart_file))
        out.append(Desired(f"{base}/.helmignore", helmignore, keep_ignore, part_of=chart_file))
        out += [Desired(f"{base}/{rel}", text, part_of=chart_file)
                for rel, text in chart.TEMPLATES.items()]
        for env in platform.environments:
            out.append(Desired(f"{base}/{env.name}/tag.yaml", service.tag_yaml(svc, env.name)))
            for target in platform.targets_of(env.name):
                stem = f"{base}/{env.name}/{target.region}"
                out.append(Desired(f"{stem}.values.yaml",
                                   service.region_values(platform, svc, target)))
                out.append(Desired(f"{stem}.secrets.yaml",
                                   service.secrets_placeholder(svc, target),
                                   recipients=platform.sops_age.get(env.name, ())))
    return out


def reconcile(root: Path, files: list[Desired]) -> Plan:
    """The changes that bring `root` to the desired files."""
    plan = Plan(root)
    seen: set[str] = set()
    for d in files:
        if d.path in seen:
            raise InputError(f"two generated files would be written to {d.path}")
        seen.add(d.path)
        path = root / d.path
        if not path.is_file():
            if path.exists():
                raise InputError(f"{d.path} exists and is not a file")
            if d.part_of is None or not (root / d.part_of).is_file():
                plan.add(Change(d.path, "create", d.content, recipients=d.recipients))
            continue
        if d.merge is None:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError("not a UTF-8 text file", file=d.path) from None
        new, summary = d.merge(text, d.path)
        if new != text:
            plan.add(Change(d.path, "update", new, summary))
    return plan


def platform_change(root: Path, text: str, summary: str = "") -> Change | None:
    """`platform.yaml` written with `text`, or None when it already holds it."""
    path = root / PLATFORM_FILE
    if not path.is_file():
        return Change(PLATFORM_FILE, "create", text)
    if path.read_text(encoding="utf-8") == text:
        return None
    return Change(PLATFORM_FILE, "update", text, summary)


def plan_layout(root: Path, platform: Platform, platform_text: str, *, summary: str = "") -> Plan:
    """Everything `init` (and, after editing the inventory, `add`) writes. The inventory is
    written last, so an interrupted run can simply be run again."""
    plan = reconcile(root, desired_files(platform))
    change = platform_change(root, platform_text, summary)
    if change is not None:
        plan.add(change)
    return plan
