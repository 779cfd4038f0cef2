"""`argoplane appset generate`: the Applications an ApplicationSet generates, offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from argoplane.argocd import appset as appsets
from argoplane.argocd.generators.base import GeneratorContext
from argoplane.argocd.objects import APPLICATION_SET, argo_kind
from argoplane.cli.options import load_clusters
from argoplane.core import command, yamlio
from argoplane.core.config import CONFIG_FILE, load_config
from argoplane.core.errors import InputError, ToolError
from argoplane.core.repourl import normalize_repo_url


@click.group()
def appset() -> None:
    """Work with ApplicationSets."""


def _toplevel(folder: Path) -> Path:
    try:
        out = command.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], timeout=10)
        return Path(out.stdout.strip())
    except ToolError:
        return folder


def _repo_resolver(specs: tuple[str, ...], default: Path) -> Any:
    mapping: dict[str, Path] = {}
    fallback = default
    for spec in specs:
        url, sep, folder = spec.rpartition("=")
        path = Path(folder if sep else spec)
        if not path.is_dir():
            raise InputError(f"--repo {spec}: {path} is not a folder")
        if sep:
            mapping[normalize_repo_url(url)] = path.resolve()
        else:
            fallback = path.resolve()

    def resolve(repo_url: str) -> Path | None:
        return mapping.get(normalize_repo_url(repo_url), fallback)

    return resolve, fallback


def _config_root(folder: Path, top: Path) -> Path:
    """The nearest folder from FILE up to the checkout's top that has a .argoplane.yaml."""
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
        if candidate == top:
            break
    return top


@appset.command("generate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--repo", "repos", multiple=True, metavar="DIR|URL=DIR",
              help="Checkout that stands for git generators' repoURL (DIR: any URL; "
                   "URL=DIR: that URL). Repeatable. Default: the Git checkout holding FILE.")
@click.option("--clusters", "clusters_file", metavar="FILE",
              help="Clusters Argo CD knows (YAML/JSON list, or cluster Secrets). Default: "
                   ".argoplane.yaml of the checkout.")
@click.option("--params", "show_params", is_flag=True,
              help="Print the parameter sets each generator produced instead of Applications.")
@click.option("-o", "--output", type=click.Choice(["json", "yaml"]), default="yaml",
              show_default=True)
def generate(file: Path, repos: tuple[str, ...], clusters_file: str | None, show_params: bool,
             output: str) -> int:
    """Print the Applications that the ApplicationSet(s) in FILE generate, in generator order.

    Exit codes: 0 generated; 2 bad input or a generator error (one line on stderr).
    """
    if not file.is_file():
        raise InputError("no such file", file=str(file))
    docs = [d for d in yamlio.load_all(file.read_text(encoding="utf-8"), str(file))
            if argo_kind(d) == APPLICATION_SET]
    if not docs:
        raise InputError("no ApplicationSet in this file", file=str(file))
    folder = file.resolve().parent
    top = _toplevel(folder)
    config_root = _config_root(folder, top)
    resolve, checkout = _repo_resolver(repos, config_root)
    config = load_config(config_root if not repos else checkout)
    clusters = load_clusters(clusters_file)
    if clusters is None:
        clusters = config.clusters
    ctx = GeneratorContext(appset_name="", clusters=clusters, repo_dir=resolve, file=str(file))
    results: list[Any] = []
    errors: list[str] = []
    for doc in docs:
        namespace = appsets.appset_namespace(doc, config.argocd_namespace)
        expansion = appsets.expand(doc, ctx, namespace)
        name = doc["metadata"].get("name", "")
        errors += [f"{file}: ApplicationSet {name}: {e}" for e in expansion.errors]
        if show_params:
            generators = doc.get("spec", {}).get("generators") or []
            for index, params in enumerate(expansion.params):
                entry = generators[index] if index < len(generators) else {}
                kind = next((k for k in entry if k not in ("selector", "template")), "?")
                results.append({"applicationset": name, "generator": index, "kind": kind,
                                "params": params})
        else:
            results += expansion.applications
    if output == "json":
        sys.stdout.write(json.dumps(results, indent=2, default=str) + "\n")
    elif show_params:
        sys.stdout.write(yamlio.dump(results))
    else:
        sys.stdout.write("".join("---\n" + yamlio.dump(a) for a in results))
    for error in errors:
        click.echo(f"argoplane: error: {error}", err=True)
    return 2 if errors else 0
