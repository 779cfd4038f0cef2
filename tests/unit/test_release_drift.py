"""Drift: an environment behind or ahead of the one before it, regions on different tags."""

from __future__ import annotations

from argoplane.layout.inventory import parse
from argoplane.release.drift import detect
from argoplane.release.matrix import Cell, Row

PLATFORM = parse("""\
name: acme
repoURL: https://git.example.com/acme/gitops.git
environments:
  - {name: staging, short: stag}
  - {name: production, short: prod, production: true}
regions: [eu, us]
groups: {shop: {services: [cart]}}
""")


def row(**tags: str | None) -> Row:
    """Tags as staging_eu=..., production_us=...; pins are not relevant to drift."""
    cells = tuple(Cell(t.env, t.region, tags.get(f"{t.env}_{t.region}"), None, False)
                  for t in PLATFORM.targets)
    return Row(PLATFORM.service("cart"), {}, cells, ())


def texts(r: Row) -> list[str]:
    return [d.text for d in detect(r, PLATFORM)]


def test_in_step_means_no_drift() -> None:
    assert texts(row(staging_eu="1.0", staging_us="1.0", production_eu="1.0",
                     production_us="1.0")) == []


def test_production_behind_staging() -> None:
    found = detect(row(staging_eu="1.9.0-rc.2", staging_us="1.9.0-rc.2", production_eu="1.8.2",
                       production_us="1.8.2"), PLATFORM)
    assert [(d.kind, d.env, d.other, d.regions) for d in found] == [
        ("behind", "production", "staging", ("eu", "us"))]
    assert found[0].text == "production behind staging: 1.8.2 < 1.9.0-rc.2"


def test_production_ahead_and_unordered_tags() -> None:
    assert texts(row(staging_eu="1.0.0", staging_us="1.0.0", production_eu="1.1.0",
                     production_us="1.1.0")) == ["production ahead of staging: 1.1.0 > 1.0.0"]
    assert texts(row(staging_eu="abc", staging_us="abc", production_eu="def",
                     production_us="def")) == ["production differs from staging: def vs abc"]


def test_regions_on_different_tags() -> None:
    assert texts(row(staging_eu="2.0", staging_us="1.0", production_eu="1.0",
                     production_us="1.0")) == [
        "staging regions differ: eu 2.0, us 1.0",
        "production behind staging in eu: 1.0 < 2.0",
    ]


def test_missing_tags_are_not_drift() -> None:
    assert texts(row(staging_eu="1.0", staging_us="1.0")) == []
