"""Helm value files as trees of leaves: find a leaf, move it out of a file with a round-trip
edit (comments and layout kept), write leaves into a new file."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError
from argoplane.layout.roundtrip import Document
from argoplane.layout.yamltext import block

LeafPath = tuple[str, ...]

_IMAGE = re.compile(r"image", re.IGNORECASE)
_TAG_KEYS = frozenset({"tag", "imagetag", "image_tag", "version"})


def load(text: str | None, file: str) -> dict[str, Any] | None:
    """A value file's mapping ({} when empty); None when it is not one (or cannot be read)."""
    if text is None:
        return None
    try:
        data = yamlio.load(text, file)
    except ArgoplaneError:
        return None
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def leaves(data: Mapping[str, Any], prefix: LeafPath = ()) -> Iterator[tuple[LeafPath, Any]]:
    """Every leaf: a value that is not a non-empty mapping, with its key path."""
    for key, value in data.items():
        here = (*prefix, str(key))
        if isinstance(value, Mapping) and value:
            yield from leaves(value, here)
        else:
            yield here, value


def lookup(data: Any, path: LeafPath) -> tuple[bool, Any]:
    node = data
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return False, None
        node = node[key]
    return True, node


def is_tag_path(path: LeafPath) -> bool:
    """`image.tag`, `images.api.tag`, `imageTag`: where charts keep an image tag."""
    leaf = path[-1].lower()
    if leaf in ("imagetag", "image_tag"):
        return True
    return leaf in _TAG_KEYS and any(_IMAGE.search(p) for p in path[:-1])


def tag_path(data: Mapping[str, Any], tag: str) -> LeafPath | None:
    """The key path of the image tag `tag` in a value file, when it is written there."""
    for path, value in leaves(data):
        if is_tag_path(path) and value is not None and str(value) == tag:
            return path
    return None


def remove_leaves(text: str, file: str, paths: list[LeafPath]) -> str:
    """`text` without the given leaves, and without the mappings that held nothing else (a
    round-trip edit: every other line is kept as it is)."""
    doc = Document(text, file)
    changed = False
    for path in paths:
        chain = [doc.data]
        for key in path[:-1]:
            node = chain[-1].get(key) if isinstance(chain[-1], Mapping) else None
            chain.append(node)
        if not isinstance(chain[-1], dict) or path[-1] not in chain[-1]:
            continue
        del chain[-1][path[-1]]
        changed = True
        for depth in range(len(path) - 1, 0, -1):  # mappings left empty go too
            if chain[depth] or not isinstance(chain[depth - 1], dict):
                break
            del chain[depth - 1][path[depth - 1]]
    return doc.text() if changed else text


def nested(pairs: list[tuple[LeafPath, Any]]) -> dict[str, Any]:
    """Leaves as a nested mapping, in the order given."""
    out: dict[str, Any] = {}
    for path, value in pairs:
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out


def text_of(header: str, data: Mapping[str, Any]) -> str:
    """A new value file: comment lines, then the data (`{}` when there is none)."""
    body = block(dict(data)) if data else "{}\n"
    return "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + body
