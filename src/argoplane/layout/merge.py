"""Bring an existing generated file in step with the inventory, changing only what
argoplane owns in it: ApplicationSet list elements, AppProject sources and destinations
(added, never removed), `.argoplane.yaml` repoURLs and clusters, `.helmignore` lines.

Each merge takes the file's text and returns the new text and a one-line summary; the
text comes back unchanged (same object) when nothing needs to change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from argoplane.core import yamlio
from argoplane.core.errors import InputError
from argoplane.layout.roundtrip import Document, plain

Merge = Callable[[str, str], tuple[str, str]]  # (text, file) -> (new text, summary)


def _path(data: Any, keys: tuple[str | int, ...], file: str, what: str) -> Any:
    node = data
    for depth, key in enumerate(keys):
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and len(node) > key else None
        else:
            node = node.get(key) if isinstance(node, Mapping) else None
        if node is None:
            dotted = "".join(f"[{k}]" if isinstance(k, int) else f".{k}"
                             for k in keys[:depth + 1]).lstrip(".")
            raise InputError(f"{what}: {dotted} is missing, so argoplane cannot keep this file "
                             "in step with platform.yaml", file=file)
    return node


def _mapping(item: Mapping[str, Any]) -> CommentedMap:
    out = CommentedMap()
    for key, value in item.items():
        out[key] = value
    return out


# -- ApplicationSet --------------------------------------------------------------------------

_ELEMENTS = ("spec", "generators", 0, "list", "elements")


def _match(element: Any, ours: Mapping[str, str]) -> dict[str, str] | None:
    """The file's key -> our key, when `element` is `ours` written with other key names (the
    reference layout calls the region `venture`, for example)."""
    if not isinstance(element, Mapping):
        return None
    keys: dict[str, str] = {}
    for key, value in element.items():
        if ours.get(str(key)) == value:
            keys[str(key)] = str(key)
            continue
        same = [k for k, v in ours.items() if v == value and k not in keys.values()]
        if not same:
            return None
        keys[str(key)] = same[0]
    return keys if {"env", "region"} <= set(keys.values()) else None


def _schema(existing: list[Any], desired: list[dict[str, str]], file: str
            ) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The element keys the file uses (its key -> ours; ours when it has no elements), and
    the desired elements written with them."""
    if not existing:
        return {k: k for k in desired[0]} if desired else {}, desired
    pairs = [(m, want) for element in existing for want in desired
             if (m := _match(element, want)) is not None]
    schemas = {tuple(m.items()) for m, _ in pairs}
    if len(schemas) != 1:
        raise InputError("ApplicationSet: its list elements do not match the environments and "
                         "regions of platform.yaml, so argoplane cannot keep them in step",
                         file=file)
    keys = dict(schemas.pop())
    for ours in desired[0] if desired else {}:
        if ours in keys.values():
            continue
        # a parameter the file does not carry must follow one it does (cluster == project)
        alias = next((k for k in keys.values()
                      if all(want[ours] == want[k] for _, want in pairs)), None)
        for want in desired:
            if alias is None or want[ours] != want[alias]:
                raise InputError(f"ApplicationSet: its list elements have no `{ours}` "
                                 f"parameter, which {want['env']}/{want['region']} needs "
                                 f"({want[ours]}); add it to the elements and the template",
                                 file=file)
    return keys, [{theirs: want[ours] for theirs, ours in keys.items()} for want in desired]


def appset_elements(desired: list[dict[str, str]]) -> Merge:
    """Keep the list elements in step, written with the key names the file already uses."""

    def merge(text: str, file: str) -> tuple[str, str]:
        current = _path(yamlio.load(text, file), _ELEMENTS, file, "ApplicationSet")
        if not isinstance(current, list):
            raise InputError("ApplicationSet: spec.generators[0].list.elements must be a list",
                             file=file)
        keys, wanted = _schema(plain(current), desired, file)
        if plain(current) == wanted:
            return text, ""
        doc = Document(text, file)
        seq: CommentedSeq = _path(doc.data, _ELEMENTS, file, "ApplicationSet")
        before = [plain(x) for x in seq]
        for index in reversed(range(len(seq))):
            if before[index] not in wanted:
                del seq[index]
        for index, want in enumerate(wanted):
            if index < len(seq) and plain(seq[index]) == want:
                continue
            later = next((j for j in range(index + 1, len(seq)) if plain(seq[j]) == want),
                         None)
            seq.insert(index, seq.pop(later) if later is not None else _mapping(want))
        return doc.text(), _element_summary(before, wanted, keys)

    return merge


