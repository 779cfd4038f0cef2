"""The five glob dialects of argoplane.argocd.glob.

Expectations come from the libraries' own test tables (gobwas/glob v0.2.3 glob_test.go,
Go's path/match_test.go, doublestar v4 doublestar_test.go), from reading their sources,
and from git 2.39 behaviour recorded in the semantics reference (§4.5).
"""

from __future__ import annotations

import pytest

from argoplane.argocd.glob import (
    doublestar_match,
    doublestar_valid,
    git_pathspec_match,
    go_filepath_match,
    go_path_match,
    gobwas_compile,
    gobwas_match,
)
from argoplane.argocd.projects import (
    destination_permitted,
    glob_match_list,
    group_kind_permitted,
    normalize_git_url,
    project_glob_match,
    source_permitted,
)

# ----------------------------------------------------------------------------- gobwas


@pytest.mark.parametrize(
    ("pattern", "text", "separators", "expected"),
    [
        # gobwas/glob v0.2.3 glob_test.go
        ("* ?at * eyes", "my cat has very bright eyes", "", True),
        ("", "", "", True),
        ("", "b", "", False),
        ("*ä", "åä", "", True),
        ("a*c", "a12345c", "", True),
        ("a.*", "a.b", ".", True),
        ("a.**", "a.b.c", ".", True),
        ("a.?.?", "a.b.c", ".", True),
        ("\\*", "*", "", True),
        ("**", "a.b.c", ".", True),
        ("?at", "at", "", False),
        ("?at", "fat", "f", False),
        ("a.*", "a.b.c", ".", False),
        ("a.?.c", "a.bb.c", ".", False),
        ("*", "a.b.c", ".", False),
        ("**is**a***test*", "this is a test", "", True),
        ("*is", "this is a test", "", False),
        ("[!a]*", "this is a test3", "", True),
        ("?*?", "ac", "", True),
        ("sta?n", "stagnation", "", False),
        ("{abc,abcd}a", "abcda", "", True),
        ("{a,ab}{bc,f}", "abc", "", True),
        ("{*,**}{a,b}", "ab", "", True),
        ("{*,**}{a,b}", "ac", "", False),
        ("/{rate,[0-9][0-9][0-9]}*", "/rate", "", True),
        ("{*.google.*,*.yandex.*}", "www.google.com", ".", True),
        ("{*.google.*,*.yandex.*}", "google.com", ".", False),
        ("{*.google.*,yandex.*}", "yandex.com", ".", True),
        ("{*.google.*,yandex.*}", "www.yandex.com", ".", False),
        # Argo usages: no separator in directory include/exclude and destinations
        ("*.yaml", "sub/dir/app.yaml", "", True),
        ("**/*.yaml", "app.yaml", "", False),
        ("**/*.yaml", "sub/app.yaml", "", True),
        ("{*-appSet.yaml,*-app.yaml}", "x/my-app.yaml", "", True),
        ("{config.json,env-usw2/*}", "env-usw2/a/b.json", "", True),
        ("https://*.default.svc", "https://kubernetes.default.svc", "", True),
        ("*", "https://a/b:c", "", True),
        # `/` as separator (sourceRepos)
        ("https://github.com/argoproj/*", "https://github.com/argoproj/argo-cd", "/", True),
        ("https://github.com/argoproj/*", "https://github.com/argoproj/a/b", "/", False),
        ("https://gitlab.com/group/**", "https://gitlab.com/group/a/b/c", "/", True),
        ("a/?", "a//", "/", False),
    ],
)
def test_gobwas_match(pattern: str, text: str, separators: str, expected: bool) -> None:
    assert gobwas_match(pattern, text, separators) is expected


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("[abc]", "b", True),
        ("[abc]", "d", False),
        ("[!abc]", "d", True),
        ("[a-z]", "q", True),
        ("[!a-z]", "Q", True),
        ("[^ab]", "^", True),  # `^` is not a negation in gobwas
        ("[ab-c]", "-", True),  # more than one char before `-`: a plain list
        ("[\\]]", "]", True),
        ("[!!]", "a", True),
        ("[--z]", "a", True),
    ],
)
def test_gobwas_classes(pattern: str, text: str, expected: bool) -> None:
    assert gobwas_match(pattern, text) is expected


