"""Go text/template + Sprig as Argo CD's ApplicationSet controller runs them.

Expected strings come from Argo CD's own tests (applicationset/utils/utils_test.go,
TestRenderTemplateParamsGoTemplate / TestSlugify / TestSanitizeClusterName), from Go's
text/template and fmt documentation and sources, and from Sprig v3.3.0's sources.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from argoplane.argocd.templating.gotemplate import (
    GoTemplateError,
    GoTemplateExecError,
    GoTemplateParseError,
    function_names,
    parse_template,
    render,
)
from argoplane.argocd.templating.gotemplate.argo_funcs import normalize, slugify
from argoplane.argocd.templating.gotemplate.gofmt import format_float, quote, sprintf


def r(text: str, data: Any = None, **kw: Any) -> str:
    return render(text, {} if data is None else data, **kw)


def err(text: str, data: Any = None, **kw: Any) -> str:
    with pytest.raises(GoTemplateError) as info:
        render(text, {} if data is None else data, **kw)
    return str(info.value)


# ------------------------------------------------------------- Argo CD's own test table

IMAGE = {"replicas": 3, "image": {"name": "busybox", "version": "latest"}}
HPA = {"replicas": 3, "hpa": {"enabled": True, "minReplicas": 1, "maxReplicas": 5}}


@pytest.mark.parametrize(
    ("template", "params", "expected"),
    [
        ("{{ .one }}", {"one": "two"}, "two"),
        ("{{ .one }}", {"one": "{{one}}"}, "{{one}}"),
        ("{{ .one }}", {"one": "{{two}}"}, "{{two}}"),
        ("{{.one}}{{.one}}", {"one": "two"}, "twotwo"),
        ("{{.one}}{{.three}}", {"one": "two", "three": "four"}, "twofour"),
        ("{{.one}} {{.three}}", {"one": '"hello" world', "three": "four"}, '"hello" world four'),
        ("{{ .image.version }}", IMAGE, "latest"),
        ("{{ .image.name }}:{{ .image.version }}", IMAGE, "busybox:latest"),
        ("{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}", HPA,
         "5"),
        (
            "{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}",
            {"replicas": 3, "hpa": {"enabled": False, "maxReplicas": 5}},
            "3",
        ),
        (
            "{{ range .volumes }}[{{ .name }}]{{ end }}",
            {"volumes": [{"name": "volume-one", "emptyDir": {}}, {"name": "volume-two"}]},
            "[volume-one][volume-two]",
        ),
        (
            '{{ index .admin "admin-ca" }}, {{ index .admin "admin-jks" }}',
            {"admin": {"admin-ca": "value admin ca", "admin-jks": "value admin jks"}},
            "value admin ca, value admin jks",
        ),
        (
            '{{ index .admin "admin-ca" }}, \\\\ "Hello world", {{ index .admin "admin-jks" }}',
            {"admin": {"admin-ca": 'value "admin" ca with \\', "admin-jks": "value admin jks"}},
            'value "admin" ca with \\, \\\\ "Hello world", value admin jks',
        ),
        ("{{.quote}}", {"quote": '"'}, '"'),
        ("--> {{.doesnotexist}} <--", {"unused": "this is not used"}, "--> <no value> <--"),
        (
            "{{ toYaml . | indent 2 }}",
            {"foo": {"bar": {"bool": True, "number": 2, "str": "Hello world"}}},
            "  foo:\n    bar:\n      bool: true\n      number: 2\n      str: Hello world",
        ),
        ('{{ get (fromYaml .value) "hello" }}', {"value": "hello: world"}, "world"),
        (
            "{{ fromYamlArray .value | last }}",
            {"value": "- hello world\n- bonjour tout le monde"},
            "bonjour tout le monde",
        ),
    ],
)
def test_argo_render_table(template: str, params: dict[str, Any], expected: str) -> None:
    assert r(template, params) == expected


@pytest.mark.parametrize(
    ("template", "params", "options", "message"),
    [
        (
            "{{functiondoesnotexist}}",
            {"data": "a data string"},
            "default",
            'template: base:1: function "functiondoesnotexist" not defined',
        ),
        (
            "{{.data.test}}",
            {"data": "a data string"},
            "default",
            'template: base:1:7: executing "base" at <.data.test>: '
            "can't evaluate field test in type interface {}",
        ),
        (
            "--> {{.doesnotexist}} <--",
            {"unused": "this is not used"},
            "error",
            'template: base:1:6: executing "base" at <.doesnotexist>: '
            'map has no entry for key "doesnotexist"',
        ),
        (
            '{{ get (fromYaml .value) "hello" }}',
            {"value": "non\n compliant\n yaml"},
            "default",
            'template: base:1:8: executing "base" at <fromYaml .value>: error calling fromYaml: '
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into "
            "Go value of type map[string]interface {}",
        ),
        (
            "{{ fromYamlArray .value | last }}",
            {"value": "non\n compliant\n yaml"},
            "default",
            'template: base:1:3: executing "base" at <fromYamlArray .value>: error calling '
            "fromYamlArray: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            "string into Go value of type []interface {}",
        ),
    ],
)
def test_argo_error_table(
    template: str, params: dict[str, Any], options: str, message: str
) -> None:
    assert err(template, params, missingkey=options) == message


def test_parse_and_exec_errors_have_distinct_types() -> None:
    with pytest.raises(GoTemplateParseError):
        render("{{ .a }", {})
    with pytest.raises(GoTemplateExecError):
        render("{{ .a.b }}", {"a": 1})


# ------------------------------------------------------------- slugify / normalize


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # TestSlugify
        ((50, False, "feat/a_really+long_pull_request_name_to_test_argo_slugification_and_"
                     "branch_name_shortening_feature"),
         "feat-a-really-long-pull-request-name-to-test-argo"),
        ((53, True, "feat/a_really+long_pull_request_name_to_test_argo_slugification_and_"
                    "branch_name_shortening_feature"),
         "feat-a-really-long-pull-request-name-to-test-argo"),
        ((50, True, "feat/areallylongpullrequestnametotestargoslugificationandbranchnameshortening"
                    "feature"), "feat"),
        ((50, False, "feat/areallylongpullrequestnametotestargoslugificationandbranchnameshortening"
                     "feature"), "feat-areallylongpullrequestnametotestargoslugifica"),
        # the pull-request generator e2e labels
        ((49, False, "feat/areallylongpullrequestnametotestargoslugificationandbranchnameshortening"
                     "feature"), "feat-areallylongpullrequestnametotestargoslugific"),
        (("feat/a_really+long_pull_request_name_to_test_argo_slugification_and_branch_name_"
          "shortening_feature",), "feat-a-really-long-pull-request-name-to-test-argo"),
        (("Hello World!",), "hello-world"),
        (("a.b..c",), "a-b-c"),
        ((5, False, "abcdefgh"), "abcde"),
        ((3, True, "ab-cdef"), "ab"),
        ((0, False, "abc"), ""),
        ((), ""),
    ],
)
def test_slugify(args: tuple[Any, ...], expected: str) -> None:
    assert slugify(*args) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cluster-name", "cluster-name"),
        ("-.--CLUSTER/name  -./.-", "cluster-name"),
        ("My_Cluster@Prod", "my-cluster-prod"),
        ("a" * 300, "a" * 253),
        ("ÉCOLE", "-cole".strip("-")),
    ],
)
def test_normalize(name: str, expected: str) -> None:
    assert normalize(name) == expected


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("{{ .b | slugify }}", {"b": "Feat/My Branch"}, "feat-my-branch"),
        ("{{ .b | slugify 49 false }}", {"b": "x" * 60}, "x" * 49),
        ("{{ slugify 50 true .b }}", {"b": "feat/testwithsmarttruncateenabledramdomlonglistof"
                                            "characters"}, "feat"),
        ("{{ normalize .n }}", {"n": "In-Cluster"}, "in-cluster"),
    ],
)
def test_argo_functions_in_templates(template: str, data: dict[str, Any], expected: str) -> None:
    assert r(template, data) == expected


def test_slugify_with_float_max_length_fails_like_go() -> None:
    assert err("{{ slugify .n .b }}", {"n": 20.0, "b": "x"}).endswith(
        "error calling slugify: interface conversion: interface {} is float64, not int"
    )


# ------------------------------------------------------------- lexing and parsing


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("a  {{- .x -}}  b", {"x": "X"}, "aXb"),
        ("a\n\t {{- .x }}\n", {"x": "X"}, "aX\n"),
        ("{{ .x -}}\n\n  b", {"x": "X"}, "Xb"),
        ("{{-3}}", {}, "-3"),
        ("a {{/* comment */}} b", {}, "a  b"),
        ("a {{- /* comment */ -}} b", {}, "ab"),
        ("{{/* multi\nline */}}x", {}, "x"),
        ("no actions at all", {}, "no actions at all"),
        ("", {}, ""),
        ("}} {{ `{{` }}", {}, "}} {{"),
        ('{{ "a\\tb\\u00e9\\x41\\101" }}', {}, "a\tbéAA"),
        ("{{ `raw\\n` }}", {}, "raw\\n"),
        ("{{ 'a' }} {{ '\\n' }}", {}, "97 10"),
        ("{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }}", {}, "31 15 15 5 1000"),
        ("{{ 1e3 }} {{ 1.5 }} {{ 3.0 }} {{ -7 }} {{ +7 }}", {}, "1000 1.5 3 -7 7"),
        ("{{ true }} {{ false }}", {}, "true false"),
        ("{{ .a\n}}", {"a": 1}, "1"),
        ("{{ (.a) }}", {"a": 1}, "1"),
        ("{{ (.a).b }}", {"a": {"b": "c"}}, "c"),
    ],
)
def test_lexing(template: str, data: dict[str, Any], expected: str) -> None:
    assert r(template, data) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ .a }", 'template: base:1: unexpected "}" in operand'),
        ("{{ .data }", 'template: base:1: unexpected "}" in operand'),
        ("{{ .a ", "template: base:1: unclosed action"),
        ("{{ .a\n\n", "template: base:3: unclosed action started at base:1"),
        ("{{ if }}x{{ end }}", "template: base:1: missing value for if"),
        ("{{}}", "template: base:1: missing value for command"),
        ("{{ end }}", "template: base:1: unexpected {{end}}"),
        ("{{ else }}", "template: base:1: unexpected {{else}}"),
        ("{{ range .x }}", "template: base:1: unexpected EOF"),
        ("{{ if .a }}{{ else }}{{ else }}{{ end }}",
         "template: base:1: expected end; found {{else}}"),
        ("{{ $x }}", 'template: base:1: undefined variable "$x"'),
        ("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}",
         'template: base:1: undefined variable "$y"'),
        ("{{ .a | 3 }}", "template: base:1: non executable command in pipeline stage 2"),
        ("{{ break }}", "template: base:1: {{break}} outside {{range}}"),
        ("{{ continue }}", "template: base:1: {{continue}} outside {{range}}"),
        ('{{ "a".b }}', 'template: base:1: unexpected . after term "\\"a\\""'),
        ('{{ env "HOME" }}', 'template: base:1: function "env" not defined'),
        ('{{ expandenv "$HOME" }}', 'template: base:1: function "expandenv" not defined'),
        ('{{ getHostByName "x" }}', 'template: base:1: function "getHostByName" not defined'),
        ("{{ /* c */ }}", 'template: base:1: unexpected "/" in command'),
        ("{{/* c */ x}}", "template: base:1: comment ends before closing delimiter"),
        ("{{/* c", "template: base:1: unclosed comment"),
        ("{{ .a-b }}", "template: base:1: bad character U+002D '-'"),
        ('{{ "abc }}', "template: base:1: unterminated quoted string"),
        ("{{ `abc }}", "template: base:1: unterminated raw quoted string"),
        ("{{ 'ab' }}", "template: base:1: malformed character constant: 'ab'"),
        ("{{ 3x }}", 'template: base:1: bad number syntax: "3x"'),
        ("{{ ( .a }}", "template: base:1: unclosed left paren"),
        ("{{ .a ) }}", "template: base:1: unexpected right paren"),
        ("{{ 99999999999999999999 }}",
         'template: base:1: integer overflow: "99999999999999999999"'),
        ("{{ $a, $b := .x }}", "template: base:1: too many declarations in command"),
        ("{{ range $a, $b, $c := .x }}{{ end }}",
         "template: base:1: too many declarations in range"),
        ('{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}',
         'template: base:1: template: multiple definition of template "a"'),
        ("{{ template .x }}", 'template: base:1: unexpected ".x" in template clause'),
        ("x\n{{ .a }", 'template: base:2: unexpected "}" in operand'),
        ('{{ define "base" }}x{{ end }}{{ .a }}',
         'template: base:1: template: multiple definition of template "base"'),
    ],
)
def test_parse_errors(template: str, message: str) -> None:
    with pytest.raises(GoTemplateParseError) as info:
        render(template, {})
    assert str(info.value) == message


def test_parsed_templates_are_cached() -> None:
    text = "{{ .cached }}-{{ .cached | upper }}"
    assert parse_template(text) is parse_template(text)
    assert r(text, {"cached": "a"}) == "a-A"
    assert r(text, {"cached": "b"}) == "b-B"


# ------------------------------------------------------------- control flow and variables


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("{{ $x := .a }}{{ $x }}{{ $x = \"z\" }}{{ $x }}", {"a": "y"}, "yz"),
        ("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", {}, "2"),
        ("{{ $ }}", "root", "root"),
        ("{{ $.a.b }}", {"a": {"b": "c"}}, "c"),
        ("{{ with .a }}{{ $.b }}{{ end }}", {"a": 1, "b": "B"}, "B"),
        ("{{ if and .a .b }}y{{ else }}n{{ end }}", {"a": 1, "b": ""}, "n"),
        ("{{ if or .a .b }}y{{ else }}n{{ end }}", {"a": 0, "b": [1]}, "y"),
        ("{{ if not .a }}y{{ end }}", {"a": {}}, "y"),
        ("{{ if .a }}y{{ else }}n{{ end }}", {"a": 0.0}, "n"),
        ("{{ if .missing }}y{{ else }}n{{ end }}", {}, "n"),
        ("{{ if eq .a 1 }}one{{ else if eq .a 2 }}two{{ else }}other{{ end }}", {"a": 2}, "two"),
        ("{{ with .a }}{{ . }}{{ else with .b }}b={{ . }}{{ else }}none{{ end }}", {"b": "B"},
         "b=B"),
        ("{{ with .a }}{{ . }}{{ else }}none{{ end }}", {"a": ""}, "none"),
        ("{{ with $x := .a }}{{ $x }}{{ . }}{{ end }}", {"a": "A"}, "AA"),
        ("{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}", {"l": ["a", "b"]}, "0=a;1=b;"),
        ("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", {"m": {"b": 1, "a": 2.5}},
         "a=2.5;b=1;"),
        ("{{ range $v := .l }}{{ $v }}{{ end }}", {"l": ["x", "y"]}, "xy"),
        ("{{ range .m }}{{ . }}{{ end }}", {"m": {"z": 1, "a": 2}}, "21"),
        ("{{ range .l }}x{{ else }}empty{{ end }}", {"l": []}, "empty"),
        ("{{ range .missing }}x{{ else }}empty{{ end }}", {}, "empty"),
        ("{{ range .n }}x{{ else }}empty{{ end }}", {"n": None}, "empty"),
        ("{{ range 3 }}{{ . }}{{ end }}", {}, "012"),
        ("{{ range $i := 2 }}{{ $i }}{{ end }}", {}, "01"),
        ("{{ range 0 }}x{{ else }}none{{ end }}", {}, "none"),
        ("{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}"
         "{{ . }}{{ end }}", {"l": [1, 2, 3, 4, 5]}, "13"),
        ("{{ range .l }}{{ range . }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}",
         {"l": [[1, 2, 3], [4]]}, "1;4;"),
        ("{{ $i := 0 }}{{ $v := 0 }}{{ range $i, $v = .l }}{{ end }}{{ $i }}{{ $v }}",
         {"l": ["x", "y"]}, "1y"),
        ("{{ range .l }}[{{ . }}]{{ end }}", {"l": [None, 1]}, "[<no value>][1]"),
        ('{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" .x }}', {"x": 1}, "[1]"),
        ('{{ template "t" }}{{ define "t" }}<{{ . }}>{{ end }}', {}, "<<no value>>"),
        ('{{ block "b" .y }}<{{ . }}>{{ end }}', {"y": "Y"}, "<Y>"),
        ('{{ define "r" }}{{ if gt . 0 }}{{ . }}{{ template "r" (sub . 1) }}{{ end }}{{ end }}'
         '{{ template "r" 3 }}', {}, "321"),
        ('{{ define "v" }}{{ $x := 1 }}{{ $x }}{{ end }}{{ $x := 2 }}{{ template "v" }}{{ $x }}',
         {}, "12"),
        ('{{ define "base" }}only{{ end }}  ', {"a": "main"}, "only"),
    ],
)
def test_control_flow(template: str, data: Any, expected: str) -> None:
    assert r(template, data) == expected


def test_and_or_short_circuit() -> None:
    # The second operand would fail (index out of range) if it were evaluated.
    assert r("{{ and .a (index .a 5) }}", {"a": []}) == "[]"
    assert r("{{ or .a (index .b 5) }}", {"a": "x", "b": []}) == "x"
    assert r("{{ and 1 0 }} {{ and 1 2 }} {{ or 0 \"\" }} {{ or 0 \"x\" }}") == "0 2  x"
    assert r('{{ "x" | and 1 }}') == "x"


# ------------------------------------------------------------- missing keys and nil


@pytest.mark.parametrize(
    ("template", "data", "missingkey", "expected"),
    [
        ("{{ .missing }}", {}, "default", "<no value>"),
        ("{{ .missing }}", {}, "invalid", "<no value>"),
        ("{{ .missing }}", {}, "zero", "<no value>"),
        ("{{ .m.x }}", {"m": {}}, "zero", "<no value>"),
        ("{{ .missing.x.y }}", {}, "default", "<no value>"),
        ('{{ (split "," "a")._5 }}|', {}, "zero", "|"),
        ('{{ (split "," "a")._5 }}|', {}, "default", "<no value>|"),
        ("{{ .n }}", {"n": None}, "default", "<no value>"),
        ("{{ .x }}", {"x": {"a": None}}, "default", "map[a:<nil>]"),
        ("{{ print .missing }} {{ print .n }}", {"n": None}, "default", "<nil> <nil>"),
        ("{{ printf \"%v\" .missing }}", {}, "default", "<nil>"),
        ("{{ html .missing }}", {}, "default", "&lt;no value&gt;"),
        ('{{ index .m "zz" }}', {"m": {"k": "v"}}, "default", "<no value>"),
        ('{{ .missing | default "d" }}', {}, "default", "d"),
        ('{{ .missing | default "d" }}', {}, "zero", "d"),
    ],
)
def test_missing_keys(template: str, data: Any, missingkey: str, expected: str) -> None:
    assert r(template, data, missingkey=missingkey) == expected


@pytest.mark.parametrize(
    ("template", "data", "missingkey", "message"),
    [
        ("{{ .missing }}", {}, "error",
         'template: base:1:3: executing "base" at <.missing>: map has no entry for key "missing"'),
        ("{{ .a.missing }}", {"a": {}}, "error",
         'template: base:1:5: executing "base" at <.a.missing>: map has no entry for key '
         '"missing"'),
        ("{{ (.missing).x }}", {}, "error",
         'template: base:1:4: executing "base" at <.missing>: map has no entry for key "missing"'),
        ("{{ $x := .a }}{{ $x.y }}", {"a": None}, "error",
         'template: base:1:19: executing "base" at <$x.y>: nil data; no entry for key "y"'),
        ("{{ .missing.x }}", {}, "zero",
         'template: base:1:11: executing "base" at <.missing.x>: '
         "nil pointer evaluating interface {}.x"),
        ("{{ .nul.x }}", {"nul": None}, "default",
         'template: base:1:7: executing "base" at <.nul.x>: nil pointer evaluating interface {}.x'),
        ("{{ range .l }}{{ .x }}{{ end }}", {"l": [None]}, "default",
         'template: base:1:17: executing "base" at <.x>: nil pointer evaluating interface {}.x'),
    ],
)
def test_missing_key_errors(template: str, data: Any, missingkey: str, message: str) -> None:
    assert err(template, data, missingkey=missingkey) == message


def test_unknown_missingkey_option() -> None:
    assert err("x", {}, missingkey="bogus") == "unrecognized option: missingkey=bogus"


# ------------------------------------------------------------- execution errors


@pytest.mark.parametrize(
    ("template", "data", "message"),
    [
        ("{{ .a\n}}\n{{ .b.c }}", {"b": "s"},
         'template: base:3:5: executing "base" at <.b.c>: can\'t evaluate field c in type '
         "interface {}"),
        ("{{ $x := .b }}{{ $x.c }}", {"b": "s"},
         'template: base:1:19: executing "base" at <$x.c>: can\'t evaluate field c in type string'),
        ("{{ with .b }}{{ .c }}{{ end }}", {"b": "s"},
         'template: base:1:16: executing "base" at <.c>: can\'t evaluate field c in type string'),
        ("{{ range .l }}{{ .x }}{{ end }}", {"l": ["s"]},
         'template: base:1:17: executing "base" at <.x>: can\'t evaluate field x in type '
         "interface {}"),
        ("{{ eq .f 3 }}", {"f": 3.0},
         'template: base:1:3: executing "base" at <eq .f 3>: error calling eq: '
         "incompatible types for comparison: float64 and int"),
        ("{{ lt .l 3 }}", {"l": [1]},
         'template: base:1:3: executing "base" at <lt .l 3>: error calling lt: '
         "invalid type for comparison"),
        ("{{ eq . . }}", {"a": 1},
         'template: base:1:3: executing "base" at <eq . .>: error calling eq: '
         "non-comparable type map[a:1]: map[string]interface {}"),
        ("{{ eq 1 }}", {},
         'template: base:1:3: executing "base" at <eq 1>: error calling eq: '
         "missing argument for comparison"),
        ("{{ upper .n }}", {"n": 3.0},
         'template: base:1:9: executing "base" at <.n>: wrong type for value; expected string; '
         "got float64"),
        ("{{ upper .missing }}", {},
         'template: base:1:9: executing "base" at <.missing>: invalid value; expected string'),
        ("{{ upper .nul }}", {"nul": None},
         'template: base:1:9: executing "base" at <.nul>: wrong type for value; expected string; '
         "got interface {}"),
        ('{{ repeat .n "x" }}', {"n": 3.0},
         'template: base:1:10: executing "base" at <.n>: wrong type for value; expected int; '
         "got float64"),
        ('{{ repeat (add 1 2) "x" }}', {},
         'template: base:1:17: executing "base" at <2>: wrong type for value; expected int; '
         "got int64"),
        ('{{ repeat 3.5 "x" }}', {},
         'template: base:1:10: executing "base" at <3.5>: expected integer; found 3.5'),
        ("{{ upper 3 }}", {}, 'template: base:1:9: executing "base" at <3>: expected string; '
                              "found 3"),
        ("{{ upper nil }}", {}, 'template: base:1:9: executing "base" at <nil>: cannot assign '
                                "nil to string"),
        ("{{ upper }}", {}, 'template: base:1:3: executing "base" at <upper>: wrong number of '
                            "args for upper: want 1 got 0"),
        ('{{ upper "a" "b" }}', {}, 'template: base:1:3: executing "base" at <upper>: wrong '
                                   "number of args for upper: want 1 got 2"),
        ("{{ and }}", {}, 'template: base:1:3: executing "base" at <and>: wrong number of args '
                          "for and: want at least 1 got 0"),
        ('{{ "a" "b" }}', {}, 'template: base:1:3: executing "base" at <"a">: can\'t give '
                              'argument to non-function "a"'),
        ("{{ nil }}", {}, 'template: base:1:3: executing "base" at <nil>: nil is not a command'),
        ('{{ .a "x" }}', {"a": {}}, 'template: base:1:3: executing "base" at <.a>: a is not a '
                                    "method but has arguments"),
        ("{{ range .s }}x{{ end }}", {"s": "abc"},
         'template: base:1:9: executing "base" at <.s>: range can\'t iterate over abc'),
        ("{{ range .f }}x{{ end }}", {"f": 3.0},
         'template: base:1:9: executing "base" at <.f>: range can\'t iterate over 3'),
        ("{{ range $i, $v := 3 }}{{ end }}", {},
         'template: base:1:19: executing "base" at <3>: can\'t use 3 to iterate over more than '
         "one variable"),
        ("{{ index .l 5 }}", {"l": [1]},
         'template: base:1:3: executing "base" at <index .l 5>: error calling index: '
         "index out of range: 5"),
        ("{{ index .l 1.0 }}", {"l": [1]},
         'template: base:1:3: executing "base" at <index .l 1.0>: error calling index: cannot '
         "index slice/array with type float64"),
        ('{{ index .missing "a" }}', {},
         'template: base:1:3: executing "base" at <index .missing "a">: error calling index: '
         "index of untyped nil"),
        ("{{ index 3 1 }}", {},
         'template: base:1:3: executing "base" at <index 3 1>: error calling index: '
         "can't index item of type int"),
        ("{{ len 3 }}", {}, 'template: base:1:3: executing "base" at <len 3>: error calling '
                           "len: len of type int"),
        ("{{ len .n }}", {"n": None}, 'template: base:1:3: executing "base" at <len .n>: error '
                                     "calling len: len of nil pointer"),
        ("{{ call .f }}", {"f": "s"}, 'template: base:1:3: executing "base" at <call .f>: error '
                                     "calling call: non-function .f of type string"),
        ('{{ template "nope" }}', {}, 'template: base:1:12: executing "base" at <{{template '
                                      '"nope"}}>: template "nope" not defined'),
        ('{{ define "t" }}{{ .x.y }}{{ end }}{{ template "t" .a }}', {"a": {"x": 1}},
         'template: base:1:21: executing "t" at <.x.y>: can\'t evaluate field y in type '
         "interface {}"),
        ('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" 3 }}', {},
         'template: base:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum '
         "template depth (100000)"),
        ("é{{ .a.b }}", {"a": 1}, 'template: base:1:7: executing "base" at <.a.b>: can\'t '
                                  "evaluate field b in type interface {}"),
    ],
)
def test_exec_errors(template: str, data: Any, message: str) -> None:
    assert err(template, data) == message


# ------------------------------------------------------------- printing values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.0, "3"),
        (1.5, "1.5"),
        (1e6, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (123456.0, "123456"),
        (0.00001, "1e-05"),
        (0.0001, "0.0001"),
        (1e21, "1e+21"),
        (1e100, "1e+100"),
        (-2.5, "-2.5"),
        (-0.0, "-0"),
        (0.1, "0.1"),
        (float("inf"), "+Inf"),
        (float("-inf"), "-Inf"),
        (float("nan"), "NaN"),
        (3, "3"),
        (-12, "-12"),
        (True, "true"),
        (False, "false"),
        ("text", "text"),
        ({"b": 1, "a": [1, "x", None]}, "map[a:[1 x <nil>] b:1]"),
        (["a", "b"], "[a b]"),
        ([], "[]"),
        ({}, "map[]"),
        ([{"k": 2.0}], "[map[k:2]]"),
    ],
)
def test_value_printing(value: Any, expected: str) -> None:
    assert r("{{ .v }}", {"v": value}) == expected


@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("%s-%d-%v-%q-%t", ["a", 3, 1.5, "q", True], 'a-3-1.5-"q"-true'),
        ("%5.2f|%x|%X|%05d|%-4s|", [3.14159, 255, 255, 42, "ab"], " 3.14|ff|FF|00042|ab  |"),
        ("%.2f %e %g %G %8.3f|%-8.3f|", [3.14159, 1234.5, 0.000012, 1e20, 2.5, 2.5],
         "3.14 1.234500e+03 1.2e-05 1E+20    2.500|2.500   |"),
        ("%+d %o %b %c %U %#x %#o", [5, 8, 5, 65, 65, 255, 8], "+5 10 101 A U+0041 0xff 010"),
        ("%q %#q %+q", ['a"b', "a", "é"], '"a\\"b" `a` "\\u00e9"'),
        ("%5s|%-5s|%.2s|%05s|", ["ab", "ab", "abc", "ab"], "   ab|ab   |ab|000ab|"),
        ("%v %T %T %T", [[1, "a"], {}, 1.5, None], "[1 a] map[string]interface {} float64 <nil>"),
        ("%s %d %v", [["a", 1], [1, 2], {"k": [1]}], "[a %!s(int=1)] [1 2] map[k:[1]]"),
        ("%d %s", ["x", 1], "%!d(string=x) %!s(int=1)"),
        ("%d", [], "%!d(MISSING)"),
        ("%d", [1, 2], "1%!(EXTRA int=2)"),
        ("%v %s", [None, None], "<nil> %!s(<nil>)"),
        ("%x %X % x", ["hi", "hi", "hi"], "6869 6869 68 69"),
        ("100%%", [], "100%"),
        ("%", [], "%!(NOVERB)"),
        ("%*d|%-*d|", [4, 7, 3, 7], "   7|7  |"),
        ("%.3v|%6.1f|%+.1e", [3.14159, -2.25, 12345.0], "3.14|  -2.2|+1.2e+04"),
        ("%#v %#v %#v", [{"a": 1}, [1], "s"],
         'map[string]interface {}{"a":1} []interface {}{1} "s"'),
    ],
)
def test_sprintf(fmt: str, args: list[Any], expected: str) -> None:
    assert sprintf(fmt, args) == expected


def test_printf_in_templates() -> None:
    assert r('{{ printf "%s=%v" .k .v }}', {"k": "a", "v": 2.0}) == "a=2"
    assert r('{{ "x" | printf "%s-%s" "y" }}') == "y-x"
    assert r('{{ 3 | printf "%d" }}') == "3"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ print 1 2 "a" 3 "b" "c" }}', "1 2a3bc"),
        ('{{ print "a" "b" }}', "ab"),
        ('{{ println 1 "a" }}', "1 a\n"),
        ("{{ html \"<a href='x'>&\" }}", "&lt;a href=&#39;x&#39;&gt;&amp;"),
        ('{{ js "a\'b\\"<>&=" }}', "a\\'b\\\"\\u003C\\u003E\\u0026\\u003D"),
        ('{{ urlquery "a b&c=d/é" }}', "a+b%26c%3Dd%2F%C3%A9"),
        ('{{ len "héllo" }} {{ len (list 1 2) }} {{ len (dict "a" 1) }}', "6 2 1"),
        ('{{ index "abc" 1 }}', "98"),
        ('{{ index (list (list "n")) 0 0 }}', "n"),
        ("{{ not 0 }} {{ not 1 }} {{ not \"\" }}", "true false true"),
        ('{{ eq "a" "a" }} {{ eq 1 2 3 1 }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }}'
         ' {{ ge 1.5 2.5 }}', "true true true true true true false"),
        ("{{ eq nil nil }} {{ eq .missing \"x\" }} {{ eq .missing nil }}", "true false true"),
        ("{{ eq (semver \"1.2.3\").Major 1 }}", "true"),
    ],
)
def test_builtins(template: str, expected: str) -> None:
    assert r(template) == expected


# ------------------------------------------------------------- Sprig: strings


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ trim "  a  " }}|{{ trimAll "$" "$a$" }}|{{ trimall "-" "-b-" }}', "a|a|b"),
        ('{{ trimPrefix "a" "aab" }}|{{ trimSuffix "b" "abb" }}', "ab|ab"),
        ('{{ upper "aßé" }}|{{ lower "ÀB" }}', "AßÉ|àb"),
        ('{{ title "hello wor_ld o\'neil" }}|{{ untitle "Hello World" }}',
         "Hello Wor_ld O'Neil|hello world"),
        ('{{ substr 1 3 "hello" }}|{{ substr -1 2 "hello" }}|{{ substr 2 99 "hello" }}',
         "el|he|llo"),
        ('{{ trunc 3 "hello" }}|{{ trunc -2 "hello" }}|{{ trunc 9 "hi" }}', "hel|lo|hi"),
        ('{{ abbrev 5 "hello world" }}|{{ abbrev 3 "hello" }}|{{ abbrevboth 5 10 "1234 5678 9123"'
         " }}", "he...|hello|...5678..."),
        ('{{ initials "hello big world" }}|{{ nospace "a b\\tc" }}', "hbw|abc"),
        ('{{ repeat 3 "ab" }}|{{ replace "a" "b" "aaa" }}|{{ plural "one" "many" 1 }}',
         "ababab|bbb|one"),
        ('{{ contains "b" "abc" }} {{ hasPrefix "a" "abc" }} {{ hasSuffix "x" "abc" }}',
         "true true false"),
        ('{{ quote "a" 1 nil }}|{{ squote "a" 1.5 }}|{{ cat "a" 1 nil "b" }}',
         '"a" "1"|\'a\' \'1.5\'|a 1 b'),
        ('{{ indent 2 "a\\nb" }}|{{ nindent 2 "a" }}', "  a\n  b|\n  a"),
        ('{{ wrap 5 "hello world foo" }}|{{ wrapWith 3 "-" "abcdef" }}',
         "hello\nworld\nfoo|abc-def"),
        ('{{ snakecase "FirstName" }} {{ snakecase "HTTPServer" }} {{ snakecase "http2xx" }} '
         '{{ kebabcase "Bld4Floor3rd" }} {{ kebabcase "GO PATH" }}',
         "first_name http_server http_2xx bld4-floor-3rd go-path"),
        ('{{ camelcase "some_words" }} {{ camelcase "GOLANG_IS_GREAT" }} '
         '{{ camelcase "_complex__case_" }} {{ camelcase "http_server" }}',
         "SomeWords GolangIsGreat _Complex_Case_ HttpServer"),
        ('{{ swapcase "This Is A.Test" }}', "tHIS iS a.tEST"),
        ('{{ split "/" "a/b/c" }} {{ (split "/" "a/b/c")._1 }}', "map[_0:a _1:b _2:c] b"),
        ('{{ splitn "/" 2 "a/b/c" }} {{ splitList "," "a,b" }} {{ splitList "" "ab" }}',
         "map[_0:a _1:b/c] [a b] [a b]"),
        ('{{ join "-" (list "z" 1 nil) }} {{ sortAlpha (list "z" "a" "B") }}', "z-1 [B a z]"),
        ('{{ toStrings (list 1 nil "a") }} {{ toString 1.5 }} {{ toString nil }}',
         "[1 a] 1.5 <nil>"),
        ('{{ typeOf (splitList "," "a") }} {{ typeOf (split "," "a") }}',
         "[]string map[string]string"),
        ('{{ len (randAlphaNum 5) }} {{ len (randAlpha 3) }} {{ len (randNumeric 2) }} '
         '{{ len (randAscii 4) }} {{ len (shuffle "abc") }}', "5 3 2 4 3"),
        ("{{ hello }}", "Hello!"),
    ],
)
def test_sprig_strings(template: str, expected: str) -> None:
    assert r(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ regexMatch "^a.c$" "abc" }} {{ regexMatch "a$" "a\\n" }} {{ regexMatch "(" "a" }}',
         "true false false"),
        ('{{ regexFindAll "a." "aXaYaZ" 2 }} {{ regexFindAll "a*" "baaac" -1 }}',
         "[aX aY] [ aaa ]"),
        ('{{ regexFind "[0-9]+" "ab123c" }}|{{ regexFind "z" "a" }}|', "123||"),
        ('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', "-W-xxW-"),
        ('{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}', "---"),
        ('{{ regexReplaceAll "(?P<k>\\\\w+)=(?P<v>\\\\w+)" "a=b" "$v=$k" }}', "b=a"),
        ('{{ regexReplaceAll "a*" "baaac" "X" }}', "XbXcX"),
        ('{{ regexReplaceAllLiteral "a(x*)b" "-ab-" "$1" }}', "-$1-"),
        ('{{ regexSplit "a" "banana" -1 }} {{ regexSplit "a" "banana" 2 }} '
         '{{ regexSplit "" "abc" -1 }}', "[b n n ] [b nana] [a b c]"),
        ('{{ regexQuoteMeta "a.b*c" }}', "a\\.b\\*c"),
        ('{{ regexMatch "[[:digit:]]+" "x1" }} {{ regexMatch "(?i)ABC" "abc" }}', "true true"),
    ],
)
def test_sprig_regex(template: str, expected: str) -> None:
    assert r(template) == expected


def test_regex_errors() -> None:
    assert err('{{ mustRegexMatch "(" "a" }}').endswith(
        "error calling mustRegexMatch: error parsing regexp: missing closing ): `(`"
    )
    assert err('{{ regexFind "a)" "a" }}').endswith(
        "error calling regexFind: regexp: Compile(`a)`): error parsing regexp: unexpected ): `a)`"
    )


# ------------------------------------------------------------- Sprig: lists, dicts, defaults


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ list 1 \"a\" nil }} {{ tuple 1 }}", "[1 a <nil>] [1]"),
        ("{{ append (list 1 2) 3 }} {{ push (list) 1 }} {{ prepend (list 1) 0 }}",
         "[1 2 3] [1] [0 1]"),
        ("{{ first (list 1 2) }} {{ rest (list 1 2 3) }} {{ last (list 1 2) }} "
         "{{ initial (list 1 2 3) }}", "1 [2 3] 2 [1 2]"),
        ("{{ first (list) }}|{{ rest (list) }}", "<no value>|[]"),
        ("{{ reverse (list 1 2 3) }} {{ uniq (list 1 1 2 \"1\") }} {{ without (list 1 2 3) 2 }}",
         "[3 2 1] [1 2 1] [1 3]"),
        ("{{ has 2 (list 1 2) }} {{ has 2.0 (list 1 2) }} {{ has 1 nil }}", "true false false"),
        ('{{ compact (list 1 "" nil 0 "x") }} {{ concat (list 1) (list 2 3) }}', "[1 x] [1 2 3]"),
        ("{{ slice (list 1 2 3) 1 }} {{ slice (list 1 2 3) 0 2 }} {{ slice (list 1 2 3) }}",
         "[2 3] [1 2] [1 2 3]"),
        ("{{ chunk 2 (list 1 2 3) }} {{ chunk 2 (list) }}", "[[1 2] [3]] []"),
        ("{{ until 3 }} {{ until -2 }} {{ untilStep 0 10 3 }} {{ untilStep 5 0 -2 }}",
         "[0 1 2] [0 -1] [0 3 6 9] [5 3 1]"),
        ("{{ seq 3 }}|{{ seq 5 -1 1 }}|{{ seq 2 4 }}|{{ seq 0 }}", "1 2 3|5 4 3 2 1|2 3 4|1 0"),
        ('{{ $d := dict "a" 1 "b" 2 }}{{ $_ := set $d "c" 3 }}{{ $d }} {{ get $d "a" }} '
         '{{ get $d "z" }}| {{ hasKey $d "b" }}', "map[a:1 b:2 c:3] 1 | true"),
        ('{{ $d := dict "b" 2 "a" 1 }}{{ keys $d }} {{ values $d }} {{ pick $d "a" }} '
         '{{ omit $d "a" }} {{ unset $d "b" }}', "[a b] [1 2] map[a:1] map[b:2] map[a:1]"),
        ('{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }} {{ dict "k" }}',
         "[1 3] map[k:]"),
        ('{{ merge (dict "a" 1 "n" (dict "x" 1) "e" "") (dict "a" 2 "b" 3 "n" (dict "y" 2) "e" "f")'
         " }}", "map[a:1 b:3 e:f n:map[x:1 y:2]]"),
        ('{{ mergeOverwrite (dict "a" 1 "k" true) (dict "a" 2 "k" false) }}', "map[a:2 k:false]"),
        ('{{ $a := dict "x" 1 }}{{ $_ := merge $a (dict "y" 2) }}{{ $a }}', "map[x:1 y:2]"),
        ('{{ dig "a" "b" "def" (dict "a" (dict "b" "v")) }} {{ dig "a" "z" "def" (dict "a" (dict))'
         " }}", "v def"),
        ('{{ $c := deepCopy .m }}{{ $_ := set $c "x" 2 }}{{ .m.x }} {{ $c.x }}', "1 2"),
        ('{{ default "d" "" }} {{ default "d" "v" }} {{ default "d" 0 }} {{ default "d" false }} '
         '{{ default "d" (list) }} {{ default "d" }}', "d v d d d d"),
        ('{{ empty "" }} {{ empty 0.0 }} {{ empty (dict) }} {{ empty "x" }} {{ empty now }}',
         "true true true false false"),
        ('{{ coalesce nil "" "x" }} {{ coalesce 0 }}|{{ all 1 "a" }} {{ all 1 "" }} {{ any 0 "" }}'
         ' {{ any 0 1 }}', "x <no value>|true false false true"),
        ('{{ ternary "y" "n" true }} {{ true | ternary "y" "n" }}', "y y"),
    ],
)
def test_sprig_collections(template: str, expected: str) -> None:
    assert r(template, {"m": {"x": 1}}) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ list 1 2 | append 3 }}", "error calling append: Cannot push on type int"),
        ('{{ first "abc" }}', "error calling first: Cannot find first on type string"),
        ("{{ first nil }}",
         "error calling first: runtime error: invalid memory address or nil pointer dereference"),
        ('{{ slice "abc" 1 }}', "error calling slice: list should be type of slice or array but "
                                "string"),
        ('{{ hasKey (split "," "a") "_0" }}',
         "wrong type for value; expected map[string]interface {}; got map[string]string"),
        ('{{ dig "a" "x" "d" (dict "a" "s") }}',
         "error calling dig: interface conversion: interface {} is string, not "
         "map[string]interface {}"),
        ('{{ ternary "a" "b" 1 }}', "expected bool; found 1"),
        ("{{ keys .n }}", "wrong type for value; expected map[string]interface {}; "
                          "got interface {}"),
    ],
)
def test_sprig_collection_errors(template: str, message: str) -> None:
    assert err(template, {"n": None}).endswith(message)


# ------------------------------------------------------------- Sprig: numbers


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ atoi "42" }} {{ atoi "x" }} {{ atoi "-7" }}', "42 0 -7"),
        ('{{ int "3.00" }} {{ int "3.5" }} {{ int64 "0x10" }} {{ int 3.9 }} {{ int true }} '
         "{{ int nil }} {{ int \"010\" }}", "3 0 16 3 1 0 8"),
        ('{{ float64 "1.5" }} {{ float64 3 }} {{ float64 "x" }} {{ typeOf (float64 1) }}',
         "1.5 3 0 float64"),
        ("{{ add 1 2 3 }} {{ add1 .f }} {{ sub 5 7 }} {{ mul 2 3 4 }} {{ typeOf (add 1 1) }}",
         "6 3 -2 24 int64"),
        ("{{ div 7 -2 }} {{ div 7 2 }} {{ mod -7 2 }} {{ mod 7 3 }}", "-3 3 -1 1"),
        ("{{ max 1 5 3 }} {{ biggest 2 9 }} {{ min 4 .f 3 }} {{ maxf 1.5 2.5 }} {{ minf 1.5 -2 }}",
         "5 9 2 2.5 -2"),
        ("{{ floor 1.5 }} {{ ceil 1.2 }} {{ round 1.255 2 }} {{ round 2.5 0 }} "
         "{{ round 1.234 1 0.3 }}", "1 2 1.25 3 1.3"),
        ("{{ addf 1.1 2.2 }} {{ subf 1 0.1 }} {{ mulf 1.1 3 }} {{ divf 1 3 }} {{ add1f 1.5 }}",
         "3.3 0.9 3.3 0.3333333333333333 2.5"),
        ('{{ toDecimal "0777" }} {{ toDecimal 10 }} {{ toDecimal "9" }}', "511 8 0"),
        ("{{ .f | int | add 1 }} {{ .s | atoi | add1 }}", "3 5"),
    ],
)
def test_sprig_numbers(template: str, expected: str) -> None:
    assert r(template, {"f": 2.7, "s": "4"}) == expected


def test_integer_division_by_zero() -> None:
    assert err("{{ div 1 0 }}").endswith("error calling div: runtime error: integer divide by zero")


# ------------------------------------------------------------- Sprig: JSON, YAML, encodings


@pytest.mark.parametrize(
    ("template", "data", "expected"),
    [
        ("{{ toJson . }}", {"b": [1.0, "2", True, None], "a": {"x": 1e21, "y": 1e-7, "z": 0.5}},
         '{"a":{"x":1e+21,"y":1e-7,"z":0.5},"b":[1,"2",true,null]}'),
        ("{{ toJson .s }} {{ toRawJson .s }}", {"s": "a<b>&c\n\u2028"},
         '"a\\u003cb\\u003e\\u0026c\\n\\u2028" "a<b>&c\\n\\u2028"'),
        ('{{ toPrettyJson (dict "a" 1 "b" (list 1 2) "c" (dict)) }}', {},
         '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ],\n  "c": {}\n}'),
        ("{{ toJson .n }}|{{ mustToJson .f }}", {"n": None, "f": 1e20},
         "null|100000000000000000000"),
        ('{{ (fromJson "{\\"a\\": 1, \\"b\\": [1, 2.5]}").a }} {{ fromJson "[1]" }} '
         '{{ fromJson "bad" }}', {}, "1 [1] <no value>"),
        ('{{ typeOf (fromJson "{\\"a\\": 1}").a }}', {}, "float64"),
        ("{{ toYaml . }}", {"b": [1.0, "2", True, None], "a": {"t": "yes", "e": "", "n": "1.5"}},
         'a:\n  e: ""\n  "n": "1.5"\n  t: "yes"\nb:\n- 1\n- "2"\n- true\n- null'),
        ("{{ toYaml . }}", {"ml": "line1\nline2", "colon": "a: b", "hash": "#x", "d": "2001-12-14",
                            "f": 1e21, "g": 0.000001, "h": 1.5, "big": 1e20, "i": 7},
         "big: 1e+20\ncolon: 'a: b'\nd: \"2001-12-14\"\nf: 1e+21\ng: 1e-06\nh: 1.5\n"
         "hash: '#x'\ni: 7\nml: |-\n  line1\n  line2"),
        ("{{ toYaml .l }}|{{ toYaml .s }}|{{ toYaml 3 }}|{{ toYaml nil }}|{{ toYaml (dict) }}|"
         "{{ toYaml (list) }}", {"l": ["z", ["a"]], "s": "x"}, "- z\n- - a|x|3|null|{}|[]"),
        ('{{ fromYaml "a: 1\\nb: yes\\nc: [1, x]\\nd: 2001-12-14\\n1: z\\ne: y" }}', {},
         "map[1:z a:1 b:true c:[1 x] d:2001-12-14 e:true]"),
        ('{{ (fromYaml "a: 1").a | typeOf }} {{ fromYaml "" }} {{ fromYamlArray "" }}', {},
         "float64 map[] []"),
        ('{{ fromYaml "x: &a {k: v}\\nz:\\n  <<: *a\\n  j: w" }}', {},
         "map[x:map[k:v] z:map[j:w k:v]]"),
        ('{{ fromYaml "y: 1\\nn: 2\\non: 3" | toJson }}', {}, '{"false":2,"true":3}'),
        ('{{ fromYamlArray "- a\\n- {b: 1}" | toJson }}', {}, '["a",{"b":1}]'),
        ('{{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ b64dec "@@" }}', {},
         "aGVsbG8= hello illegal base64 data at input byte 0"),
        ('{{ b32enc "hi" }} {{ b32dec "NBUQ====" }}', {}, "NBUQ==== hi"),
        ('{{ sha1sum "a" }} {{ sha256sum "a" | trunc 8 }} {{ sha512sum "" | trunc 8 }} '
         '{{ adler32sum "a" }}', {},
         "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8 ca978112 cf83e135 6422626"),
        ('{{ base "a/b/c.txt" }} {{ dir "a/b/c.txt" }} {{ ext "a/b/c.tar.gz" }} '
         '{{ clean "a//b/../c/" }} {{ isAbs "/x" }} {{ ext ".bashrc" }} {{ base "" }} '
         '{{ dir "x" }} {{ osBase "/a/b/" }}',
         {}, "c.txt a/b .gz a/c true .bashrc . . b"),
        ('{{ $u := urlParse "https://user:pw@host.io:8080/p/a%20th?q=1#frag" }}{{ $u.scheme }} '
         "{{ $u.host }} {{ $u.hostname }} {{ $u.path }} {{ $u.query }} {{ $u.fragment }} "
         "{{ $u.userinfo }}", {},
         "https host.io:8080 host.io /p/a th q=1 frag user:pw"),
        ('{{ (urlParse "mailto:x@y.z").opaque }}', {}, "x@y.z"),
        ('{{ urlJoin (dict "scheme" "https" "host" "x.io" "path" "/a b" "query" "q=1") }}', {},
         "https://x.io/a%20b?q=1"),
        ("{{ len uuidv4 }}", {}, "36"),
    ],
)
def test_sprig_encodings(template: str, data: dict[str, Any], expected: str) -> None:
    assert r(template, data) == expected


def test_json_and_yaml_errors() -> None:
    assert err('{{ mustFromJson "bad" }}').endswith(
        "error calling mustFromJson: invalid character 'b' looking for beginning of value"
    )
    assert err('{{ fromYaml "a: [" }}').startswith(
        'template: base:1:3: executing "base" at <fromYaml "a: [">: error calling fromYaml: '
        "error converting YAML to JSON: yaml: line 1:"
    )
    assert err('{{ fromYaml "- a" }}').endswith(
        "cannot unmarshal array into Go value of type map[string]interface {}"
    )
    assert err('{{ fromYamlArray "a: 1" }}').endswith(
        "cannot unmarshal object into Go value of type []interface {}"
    )
    assert r("{{ toJson .f }}|", {"f": float("nan")}) == "|"
    assert err("{{ mustToJson .f }}", {"f": float("nan")}).endswith(
        "error calling mustToJson: json: unsupported value: NaN"
    )
    assert err("{{ toYaml .f }}", {"f": float("inf")}).endswith(
        "error calling toYaml: error marshaling into JSON: json: unsupported value: +Inf"
    )


# ------------------------------------------------------------- Sprig: reflection, semver, misc


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ typeOf .a }} {{ typeOf .b }} {{ typeOf .c }} {{ typeOf .d }} {{ typeOf .e }} "
         "{{ typeOf .n }}", "int float64 string []interface {} map[string]interface {} <nil>"),
        ("{{ kindOf .a }} {{ kindOf .d }} {{ kindOf .e }} {{ kindOf .n }} {{ kindOf now }}",
         "int slice map invalid struct"),
        ('{{ typeIs "string" .c }} {{ kindIs "map" .e }} {{ typeIsLike "semver.Version" '
         '(semver "1.0.0") }}', "true true true"),
        ("{{ deepEqual (list 1) (list 1) }} {{ deepEqual 1 1.0 }} {{ deepEqual .e (dict) }}",
         "true false true"),
        ('{{ semverCompare ">=1.2.0" "1.3.0" }} {{ semverCompare "~1.2" "1.3.0" }} '
         '{{ semverCompare "^1.2.3" "1.9.0" }} {{ semverCompare "^0.2.3" "0.3.0" }} '
         '{{ semverCompare ">1.0.0" "1.1.0-beta" }} {{ semverCompare ">1.0.0-0" "1.1.0-beta" }}',
         "true false true false false true"),
        ('{{ semverCompare "1.2.x" "1.2.9" }} {{ semverCompare ">= 1.0, < 2.0" "1.5.0" }} '
         '{{ semverCompare "<1.0 || >=3.0" "3.1.0" }} {{ semverCompare "1.0 - 2.0" "2.0.0" }} '
         '{{ semverCompare "!=1.2.3" "1.2.3" }} {{ semverCompare "*" "9.9.9" }} '
         '{{ semverCompare "v1.2.3" "1.2.3" }}', "true true true true false true true"),
        ('{{ (semver "v1.2.3-rc.1+b").Major }} {{ (semver "1.2.3").Minor }} {{ semver "1.2" }} '
         '{{ (semver "1.2.3-rc.1").Prerelease }} {{ (semver "1.2.3").Compare (semver "1.3.0") }} '
         '{{ (semver "1.2.3").LessThan (semver "1.3.0") }} {{ (semver "1.2.3").IncPatch }}',
         "1 2 1.2.0 rc.1 -1 true 1.2.4"),
        ('{{ toJson (semver "1.2.3") }}', '"1.2.3"'),
    ],
)
def test_sprig_reflection_semver(template: str, expected: str) -> None:
    data = {"a": 1, "b": 1.5, "c": "s", "d": [1], "e": {}, "n": None}
    assert r(template, data) == expected


def test_semver_errors_and_fail() -> None:
    assert err('{{ semver "x.y" }}').endswith("error calling semver: Invalid Semantic Version")
    assert err('{{ semverCompare "~>~1" "1.0.0" }}').endswith(
        "error calling semverCompare: improper constraint: ~>~1"
    )
    assert err('{{ fail "boom" }}') == (
        'template: base:1:3: executing "base" at <fail "boom">: error calling fail: boom'
    )
    assert err('{{ genPrivateKey "rsa" }}').endswith(
        "error calling genPrivateKey: genPrivateKey is not supported by argoplane (offline "
        "rendering)"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ date "2006-01-02" 0 }}', "1970-01-01"),
        ('{{ toDate "2006-01-02" "2024-03-05" }}', "2024-03-05 00:00:00 +0000 UTC"),
        ('{{ dateInZone "2006-01-02 15:04:05 MST" (toDate "2006-01-02" "2024-03-05") "UTC" }}',
         "2024-03-05 00:00:00 UTC"),
        ('{{ (toDate "2006-01-02T15:04:05Z07:00" "2024-03-05T10:20:30+02:00").Unix }}',
         "1709626830"),
        ('{{ unixEpoch (toDate "2006-01-02" "1970-01-02") }}', "86400"),
        ('{{ (toDate "2006-01-02" "2024-03-05").Month }} {{ (toDate "2006-01-02" "2024-03-05")'
         ".Weekday }} {{ (toDate \"2006-01-02\" \"2024-03-05\").Year }}", "March Tuesday 2024"),
        ('{{ dateModify "-1h" (toDate "2006-01-02" "2024-03-05") | date "Jan _2 03:04 PM" }}',
         "Mar  4 11:00 PM"),
        ('{{ (toDate "2006-01-02 15:04:05.000" "2024-03-05 01:02:03.450").Format '
         '"Mon Jan 2 15:04:05.999 2006" }}', "Tue Mar 5 01:02:03.45 2024"),
        ('{{ toDate "2006-01-02" "garbage" }}', "0001-01-01 00:00:00 +0000 UTC"),
        ('{{ duration "90" }} {{ duration "3700" }} {{ durationRound "2h30m" }} '
         '{{ durationRound "49h" }}', "1m30s 1h1m40s 2h 2d"),
        ('{{ htmlDate 0 }} {{ htmlDateInZone 86400 "UTC" }}', "1970-01-01 1970-01-02"),
        ("{{ typeOf now }} {{ (now).Year | typeOf }}", "time.Time int"),
    ],
)
def test_sprig_dates(template: str, expected: str) -> None:
    assert r(template) == expected


def test_function_table_matches_argo() -> None:
    names = set(function_names())
    assert {"normalize", "slugify", "toYaml", "fromYaml", "fromYamlArray"} <= names
    assert not {"env", "expandenv", "getHostByName"} & names
    sprig_sample = {
        "trim", "upper", "dict", "list", "toJson", "fromJson", "regexReplaceAll", "semverCompare",
        "b64enc", "sha256sum", "uuidv4", "now", "date", "mustMerge", "dig", "kindOf", "typeIs",
        "and", "or", "not", "index", "len", "print", "printf", "println", "html", "js",
        "urlquery", "eq", "ne", "lt", "le", "gt", "ge", "call", "slice",
    }
    assert sprig_sample <= names


# ------------------------------------------------------------- formatting helpers


@pytest.mark.parametrize(
    ("value", "fmt", "prec", "expected"),
    [
        (1000000.0, "g", -1, "1e+06"),
        (100000.0, "g", -1, "100000"),
        (0.000012345, "g", -1, "1.2345e-05"),
        (123.456, "e", -1, "1.23456e+02"),
        (123.456, "f", -1, "123.456"),
        (1e21, "f", -1, "1000000000000000000000"),
        (2.675, "f", 2, "2.67"),
        (100000.0, "g", 3, "1e+05"),
    ],
)
def test_format_float(value: float, fmt: str, prec: int, expected: str) -> None:
    assert format_float(value, fmt, prec) == expected


def test_quote_like_strconv() -> None:
    assert quote('a"b\\c\n\t\x00é\u200b') == '"a\\"b\\\\c\\n\\t\\x00é\\u200b"'


# ------------------------------------------------------------- vector evaluator


def _vector_kinds() -> Any:
    path = Path(__file__).resolve().parents[1] / "vectorkinds" / "gotemplate.py"
    spec = importlib.util.spec_from_file_location("vectorkinds_gotemplate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vector_kind_template_function() -> None:
    module = _vector_kinds()
    fn = module.KINDS["template_function"]
    assert fn({"function": "normalize", "args": ["cluster-name"]}) == {"result": "cluster-name"}
    assert fn({"function": "slugify", "args": [50, False, "Feat/X"]}) == {"result": "feat-x"}
    with pytest.raises(ValueError, match="unsupported template function"):
        fn({"function": "upper", "args": ["x"]})


def test_vector_helper_go_replace_wraps_errors_like_argo() -> None:
    module = _vector_kinds()
    assert module.go_replace("{{ .a }}", {"a": 1}) == "1"
    with pytest.raises(ValueError, match=r"^failed to parse template \{\{ \.a \}: template: "):
        module.go_replace("{{ .a }", {})
    with pytest.raises(ValueError, match=r"^failed to execute go template \{\{ \.b \}\}: "):
        module.go_replace("{{ .b }}", {}, ["missingkey=error"])
