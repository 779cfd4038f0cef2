"""Argo CD behaviour vectors (shared/vectors/argocd/*.json) run through argoplane.

Every case goes through the same code path as `python tests/argocd_vectors.py eval FILE`
(its `evaluate`, one call per file, cached) and is compared with the rules of the vectors'
README: `expected_error` substrings, exact results, the subset rules for Applications,
`params_subset` + `count`, and `order_matters: false`.

A case whose kind has no evaluator in tests/vectorkinds/ yet, or whose evaluator reports
that something is "not supported yet", is skipped. Any other difference fails.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
VECTORS = SHARED / "vectors" / "argocd"
HARNESS = PROJECT / "tests" / "argocd_vectors.py"
NOT_SUPPORTED = "not supported yet"

if not VECTORS.is_dir():
    pytest.skip(f"no Argo CD vectors at {VECTORS}", allow_module_level=True)


def _load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("argocd_vectors", HARNESS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HARNESS_MODULE = _load_harness()
FILES = sorted(VECTORS.glob("*.json"))


@functools.cache
def _cases(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return cases


@functools.cache
def _kinds() -> frozenset[str]:
    return frozenset(HARNESS_MODULE.all_kinds())


@functools.cache
def _outcomes(name: str) -> dict[str, dict[str, Any]]:
    """`evaluate` over the whole file, once: {case id: {"result": ...} | {"error": ...}}."""
    results = HARNESS_MODULE.evaluate(_cases(name))
    return {r["id"]: r for r in results}


def _params() -> list[Any]:
    out = []
    for file in FILES:
        for case in _cases(file.name):
            out.append(pytest.param(file.name, case, id=case["id"]))
    return out


# -- comparison ----------------------------------------------------------------------------
def _numbers(value: Any) -> Any:
    """Integral floats as ints: Go decodes every JSON/YAML number as a float64, so 123 and
    123.0 are the same value (as `_same` treats them)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def _canon(value: Any) -> str:
    return json.dumps(_numbers(value), sort_keys=True, default=str)


def _same(a: Any, b: Any) -> bool:
    """Equality that does not confuse `true` with `1` (Python's bool is an int)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _flat_clusters(params: Any) -> Any:
    """A cluster generator's `flatList` param set with its clusters in a canonical order: the
    Go test compares that list as a set too (`assertEqualParamsFlat`), Argo's cluster order
    being Go map order."""
    if isinstance(params, Mapping) and list(params) == ["clusters"] and isinstance(
            params["clusters"], list):
        return {"clusters": sorted(params["clusters"], key=_canon)}
    return params


def _same_unordered(expected: list[Any], actual: list[Any]) -> bool:
    return (sorted(_canon(_flat_clusters(p)) for p in expected)
            == sorted(_canon(_flat_clusters(p)) for p in actual))


def _subset(expected: Mapping[str, Any], actual: Any) -> bool:
    return isinstance(actual, Mapping) and all(
        k in actual and _same(v, actual[k]) for k, v in expected.items())


def _app_diffs(expected: Any, actual: Any, path: str, *, unordered_finalizers: bool
               ) -> list[str]:
    """Differences under the README's "Comparing Applications" rules."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{path or '.'}: expected an object, got {actual!r}"]
        diffs: list[str] = []
        for key, want in expected.items():
            where = f"{path}.{key}" if path else key
            present = key in actual
            got = actual.get(key)
            if path == "metadata" and key in ("labels", "annotations", "finalizers"):
                got = got or ({} if isinstance(want, Mapping) else [])
                if key == "finalizers" and unordered_finalizers:
                    ok = sorted(want) == sorted(got)
                else:
                    ok = _same(want, got)
                if not ok:
                    diffs.append(f"{where}: expected {want!r}, got {got!r}")
            elif path == "spec.destination" and key in ("server", "name") and want == "":
                if got not in ("", None):
                    diffs.append(f"{where}: expected empty or absent, got {got!r}")
            elif not present:
                diffs.append(f"{where}: missing (expected {want!r})")
            else:
                diffs += _app_diffs(want, got, where, unordered_finalizers=unordered_finalizers)
        return diffs
    if not _same(expected, actual):
        return [f"{path or '.'}: expected {expected!r}, got {actual!r}"]
    return []


def _fail(diffs: list[str]) -> None:
    if diffs:
        pytest.fail("\n".join(diffs), pytrace=False)


def _by_name(apps: list[Any]) -> dict[str, Any]:
    return {str((a.get("metadata") or {}).get("name") or ""): a for a in apps}


def _compare_application(expected: dict[str, Any], result: Any) -> None:
    _fail(_app_diffs(expected["application"], result["application"], "",
                     unordered_finalizers=bool(expected.get("finalizers_unordered"))))


def _compare_applications(expected: dict[str, Any], result: Any) -> None:
    apps = _by_name(result["applications"])
    unordered = bool(expected.get("finalizers_unordered"))
    diffs: list[str] = []
    wanted = expected.get("applications", expected.get("applications_include", []))
    if "applications" in expected:
        names = sorted(_by_name(wanted))
        if names != sorted(apps):
            diffs.append(f"generated applications {sorted(apps)}, expected {names}")
    for want in wanted:
        name = str(want["metadata"]["name"])
        if name not in apps:
            diffs.append(f"application {name!r} was not generated (got {sorted(apps)})")
            continue
        diffs += [f"{name}: {d}" for d in _app_diffs(want, apps[name], "",
                                                     unordered_finalizers=unordered)]
    for name in expected.get("application_names_absent", []):
        if name in apps:
            diffs.append(f"application {name!r} must not be generated")
    _fail(diffs)


