"""Directory sources: plain manifests, walked and filtered the way Argo CD's repo-server does."""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from argoplane.argocd.glob import gobwas_compile
from argoplane.core import yamlio
from argoplane.core.errors import RenderError, YAMLError
from argoplane.core.snapshot import Snapshot

MANIFEST_EXTENSIONS = (".yaml", ".yml", ".json", ".jsonnet")
SKIP_MARKER = "+argocd:skip-file-rendering"


@dataclass(frozen=True)
class DirectoryOptions:
    recurse: bool = False
    include: str = ""
    exclude: str = ""
    disable_extension_filter: bool = False

    @classmethod
    def of(cls, directory: Mapping[str, Any] | None) -> DirectoryOptions:
        d = directory or {}
        return cls(
            recurse=bool(d.get("recurse")),
            include=str(d.get("include") or ""),
            exclude=str(d.get("exclude") or ""),
            disable_extension_filter=bool(d.get("disableExtensionFilter")),
        )


@dataclass(frozen=True)
class Found:
    file: str  # repo-relative path of the file
    index: int  # document index inside the file
    manifest: dict[str, Any]


def _alternatives(pattern: str) -> list[str] | None:
    """The pattern with one level of `{a,b}` groups expanded; None when nested or unbalanced."""
    out = [""]
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "{":
            close = pattern.find("}", i)
            if close == -1 or "{" in pattern[i + 1 : close]:
                return None
            options = pattern[i + 1 : close].split(",")
            out = [o + x for o in out for x in options]
            i = close + 1
            continue
        if c == "}":
            return None
        out = [o + c for o in out]
        i += 1
    return out


def literal_tails(pattern: str) -> tuple[str, ...] | None:
    """Literal endings one of which every text the pattern matches ends with (the text after
    the last `*` or `?` of each alternative); None when the pattern is not that simple."""
    if any(c in pattern for c in "\\[]"):
        return None
    alternatives = _alternatives(pattern)
    if alternatives is None or len(alternatives) > 64:
        return None
    tails = tuple(a[max(a.rfind("*"), a.rfind("?")) + 1 :] for a in alternatives)
    return None if "" in tails else tails


@lru_cache(maxsize=256)
def glob_matcher(pattern: str) -> Callable[[str], bool] | None:
    """Argo CD's include/exclude match (gobwas glob, no separators); None for an invalid
    pattern. A text that does not end with one of the pattern's literal endings is refused
    before the (slow, exact) gobwas matcher runs."""
    compiled = gobwas_compile(pattern)
    tails = literal_tails(pattern)
    if compiled is None or tails is None:
        return compiled
    return lambda text: text.endswith(tails) and compiled(text)


def _walk(top: str, recurse: bool, prefix: str = "") -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Lexical pre-order walk like Go's filepath.Walk: (path relative to the top, entry);
    symlinked folders are not entered."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if recurse and entry.name != ".git":
                yield from _walk(entry.path, recurse, f"{prefix}{entry.name}/")
            continue
        yield prefix + entry.name, entry


def _looks_like_manifest(text: str) -> bool:
    return "apiVersion:" in text and "kind:" in text and "metadata:" in text


def parse_manifest_file(rel: str, text: str) -> list[dict[str, Any]]:
    """Objects of one manifest file: one JSON object, or a multi-document YAML stream.

    Messages name the file by its base name, as Argo CD's repo-server does; the error's
    `file` holds the path.
    """
    name = posixpath.basename(rel)
    if name.endswith(".json"):
        decoder = json.JSONDecoder()
        try:
            obj, end = decoder.raw_decode(text.lstrip())
        except ValueError as exc:
            raise RenderError(f'Failed to unmarshal "{name}": {exc}', file=rel) from None
        if text.lstrip()[end:].strip():
            raise RenderError(
                f'Found multiple objects in "{name}". Only single objects are allowed in JSON '
                "files.", file=rel)
        if not isinstance(obj, dict) or not obj.get("kind"):
            raise RenderError(f'Failed to unmarshal "{name}": Object \'Kind\' is missing',
                              file=rel)
        return [obj]
    objects: list[dict[str, Any]] = []
    try:
        for doc in yamlio.iter_documents(text, rel):
            if not isinstance(doc, dict) or not doc.get("kind"):
                if not objects and not _looks_like_manifest(text):
                    return []  # a values file or other YAML that is not a manifest
                raise RenderError(f'Failed to unmarshal "{name}": Object \'Kind\' is missing',
                                  file=rel)
            objects.append(doc)
    except YAMLError as exc:
        if not objects and not _looks_like_manifest(text):
            return []
        raise RenderError(f'Failed to unmarshal "{name}": {exc.message}', file=rel,
                          line=exc.line) from None
    return objects


def find_manifests(
    snapshot: Snapshot, app_path: str, options: DirectoryOptions
) -> tuple[list[Found], list[str]]:
    """The manifests of a directory source, in walk order, and files it cannot render.

    The result is kept on the snapshot: callers must not change the manifests in place.
    """
    key = ("find_manifests", app_path, options)
    cached = snapshot.memo.get(key)
    if cached is None:
        cached = snapshot.memo[key] = _find_manifests(snapshot, app_path, options)
    return cached


def _find_manifests(
    snapshot: Snapshot, app_path: str, options: DirectoryOptions
) -> tuple[list[Found], list[str]]:
    top = snapshot.resolve(app_path)
    include = glob_matcher(options.include) if options.include else None
    exclude = glob_matcher(options.exclude) if options.exclude else None
    found: list[Found] = []
    unsupported: list[str] = []
    for rel_to_app, entry in _walk(str(top), options.recurse):
        name = entry.name
        if not options.disable_extension_filter and not name.endswith(MANIFEST_EXTENSIONS):
            continue
        rel = f"{app_path}/{rel_to_app}" if app_path else rel_to_app
        # the walk never enters symlinked folders, so only a symlinked file can leave the repo
        if entry.is_symlink():
            real = snapshot.resolve(rel)
            if not real.is_file():
                continue
        elif entry.is_file():
            real = Path(entry.path)
        else:
            continue
        if exclude is not None and exclude(rel_to_app):
            continue
        if options.include and (include is None or not include(rel_to_app)):
            continue  # an invalid include pattern matches nothing
        text = real.read_text(encoding="utf-8", errors="replace")
        if SKIP_MARKER in text:
            continue
        if name.endswith(".jsonnet") and not options.disable_extension_filter:
            unsupported.append(rel)
            continue
        objects = snapshot.parsed.get(("manifests", rel, text),
                                      partial(parse_manifest_file, rel, text))
        found.extend(Found(rel, i, obj) for i, obj in enumerate(objects))
    return found, unsupported


def expand_lists(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`*List` objects are replaced by their items; `items: null` lists vanish."""
    out: list[dict[str, Any]] = []
    for obj in objects:
        items = obj.get("items", ...)
        if isinstance(items, list):
            out.extend(i for i in items if isinstance(i, dict))
        elif items is None and "spec" not in obj and "status" not in obj:
            continue
        else:
            out.append(obj)
    return out