def test_gobwas_class_ignores_separators() -> None:
    # lists and ranges match any rune, separators included; only * and ? exclude them
    assert gobwas_match("a[!x]b", "a/b", "/")
    assert gobwas_match("a[.-0]b", "a/b", "/")
    assert not gobwas_match("a?b", "a/b", "/")
    assert not gobwas_match("a*b", "a/b", "/")
    assert gobwas_match("a**b", "a/x/b", "/")


@pytest.mark.parametrize(
    "pattern",
    ["[", "e[[a*", "[]", "[!]", "[a-z0]", "[z-a]", "[a-", "[a-]", "a[b", "x\ufffdy"],
)
def test_gobwas_invalid_patterns(pattern: str) -> None:
    assert gobwas_compile(pattern) is None
    assert not gobwas_match(pattern, pattern)


def test_gobwas_lexer_quirks() -> None:
    # v0.2.3 accepts an unclosed `{`: the alternatives read so far are used
    assert gobwas_match("{a,b", "b")
    assert not gobwas_match("{a,b", "{a,b")
    # `,` and `}` are literal outside braces; a trailing backslash is dropped
    assert gobwas_match("a,b}", "a,b}")
    assert gobwas_match("ab\\", "ab")
    assert gobwas_match("a\\{b\\}", "a{b}")
    # nested alternatives and empty alternatives
    assert gobwas_match("{a,{b,c}d}", "cd")
    assert gobwas_match("x{,y}", "x")
    assert gobwas_match("{}", "")
    # a NUL rune ends the pattern when it starts a token
    assert gobwas_match("*\x00tail", "anything")


@pytest.mark.parametrize(
    ("pattern", "text", "separators", "expected"),
    [
        # v0.2.3 bugs that Argo inherits, as reported upstream
        ("start*art", "start", "", True),  # gobwas#61: prefix and suffix overlap
        ("{a,}{a,}a", "a", "", False),  # gobwas#62
        ("{,*.}google*", "google.com", "", True),
        ("{*.,}google*", "google.com", "", False),  # gobwas#43
        ("{*.,}google*", "a.google.com", "", False),
        ("{google.*,*yandex:*.exe:page.*}", "yandex:service.exe:page.12345", "", False),  # #50
        ("{google.?,*yandex:*.exe:page.*}", "yandex:service.exe:page.12345", "", True),
        ("{**/daxing,daxing}/**/*dev*.yaml", "playground/daxing/generated/dev.yaml", "", False),
        ("{**/daxing,daxing,x}/**/*dev*.yaml", "playground/daxing/generated/dev.yaml", "", True),
        ("test*201901*.12*", "test.20190101.120000", ".", False),  # gobwas#33 (correct)
        # found by reading v0.2.3's compiler
        ("{*,a}[ab]", "b", "", False),  # any-of length taken from its second alternative
        ("***", "", "/", False),  # a b-tree never matches the empty string
        ("[!a]", "", "", True),  # a one-rune matcher accepts the empty string
        ("?é", "aé", "", False),  # a row hands over only the first byte of a rune
        ("?a", "éa", "", False),  # ... and then resumes inside that rune
        ("?a", "ba", "", True),
        ("*a", "éa", "", True),
    ],
)
def test_gobwas_v023_quirks(pattern: str, text: str, separators: str, expected: bool) -> None:
    assert gobwas_match(pattern, text, separators) is expected


def test_gobwas_compile_callable() -> None:
    matcher = gobwas_compile("*.{yaml,yml}")
    assert matcher is not None
    assert matcher("a/b.yml")
    assert not matcher("a/b.json")


