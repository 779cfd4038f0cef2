"""The git generator: `directories` (one param set per matching folder) and `files` (the
contents of matching JSON/YAML files as params), read through `GeneratorContext.repos`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from argoplane.argocd.generators.base import GeneratorContext, ParamSet
from argoplane.argocd.generators.params import (
    append_values,
    flatten_params,
    go_path_base,
    go_path_dir,
    json_value,
    path_params,
    string_map,
)
from argoplane.argocd.glob import go_path_match
from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError, GeneratorError, YAMLError


def generate(spec: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]:
    repo_url = str(spec.get("repoURL") or "")
    revision = str(spec.get("revision") or "")
    prefix = str(spec.get("pathParamPrefix") or "")
    values = string_map(spec.get("values"), "git generator: values")
    directories = _items(spec.get("directories"), "directories")
    files = _items(spec.get("files"), "files")
    if not directories and not files:
        raise GeneratorError("ApplicationSet is empty: the git generator needs a non-empty "
                             "`directories` or `files` list", file=ctx.file)
    try:
        if directories:  # like Argo CD, `directories` wins when both are set
            params = _from_directories(repo_url, revision, directories, prefix, values, ctx)
        else:
            params = _from_files(repo_url, revision, files, prefix, values, ctx)
    except ArgoplaneError as exc:
        raise GeneratorError(f"error generating params from git: {exc.message}",
                             file=ctx.file) from None
    return params


def _items(value: Any, field: str) -> list[tuple[str, bool]]:
    """`directories` / `files` as (path, exclude) pairs."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise GeneratorError(f"git generator: `{field}` must be a list")
    out: list[tuple[str, bool]] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or not isinstance(item.get("path", ""), str):
            raise GeneratorError(f"git generator: {field}[{i}] must be an object with a "
                                 "string `path`")
        out.append((str(item.get("path") or ""), item.get("exclude") is True))
    return out


# -- directories ---------------------------------------------------------------------------
def filter_directories(items: Sequence[tuple[str, bool]], paths: Sequence[str]) -> list[str]:
    """Argo CD's `filterApps`: a path is kept when some non-exclude item matches it (Go's
    `path.Match` on the whole relative path) and no exclude item does, in any order."""
    out: list[str] = []
    for app_path in paths:
        include = exclude = False
        for pattern, is_exclude in items:
            if go_path_match(pattern, app_path):
                if is_exclude:
                    exclude = True
                else:
                    include = True
        if include and not exclude:
            out.append(app_path)
    return out


def _from_directories(repo_url: str, revision: str, items: Sequence[tuple[str, bool]],
                      prefix: str, values: Mapping[str, str],
                      ctx: GeneratorContext) -> list[ParamSet]:
    assert ctx.repos is not None
    paths = ctx.repos.directories(repo_url, revision)
    out: list[ParamSet] = []
    for app_path in filter_directories(items, paths):
        params = path_params(app_path, prefix, ctx.go_template)
        out.append(_append_values(values, params, ctx.go_template, ctx.go_template_options,
                                  "error generating params from apps: "))
    return out


# -- files ---------------------------------------------------------------------------------
def _from_files(repo_url: str, revision: str, items: Sequence[tuple[str, bool]],
                prefix: str, values: Mapping[str, str], ctx: GeneratorContext
                ) -> list[ParamSet]:
    assert ctx.repos is not None
    selected: dict[str, str] = {}
    for pattern, exclude in items:
        if not exclude:
            selected.update(ctx.repos.files(repo_url, revision, pattern,
                                            ctx.new_git_file_globbing))
    for pattern, exclude in items:
        if exclude:
            for path in ctx.repos.files(repo_url, revision, pattern,
                                        ctx.new_git_file_globbing):
                selected.pop(path, None)
    out: list[ParamSet] = []
    for path in sorted(selected):
        try:
            out += git_file_params(path, selected[path], values, go_template=ctx.go_template,
                                   options=ctx.go_template_options, prefix=prefix)
        except ArgoplaneError as exc:
            raise GeneratorError(f"unable to process file '{path}' from repository "
                                 f"'{repo_url}': {exc.message}") from None
    return out


def parse_git_file(content: str, file: str = "") -> list[dict[str, Any]]:
    """A file's objects as Argo CD reads them: one YAML/JSON object (an empty file is an
    empty object), else a list of objects (each one is a param set)."""
    try:
        data = yamlio.load_json_or_yaml(content, file)
    except YAMLError as exc:
        raise GeneratorError(f"unable to parse file: {exc.message}") from None
    if data is None:
        return [{}]
    if isinstance(data, Mapping):
        return [dict(data)]
    if isinstance(data, list):
        objects: list[dict[str, Any]] = []
        for item in data:
            if item is None:
                objects.append({})
            elif isinstance(item, Mapping):
                objects.append(dict(item))
            else:
                raise GeneratorError(
                    "unable to parse file: error unmarshaling JSON: json: cannot unmarshal "
                    f"{_json_type(item)} into Go value of type map[string]interface {{}}")
        return objects
    raise GeneratorError(
        "unable to parse file: error unmarshaling JSON: while decoding JSON: json: cannot "
        f"unmarshal {_json_type(data)} into Go value of type []map[string]interface {{}}")


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "string"


def git_file_params(
    path: str, content: str, values: Mapping[str, str], *, go_template: bool,
    options: Sequence[str] = (), prefix: str = "",
) -> list[ParamSet]:
    """The param sets of one file (`generateParamsFromGitFile`).

    fasttemplate: the object flattened with dots, every leaf printed with Go's `%v`;
    goTemplate: the object as is (numbers are float64, as in Go). Then the path params of
    the file's directory (plus its file name), then `values`.
    """
    directory = go_path_dir(path)
    filename = go_path_base(path)
    out: list[ParamSet] = []
    for obj in parse_git_file(content, path):
        data = json_value(obj, numbers_as_float=go_template)
        params: ParamSet = dict(data) if go_template else dict(flatten_params(data))
        params.update(path_params(directory, prefix, go_template, filename=filename))
        out.append(_append_values(values, params, go_template, options, ""))
    return out


def _append_values(values: Mapping[str, str], params: ParamSet, go_template: bool,
                   options: Sequence[str], prefix: str) -> ParamSet:
    try:
        return append_values(values, params, go_template, options)
    except GeneratorError as exc:
        raise GeneratorError(prefix + exc.message) from None
