"""Helm value files and values, resolved and merged as Argo CD's repo-server does."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argoplane.argocd.glob import doublestar_match
from argoplane.core.errors import PathEscapeError, RenderError
from argoplane.core.paths import realpath

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SECRETS_SCHEME = re.compile(r"^secrets(\+[a-z0-9-]+)?://")


def _is_shell_special(c: str) -> bool:
    return c in "*#$@!?-0123456789"


def _is_alnum(c: str) -> bool:
    """Go's os.Expand works on bytes: only ASCII letters, digits and `_` form a name."""
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z") or ("0" <= c <= "9")


def envsubst(text: str, env: Mapping[str, str]) -> str:
    """Go's os.Expand with Argo CD's mapping: unset -> '', `$$` -> `$`."""
    out: list[str] = []
    i = j = 0
    n = len(text)
    changed = False
    while j < n:
        if text[j] == "$" and j + 1 < n:
            changed = True
            out.append(text[i:j])
            s = text[j + 1 :]
            name, width = "", 0
            if s[0] == "{":
                if len(s) > 2 and _is_shell_special(s[1]) and s[2] == "}":
                    name, width = s[1], 3
                else:
                    close = s.find("}", 1)
                    if close == 1:
                        name, width = "", 2
                    elif close > 1:
                        name, width = s[1:close], close + 1
                    else:
                        name, width = "", 1
            elif _is_shell_special(s[0]):
                name, width = s[0], 1
            else:
                k = 0
                while k < len(s) and _is_alnum(s[k]):
                    k += 1
                name, width = s[:k], k
            if name == "" and width > 0:
                pass  # invalid syntax: the characters are eaten
            elif name == "":
                out.append("$")
            else:
                out.append("$" if name == "$" else env.get(name, ""))
            j += width
            i = j + 1
        j += 1
    if not changed:
        return text
    out.append(text[i:])
    return "".join(out)


@dataclass(frozen=True)
class ValueFile:
    entry: str  # as written in valueFiles
    path: Path | None = None  # the local file (None for a URL)
    url: str | None = None  # a remote URL helm would fetch
    secrets: bool = False  # a helm-secrets `secrets://` file
    missing: bool = False  # passed on although absent: helm itself fails on it


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _glob_matches(pattern_abs: str, root: Path) -> list[Path]:
    """Files matching a doublestar pattern, a folder's own files before its subfolders."""
    parts = pattern_abs.split("/")
    fixed: list[str] = []
    for part in parts:
        if any(c in part for c in "*?[{"):
            break
        fixed.append(part)
    base = Path("/".join(fixed) or "/")
    if not base.is_dir():
        return []
    matches: list[Path] = []

    def visit(folder: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        subdirs = []
        for entry in entries:
            if entry.is_dir():
                subdirs.append(Path(entry.path))
            elif doublestar_match(pattern_abs, entry.path):
                matches.append(Path(entry.path))
        for sub in subdirs:
            visit(sub)

    visit(base)
    return matches


def resolve_value_files(
    entries: Sequence[str],
    *,
    app_dir: Path,
    repo_root: Path,
    env: Mapping[str, str],
    allowed_schemes: Sequence[str] = ("https", "http"),
    ignore_missing: bool = False,
    refs: Mapping[str, Path] | None = None,
    realpaths: dict[str, str] | None = None,
) -> list[ValueFile]:
    """valueFiles entries -> files and URLs in the order helm gets them (`--values`).
    `realpaths` keeps the real paths of folders for a run (files do not change meanwhile)."""
    refs = refs or {}
    resolved: list[ValueFile] = []
    explicit: set[Path] = set()
    pending: list[tuple[str, str, Path, bool]] = []  # (entry, path text, root, secrets)
    for entry in entries:
        raw = entry
        secrets = False
        if (m := SECRETS_SCHEME.match(raw)) is not None:
            secrets = True
            raw = raw[m.end():]
            if m.group(1) and "?" in raw:  # secrets+age-import://KEY?FILE
                raw = raw.split("?", 1)[1]
        root = repo_root
        ref_name = raw.split("/", 1)[0]
        if raw.startswith("$") and ref_name in refs:
            if "/" not in raw:
                raise RenderError(f"value file {entry!r}: a $ref must be followed by a path")
            root = refs[ref_name]
            text = "/" + envsubst(raw.split("/", 1)[1], env)
        else:
            text = envsubst(raw, env)
            if not secrets and (m := _SCHEME.match(text)) is not None:
                scheme = m.group(1)
                if scheme not in allowed_schemes:
                    raise RenderError(
                        f"value file {entry!r}: the URL scheme '{scheme}' is not allowed")
                resolved.append(ValueFile(entry, url=text))
                continue
        pending.append((entry, text, root, secrets))
        if not any(c in text for c in "*?["):
            explicit.add(_absolute(entry, text, app_dir, root, realpaths))
    seen: set[Path] = set()
    for entry, text, root, secrets in pending:
        path = _absolute(entry, text, app_dir, root, realpaths)
        if any(c in text for c in "*?["):
            matches = _glob_matches(path.as_posix(), root)
            for match in matches:
                real = Path(os.path.realpath(match))
                if not _inside(real, root):
                    raise PathEscapeError(f"file '{entry}' resolved to outside repository root")
            if not matches and not ignore_missing:
                raise RenderError(f'values file glob "{entry}" matched no files')
            matches = [p for p in matches if p not in explicit]
            for match in matches:
                if match not in seen:
                    seen.add(match)
                    resolved.append(ValueFile(entry, path=match, secrets=secrets))
            continue
        if not path.exists() and ignore_missing:
            continue
        if path not in seen:
            seen.add(path)
            resolved.append(ValueFile(entry, path=path, secrets=secrets,
                                      missing=not path.exists()))
    return resolved


def _inside_text(path: str, root: str) -> bool:
    """`_inside` for normalized absolute paths as strings."""
    return path == root or path.startswith(root if root.endswith("/") else root + "/")


def _absolute(entry: str, text: str, app_dir: Path, root: Path,
              folders: dict[str, str] | None = None) -> Path:
    """Absolute, symlink-resolved path; `/x` is repo-root-relative; must stay inside the repo."""
    base = str(root)
    joined = (os.path.join(base, text.lstrip("/")) if text.startswith("/")
              else os.path.join(str(app_dir), text))
    path = os.path.normpath(joined)
    if not _inside_text(path, base):
        raise PathEscapeError(f"file '{entry}' resolved to outside repository root")
    real = realpath(path, folders)
    if not _inside_text(real, base):
        raise PathEscapeError(f"file '{entry}' resolved to outside repository root")
    return Path(real if os.path.exists(path) else path)


def merge_values(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's mergeMaps: nested maps merge, everything else is replaced by the override."""
    out = dict(base)
    for key, value in override.items():
        current = out.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            out[key] = merge_values(dict(current), value)
        else:
            out[key] = value
    return out


def escape_set_value(value: str) -> str:
    """Argo CD escapes `,` for --set unless already escaped; `{...}` list syntax passes as is."""
    if value.startswith("{") and value.endswith("}"):
        return value
    return re.sub(r"(?<!\\),", r"\\,", value)