def test_gobwas_newlines() -> None:
    assert gobwas_match("a*b", "a\nb")
    assert gobwas_match("a?b", "a\nb")


# ----------------------------------------------------------------------------- path.Match

GO_PATH_MATCH_TABLE = [
    # Go src/path/match_test.go
    ("abc", "abc", True),
    ("*", "abc", True),
    ("*c", "abc", True),
    ("a*", "a", True),
    ("a*", "abc", True),
    ("a*", "ab/c", False),
    ("a*/b", "abc/b", True),
    ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True),
    ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("ab[c]", "abc", True),
    ("ab[b-d]", "abc", True),
    ("ab[e-g]", "abc", False),
    ("ab[^c]", "abc", False),
    ("ab[^b-d]", "abc", False),
    ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "ab", False),
    ("a?b", "a☺b", True),
    ("a[^a]b", "a☺b", True),
    ("a???b", "a☺b", False),
    ("a[^a][^a][^a]b", "a☺b", False),
    ("[a-ζ]*", "α", True),
    ("*[a-ζ]", "A", False),
    ("a?b", "a/b", False),
    ("a*b", "a/b", False),
    ("[\\]a]", "]", True),
    ("[\\-]", "-", True),
    ("[x\\-]", "x", True),
    ("[x\\-]", "-", True),
    ("[x\\-]", "z", False),
    ("[\\-x]", "x", True),
    ("[\\-x]", "-", True),
    ("[\\-x]", "a", False),
    ("*x", "xxx", True),
    # ErrBadPattern -> no match
    ("[]a]", "]", False),
    ("[-]", "-", False),
    ("[x-]", "x", False),
    ("[-x]", "x", False),
    ("\\", "a", False),
    ("[a-b-c]", "a", False),
    ("[", "a", False),
    ("[^", "a", False),
    ("[^bc", "a", False),
    ("a[", "a", False),
    ("a[", "ab", False),
    ("a/b[", "x", False),
]


@pytest.mark.parametrize(("pattern", "name", "expected"), GO_PATH_MATCH_TABLE)
def test_go_path_match(pattern: str, name: str, expected: bool) -> None:
    assert go_path_match(pattern, name) is expected
    assert go_filepath_match(pattern, name) is expected


def test_go_path_match_argo_directories() -> None:
    # git generator directories: the listing has every depth, `*` stays in one segment
    assert go_path_match("p1/*", "p1/app2")
    assert not go_path_match("p1/*", "p1/p2/app3")
    assert go_path_match("*guestbook*", "helm-guestbook")
    assert not go_path_match("*guestbook*", "helm-guestbook/templates")
    assert not go_path_match("**", "a/b")  # no `**`: it is `*`
    assert go_path_match("**", "ab")
    assert not go_path_match("[!a]", "b")  # `!` is not a negation for Go
    assert go_path_match("[!a]", "!")
    assert go_path_match("a[/]b", "a/b")  # a class may match `/`


def test_go_path_match_is_not_a_backtracking_matcher() -> None:
    # After a `*`, Go takes the first place where the next chunk fits; a full glob
    # engine would match this (`a` / `/` for the class pair, then `/` for... nothing).
    assert not go_path_match("*[/a][/a]*", "a//")
    # Go skips bytes, not runes, after a `*`: the 3-byte `€` can look like two runes
    assert go_path_match("*??", "€")
    assert not go_path_match("*??", "é")


def test_go_path_match_validates_rest_of_pattern() -> None:
    assert not go_path_match("x*[", "y")
    assert not go_path_match("a*b[", "ab")


def test_go_filepath_match_kinds() -> None:
    assert go_filepath_match("*", "")
    assert go_filepath_match("apps", "apps")
    assert go_filepath_match("*.k8s.io", "rbac.authorization.k8s.io")
    assert not go_filepath_match("Deploy", "Deployment")