def _element_summary(before: list[Any], after: list[dict[str, str]], keys: dict[str, str]
                     ) -> str:
    env = next((k for k, v in keys.items() if v == "env"), "env")
    region = next((k for k, v in keys.items() if v == "region"), "region")

    def label(item: Mapping[str, Any]) -> str:
        return f"{item.get(env, '?')}/{item.get(region, '?')}"

    old = {label(x): x for x in before if isinstance(x, Mapping)}
    new = {label(x): x for x in after}
    parts = [f"+{k}" for k in new if k not in old]
    parts += [f"-{k}" for k in old if k not in new]
    parts += [f"~{k}" for k in new if k in old and old[k] != new[k]]
    return "ApplicationSet elements " + (" ".join(parts) if parts else "reordered")


# -- AppProject ------------------------------------------------------------------------------


def _covers(have: Any, want: Mapping[str, str]) -> bool:
    """An existing destination already admits `want` (same cluster or `*`, same namespace
    pattern or `*`)."""
    if not isinstance(have, Mapping) or have.get("namespace") not in ("*", want["namespace"]):
        return False
    return any(key in want and have.get(key) in ("*", want[key]) for key in ("name", "server"))


def project_entries(spec: Mapping[str, Any]) -> Merge:
    repos: list[str] = list(spec["sourceRepos"])
    destinations: list[dict[str, str]] = list(spec["destinations"])

    def merge(text: str, file: str) -> tuple[str, str]:
        data = _path(yamlio.load(text, file), ("spec",), file, "AppProject")
        have_repos = [str(r) for r in data.get("sourceRepos") or []]
        have_dests = [plain(d) for d in data.get("destinations") or []]
        new_repos = [r for r in repos if r not in have_repos and "*" not in have_repos]
        new_dests = [d for d in destinations if not any(_covers(h, d) for h in have_dests)]
        if not new_repos and not new_dests:
            return text, ""
        doc = Document(text, file)
        node = _path(doc.data, ("spec",), file, "AppProject")
        for key, items in (("sourceRepos", new_repos), ("destinations", new_dests)):
            if not items:
                continue
            if node.get(key) is None:
                node[key] = CommentedSeq()
            for item in items:
                node[key].append(_mapping(item) if isinstance(item, Mapping) else item)
        parts = []
        if new_repos:
            parts.append(f"+{len(new_repos)} source repo{'s' if len(new_repos) > 1 else ''}")
        if new_dests:
            parts.append(f"+{len(new_dests)} destination{'s' if len(new_dests) > 1 else ''}")
        return doc.text(), ", ".join(parts)

    return merge


# -- .argoplane.yaml -------------------------------------------------------------------------


def config_entries(repo_url: str, clusters: list[dict[str, Any]], charts_dir: str | None
                   ) -> Merge:
    def merge(text: str, file: str) -> tuple[str, str]:
        data = yamlio.load(text, file) or {}
        if not isinstance(data, Mapping):
            raise InputError("must be a mapping", file=file)
        have_urls = [str(u) for u in data.get("repoURLs") or []]
        have_clusters = {str(c.get("name")) for c in data.get("clusters") or []
                         if isinstance(c, Mapping)}
        new_clusters = [c for c in clusters if c["name"] not in have_clusters]
        add_url = repo_url not in have_urls
        helm = data.get("helm") if isinstance(data.get("helm"), Mapping) else {}
        add_charts = charts_dir is not None and not (helm or {}).get("chartsDir")
        if not add_url and not new_clusters and not add_charts:
            return text, ""
        doc = Document(text, file)
        if doc.data is None:
            doc.data = CommentedMap()
        parts = []
        if add_url:
            doc.data.setdefault("repoURLs", CommentedSeq()).append(repo_url)
            parts.append("+repoURL")
        if new_clusters:
            target = doc.data.setdefault("clusters", CommentedSeq())
            for c in new_clusters:
                target.append(_mapping(c))
            parts.append("+clusters " + ", ".join(c["name"] for c in new_clusters))
        if add_charts:
            doc.data.setdefault("helm", CommentedMap())["chartsDir"] = charts_dir
            parts.append("+helm.chartsDir")
        return doc.text(), ", ".join(parts)

    return merge


# -- .helmignore -----------------------------------------------------------------------------


def missing_lines(lines: list[str]) -> Merge:
    def merge(text: str, file: str) -> tuple[str, str]:
        have = {line.strip() for line in text.splitlines()}
        missing = [line for line in lines if line not in have]
        if not missing:
            return text, ""
        sep = "" if not text or text.endswith("\n") else "\n"
        return text + sep + "".join(f"{line}\n" for line in missing), "+" + " +".join(missing)

    return merge
