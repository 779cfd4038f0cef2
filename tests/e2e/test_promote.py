"""End to end: `argoplane set-image` and `argoplane promote` move tags through tag.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_init import files, git, git_repo, render

PLATFORM = """\
name: shop
repoURL: https://git.example.com/shop/gitops.git
environments:
  - {name: staging, short: stag}
  - {name: production, short: prod, production: true}
regions: [eu, us]
groups:
  shop:
    services:
      - {name: cart, tag: 1.4.0}
      - {name: billing, tag: 2.0.0}
"""

COMMENTED_TAG = """\
# Production image of cart: promoted from staging after sign-off.
image:
  # the release train writes this line
  tag: 1.4.0   # keep quotes off
  pullPolicy: IfNotPresent  # cart-specific
"""


@pytest.fixture
def shop(tmp_path: Path, cli: Any) -> Path:
    root = tmp_path / "shop"
    root.mkdir()
    (root / "platform.yaml").write_text(PLATFORM)
    assert cli("init", root).code == 0
    (root / "applications/shop/cart/production/tag.yaml").write_text(COMMENTED_TAG)
    git_repo(root)
    return root


def tag_file(root: Path, svc: str, env: str) -> Path:
    return root / f"applications/shop/{svc}/{env}/tag.yaml"


def image(root: Path, app_name: str) -> str:
    app = render(root).app(app_name)
    assert app is not None
    deployment = next(r for r in app.resources if r.kind == "Deployment").manifest
    return str(deployment["spec"]["template"]["spec"]["containers"][0]["image"])


def test_promote_edits_a_commented_tag_file_in_place(shop: Path, cli: Any) -> None:
    assert cli("set-image", "cart", "1.5.0", "--env", "staging", "--repo", shop,
               "--allow-dirty").code == 0
    result = cli("promote", "cart", "--from", "staging", "--to", "production", "--repo", shop,
                 "--allow-dirty")
    assert result.code == 0, result.err
    assert ("  ~ applications/shop/cart/production/tag.yaml  image.tag 1.4.0 -> 1.5.0"
            in result.out)
    assert "  > cart production (eu, us): 1.4.0 -> 1.5.0" in result.out
    assert tag_file(shop, "cart", "production").read_text() == COMMENTED_TAG.replace(
        "tag: 1.4.0 ", "tag: 1.5.0 ")
    assert image(shop, "cart-us-production") == "registry.example.com/shop/cart:1.5.0"


def test_set_image_commit_makes_one_commit_listing_the_change(shop: Path, cli: Any) -> None:
    head = git(shop, "rev-parse", "HEAD")
    result = cli("set-image", "billing", "2.1.0", "--env", "staging", "--repo", shop,
                 "--commit")
    assert result.code == 0, result.err
    assert "Committed " in result.out
    assert git(shop, "rev-parse", "HEAD~1") == head
    message = git(shop, "log", "-1", "--format=%B")
    assert message.startswith("set-image billing 2.1.0 in staging\n\n"
                              "- billing staging (eu, us): 2.0.0 -> 2.1.0\n")
    assert git(shop, "show", "--name-only", "--format=", "HEAD").split() == [
        "applications/shop/billing/staging/tag.yaml"]
    assert git(shop, "status", "--porcelain") == ""


def test_promote_all_commits_every_move_in_one_commit(shop: Path, cli: Any) -> None:
    for svc, tag in (("cart", "1.6.0-rc.1"), ("billing", "2.2.0")):
        assert cli("set-image", svc, tag, "--env", "staging", "--repo", shop,
                   "--commit").code == 0
    result = cli("promote", "--all", "--from", "staging", "--to", "production", "--repo", shop,
                 "--commit")
    assert result.code == 0, result.err
    message = git(shop, "log", "-1", "--format=%B")
    assert message.startswith("promote staging -> production: cart, billing\n\n"
                              "- cart production (eu, us): 1.4.0 -> 1.6.0-rc.1\n"
                              "- billing production (eu, us): 2.0.0 -> 2.2.0\n")
    assert len(git(shop, "show", "--name-only", "--format=", "HEAD").split()) == 2
    again = cli("promote", "--all", "--from", "staging", "--to", "production", "--repo", shop,
                "--commit")
    assert again.code == 0
    assert "  = already in production: cart 1.6.0-rc.1, billing 2.2.0" in again.out
    assert again.out.strip().endswith("Nothing to do.")
    assert git(shop, "log", "-1", "--format=%B") == message


def test_a_second_run_touches_nothing(shop: Path, cli: Any) -> None:
    args = ("set-image", "cart", "9.9.9", "--env", "production", "--repo", shop, "--allow-dirty")
    assert cli(*args).code == 0
    before = files(shop)
    result = cli(*args)
    assert result.code == 0
    assert "  = cart already runs 9.9.9 in production" in result.out
    assert files(shop) == before


def test_a_region_pin_and_its_removal(shop: Path, cli: Any) -> None:
    values = shop / "applications/shop/cart/staging/us.values.yaml"
    original = values.read_text()
    result = cli("set-image", "cart", "1.5.0-canary", "--env", "staging", "--region", "us",
                 "--repo", shop, "--commit")
    assert result.code == 0, result.err
    assert "pin image.tag 1.4.0 -> 1.5.0-canary for us" in result.out
    assert values.read_text().startswith(original)
    assert image(shop, "cart-us-staging").endswith(":1.5.0-canary")
    assert image(shop, "cart-eu-staging").endswith(":1.4.0")
    refused = cli("promote", "cart", "--from", "staging", "--to", "production", "--repo", shop)
    assert refused.code == 2
    assert ("cart runs different tags in the regions of staging (eu 1.4.0, us 1.5.0-canary); "
            "promote one region at a time with --region") in refused.err
    assert cli("promote", "cart", "--from", "staging", "--to", "production", "--region", "us",
               "--repo", shop, "--commit").code == 0
    assert image(shop, "cart-us-production").endswith(":1.5.0-canary")
    result = cli("set-image", "cart", "1.5.0", "--env", "staging", "--repo", shop)
    assert result.code == 0
    assert "drop region pin image.tag 1.5.0-canary" in result.out
    assert values.read_text() == original


def test_it_works_from_inside_the_repository(shop: Path, cli: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(shop / "applications/shop/cart/staging")
    assert cli("set-image", "cart", "1.4.1", "--env", "staging").code == 0
    assert "tag: 1.4.1" in tag_file(shop, "cart", "staging").read_text()


def test_a_dirty_tree_is_refused(shop: Path, cli: Any) -> None:
    readme = shop / "README.md"
    readme.write_text("changed\n")
    before = files(shop)
    result = cli("promote", "cart", "--from", "staging", "--to", "production", "--repo", shop)
    assert result.code == 2
    assert "uncommitted changes (README.md); commit or stash them first, or pass --allow-dirty" \
        in result.err
    assert files(shop) == before


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(("set-image", "search", "1.0.0", "--env", "staging"),
                 "unknown service 'search' (services: cart, billing)", id="unknown-service"),
    pytest.param(("set-image", "cart", "1.0.0", "--env", "qa"),
                 "unknown environment 'qa' (environments: staging, production)",
                 id="unknown-environment"),
    pytest.param(("set-image", "cart", "1.0 final", "--env", "staging"),
                 "'1.0 final' is not a valid image tag", id="invalid-tag"),
    pytest.param(("set-image", "cart", "1.0.0", "--env", "staging", "--region", "ap"),
                 "unknown region 'ap' (regions: eu, us)", id="unknown-region"),
    pytest.param(("promote", "billing", "--from", "staging", "--to", "production"),
                 "billing has no image tag in staging to promote", id="no-tag-in-source"),
    pytest.param(("promote", "cart", "--from", "production", "--to", "production"),
                 "--from and --to are both production", id="same-environment"),
    pytest.param(("promote", "--from", "staging", "--to", "production"),
                 "name the services to promote, or pass --all", id="no-services"),
    pytest.param(("promote", "cart", "--all", "--from", "staging", "--to", "production"),
                 "name services or pass --all, not both", id="services-and-all"),
    pytest.param(("set-image", "cart", "1.0.0", "--env", "staging", "--commit", "--dry-run"),
                 "--commit and --dry-run do not go together", id="commit-dry-run"),
])
def test_bad_input_exits_2_and_changes_nothing(shop: Path, cli: Any, args: tuple[str, ...],
                                              message: str) -> None:
    staging = tag_file(shop, "billing", "staging")
    staging.write_text(staging.read_text().replace("tag: 2.0.0", 'tag: ""'))
    git(shop, "commit", "-qam", "billing: no staging tag yet")
    head = git(shop, "rev-parse", "HEAD")
    before = files(shop)
    result = cli(*args, "--repo", shop)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert files(shop) == before
    assert git(shop, "rev-parse", "HEAD") == head


def test_outside_a_platform_the_commands_say_what_is_missing(tmp_path: Path, cli: Any) -> None:
    result = cli("set-image", "cart", "1.0.0", "--env", "staging", "--repo", tmp_path)
    assert result.code == 2
    assert "no platform.yaml here or in a parent folder" in result.err