# ----------------------------------------------------------------------------- doublestar


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        # doublestar v4 doublestar_test.go (selection)
        ("", "", True),
        ("*", "", True),
        ("*", "/", False),
        ("/*", "/", True),
        ("/*", "//", False),
        ("**", "", True),
        ("a/**", "a", True),
        ("a/**", "a/", True),
        ("a/**/", "a/b/", True),
        ("a/**/", "a/b", False),
        ("**/c", "c", True),
        ("**/c", "a/b/c", True),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b", True),
        ("a/**b", "a/xb", True),  # `**` not a whole segment: a `*`
        ("a/**b", "a/x/b", False),
        ("ab{c,d}", "abd", True),
        ("ab{c,d}", "abe", False),
        ("a{,bc}", "a", True),
        ("a{b,c{d,e}}", "ace", True),
        ("[!a]*", "b", True),
        ("[^a]*", "a", False),
        ("[a-c]?", "bx", True),
        ("a\\*b", "a*b", True),
        ("{a,b}/**/*.yaml", "b/c.yaml", True),
        ("[", "a", False),
        ("[]", "]", False),
        ("{a", "a", False),
        ("a}", "a}", True),  # the pattern is only validated when the match fails
        ("a}", "ab", False),
        ("a\\", "a", False),
    ],
)
def test_doublestar_match(pattern: str, path: str, expected: bool) -> None:
    assert doublestar_match(pattern, path) is expected


def test_doublestar_quirks() -> None:
    # the rest of the pattern must be "zero length" once the name is exhausted
    assert doublestar_match("a*/**", "ab")
    assert not doublestar_match("a*/**", "a")
    # alternatives are re-matched as a fresh pattern, so `**/` right after `{` counts
    assert doublestar_match("x{**/y,z}", "xa/y")


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        ("a/**/b", True),
        ("{a,{b,c}}", True),
        ("[!a]", True),
        ("[", False),
        ("[]", False),
        ("[!]", False),
        ("{a", False),
        ("a}", False),
        ("a\\", False),
        ("[a\\]", False),
    ],
)
def test_doublestar_valid(pattern: str, valid: bool) -> None:
    assert doublestar_valid(pattern) is valid


# ----------------------------------------------------------------------------- git pathspec


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        # semantics §4.5 (checked with git 2.39)
        ("some-path/*.yaml", "some-path/staging/values.yaml", True),
        ("cluster-charts/*/values.yaml", "cluster-charts/a/b/values.yaml", True),
        ("**/config.json", "config.json", False),
        ("**/config.json", "a/config.json", True),
        ("p1/**/config.json", "p1/config.json", False),
        ("p1/**/config.json", "p1/a/b/config.json", True),
        ("p1", "p1/a/config.json", True),
        ("p1", "p1", True),
        ("p1", "p10/config.json", False),
        ("p1/", "p1/x.json", True),
        ("p1/a.json", "p1/a.json", True),
        # wildmatch without WM_PATHNAME
        ("a?b", "a/b", True),
        ("[!a]x", "/x", True),
        ("[^a]x", "bx", True),
        ("[]]", "]", True),
        ("[a-]", "-", True),
        ("[[:digit:]]x", "5x", True),
        ("[[:digit:]]x", "dx", False),
        ("[[:bogus:]]", "b", False),
        ("x\\*y", "x*y", True),
        ("x\\*y", "xzy", False),
        ("*.yaml", "é.yaml", True),
        ("?.yaml", "é.yaml", False),  # `?` is one byte
        ("??.yaml", "é.yaml", True),
        # malformed class never matches, but the literal pathspec still does
        ("a[", "a[", True),
        ("a[", "a[b", False),
        # pathspec normalization
        (".", "any/file", True),
        ("./p1", "p1/x", True),
        ("p1//x", "p1/x", True),
        ("p2/../p1/*", "p1/x", True),
        ("../x", "x", False),
    ],
)
def test_git_pathspec_match(pattern: str, path: str, expected: bool) -> None:
    assert git_pathspec_match(pattern, path) is expected


