"""Image tags: validity, version order, comment-preserving edits of tag files."""

from __future__ import annotations

import pytest

from argoplane.core.errors import InputError
from argoplane.release.edit import drop_tag, set_tag
from argoplane.release.imagetag import check_tag, is_valid_tag
from argoplane.release.versions import compare

COMMENTED_TAG = """\
# Image tag deployed to every production venture. Promoted by hand from staging.
image:
  # bumped by the release train
  tag: 1.8.2   # do not edit by hand
"""


@pytest.mark.parametrize("tag", ["1.8.2", "v1.2.3", "1.9.0-rc.2", "latest", "sha-3f2a9c1",
                                 "_x", "a" * 128])
def test_valid_tags(tag: str) -> None:
    assert is_valid_tag(tag)


@pytest.mark.parametrize(("tag", "reason"), [
    ("", "it is empty"), ("a" * 129, "more than 128"), ("-rc1", "not starting with"),
    (".1", "not starting with"), ("1.0 beta", "use letters"), ("1.0:2", "use letters"),
])
def test_invalid_tags_say_why(tag: str, reason: str) -> None:
    assert not is_valid_tag(tag)
    with pytest.raises(InputError, match=reason):
        check_tag(tag)


@pytest.mark.parametrize(("a", "b", "order"), [
    ("1.8.2", "1.9.0-rc.2", -1), ("1.9.0", "1.9.0-rc.2", 1), ("1.9.0-rc.2", "1.9.0-rc.10", -1),
    ("v2.0", "1.99.9", 1), ("1.2", "1.2.0", 0), ("1.0.0-alpha", "1.0.0-alpha.1", -1),
    ("1.0.0-alpha.beta", "1.0.0-alpha.1", 1), ("1.0.0+build.5", "1.0.0", 0),
    ("abc123", "def456", None), ("latest", "latest", 0),
])
def test_versions_order_as_semver(a: str, b: str, order: int | None) -> None:
    assert compare(a, b) == order


def test_set_tag_keeps_comments_order_and_layout() -> None:
    assert set_tag(COMMENTED_TAG, "tag.yaml", "1.9.0") == COMMENTED_TAG.replace(
        "tag: 1.8.2 ", "tag: 1.9.0 ")


def test_set_tag_quotes_what_would_not_read_as_a_string() -> None:
    assert "tag: \"1.10\"  # do not edit by hand" in set_tag(COMMENTED_TAG, "tag.yaml", "1.10")
    quoted = COMMENTED_TAG.replace("1.8.2", "'1.8.2'")
    assert "tag: '2.0.0'" in set_tag(quoted, "tag.yaml", "2.0.0")


def test_a_pin_added_to_a_values_file_is_removed_without_a_trace() -> None:
    values = "# svc / staging / eu\nenvironment: staging\n\nreplicaCount: 1\n"
    pinned = set_tag(values, "eu.values.yaml", "2.0.0")
    assert pinned.startswith(values)
    assert pinned.endswith("image:\n  tag: 2.0.0\n")
    assert drop_tag(pinned, "eu.values.yaml") == values


def test_dropping_a_tag_keeps_the_rest_of_image() -> None:
    values = "image:\n  repository: r  # repo\n  tag: 1.0.0\n  pullPolicy: Always\n"
    assert drop_tag(values, "v.yaml") == "image:\n  repository: r  # repo\n  pullPolicy: Always\n"
    assert drop_tag("replicaCount: 2\n", "v.yaml") == "replicaCount: 2\n"


def test_a_values_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(InputError, match=r"v\.yaml: a values file must hold a YAML mapping"):
        set_tag("- a\n- b\n", "v.yaml", "1.0.0")
