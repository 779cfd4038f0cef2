"""Evaluators for the ApplicationSet generator vectors (clusters.json, git_directories.json,
git_files.json, list.json, matrix.json, merge.json, selector.json, values.json and the
generation cases of template.json / fasttemplate.json / gotemplate.json).

The mocked inputs of a case go through argoplane's injection points, never around them:
`repos` become checkout folders (`GeneratorContext.repo_dir`), `repo_server_mock` answers
replace the repo-server calls (`GeneratorContext.repos`), `mock_generator_params` replaces a
generator type (`GeneratorContext.generators`), `file_globbing` sets
`GeneratorContext.new_git_file_globbing`.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from argoplane.argocd.appset import (
    apply_template_patch,
    appset_namespace,
    expand,
    generator_params,
    validate_applications,
)
from argoplane.argocd.generators.base import Cluster, Generator, GeneratorContext, ParamSet
from argoplane.argocd.generators.git import git_file_params
from argoplane.argocd.generators.merge import merge_key_index
from argoplane.argocd.generators.params import append_values
from argoplane.argocd.generators.repos import CheckoutRepos, Repos
from argoplane.argocd.generators.transform import interpolate_generator
from argoplane.core.errors import TemplateError
from argoplane.core.repourl import normalize_repo_url

Input = dict[str, Any]


def _options(inp: Input) -> tuple[str, ...]:
    return tuple(str(o) for o in inp.get("goTemplateOptions") or ())


def _clusters(inp: Input) -> tuple[Cluster, ...]:
    return tuple(
        Cluster(c.get("name") or "", c.get("server") or "", dict(c.get("labels") or {}),
                dict(c.get("annotations") or {}), c.get("project") or "")
        for c in inp.get("clusters") or [])


class _MockedRepos:
    """The repo-server answers a Go test mocked, for the repoURLs it mocked; the checkouts
    (`repos`) for the others."""

    def __init__(self, mock: Mapping[str, Any], fallback: Repos) -> None:
        self.mock = {normalize_repo_url(url): answer for url, answer in mock.items()}
        self.fallback = fallback

    def directories(self, repo_url: str, revision: str) -> list[str]:
        answer = self.mock.get(normalize_repo_url(repo_url)) or {}
        if "directories" in answer:
            return [str(d) for d in answer["directories"]]
        return self.fallback.directories(repo_url, revision)

    def files(self, repo_url: str, revision: str, pattern: str,
              new_globbing: bool) -> dict[str, str]:
        answer = self.mock.get(normalize_repo_url(repo_url)) or {}
        if "get_files" in answer:
            return dict(answer["get_files"].get(pattern) or {})
        return self.fallback.files(repo_url, revision, pattern, new_globbing)


def _mocked_generator(params: list[ParamSet]) -> Generator:
    def generate(spec: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]:
        del spec, ctx  # the mock ignores its config, as the Go test's mock does
        return copy.deepcopy(params)

    return generate


def _write(root: Path, rel: str, content: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


@contextmanager
def _context(inp: Input, *, new_globbing: bool) -> Iterator[GeneratorContext]:
    appset = inp.get("applicationset") or {}
    spec = appset.get("spec") or {}
    with tempfile.TemporaryDirectory(prefix="argoplane-vector-") as tmp:
        root = Path(tmp).resolve()
        checkouts: dict[str, Path] = {}
        for i, (url, repo) in enumerate((inp.get("repos") or {}).items()):
            folder = root / f"repo-{i}"
            folder.mkdir()
            for rel, content in (repo.get("files") or {}).items():
                _write(folder, rel, content)
            checkouts[normalize_repo_url(url)] = folder

        def repo_dir(url: str) -> Path | None:
            return checkouts.get(normalize_repo_url(url))

        repos: Repos = CheckoutRepos(repo_dir)
        if inp.get("repo_server_mock"):
            repos = _MockedRepos(inp["repo_server_mock"], repos)
        mocks = {kind: _mocked_generator(params)
                 for kind, params in (inp.get("mock_generator_params") or {}).items()}
        yield GeneratorContext(
            appset_name=str((appset.get("metadata") or {}).get("name") or ""),
            go_template=bool(spec.get("goTemplate")),
            go_template_options=tuple(str(o) for o in spec.get("goTemplateOptions") or ()),
            clusters=_clusters(inp), repo_dir=repo_dir, repos=repos,
            new_git_file_globbing=new_globbing, generators=mocks or None,
        )


def _globbing_modes(inp: Input) -> tuple[bool, ...]:
    """new_git_file_globbing values to run: `any` runs both (they must agree)."""
    mode = inp.get("file_globbing") or "old"
    return {"old": (False,), "new": (True,), "any": (False, True)}[mode]


def _run_all_modes(inp: Input, fn: Callable[[GeneratorContext], Any]) -> Any:
    results = []
    for new_globbing in _globbing_modes(inp):
        with _context(inp, new_globbing=new_globbing) as ctx:
            results.append(fn(ctx))
    canon = {json.dumps(r, sort_keys=True, default=str) for r in results}
    if len(canon) > 1:
        raise AssertionError(f"old and new git file globbing disagree: {results}")
    return results[0]


def _generator_params(inp: Input) -> dict[str, Any]:
    generators = (inp["applicationset"].get("spec") or {}).get("generators") or []
    result: dict[str, Any] = _run_all_modes(
        inp, lambda ctx: {"params": generator_params(generators[0], ctx)})
    return result


def _generate_applications(inp: Input) -> dict[str, Any]:
    appset = inp["applicationset"]

    def run(ctx: GeneratorContext) -> dict[str, Any]:
        expansion = expand(appset, ctx, appset_namespace(appset, "argocd"))
        if expansion.failed:
            raise TemplateError("; ".join(expansion.errors))
        return {"applications": expansion.applications, "errors": expansion.errors}

    result: dict[str, Any] = _run_all_modes(inp, run)
    return result


def _git_file_params(inp: Input) -> dict[str, Any]:
    return {"params": git_file_params(
        inp["file_path"], inp.get("content") or "", inp.get("values") or {},
        go_template=bool(inp.get("goTemplate")), options=_options(inp),
        prefix=inp.get("pathParamPrefix") or "")}


def _interpolate_generator(inp: Input) -> dict[str, Any]:
    return {"generator": interpolate_generator(
        inp["generator"], inp.get("params") or {}, bool(inp.get("goTemplate")),
        _options(inp))}


def _append_values(inp: Input) -> dict[str, Any]:
    params = copy.deepcopy(inp.get("params") or {})
    return {"params": append_values(inp.get("values") or {}, params,
                                    bool(inp.get("goTemplate")), _options(inp))}


def _merge_key_index(inp: Input) -> dict[str, Any]:
    return {"index": merge_key_index(inp.get("mergeKeys") or [], inp.get("paramSets") or [])}


def _validate_applications(inp: Input) -> dict[str, Any]:
    projects = [str(p.get("name") or "") for p in inp.get("projects") or []]
    return {"errors": validate_applications(
        inp.get("applicationset_name") or "", inp.get("applications") or [],
        projects=projects, clusters=_clusters(inp))}


def _template_patch(inp: Input) -> dict[str, Any]:
    """The patch is already rendered: it is applied as it is (no template tags left)."""
    app = apply_template_patch(inp["application"], inp["templatePatch"], {},
                               go_template=False)
    return {"application": app}


KINDS: dict[str, Callable[[Input], Any]] = {
    "generator_params": _generator_params,
    "generate_applications": _generate_applications,
    "git_file_params": _git_file_params,
    "interpolate_generator": _interpolate_generator,
    "append_values": _append_values,
    "merge_key_index": _merge_key_index,
    "validate_applications": _validate_applications,
    "template_patch": _template_patch,
}