# ----------------------------------------------------------------------------- AppProject
# (argoplane.argocd.projects; tables from Argo CD's types_test.go, util/git and util/glob
# tests, beyond the sample in the vectors)


@pytest.mark.parametrize(
    ("repo", "normalized"),
    [
        ("https://GITHUB.com/argoproj/test.git", "https://github.com/argoproj/test"),
        ("  https://github.com/argoproj/test\n", "https://github.com/argoproj/test"),
        ("git@GITHUB.com:argoproj/test.git", "git@github.com/argoproj/test"),
        ("ssh://git@github.com/argoproj/test", "git@github.com/argoproj/test"),
        ("https://github.com:4443/TEST.git", "https://github.com:4443/test"),
        ("ssh://git@github.com:argoproj/test", ""),  # invalid port: url.Parse fails
        ("https://github.com/org/{a,b}", "https://github.com/org/%7Ba,b%7D"),
        ("https://github.com/a b", "https://github.com/a%20b"),
        ("https://github.com/org/*", "https://github.com/org/*"),
        ("*", "*"),
        ("github.com/org/repo", "github.com/org/repo"),
        ("1host:org/repo", ""),  # first path segment cannot contain a colon
        ("https://github.com/%zz", ""),
    ],
)
def test_normalize_git_url(repo: str, normalized: str) -> None:
    assert normalize_git_url(repo) == normalized


@pytest.mark.parametrize(
    ("source_repos", "repo_url", "expected"),
    [
        (["*"], "https://github.com/argoproj/test.git", True),
        (["https://github.com/argoproj/test.git"], "https://github.com/argoproj/test.git", True),
        (["ssh://git@GITHUB.com:argoproj/test"], "ssh://git@github.com:argoproj/test", True),
        (
            ["https://github.com/test1/test.git", "https://github.com/test2/test.git"],
            "https://github.com/test2/test.git",
            True,
        ),
        (["https://github.com/argoproj/test1.git"], "https://github.com/argoproj/test2.git", False),
        (["https://github.com/argoproj/foo"], "https://github.com/argoproj/foo1", False),
        (["https://gitlab.com/group/*"], "https://gitlab.com/group/repo/owner", False),
        (["https://gitlab.com/group/*/*"], "https://gitlab.com/group/repo/owner", True),
        (["!https://github.com/argoproj/test.git"], "https://github.com/argoproj/test.git", False),
        (
            ["https://github.com/test1/test.git", "!https://github.com/test2/test.git"],
            "https://github.com/test2/test.git",
            False,
        ),
        (
            ["!https://github.com/argoproj/*.git", "*"],
            "https://github.com/argoproj1/test2.git",
            True,
        ),
        # a deny entry that does not match counts as a match
        (["!https://github.com/evil/*"], "https://github.com/good/repo", True),
        (["!https://github.com/evil/*"], "https://github.com/evil/repo.git", False),
        # deny entries reject even after an allow matched
        (["*", "!https://github.com/evil/*"], "https://github.com/evil/repo", False),
        ([], "https://github.com/a/b", False),
        (["git@github.com:org/*"], "git@github.com:org/repo.git", True),
        (["git@github.com:org/*"], "https://github.com/org/repo", False),
    ],
)
def test_source_permitted(source_repos: list[str], repo_url: str, expected: bool) -> None:
    assert source_permitted(source_repos, repo_url) is expected


def _dest(server: str = "", namespace: str = "", name: str = "") -> dict[str, str]:
    return {"server": server, "namespace": namespace, "name": name}


KUBE = "https://kubernetes.default.svc"


