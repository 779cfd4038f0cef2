"""Synthetic platforms in the reference layout, built by `argoplane init`, for benchmarks.

    python bench/synth.py OUT_DIR --services N [--sops]

writes a `platform.yaml` inventory of N services (4 groups, 2 environments x 2 regions:
4N Applications) and runs `argoplane init` on it: one Helm chart of eight templates per
service, one ApplicationSet per service, value files per environment and region, `tag.yaml`
per environment, `secrets://` files, AppProjects and one App-of-Apps root per group. Services
vary as real ones do: ports, tags, an Ingress on every fourth service, autoscaling in
production on every third.

The inventory depends only on N, and the platform is rebuilt only when the inventory or
argoplane's layout templates change (a marker file holds their fingerprint), so a folder is
reused between runs. With `--sops` the secrets files are SOPS-encrypted for an age key that
is kept in the platform folder (`bench-age-keys.txt`, a throwaway key for benchmarks).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from argoplane.layout.inventory import Service

PROJECT = Path(__file__).resolve().parent.parent
REPO_URL = "https://git.example.com/bench/platform.git"
GROUPS = ("shop", "payments", "platform", "data")
# (environment, short name, production); regions in ApplicationSet element order
ENVS = (("staging", "stag", False), ("production", "prod", True))
REGIONS = ("eu", "us")
KEY_FILE = "bench-age-keys.txt"
REGISTRY = "registry.example.com/bench"
MARKER = ".bench-platform"


@dataclass(frozen=True)
class App:
    """One Application the platform deploys, as the helm-per-app baseline renders it."""

    service: Service
    env: str
    short: str
    region: str

    @property
    def name(self) -> str:
        return f"{self.service.name}-{self.region}-{self.env}"

    @property
    def namespace(self) -> str:
        return f"{self.service.name}-{self.region}-{self.short}"

    @property
    def value_files(self) -> tuple[str, ...]:
        """The valueFiles of the ApplicationSet, relative to the chart (secrets:// dropped)."""
        return (f"{self.env}/tag.yaml", f"{self.env}/{self.region}.values.yaml",
                f"{self.env}/{self.region}.secrets.yaml")


def services(count: int) -> list[Service]:
    return [Service(name=f"svc{i:04d}", group=GROUPS[i % len(GROUPS)],
                    image=f"{REGISTRY}/svc{i:04d}", port=8000 + i % 1000,
                    tag=f"1.{i % 50}.{i % 7}", ingress=i % 4 == 0, autoscaling=i % 3 == 0)
            for i in range(count)]


def applications(count: int) -> list[App]:
    return [App(svc, env, short, region) for svc in services(count)
            for env, short, _prod in ENVS for region in REGIONS]


def platform_yaml(count: int, age_recipient: str | None = None) -> str:
    """The inventory of a platform of `count` services (docs/platform.md)."""
    lines = [
        "# Benchmark platform, written by bench/synth.py; `argoplane init` builds the layout.",
        "name: bench",
        f"repoURL: {REPO_URL}",
        "domain: bench.example",
        f"registry: {REGISTRY}",
        f"regions: [{', '.join(REGIONS)}]",
        "clusters:",
        "  - {name: stag, server: https://stag.k8s.bench.example}",
        *(f"  - {{name: {r}-prod, server: https://{r}-prod.k8s.bench.example}}"
          for r in REGIONS),
        "environments:",
        "  - {name: staging, short: stag, cluster: stag}",
        "  - {name: production, short: prod, production: true, cluster: '{project}'}",
    ]
    if age_recipient:
        lines += ["secrets:", "  sops:", f"    age: {age_recipient}", f"  ageKeyFile: {KEY_FILE}"]
    lines.append("groups:")
    by_group: dict[str, list[Service]] = {g: [] for g in GROUPS}
    for svc in services(count):
        by_group[svc.group].append(svc)
    for group, members in by_group.items():
        if not members:
            continue
        lines += [f"  {group}:", "    services:"]
        lines += [f"      - {{name: {s.name}, port: {s.port}, tag: {s.tag}, "
                  f"ingress: {str(s.ingress).lower()}, "
                  f"autoscaling: {str(s.autoscaling).lower()}}}" for s in members]
    return "\n".join(lines) + "\n"


def _argoplane() -> str:
    return str(Path(sys.executable).with_name("argoplane"))


def _layout_fingerprint() -> str:
    """argoplane's layout code: a change to it rebuilds cached platforms."""
    digest = hashlib.sha256()
    for path in sorted((PROJECT / "src/argoplane/layout").rglob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _age_identity(folder: Path) -> str:
    """A fresh age identity in `folder/KEY_FILE`; returns its recipient."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    (folder / KEY_FILE).write_text(
        f"# throwaway benchmark key\n# public key: {recipient}\n{identity}\n")
    return recipient


def generate(root: Path, count: int, *, sops: bool = False) -> None:
    """Write the platform into `root` (which must not exist) with `argoplane init`."""
    root.mkdir(parents=True)
    recipient = _age_identity(root) if sops else None
    inventory = root.parent / f"{root.name}.platform.yaml"
    inventory.write_text(platform_yaml(count, recipient))
    try:
        subprocess.run([_argoplane(), "init", str(root), "--from", str(inventory),
                        "--allow-dirty"], check=True, stdout=subprocess.DEVNULL)
    finally:
        inventory.unlink(missing_ok=True)


def ensure(root: Path, count: int, *, sops: bool = False) -> Path:
    """The platform of that size at `root`, generated once and reused afterwards."""
    marker = root / MARKER
    want = (f"{hashlib.sha256(platform_yaml(count).encode()).hexdigest()[:16]}-"
            f"{_layout_fingerprint()}-{'sops' if sops else 'plain'}")
    if marker.is_file() and marker.read_text() == want:
        return root
    tmp = root.with_name(root.name + ".partial")
    for old in (tmp, root):
        if old.exists():
            shutil.rmtree(old)
    generate(tmp, count, sops=sops)
    (tmp / MARKER).write_text(want)
    os.replace(tmp, root)
    return root


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--services", type=int, default=16)
    parser.add_argument("--sops", action="store_true",
                        help="SOPS-encrypt the secrets files (age key kept in the folder)")
    parser.add_argument("--print-inventory", action="store_true",
                        help="only print the platform.yaml")
    args = parser.parse_args(argv)
    if args.print_inventory:
        sys.stdout.write(platform_yaml(args.services))
        return 0
    ensure(args.out, args.services, sops=args.sops)
    print(f"{args.out}: {args.services} services, {args.services * 4} Applications")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
