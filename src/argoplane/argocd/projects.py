"""AppProject permission checks, as Argo CD makes them (semantics §9).

Reproduces `pkg/apis/application/v1alpha1/app_project_types.go` (`IsSourcePermitted`,
`IsDestinationPermitted`, `IsGroupKindNamePermitted`), `util/glob` (`Match`,
`MatchStringInList`) and the URL normalization of `util/git.NormalizeGitURL`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from argoplane.argocd.glob import go_filepath_match, gobwas_match

__all__ = [
    "destination_permitted",
    "glob_match_list",
    "group_kind_permitted",
    "normalize_git_url",
    "project_glob_match",
    "source_permitted",
]

MatchMode = Literal["exact", "glob", "regexp"]


# --------------------------------------------------------------------------------------
# globs


def _is_deny(pattern: str) -> bool:
    return pattern.startswith("!")


def project_glob_match(
    pattern: str, value: str, allow_negation: bool, separators: str = ""
) -> bool:
    """Argo's `globMatch`: `!p` (when allowed) matches every value that `p` does not."""
    if allow_negation and _is_deny(pattern):
        return not gobwas_match(pattern[1:], value, separators)
    if pattern == "*":
        return True
    return gobwas_match(pattern, value, separators)


def _regexp_search(pattern: str, text: str) -> bool:
    # Argo uses dlclark/regexp2 (Perl/.NET syntax, look-arounds) and an unanchored
    # search; Python's `re` is the closest. A pattern that fails to compile matches nothing.
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def glob_match_list(patterns: Iterable[str], item: str, mode: MatchMode | str) -> bool:
    """`util/glob.MatchStringInList`.

    * `exact`: item equals an entry;
    * `glob`: an entry matches as a gobwas glob (no separator);
    * `regexp`: an entry written `/.../` whose regular expression is found in item, or
      else any entry matching as a glob (a `/re/` that does not match is still tried
      as a glob).
    """
    for entry in patterns:
        if (
            mode == "regexp"
            and len(entry) >= 2  # Go would panic slicing a lone "/"
            and entry.startswith("/")
            and entry.endswith("/")
            and _regexp_search(entry[1:-1], item)
        ):
            return True
        if mode in ("regexp", "glob") and gobwas_match(entry, item):
            return True
        if mode == "exact" and item == entry:
            return True
    return False


# --------------------------------------------------------------------------------------
# repository URLs (util/git.NormalizeGitURL, including Go's net/url round trip)

_SSH_URL = re.compile(r"(ssh://)?([^/:]*?)@[^@]+", re.DOTALL)  # used with fullmatch


class _URLError(Exception):
    pass


_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_HEX = frozenset(b"0123456789abcdefABCDEF")


def _should_escape(c: int, mode: str) -> bool:
    """Go net/url shouldEscape for the modes used here: path, user, host, fragment."""
    if c in _ALNUM:
        return False
    if mode == "host" and c in b"!$&'()*+,;=:[]<>\"":
        return False
    if c in b"-_.~":
        return False
    if c in b"$&+,/:;=?@":
        if mode == "path":
            return c == ord("?")
        if mode == "user":
            return c in b"@/?:"
        if mode == "fragment":
            return False
    return not (mode == "fragment" and c in b"!()*")


def _unescape(s: bytes, mode: str) -> bytes:
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == 0x25:  # %
            if i + 2 >= len(s) or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                raise _URLError("invalid URL escape")
            if mode == "host" and int(chr(s[i + 1]), 16) < 8 and s[i : i + 3] != b"%25":
                raise _URLError("invalid URL escape")
            out.append(int(s[i + 1 : i + 3], 16))
            i += 3
            continue
        if mode == "host" and c < 0x80 and _should_escape(c, mode):
            raise _URLError("invalid character in host name")
        out.append(c)
        i += 1
    return bytes(out)


def _escape(s: bytes, mode: str) -> bytes:
    return b"".join(b"%%%02X" % c if _should_escape(c, mode) else bytes([c]) for c in s)


def _valid_encoded(s: bytes, mode: str) -> bool:
    return all(c in b"!$&'()*+,;=:@[]%" or not _should_escape(c, mode) for c in s)


def _escaped_form(raw: bytes, mode: str) -> bytes:
    """What String() prints for a path (or fragment) that was parsed from `raw`."""
    decoded = _unescape(raw, mode)
    if _valid_encoded(raw, mode):
        return raw
    return _escape(decoded, mode)