@pytest.mark.parametrize(
    ("destinations", "server", "name", "namespace", "expected"),
    [
        ([_dest("https://my-cluster", "default")], KUBE, "", "default", False),
        ([_dest("https://team1-*", "default")], "https://test2-dev-cluster", "", "default", False),
        ([_dest(KUBE, "test-*")], KUBE, "", "test", False),
        ([_dest("", "*", "test")], "", "test", "test", True),
        ([_dest("", "*", "test2")], "", "test", "test", False),
        (
            [
                _dest(KUBE, "!{kube-system,argocd}", "host-cluster"),
                _dest("https://eks.example.com", "*", "destination-cluster-01"),
            ],
            "https://eks.example.com",
            "",
            "kube-system",
            True,
        ),
        ([_dest("!" + KUBE, "default")], KUBE, "", "default", False),
        ([_dest(KUBE, "!default")], KUBE, "", "kube-system", True),
        ([_dest("!" + KUBE, "*")], KUBE, "", "kube-system", False),
        ([_dest("!https://*.default.svc", "default")], KUBE, "", "default", False),
        ([_dest("!https://team1-*", "default")], "https://test2-dev-cluster", "", "default", True),
        ([_dest(KUBE, "!test-*")], KUBE, "", "test", True),
        ([_dest("", "*", "!test")], "", "test", "test", False),
        ([_dest("", "*", "!test2")], "", "test", "test", True),
        ([_dest("*", "kube-system"), _dest("*", "!kube-system")], KUBE, "", "kube-system", False),
        ([_dest(KUBE, "*"), _dest("!" + KUBE, "*")], KUBE, "", "kube-system", False),
        ([_dest("*", "*"), _dest("!" + KUBE, "kube-system")], KUBE, "", "kube-system", False),
        (
            [_dest("*", "*"), _dest("!" + KUBE, "kube-system"), _dest("*", "!kube-system")],
            KUBE,
            "",
            "default",
            True,
        ),
        ([_dest("", "*", "test"), _dest("", "*", "!test")], "", "test", "test", False),
        (
            [_dest("*", "test"), _dest("!https://test-server", "other")],
            "https://test-server",
            "",
            "test",
            True,
        ),
        # no separator: `*` matches `/` and `:` too
        ([_dest("https://*", "*")], "https://a.b:6443/path", "", "x", True),
        ([], KUBE, "", "default", False),
    ],
)
def test_destination_permitted(
    destinations: list[dict[str, str]], server: str, name: str, namespace: str, expected: bool
) -> None:
    assert destination_permitted(destinations, server, name, namespace) is expected


@pytest.mark.parametrize(
    ("destinations", "server", "name", "clusters", "expected"),
    [
        (
            [_dest("https://my-cluster.123.com", "default")],
            "https://my-cluster.123.com",
            "",
            [{"server": "https://my-cluster.123.com"}],
            True,
        ),
        (
            [_dest("https://my-cluster.123.com", "default")],
            "https://some-other-cluster.example.com",
            "",
            [{"server": "https://my-cluster.123.com"}],
            False,
        ),
        (
            [_dest("", "default", "some-other-server")],
            "",
            "some-other-server",
            [{"name": "some-other-server"}],
            True,
        ),
        (
            [_dest("", "default", "some-server")],
            "",
            "some-other-server",
            [{"name": "some-server"}],
            False,
        ),
    ],
)
def test_destination_permitted_project_scoped(
    destinations: list[dict[str, str]],
    server: str,
    name: str,
    clusters: list[dict[str, str]],
    expected: bool,
) -> None:
    permitted = destination_permitted(
        destinations,
        server,
        name,
        "default",
        permit_only_project_scoped_clusters=True,
        project_clusters=clusters,
    )
    assert permitted is expected


