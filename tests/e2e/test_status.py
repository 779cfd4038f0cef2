"""End to end: `argoplane status`, the tag matrix with drift, on the example platform."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import VIGO
from tests.e2e.test_promote import PLATFORM

EXAMPLE_TAGS = {"catalog": ("1.9.0-rc.2", "1.8.2"), "checkout": ("2.4.0-rc.1", "2.3.5"),
                "gateway": ("0.14.0-rc.3", "0.13.1")}


def test_json_lists_every_cell_and_the_drift_of_the_example(cli: Any) -> None:
    result = cli("status", VIGO, "-o", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["platform"] == "vigo"
    assert [e["name"] for e in data["environments"]] == ["staging", "production"]
    assert data["summary"] == {"services": 3, "drifting": 3}
    for svc in data["services"]:
        staging, production = EXAMPLE_TAGS[svc["name"]]
        assert [(c["env"], c["region"], c["tag"]) for c in svc["tags"]] == [
            ("staging", "vn", staging), ("staging", "in", staging),
            ("production", "vn", production), ("production", "in", production)]
        assert svc["tags"][2]["source"] == f"applications/vigo/{svc['name']}/production/tag.yaml"
        assert svc["drift"] == [{
            "kind": "behind", "env": "production", "other": "staging", "regions": ["vn", "in"],
            "text": f"production behind staging: {production} < {staging}"}]
        assert svc["missing"] == []


def test_text_and_markdown_show_the_matrix(cli: Any) -> None:
    text = cli("status", VIGO)
    assert text.code == 0
    assert "staging/vn" in text.out
    assert "production/in" in text.out
    assert "production behind staging: 1.8.2 < 1.9.0-rc.2" in text.out
    assert text.out.strip().endswith("3 services, 3 with drift")
    markdown = cli("status", VIGO, "-o", "markdown").out
    assert ("| catalog | 1.9.0-rc.2 | 1.9.0-rc.2 | **1.8.2** | **1.8.2** | "
            "production behind staging: 1.8.2 < 1.9.0-rc.2 |") in markdown


def test_status_runs_from_inside_the_repository(cli: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(VIGO / "applications/vigo/gateway/production")
    result = cli("status", "-o", "json")
    assert result.code == 0
    assert json.loads(result.out)["platform"] == "vigo"


def test_region_pins_and_split_regions_are_shown(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(PLATFORM)
    assert cli("init", tmp_path).code == 0
    assert cli("set-image", "cart", "1.5.0", "--env", "staging", "--region", "eu",
               "--repo", tmp_path).code == 0
    data = json.loads(cli("status", tmp_path, "-o", "json").out)
    cart = data["services"][0]
    assert cart["tags"][0] == {"env": "staging", "region": "eu", "tag": "1.5.0", "pinned": True,
                               "source": "applications/shop/cart/staging/eu.values.yaml"}
    assert [d["text"] for d in cart["drift"]] == [
        "staging regions differ: eu 1.5.0, us 1.4.0",
        "production behind staging in eu: 1.4.0 < 1.5.0"]
    text = cli("status", tmp_path).out
    assert "1.5.0*" in text
    assert "(* pinned in the region's values file)" in text


def test_missing_tag_files_are_reported_not_fatal(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "platform.yaml").write_text(PLATFORM)
    assert cli("init", tmp_path).code == 0
    (tmp_path / "applications/shop/billing/production/tag.yaml").unlink()
    data = json.loads(cli("status", tmp_path, "-o", "json").out)
    billing = data["services"][1]
    assert billing["missing"] == ["applications/shop/billing/production/tag.yaml"]
    assert [c["tag"] for c in billing["tags"]] == ["2.0.0", "2.0.0", None, None]
    text = cli("status", tmp_path).out
    assert "1 layout file missing (`argoplane init` restores them)" in text
