"""The in-process Helm engine and the helm v3 binary must produce the same manifests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from argoplane.core.config import Config
from argoplane.render.helm.backends import BinaryBackend, SdkBackend
from argoplane.render.helm.request import HelmRequest, SetParam
from argoplane.render.helm.source import helm_request, prepare_chart
from tests.conftest import PROJECT, VIGO

CHARTS = VIGO / "applications/vigo"
COMBINATIONS = [("staging", "in"), ("staging", "vn"), ("production", "in"), ("production", "vn")]


def _app(name: str, namespace: str) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": {"destination": {"namespace": namespace}}}


def _both(request: HelmRequest, helm_binary: str) -> tuple[list[Any], list[Any]]:
    sdk = SdkBackend().render(request)
    binary = BinaryBackend(helm_binary).render(request)
    return sdk, binary


@pytest.mark.parametrize("service", ["catalog", "checkout", "gateway"])
@pytest.mark.parametrize(("env", "region"), [*COMBINATIONS, (None, None)])
def test_example_charts_render_identically(
    helm_binary: str, service: str, env: str | None, region: str | None
) -> None:
    chart = CHARTS / service
    files = [] if env is None else [
        f"{env}/tag.yaml", f"{env}/{region}.values.yaml", f"secrets://{env}/{region}.secrets.yaml"]
    source = {"repoURL": "x", "path": f"applications/vigo/{service}",
              "helm": {"valueFiles": files}}
    name = f"{service}-{region}-{env}" if env else service
    request = helm_request(_app(name, f"{service}-ns"), source, chart_dir=chart,
                           repo_root=VIGO, config=Config(), warn=lambda _t: None)
    sdk, binary = _both(request, helm_binary)
    assert sdk == binary
    assert len(sdk) >= 3


def test_crds_hooks_tests_subcharts_and_file_dependencies(helm_binary: str, tmp_path: Path) -> None:
    charts = PROJECT / "tests/fixtures/charts"
    chart = prepare_chart(charts / "ops-suite", charts, tmp_path)
    assert chart != charts / "ops-suite"  # the file:// dependency was vendored into a copy
    values = tmp_path / "more.yaml"
    values.write_text("widgets: [alpha, beta, gamma]\n")
    request = HelmRequest(
        chart_dir=chart, release_name="ops", namespace="tools",
        value_files=(values,), value_layers=({"widgets": ["alpha", "beta", "gamma"]},),
        set_params=(SetParam("team", "platform"),),
        inline_values={"cache": {"memory": "256Mi"}},
    )
    sdk, binary = _both(request, helm_binary)
    kinds = [obj["kind"] for _source, obj in sdk]
    assert kinds == ["CustomResourceDefinition", "ServiceAccount", "ConfigMap", "ClusterRole",
                     "StatefulSet", "CronJob", "Widget", "Widget", "Widget", "Pod", "Job"]
    cron = next(obj for _s, obj in sdk if obj["kind"] == "CronJob")
    assert cron["metadata"]["labels"]["app.kubernetes.io/part-of"] == "platform"
    cache = next(obj for _s, obj in sdk if obj["kind"] == "StatefulSet")
    assert cache["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"] == {
        "memory": "256Mi"}
    assert sdk == binary


def test_skip_tests_and_skip_crds(helm_binary: str, tmp_path: Path) -> None:
    charts = PROJECT / "tests/fixtures/charts"
    chart = prepare_chart(charts / "ops-suite", charts, tmp_path)
    request = HelmRequest(chart_dir=chart, release_name="ops", namespace="tools",
                          include_crds=False, skip_tests=True)
    sdk, binary = _both(request, helm_binary)
    assert sdk == binary
    kinds = {obj["kind"] for _source, obj in sdk}
    assert "CustomResourceDefinition" not in kinds
    assert "Pod" not in kinds
    assert "Job" in kinds  # a pre-install hook is not a test


def test_whole_example_renders_identically_through_the_cli(cli: Any, helm_binary: str) -> None:
    sdk = cli("render", VIGO, "-o", "yaml")
    binary = cli("render", VIGO, "-o", "yaml", "--helm-binary", helm_binary)
    assert sdk.code == binary.code == 0
    assert sdk.out == binary.out
    assert sdk.out.count("---\n# Source: ") == 60