def test_group_kind_permitted() -> None:
    empty_white = {
        "namespaceResourceWhitelist": [],
        "namespaceResourceBlacklist": [{"group": "apps", "kind": "Deployment"}],
    }
    assert not group_kind_permitted(empty_white, "apps", "ReplicaSet", "", True)
    # cluster blacklist only: cluster-scoped kinds are denied anyway
    only_black = {"clusterResourceBlacklist": [{"group": "", "kind": "Namespace"}]}
    assert not group_kind_permitted(only_black, "", "Namespace", "", False)
    both = {
        "clusterResourceWhitelist": [{"group": "*", "kind": "*"}],
        "clusterResourceBlacklist": [{"group": "*", "kind": "*"}],
    }
    assert not group_kind_permitted(both, "", "Namespace", "", False)
    assert group_kind_permitted(both, "apps", "Action", "", True)
    assert group_kind_permitted({}, "apps", "Action", "", True)
    assert group_kind_permitted({"namespaceResourceWhitelist": None}, "x", "Y", "", True)
    named = {"clusterResourceWhitelist": [{"group": "", "kind": "Namespace", "name": "team1-*"}]}
    assert group_kind_permitted(named, "", "Namespace", "team1-namespace", False)
    assert not group_kind_permitted(named, "", "Namespace", "other", False)
    # filepath.Match: `*` on groups, missing group means the core group only
    globbed = {"namespaceResourceWhitelist": [{"group": "*.k8s.io", "kind": "Role*"}]}
    assert group_kind_permitted(globbed, "rbac.authorization.k8s.io", "RoleBinding", "", True)
    assert not group_kind_permitted(globbed, "", "Role", "", True)
    core_only = {"namespaceResourceWhitelist": [{"kind": "ConfigMap"}]}
    assert group_kind_permitted(core_only, "", "ConfigMap", "", True)
    assert not group_kind_permitted(core_only, "x", "ConfigMap", "", True)
    # a malformed pattern matches nothing
    bad = {"namespaceResourceBlacklist": [{"group": "[", "kind": "*"}]}
    assert group_kind_permitted(bad, "apps", "Deployment", "", True)


@pytest.mark.parametrize(
    ("pattern", "value", "allow_negation", "expected"),
    [
        ("foo", "foo", False, True),
        ("foo*", "foobar", False, True),
        ("foo*", "bar", False, False),
        ("*", "anything", False, True),
        ("!foo", "foo", True, False),
        ("!foo", "bar", True, True),
        ("!foo", "foo", False, False),
        ("!foo", "!foo", False, True),
        ("!{a,b}", "c", True, True),
        ("![", "x", True, True),  # an invalid pattern never matches, so its negation does
    ],
)
def test_project_glob_match(pattern: str, value: str, allow_negation: bool, expected: bool) -> None:
    assert project_glob_match(pattern, value, allow_negation) is expected


def test_project_glob_match_separators() -> None:
    assert project_glob_match("*", "a/b", False, "/")  # `*` alone is a shortcut
    assert not project_glob_match("a*", "a/b", False, "/")
    assert project_glob_match("!*", "a/b", True, "/")


@pytest.mark.parametrize(
    ("patterns", "item", "mode", "expected"),
    [
        (["test"], "test", "exact", True),
        (["other"], "test", "exact", False),
        (["*"], "test", "exact", False),
        (["*"], "test", "glob", True),
        (["other*", "te*"], "test", "glob", True),
        (["/^((?!disallowed).)*$/"], "disallowed", "regexp", False),
        (["/^((?!disallowed).)*$/"], "allowed", "regexp", True),
        (["/te/"], "a-test", "regexp", True),  # unanchored search
        (["/^x/"], "test", "glob", False),  # glob mode: no regular expressions
        (["/a*/"], "/ab/", "regexp", True),  # a regex that fails is still tried as a glob
        (["/"], "/", "regexp", True),
        (["/[/"], "x", "regexp", False),
        (["team-*"], "team-a", "regexp", True),
    ],
)
def test_glob_match_list(patterns: list[str], item: str, mode: str, expected: bool) -> None:
    assert glob_match_list(patterns, item, mode) is expected