def _valid_port(colon_port: bytes) -> bool:
    if not colon_port:
        return True
    return colon_port[:1] == b":" and all(0x30 <= c <= 0x39 for c in colon_port[1:])


def _parse_host(host: bytes) -> bytes:
    if host.startswith(b"["):
        end = host.rfind(b"]")
        if end < 0:
            raise _URLError("missing ']' in host")
        if not _valid_port(host[end + 1 :]):
            raise _URLError("invalid port after host")
    else:
        colon = host.rfind(b":")
        if colon != -1 and not _valid_port(host[colon:]):
            raise _URLError("invalid port after host")
    return _unescape(host, "host")


_USERINFO_OK = _ALNUM | frozenset(b"-._:~!$&'()*+,;=%@")


def _go_url_round_trip(raw_url: str) -> str:
    """`url.Parse(raw_url).String()` of Go's net/url, or _URLError when Parse fails."""
    raw = raw_url.encode("utf-8")
    if any(c < 0x20 or c == 0x7F for c in raw):
        raise _URLError("invalid control character in URL")
    rest, has_fragment, fragment = raw.partition(b"#")
    # scheme
    scheme = b""
    for i, c in enumerate(rest):
        if c in _ALNUM and not (0x30 <= c <= 0x39):
            continue
        if c in b"0123456789+-.":
            if i == 0:
                break
            continue
        if c == 0x3A:  # :
            if i == 0:
                raise _URLError("missing protocol scheme")
            scheme, rest = rest[:i].lower(), rest[i + 1 :]
        break
    # query
    force_query = rest.endswith(b"?") and rest.count(b"?") == 1
    if force_query:
        rest, query = rest[:-1], b""
    else:
        rest, _, query = rest.partition(b"?")
    opaque = b""
    user: bytes | None = None
    host = b""
    omit_host = False
    path_raw = b""
    if not rest.startswith(b"/") and scheme:
        opaque = rest
    else:
        if not rest.startswith(b"/") and b":" in rest.partition(b"/")[0]:
            raise _URLError("first path segment in URL cannot contain colon")
        if (scheme or not rest.startswith(b"///")) and rest.startswith(b"//"):
            authority, slash, tail = rest[2:].partition(b"/")
            rest = slash + tail
            at = authority.rfind(b"@")
            host = _parse_host(authority[at + 1 :] if at >= 0 else authority)
            if at >= 0:
                userinfo = authority[:at]
                if not all(c in _USERINFO_OK for c in userinfo):
                    raise _URLError("invalid userinfo")
                username, has_password, password = userinfo.partition(b":")
                user = _escape(_unescape(username, "user"), "user")
                if has_password:
                    user += b":" + _escape(_unescape(password, "user"), "user")
        elif scheme and rest.startswith(b"/"):
            omit_host = True
        path_raw = rest
    path = _escaped_form(path_raw, "path")
    fragment_out = _escaped_form(fragment, "fragment") if has_fragment else b""

    out = bytearray()
    if scheme:
        out += scheme + b":"
    if opaque:
        out += opaque
    else:
        if (scheme or host or user is not None) and not (omit_host and not host and user is None):
            if host or path_raw or user is not None:
                out += b"//"
            if user is not None:
                out += user + b"@"
            out += _escape(host, "host")
        if not out and b":" in path.partition(b"/")[0]:
            out += b"./"
        out += path
    if force_query or query:
        out += b"?" + query
    if fragment_out:
        out += b"#" + fragment_out
    return out.decode("utf-8", errors="surrogateescape")


def normalize_git_url(repo: str) -> str:
    """`util/git.NormalizeGitURL`: the form repo URLs are compared in ("" if unparsable).

    Lower-cased and trimmed; `user@host:org/repo` becomes `user@host/org/repo`; a trailing
    `.git` and a leading `ssh://` are dropped; the rest goes through Go's URL
    parser and printer (so e.g. `{` in a path comes back escaped).
    """
    repo = repo.strip().lower()
    if _SSH_URL.fullmatch(repo) and not repo.startswith("ssh://"):
        repo = "ssh://" + repo.replace(":", "/", 1)
    repo = repo.removesuffix(".git")
    try:
        normalized = _go_url_round_trip(repo)
    except _URLError:
        return ""
    return normalized.removeprefix("ssh://")


# --------------------------------------------------------------------------------------
# the checks