def _compare_params(expected: dict[str, Any], result: Any) -> None:
    params = result["params"]
    if "params_subset" in expected:
        diffs = []
        if "count" in expected and len(params) != expected["count"]:
            diffs.append(f"{len(params)} param sets, expected {expected['count']}")
        for i, want in enumerate(expected["params_subset"]):
            if i >= len(params) or not _subset(want, params[i]):
                got = params[i] if i < len(params) else None
                diffs.append(f"params[{i}]: expected a superset of {want!r}, got {got!r}")
        _fail(diffs)
        return
    want = expected["params"]
    if expected.get("order_matters", True):
        assert _same(want, params), f"expected {want!r}\n     got {params!r}"
    else:
        assert _same_unordered(want, params), f"expected (any order) {want!r}\n got {params!r}"


def _compare_directory(expected: dict[str, Any], result: Any) -> None:
    if "count" in expected:
        assert result["count"] == expected["count"], result
    if "object_names" in expected:
        want, got = expected["object_names"], result["object_names"]
        if expected.get("order_matters", True):
            assert want == got
        else:
            assert sorted(want) == sorted(got)
    if "objects" in expected:
        assert _same(expected["objects"], result["objects"])
    if "manifests_json" in expected:
        assert expected["manifests_json"] == result["manifests_json"]


def _compare_helm_args(expected: dict[str, Any], result: Any) -> None:
    args = result["args"]
    if "args" in expected:
        assert expected["args"] == args
    elif "command" in expected:  # the redacted command string only matters without `args`
        assert expected["command"] == result["command"]
    for item in expected.get("args_contain", []):
        if isinstance(item, list):
            assert any(args[i:i + len(item)] == item for i in range(len(args))), (item, args)
        else:
            assert item in args, (item, args)
    for text in expected.get("command_contains", []):
        assert text in result["command"], (text, result["command"])


def _compare_effective_values(expected: dict[str, Any], result: Any) -> None:
    diffs = []
    for key, want in expected.get("values", {}).items():
        got = result["values"].get(key, "<absent>")
        if not _same(want, got):
            diffs.append(f"values {key}: expected {want!r}, got {got!r}")
    if "release_name" in expected and expected["release_name"] != result["release_name"]:
        diffs.append(f"release name {result['release_name']!r}, expected "
                     f"{expected['release_name']!r}")
    missing = set(expected.get("object_names_include", [])) - set(
        result["object_names_include"])
    if missing:
        diffs.append(f"objects not rendered: {sorted(missing)}")
    _fail(diffs)


def _compare_metadata_subset(expected: dict[str, Any], result: Any) -> None:
    for field in ("labels", "annotations"):
        if field in expected:
            assert _subset(expected[field], result[field]), (field, result[field])


def _subset_diffs(expected: Any, actual: Any, path: str) -> list[str]:
    """Objects compared recursively on the expected keys only; anything else exactly."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{path or '.'}: expected an object, got {actual!r}"]
        diffs: list[str] = []
        for key, want in expected.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                diffs.append(f"{where}: missing (expected {want!r})")
            else:
                diffs += _subset_diffs(want, actual[key], where)
        return diffs
    return [] if _same(expected, actual) else [f"{path}: expected {expected!r}, got {actual!r}"]


def _compare_generator(expected: dict[str, Any], result: Any) -> None:
    """`interpolate_generator`: the expected generator is a subset of the interpolated one."""
    _fail(_subset_diffs(expected["generator"], result["generator"], "generator"))


def _compare_exact(expected: dict[str, Any], result: Any) -> None:
    for key, want in expected.items():
        if key == "order_matters":
            continue
        assert isinstance(result, Mapping), f"expected an object, got {result!r}"
        assert key in result, f"no {key!r} in {result!r}"
        got = result[key]
        if expected.get("order_matters") is False and isinstance(want, list):
            assert _same_unordered(want, got), f"{key}: expected (any order) {want!r}, got {got!r}"
        else:
            assert _same(want, got), f"{key}: expected {want!r}, got {got!r}"


COMPARE: dict[str, Callable[[dict[str, Any], Any], None]] = {
    "render_application": _compare_application,
    "generate_applications": _compare_applications,
    "generator_params": _compare_params,
    "directory_manifests": _compare_directory,
    "helm_template_args": _compare_helm_args,
    "helm_effective_values": _compare_effective_values,
    "set_app_instance": _compare_metadata_subset,
    "interpolate_generator": _compare_generator,
}


# -- tests ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("file", "case"), _params())
def test_vector(file: str, case: dict[str, Any]) -> None:
    kind = case["kind"]
    if kind not in _kinds():
        pytest.skip(f"no evaluator for kind {kind} yet")
    outcome = _outcomes(file)[case["id"]]
    if "error" in outcome:
        error = str(outcome["error"])
        if NOT_SUPPORTED in error:
            pytest.skip(error)
        if "expected_error" not in case:
            pytest.fail(f"unexpected error: {error}", pytrace=False)
        assert case["expected_error"] in error, (
            f"error {error!r} does not contain {case['expected_error']!r}")
        return
    if "expected_error" in case:
        pytest.fail(f"expected an error containing {case['expected_error']!r}, got "
                    f"{outcome['result']!r}", pytrace=False)
    COMPARE.get(kind, _compare_exact)(case["expected"], outcome["result"])


def test_cli_harness_output_shape() -> None:
    file = VECTORS / "tracking.json"
    if not file.is_file():
        file = FILES[0]
    proc = subprocess.run([sys.executable, str(HARNESS), "eval", str(file)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert isinstance(out, list)
    assert [entry["id"] for entry in out] == [c["id"] for c in _cases(file.name)]
    for entry in out:
        assert isinstance(entry, dict)
        assert set(entry) in ({"id", "result"}, {"id", "error"}), entry
        if "error" in entry:
            assert isinstance(entry["error"], str)
            assert entry["error"]
