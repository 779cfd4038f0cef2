"""platform.yaml: defaults for everything but the names, and clear errors for bad input."""

from __future__ import annotations

import textwrap

import pytest

from argoplane.core.errors import InputError
from argoplane.layout.inventory import Platform, parse
from tests.conftest import VIGO

MINIMAL = """\
name: acme
repoURL: https://git.example.com/acme/gitops.git
environments:
  - {name: dev, short: dev}
  - {name: staging, short: stag}
  - {name: production, short: prod, production: true}
regions: [eu, us]
groups:
  shop:
    services: [cart, billing]
"""


def platform(text: str = MINIMAL) -> Platform:
    return parse(textwrap.dedent(text))


def error(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse(textwrap.dedent(text))
    return str(info.value)


def test_the_minimal_inventory_gets_the_reference_defaults() -> None:
    p = platform()
    targets = [(t.env, t.region, t.project, t.cluster, t.namespace_suffix) for t in p.targets]
    assert targets == [
        ("dev", "eu", "dev", "in-cluster", "eu-dev"),
        ("dev", "us", "dev", "in-cluster", "us-dev"),
        ("staging", "eu", "stag", "in-cluster", "eu-stag"),
        ("staging", "us", "stag", "in-cluster", "us-stag"),
        ("production", "eu", "eu-prod", "in-cluster", "eu-prod"),
        ("production", "us", "us-prod", "in-cluster", "us-prod"),
    ]
    assert p.projects == ("dev", "stag", "eu-prod", "us-prod")
    assert not p.named_clusters
    cart = p.service("cart")
    assert (cart.group, cart.image, cart.port, cart.tag, cart.path) == (
        "shop", "registry.example.com/acme/cart", 8080, "0.1.0", "applications/shop/cart")
    assert (p.target_revision, p.argocd_namespace, p.domain) == ("HEAD", "argocd", "acme.example")
    assert p.third_party == ()
    assert dict(p.sops_age) == {}


def test_the_example_inventory_describes_the_vigo_platform() -> None:
    p = parse((VIGO / "platform.yaml").read_text())
    assert [(t.env, t.region, t.project, t.cluster) for t in p.targets] == [
        ("staging", "vn", "stag", "stag"),
        ("staging", "in", "stag", "stag"),
        ("production", "vn", "vn-prod", "vn-prod"),
        ("production", "in", "in-prod", "in-prod"),
    ]
    assert p.target("production", "in").server == "https://in-prod.k8s.vigo.example"
    assert [s.name for s in p.services] == ["catalog", "checkout", "gateway"]
    gateway = p.service("gateway")
    assert (gateway.port, gateway.ingress, gateway.autoscaling) == (8000, True, True)
    assert [(tp.name, tp.target.project, tp.namespace) for tp in p.third_party] == [
        ("postgres", "in-prod", "postgres"),
        ("ingress-nginx", "in-prod", "ingress-nginx"),
        ("sealed-secrets", "in-prod", "kube-system"),
    ]
    assert p.sops_age["production"] == (
        "age19dqae9etr2dleyslqkste409ptdtxvc39lld5pr0gz97qz9x69hsmqw2m5",)


def test_environment_regions_can_be_a_subset_with_overrides() -> None:
    p = platform("""\
        name: acme
        repoURL: https://git.example.com/acme/gitops.git
        clusters:
          - {name: prod-us, server: https://prod-us.example}
        environments:
          - {name: dev, regions: [eu]}
          - name: production
            short: prod
            production: true
            regions:
              eu:
              us: {project: americas, cluster: prod-us}
        regions: [eu, us]
        groups: {shop: {services: [cart]}}
        """)
    assert [(t.env, t.region, t.project, t.cluster) for t in p.targets] == [
        ("dev", "eu", "dev", "in-cluster"),
        ("production", "eu", "eu-prod", "in-cluster"),
        ("production", "us", "americas", "prod-us"),
    ]
    assert p.named_clusters


@pytest.mark.parametrize(("snippet", "expected"), [
    pytest.param(MINIMAL.replace("{name: dev, short: dev}", "{name: dev, regions: [eu, asia]}"),
                 "platform.yaml:4: environments[0] (dev): unknown region 'asia' (regions: eu, us)",
                 id="unknown-region-in-environment"),
    pytest.param(MINIMAL.replace("[cart, billing]", "[cart, billing, cart]"),
                 "platform.yaml:10: groups.shop.services[2]: duplicate service 'cart' "
                 "(already in group shop)", id="duplicate-service"),
    pytest.param(MINIMAL + "  ops:\n    services: [billing]\n",
                 "duplicate service 'billing' (already in group shop)",
                 id="duplicate-service-across-groups"),
    pytest.param(MINIMAL.replace("[cart, billing]", "[Cart]"),
                 "service name 'Cart' is not valid: use lowercase letters, digits and '-'",
                 id="bad-service-name"),
    pytest.param(MINIMAL.replace("regions: [eu, us]", "regions: [eu, us_west]"),
                 "region name 'us_west' is not valid", id="bad-region-name"),
    pytest.param(MINIMAL.replace("name: acme", "name: acme\nenviroments: []"),
                 "platform.yaml:2: unknown key 'enviroments'", id="misspelt-key"),
    pytest.param(MINIMAL.replace("short: stag", "short: dev"),
                 "short name 'dev' is already used by dev", id="duplicate-short"),
    pytest.param(MINIMAL.replace("{name: dev, short: dev}", "{name: dev, cluster: dev-eks}"),
                 "cluster 'dev-eks' is not listed under `clusters`", id="unlisted-cluster"),
    pytest.param(MINIMAL.replace("[cart, billing]", "[" + "x" * 45 + "]"),
                 "too long: its Application names would exceed Helm's 53-character",
                 id="release-name-too-long"),
    pytest.param(MINIMAL.replace("repoURL: https://git.example.com/acme/gitops.git\n", ""),
                 "`repoURL` is required", id="missing-repo-url"),
    pytest.param(MINIMAL.replace("short: stag}", "short: stag, project: prod}")
                 .replace("production: true}", "production: true, project: prod}"),
                 "project 'prod' is used by both staging and production", id="shared-project"),
    pytest.param(MINIMAL + "thirdParty:\n  - {name: pg, repoURL: https://c.example, chart: pg,"
                 " version: 1.0.0, env: qa}\n", "unknown environment 'qa'",
                 id="third-party-unknown-env"),
    pytest.param(MINIMAL.replace("[cart, billing]", "[{name: cart, tag: 'v 1'}]"),
                 "'v 1' is not a valid image tag", id="bad-initial-tag"),
    pytest.param("name: [", "platform.yaml:1: invalid YAML", id="not-yaml"),
])
def test_bad_inventories_are_refused_with_the_reason(snippet: str, expected: str) -> None:
    assert expected in error(snippet)


def test_lookups_name_what_exists() -> None:
    p = platform()
    with pytest.raises(InputError, match=r"unknown service 'web' \(services: cart, billing\)"):
        p.service("web")
    with pytest.raises(InputError, match=r"unknown environment 'qa' \(environments: dev, "):
        p.environment("qa")
    with pytest.raises(InputError, match="environment dev has no region 'asia'"):
        p.target("dev", "asia")