def source_permitted(source_repos: Sequence[str], repo_url: str) -> bool:
    """`AppProject.IsSourcePermitted` for one source's repoURL.

    A `!` entry the URL matches rejects it at once; a `!` entry it does not match counts
    as a match. Entries are gobwas globs with `/` as separator; `*` alone matches all.
    """
    src = normalize_git_url(repo_url)
    any_matched = False
    for entry in source_repos:
        if _is_deny(entry):
            normalized = "!" + normalize_git_url(entry[1:])
        else:
            normalized = normalize_git_url(entry)
        if project_glob_match(normalized, src, True, "/"):
            any_matched = True
        elif _is_deny(normalized):
            return False
    return any_matched


def _field(item: Mapping[str, Any] | object, key: str) -> str:
    value = item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
    return "" if value is None else str(value)


def _destination_matched(
    destinations: Sequence[Mapping[str, Any]], server: str, name: str, namespace: str
) -> bool:
    any_matched = False
    for item in destinations:
        item_name = _field(item, "name")
        item_server = _field(item, "server")
        item_namespace = _field(item, "namespace")
        name_matched = name != "" and project_glob_match(item_name, name, True)
        server_matched = server != "" and project_glob_match(item_server, server, True)
        namespace_matched = project_glob_match(item_namespace, namespace, True)
        if (server_matched or name_matched) and namespace_matched:
            any_matched = True
        elif (
            (not name_matched and _is_deny(item_name))
            or (not server_matched and _is_deny(item_server) and namespace_matched)
            or (not namespace_matched and _is_deny(item_namespace) and server_matched)
        ):
            return False
    return any_matched


def destination_permitted(
    destinations: Sequence[Mapping[str, Any]],
    server: str,
    name: str,
    namespace: str,
    *,
    permit_only_project_scoped_clusters: bool = False,
    project_clusters: Iterable[Mapping[str, Any] | object] = (),
) -> bool:
    """`AppProject.IsDestinationPermitted` for a destination resolved to a cluster.

    `server` and `name` are those of the resolved cluster. With
    `permit_only_project_scoped_clusters`, a matched destination must also be one of the
    project's own clusters (same name or same server); `project_clusters` items are
    mappings or objects with `name` and `server`.
    """
    if not _destination_matched(destinations, server, name, namespace):
        return False
    if not permit_only_project_scoped_clusters:
        return True
    return any(
        _field(cluster, "name") == name or _field(cluster, "server") == server
        for cluster in project_clusters
    )


def _kind_in_list(group: str, kind: str, items: Sequence[Mapping[str, Any]]) -> bool:
    return any(
        go_filepath_match(_field(item, "kind"), kind)
        and go_filepath_match(_field(item, "group"), group)
        for item in items
    )


def _named_kind_in_list(
    group: str, kind: str, name: str, items: Sequence[Mapping[str, Any]]
) -> bool:
    for item in items:
        if not go_filepath_match(_field(item, "kind"), kind):
            continue
        if not go_filepath_match(_field(item, "group"), group):
            continue
        item_name = _field(item, "name")
        if item_name == "" or go_filepath_match(item_name, name):
            return True
    return False


def group_kind_permitted(
    project_spec: Mapping[str, Any], group: str, kind: str, name: str, namespaced: bool
) -> bool:
    """`AppProject.IsGroupKindNamePermitted`.

    Namespaced: allowed when `namespaceResourceWhitelist` is absent (or null), or is
    non-empty and lists the kind; and the blacklist does not. Cluster-scoped: allowed
    only when `clusterResourceWhitelist` is non-empty and lists it (items may restrict
    by `name`), and the blacklist does not. Lists use Go `filepath.Match`.
    """
    if namespaced:
        whitelist = project_spec.get("namespaceResourceWhitelist")
        blacklist = project_spec.get("namespaceResourceBlacklist") or []
        white = whitelist is None or (len(whitelist) != 0 and _kind_in_list(group, kind, whitelist))
        black = len(blacklist) != 0 and _kind_in_list(group, kind, blacklist)
        return white and not black
    cluster_white = project_spec.get("clusterResourceWhitelist") or []
    cluster_black = project_spec.get("clusterResourceBlacklist") or []
    white = len(cluster_white) != 0 and _named_kind_in_list(group, kind, name, cluster_white)
    black = len(cluster_black) != 0 and _named_kind_in_list(group, kind, name, cluster_black)
    return white and not black
